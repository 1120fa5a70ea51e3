import { Entity, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, ObjectType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import { User } from '../user/user.entity';

/** A direct message between two users of a tenant (MSG-5); delivered live, or read on return. */
@ObjectType()
@Entity()
@Index({ properties: ['tenant', 'recipient', 'readAt'] })
@Index({ properties: ['tenant', 'sender', 'recipient', 'createdAt'] })
@Unique({ properties: ['sender', 'clientMessageId'] })
export class DirectMessage extends TenantOwnedEntity {
  @Field(() => ID)
  @ManyToOne(() => User, { mapToPk: true, deleteRule: 'cascade' })
  sender!: string;

  @Field(() => ID)
  @ManyToOne(() => User, { mapToPk: true, deleteRule: 'cascade' })
  recipient!: string;

  @Field({ description: 'Plain text: clients must not render it as HTML.' })
  @Property({ type: 'text' })
  text!: string;

  @Field(() => String, { nullable: true })
  @Property({ length: 64, nullable: true })
  clientMessageId: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  readAt: Date | null = null;
}
