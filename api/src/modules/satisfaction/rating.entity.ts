import { Entity, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import { Conversation } from '../conversation/conversation.entity';
import { User } from '../user/user.entity';

/** The satisfaction rating of a conversation (CNV-5): invited once, answered by the customer. */
@ObjectType()
@Entity()
@Unique({ properties: ['conversation'] })
export class Rating extends TenantOwnedEntity<'labels' | 'invitedAt'> {
  @Field(() => ID)
  @ManyToOne(() => Conversation, { mapToPk: true, deleteRule: 'cascade' })
  conversation!: string;

  @Field(() => ID, {
    nullable: true,
    description: 'The agent who invited it; none when invited on close automatically.',
  })
  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  invitedBy: string | null = null;

  @Field()
  @Property({ type: 'timestamptz' })
  invitedAt: Date = new Date();

  @Field(() => Int, { nullable: true, description: '1 to 5 stars; none until the customer answers.' })
  @Property({ type: 'smallint', nullable: true })
  stars: number | null = null;

  @Field(() => [String])
  @Property({ type: 'json' })
  labels: string[] = [];

  @Field(() => String, { nullable: true })
  @Property({ length: 500, nullable: true })
  remark: string | null = null;

  @Field(() => Boolean, { nullable: true, description: 'The customer\'s answer to "was your problem resolved?".' })
  @Property({ type: 'boolean', nullable: true })
  resolved: boolean | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  ratedAt: Date | null = null;
}
