import { Field, ObjectType, registerEnumType } from 'type-graphql';
import {
  Conversation,
  type ConversationState,
  Message,
  type MessageType,
  type SenderKind,
} from './conversation.entity';

/**
 * What travels on the event bus: plain JSON (it may cross processes through Redis), turned back
 * into the GraphQL types by the subscription resolvers.
 */
export interface MessageDto {
  id: string;
  tenant: string;
  conversation: string;
  seq: number;
  senderKind: SenderKind;
  senderUser: string | null;
  type: MessageType;
  text: string | null;
  payload: Record<string, unknown> | null;
  clientMessageId: string | null;
  recalledAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export enum MessageEventKind {
  ADDED = 'ADDED',
  RECALLED = 'RECALLED',
}

export enum ConversationChangeKind {
  NEW = 'NEW',
  UPDATED = 'UPDATED',
  CLOSED = 'CLOSED',
  /** No longer yours: transferred to someone else. */
  REMOVED = 'REMOVED',
}

registerEnumType(MessageEventKind, { name: 'MessageEventKind' });
registerEnumType(ConversationChangeKind, { name: 'ConversationChangeKind' });

export interface MessageEventDto {
  kind: MessageEventKind;
  message: MessageDto;
}

export interface ConversationChangeDto {
  kind: ConversationChangeKind;
  conversationId: string;
  state: ConversationState;
}

@ObjectType({
  description: 'A message of a conversation: ADDED (new, in seq order) or RECALLED (withdrawn by its sender).',
})
export class MessageEvent {
  @Field(() => MessageEventKind)
  kind!: MessageEventKind;

  @Field(() => Message)
  message!: Message;
}

@ObjectType({ description: 'A conversation appeared, changed (new message, read state, joined) or closed.' })
export class ConversationChange {
  @Field(() => ConversationChangeKind)
  kind!: ConversationChangeKind;

  @Field(() => Conversation)
  conversation!: Conversation;
}

export function toMessageDto(m: Message): MessageDto {
  return {
    id: m.id,
    tenant: m.tenant,
    conversation: m.conversation,
    seq: m.seq,
    senderKind: m.senderKind,
    senderUser: m.senderUser,
    type: m.type,
    text: m.text,
    payload: m.payload,
    clientMessageId: m.clientMessageId,
    recalledAt: m.recalledAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

export function fromMessageDto(dto: MessageDto): Message {
  // Not `new Message()`: its field initialisers (a fresh id, timestamps) are wasted work per delivery.
  return Object.assign(Object.create(Message.prototype) as Message, {
    ...dto,
    recalledAt: dto.recalledAt ? new Date(dto.recalledAt) : null,
    createdAt: new Date(dto.createdAt),
    updatedAt: new Date(dto.updatedAt),
  });
}
