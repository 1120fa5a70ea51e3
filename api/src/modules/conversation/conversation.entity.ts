import type { Ref } from '@mikro-orm/core';
import { Entity, Enum, Index, ManyToOne, Property, Unique } from '@mikro-orm/decorators/legacy';
import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { TenantOwnedEntity } from '../../platform/database/tenant-owned.entity';
import { ChannelAccount, ChannelType, WidgetConfig } from '../channel/channel.entity';
import { Customer } from '../customer/customer.entity';
import { Team } from '../team/team.entity';
import { User } from '../user/user.entity';

export enum ConversationState {
  QUEUED = 'QUEUED',
  ONGOING = 'ONGOING',
  CLOSED = 'CLOSED',
}

export enum JoinedHow {
  MANUAL = 'MANUAL',
  ASSIGNED = 'ASSIGNED',
  TRANSFERRED = 'TRANSFERRED',
}

export enum LeftHow {
  CLOSED = 'CLOSED',
  TRANSFERRED = 'TRANSFERRED',
}

/** Why a conversation ended (CNV-6, CNV-7, CNV-8, QUE-11). */
export enum CloseReason {
  /** Closed by the serving agent. */
  AGENT = 'AGENT',
  /** Closed by an admin (or an API key). */
  ADMIN = 'ADMIN',
  /** The customer did not answer the agent (CNV-7 a). */
  CUSTOMER_NO_REPLY = 'CUSTOMER_NO_REPLY',
  /** No message from either side for the inactivity timeout (CNV-7 b). */
  INACTIVE = 'INACTIVE',
  /** The customer was blacklisted (CNV-8). */
  BLACKLISTED = 'BLACKLISTED',
  /** The customer left a note instead of waiting in the queue (QUE-11). */
  NOTE_LEFT = 'NOTE_LEFT',
}

export enum AlarmLevel {
  INFO = 'INFO',
  WARNING = 'WARNING',
  CRITICAL = 'CRITICAL',
}

export enum SenderKind {
  CUSTOMER = 'CUSTOMER',
  AGENT = 'AGENT',
  SYSTEM = 'SYSTEM',
}

export enum MessageType {
  TEXT = 'TEXT',
  EMOJI = 'EMOJI',
  IMAGE = 'IMAGE',
  VOICE = 'VOICE',
  VIDEO = 'VIDEO',
  FILE = 'FILE',
  LOCATION = 'LOCATION',
  URL = 'URL',
  CUSTOM = 'CUSTOM',
}

registerEnumType(ConversationState, { name: 'ConversationState' });
registerEnumType(JoinedHow, { name: 'JoinedHow' });
registerEnumType(LeftHow, { name: 'LeftHow' });
registerEnumType(SenderKind, {
  name: 'SenderKind',
  description: 'CUSTOMER: the visitor. AGENT: a user. SYSTEM: the dispatcher.',
});
registerEnumType(MessageType, { name: 'MessageType' });
registerEnumType(CloseReason, { name: 'CloseReason' });
registerEnumType(AlarmLevel, { name: 'AlarmLevel' });

/**
 * One session between a customer and the service (QUEUED → ONGOING → CLOSED). At most one is
 * open per customer, enforced by a partial unique index, not by a check before inserting.
 */
@ObjectType()
@Entity()
@Index({
  name: 'conversation_one_open_per_customer',
  expression:
    'create unique index "conversation_one_open_per_customer" on "conversation" ("tenant_id", "customer_id") where "state" <> \'CLOSED\'',
})
@Index({ properties: ['tenant', 'state', 'createdAt'] })
@Index({ properties: ['tenant', 'customer', 'createdAt'] })
@Index({ properties: ['tenant', 'team', 'state', 'vip', 'createdAt'] })
export class Conversation extends TenantOwnedEntity<
  'state' | 'lastSeq' | 'customerReadSeq' | 'vip' | 'queueRemindersSent'
> {
  @ManyToOne(() => Customer, { ref: true, deleteRule: 'cascade' })
  customer!: Ref<Customer>;

  @Field(() => ConversationState)
  @Enum({ items: () => ConversationState })
  state: ConversationState = ConversationState.QUEUED;

  @Field(() => ChannelType)
  @Enum({ items: () => ChannelType })
  channel!: ChannelType;

  @ManyToOne(() => ChannelAccount, { ref: true, nullable: true, deleteRule: 'set null' })
  channelAccount: Ref<ChannelAccount> | null = null;

  @ManyToOne(() => WidgetConfig, { ref: true, nullable: true, deleteRule: 'set null' })
  widget: Ref<WidgetConfig> | null = null;

  @ManyToOne(() => Team, { ref: true, nullable: true, deleteRule: 'set null' })
  team: Ref<Team> | null = null;

  @Field({ description: 'The customer was a VIP when the conversation started (queue priority).' })
  @Property()
  vip: boolean = false;

  @Field(() => Int, { description: 'The seq of the newest message; messages are numbered 1, 2, 3… without gaps.' })
  @Property()
  lastSeq: number = 0;

  @Field(() => Int, { description: 'The customer has read up to this seq.' })
  @Property()
  customerReadSeq: number = 0;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastMessageAt: Date | null = null;

  @Field(() => String, { nullable: true, description: 'A short preview of the newest message.' })
  @Property({ length: 200, nullable: true })
  lastMessagePreview: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  closedAt: Date | null = null;

  @Field(() => SenderKind, { nullable: true, description: 'Who closed it: an agent or admin (AGENT), or the system.' })
  @Enum({ items: () => SenderKind, nullable: true })
  closedBy: SenderKind | null = null;

  @Field(() => CloseReason, { nullable: true })
  @Enum({ items: () => CloseReason, nullable: true })
  closeReason: CloseReason | null = null;

  @Field(() => Date, { nullable: true, description: 'When an agent first started serving it.' })
  @Property({ type: 'timestamptz', nullable: true })
  assignedAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastCustomerMessageAt: Date | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  lastAgentMessageAt: Date | null = null;

  @Field(() => Date, {
    nullable: true,
    description:
      'Set when the agent had not replied in time (CNV-9); the console highlights it until the agent replies.',
  })
  @Property({ type: 'timestamptz', nullable: true })
  noReplyAlertAt: Date | null = null;

  // When the customer was reminded to answer the agent (CNV-7 a); cleared by their next message.
  @Property({ type: 'timestamptz', nullable: true })
  customerRemindedAt: Date | null = null;

  // Queue reminders sent so far (QUE-11).
  @Property()
  queueRemindersSent: number = 0;

  // The timer job that currently watches this conversation; any other one that fires is stale.
  @Property({ type: 'uuid', nullable: true })
  timerJobId: string | null = null;

  @Field(() => String, { nullable: true, description: "The remark that goes with the conversation's tags (CNV-3)." })
  @Property({ length: 1000, nullable: true })
  tagRemark: string | null = null;
}

/** A no-reply alarm (CNV-9): the agent did not answer the customer in time. */
@ObjectType()
@Entity()
@Index({ properties: ['tenant', 'createdAt'] })
export class AlarmRecord extends TenantOwnedEntity {
  @Field(() => ID)
  @ManyToOne(() => Conversation, { mapToPk: true, deleteRule: 'cascade' })
  conversation!: string;

  @Field(() => ID, { nullable: true, description: 'The agent who had not replied.' })
  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  user: string | null = null;

  @Field(() => AlarmLevel)
  @Enum({ items: () => AlarmLevel })
  level!: AlarmLevel;

  @Field({ description: 'How long the customer had been waiting, in seconds.' })
  @Property()
  waitedSeconds!: number;
}

/** An agent's part in a conversation: joined, left, and how. */
@ObjectType()
@Entity()
@Index({ properties: ['tenant', 'user', 'leftAt'] })
@Index({ properties: ['tenant', 'conversation'] })
export class ConversationAgent extends TenantOwnedEntity<'readSeq' | 'joinedAt'> {
  @Field(() => ID)
  @ManyToOne(() => Conversation, { mapToPk: true, deleteRule: 'cascade' })
  conversation!: string;

  @Field(() => ID)
  @ManyToOne(() => User, { mapToPk: true, deleteRule: 'cascade' })
  user!: string;

  @Field()
  @Property({ type: 'timestamptz' })
  joinedAt: Date = new Date();

  @Field(() => JoinedHow)
  @Enum({ items: () => JoinedHow })
  joinedHow!: JoinedHow;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  leftAt: Date | null = null;

  @Field(() => LeftHow, { nullable: true })
  @Enum({ items: () => LeftHow, nullable: true })
  leftHow: LeftHow | null = null;

  @Field(() => Int, { description: 'This agent has read up to this seq.' })
  @Property()
  readSeq: number = 0;
}

/** A message, numbered by `seq` within its conversation; stored before it is published. */
@ObjectType()
@Entity()
@Unique({ properties: ['conversation', 'seq'] })
@Index({
  name: 'message_client_id_unique',
  expression:
    'create unique index "message_client_id_unique" on "message" ("conversation_id", "client_message_id") where "client_message_id" is not null',
})
// Newest-first scans for keyword search: a common word finds its page within the newest rows.
@Index({ properties: ['tenant', 'createdAt'] })
@Index({
  name: 'message_text_grams',
  expression: 'create index "message_text_grams" on "message" using gin (parley_grams("text"))',
})
export class Message extends TenantOwnedEntity {
  @Field(() => ID)
  @ManyToOne(() => Conversation, { mapToPk: true, deleteRule: 'cascade' })
  conversation!: string;

  @Field(() => Int)
  @Property()
  seq!: number;

  @Field(() => SenderKind)
  @Enum({ items: () => SenderKind })
  senderKind!: SenderKind;

  @Field(() => ID, { nullable: true, description: 'The user who sent it (AGENT messages).' })
  @ManyToOne(() => User, { mapToPk: true, nullable: true, deleteRule: 'set null' })
  senderUser: string | null = null;

  @Field(() => MessageType)
  @Enum({ items: () => MessageType })
  type!: MessageType;

  // Exposed by MessageResolver (hidden once recalled). Plain text: clients must not render it as HTML.
  @Property({ type: 'text', nullable: true })
  text: string | null = null;

  @Property({ type: 'json', nullable: true })
  payload: Record<string, unknown> | null = null;

  @Field(() => String, {
    nullable: true,
    description: "The sender's id for this message; a retried send with the same id is a no-op.",
  })
  @Property({ length: 64, nullable: true })
  clientMessageId: string | null = null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'timestamptz', nullable: true })
  recalledAt: Date | null = null;
}
