import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import { ChannelType } from '../channel/channel.entity';
import { Conversation } from '../conversation/conversation.entity';
import { Customer } from '../customer/customer.entity';
import { User } from '../user/user.entity';

export enum NoteState {
  OPEN = 'OPEN',
  PENDING = 'PENDING',
  SOLVED = 'SOLVED',
}

registerEnumType(NoteState, { name: 'NoteState' });

/** A message left by a visitor when no one could serve (CNT-4); it never enters the queue. */
@ObjectType()
@Entity()
@Unique({ properties: ['tenant', 'number'] })
@Index({ properties: ['tenant', 'state', 'createdAt'] })
@Index({ properties: ['tenant', 'assignee', 'createdAt'] })
export class Note extends TenantOwnedEntity<'state' | 'channel'> {
  @Field(() => Int, { description: 'Numbered 1, 2, 3… within the tenant.' })
  @Property()
  number!: number;

  @Field(() => ID)
  @ManyToOne(() => Customer, { mapToPk: true, deleteRule: 'cascade' })
  customer!: string;

  @Field(() => ID, { nullable: true, description: 'The queued conversation it replaced, if any.' })
  @ManyToOne(() => Conversation, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  conversation: string | null = null;

  @Field(() => ChannelType)
  @Enum({ items: () => ChannelType })
  channel: ChannelType = ChannelType.WEB;

  @Field()
  @Property({ type: 'text' })
  content!: string;

  @Field(() => String, { nullable: true })
  @Property({ length: 60, nullable: true })
  contactName: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ length: 40, nullable: true })
  contactPhone: string | null = null;

  @Field(() => String, { nullable: true })
  @Property({ length: 254, nullable: true })
  contactEmail: string | null = null;

  @Field(() => NoteState)
  @Enum({ items: () => NoteState })
  state: NoteState = NoteState.OPEN;

  @Field(() => ID, { nullable: true })
  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  assignee: string | null = null;
}
