import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection } from '../../platform/graphql/connection';
import { ChannelType } from '../channel/channel.entity';
import { CloseReason, type Conversation, ConversationState, Message } from '../conversation/conversation.entity';

/** Which side of the console a list is for: the caller's own data, or everything in their data scope. */
export enum ConsoleMode {
  AGENT = 'AGENT',
  ADMIN = 'ADMIN',
}

export enum HistoryOrder {
  STARTED = 'STARTED',
  CLOSED = 'CLOSED',
}

registerEnumType(ConsoleMode, {
  name: 'ConsoleMode',
  description:
    "AGENT: Agent Mode, the caller's own conversations or customers. ADMIN: Admin Mode, everything within the role's data scope.",
});
registerEnumType(HistoryOrder, {
  name: 'HistoryOrder',
  description: 'Newest first by start time (STARTED) or by close time (CLOSED).',
});

/** One conversation as the history list shows it (HIS-1, CNV-11); nested lists load per page. */
@ObjectType({ description: 'A conversation in the history list or in a customer’s interaction record.' })
export class HistoryEntry {
  constructor(source: Conversation) {
    this.source = source;
    this.id = source.id;
    this.state = source.state;
    this.startedAt = source.createdAt;
    this.closedAt = source.closedAt;
    this.closeReason = source.closeReason;
    this.channel = source.channel;
    this.tagRemark = source.tagRemark;
  }

  // The conversation behind the entry, for the field resolvers.
  readonly source: Conversation;

  @Field(() => ID, { description: 'The conversation id: open it with `conversation(id)`.' })
  id: string;

  @Field(() => ConversationState)
  state: ConversationState;

  @Field()
  startedAt: Date;

  @Field(() => Date, { nullable: true })
  closedAt: Date | null;

  @Field(() => CloseReason, { nullable: true })
  closeReason: CloseReason | null;

  @Field(() => ChannelType)
  channel: ChannelType;

  @Field(() => String, { nullable: true })
  tagRemark: string | null;
}

@ObjectType()
export class HistoryEntryConnection extends Connection(HistoryEntry) {}

@ObjectType({ description: 'Where the keyword occurs in a text: offsets in UTF-16 code units.' })
export class TextRange {
  @Field(() => Int)
  start!: number;

  @Field(() => Int)
  length!: number;
}

/** A message that contains the searched keyword (HIS-2). */
@ObjectType()
export class MessageHit {
  @Field(() => Message)
  message!: Message;

  @Field(() => ID, { description: 'Open it with `conversation(id)`.' })
  conversationId!: string;

  // The customer, for the field resolver.
  customerId!: string;

  @Field(() => [TextRange], { description: 'Every occurrence of the keyword in the text, case-insensitive.' })
  highlights!: TextRange[];
}

@ObjectType()
export class MessageHitConnection extends Connection(MessageHit) {
  @Field({
    description:
      'True when more than 500 messages match: `totalCount` is then 500 (show "500+"); narrow the search to count them all.',
  })
  totalCountCapped!: boolean;
}
