/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type ConversationState =
  | 'CLOSED'
  | 'ONGOING'
  | 'QUEUED';

/** A note a visitor leaves when no one can serve them (CNT-4). */
export type LeaveNoteInput = {
  contactEmail?: string | null | undefined;
  /** At most 60 characters. */
  contactName?: string | null | undefined;
  /** At most 40 characters. */
  contactPhone?: string | null | undefined;
  /** 1 to 2,000 characters. */
  content: string;
};

export type MessageEventKind =
  | 'ADDED'
  | 'RECALLED';

export type MessageInput = {
  /** Your id for this message; resending with the same id is a no-op. */
  clientMessageId?: string | null | undefined;
  /** LOCATION {lat, lng, label?}, URL {url, title?}, CUSTOM {kind, title?, fields?, url?} (cards such as orders), IMAGE/FILE/VOICE/VIDEO {attachmentId}. */
  payload?: Record<string, unknown> | null | undefined;
  /** Text, emoji or caption (at most 5000 characters). */
  text?: string | null | undefined;
  type?: MessageType;
};

export type MessageType =
  | 'CUSTOM'
  | 'EMOJI'
  | 'FILE'
  | 'IMAGE'
  | 'LOCATION'
  | 'TEXT'
  | 'URL'
  | 'VIDEO'
  | 'VOICE';

/** The customer's answer to a rating invitation (CNV-5). */
export type RateConversationInput = {
  conversationId: string;
  /** Labels chosen for the star level, at most 10 of 1 to 40 characters. */
  labels?: Array<string>;
  /** At most 500 characters. */
  remark?: string | null | undefined;
  /** Was the problem resolved? Leave out to not answer. */
  resolved?: boolean | null | undefined;
  /** 1 to 5. */
  stars: number;
};

/** CUSTOMER: the visitor. AGENT: a user. SYSTEM: the dispatcher. */
export type SenderKind =
  | 'AGENT'
  | 'CUSTOMER'
  | 'SYSTEM';

export type StartVisitorSessionInput = {
  /** An app's own customer id. Needs `customerIdSignature`; leave both out for an anonymous web visitor. */
  customerId?: string | null | undefined;
  /** Hex HMAC-SHA256 of customerId with the widget's identity secret. */
  customerIdSignature?: string | null | undefined;
  /** A visitor token from an earlier visit, to continue as the same customer. */
  resumeToken?: string | null | undefined;
  /** The public key of a widget configuration. */
  widgetKey: string;
};

export type VisitorMessageFragment = { id: string, seq: number, conversation: string, senderKind: SenderKind, type: MessageType, text: string | null, payload: Record<string, unknown> | null, clientMessageId: string | null, createdAt: string, recalledAt: string | null, attachment: { id: string, filename: string, mime: string, url: string, downloadUrl: string, size: number } | null };

export type StartSessionMutationVariables = Exact<{
  input: StartVisitorSessionInput;
}>;


export type StartSessionMutation = { startVisitorSession: { token: string, expiresAt: string, customer: { id: string, externalId: string, nickname: string | null }, widget: { name: string, style: { color: string, position: string, title: string }, functions: { attachments: boolean, noteWhenOffline: boolean } } } };

export type OpenConversationQueryVariables = Exact<{ [key: string]: never; }>;


export type OpenConversationQuery = { visitorConversation: { id: string, state: ConversationState } | null, visitorMessages: Array<{ id: string, seq: number, conversation: string, senderKind: SenderKind, type: MessageType, text: string | null, payload: Record<string, unknown> | null, clientMessageId: string | null, createdAt: string, recalledAt: string | null, attachment: { id: string, filename: string, mime: string, url: string, downloadUrl: string, size: number } | null }> };

export type SendAsVisitorMutationVariables = Exact<{
  input: MessageInput;
}>;


export type SendAsVisitorMutation = { sendVisitorMessage: { id: string, seq: number, conversation: string, senderKind: SenderKind, type: MessageType, text: string | null, payload: Record<string, unknown> | null, clientMessageId: string | null, createdAt: string, recalledAt: string | null, attachment: { id: string, filename: string, mime: string, url: string, downloadUrl: string, size: number } | null } };

export type RateMutationVariables = Exact<{
  input: RateConversationInput;
}>;


export type RateMutation = { rateConversation: { id: string } };

export type LeaveNoteMutationVariables = Exact<{
  input: LeaveNoteInput;
}>;


export type LeaveNoteMutation = { leaveNote: { number: number } };

export type LiveMessagesSubscriptionVariables = Exact<{
  id: string;
  after?: number | null | undefined;
}>;


export type LiveMessagesSubscription = { conversationMessages: { kind: MessageEventKind, message: { id: string, seq: number, conversation: string, senderKind: SenderKind, type: MessageType, text: string | null, payload: Record<string, unknown> | null, clientMessageId: string | null, createdAt: string, recalledAt: string | null, attachment: { id: string, filename: string, mime: string, url: string, downloadUrl: string, size: number } | null } } };

export type ConversationStateQueryVariables = Exact<{ [key: string]: never; }>;


export type ConversationStateQuery = { visitorConversation: { id: string, state: ConversationState } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const VisitorMessageFragmentDoc = new TypedDocumentString(`
    fragment VisitorMessage on Message {
  id
  seq
  conversation
  senderKind
  type
  text
  payload
  clientMessageId
  createdAt
  recalledAt
  attachment {
    id
    filename
    mime
    url
    downloadUrl
    size
  }
}
    `, {"fragmentName":"VisitorMessage"}) as unknown as TypedDocumentString<VisitorMessageFragment, unknown>;
export const StartSessionDocument = new TypedDocumentString(`
    mutation StartSession($input: StartVisitorSessionInput!) {
  startVisitorSession(input: $input) {
    token
    expiresAt
    customer {
      id
      externalId
      nickname
    }
    widget {
      name
      style {
        color
        position
        title
      }
      functions {
        attachments
        noteWhenOffline
      }
    }
  }
}
    `) as unknown as TypedDocumentString<StartSessionMutation, StartSessionMutationVariables>;
export const OpenConversationDocument = new TypedDocumentString(`
    query OpenConversation {
  visitorConversation {
    id
    state
  }
  visitorMessages(first: 100) {
    ...VisitorMessage
  }
}
    fragment VisitorMessage on Message {
  id
  seq
  conversation
  senderKind
  type
  text
  payload
  clientMessageId
  createdAt
  recalledAt
  attachment {
    id
    filename
    mime
    url
    downloadUrl
    size
  }
}`) as unknown as TypedDocumentString<OpenConversationQuery, OpenConversationQueryVariables>;
export const SendAsVisitorDocument = new TypedDocumentString(`
    mutation SendAsVisitor($input: MessageInput!) {
  sendVisitorMessage(input: $input) {
    ...VisitorMessage
  }
}
    fragment VisitorMessage on Message {
  id
  seq
  conversation
  senderKind
  type
  text
  payload
  clientMessageId
  createdAt
  recalledAt
  attachment {
    id
    filename
    mime
    url
    downloadUrl
    size
  }
}`) as unknown as TypedDocumentString<SendAsVisitorMutation, SendAsVisitorMutationVariables>;
export const RateDocument = new TypedDocumentString(`
    mutation Rate($input: RateConversationInput!) {
  rateConversation(input: $input) {
    id
  }
}
    `) as unknown as TypedDocumentString<RateMutation, RateMutationVariables>;
export const LeaveNoteDocument = new TypedDocumentString(`
    mutation LeaveNote($input: LeaveNoteInput!) {
  leaveNote(input: $input) {
    number
  }
}
    `) as unknown as TypedDocumentString<LeaveNoteMutation, LeaveNoteMutationVariables>;
export const LiveMessagesDocument = new TypedDocumentString(`
    subscription LiveMessages($id: ID!, $after: Int) {
  conversationMessages(conversationId: $id, afterSeq: $after) {
    kind
    message {
      ...VisitorMessage
    }
  }
}
    fragment VisitorMessage on Message {
  id
  seq
  conversation
  senderKind
  type
  text
  payload
  clientMessageId
  createdAt
  recalledAt
  attachment {
    id
    filename
    mime
    url
    downloadUrl
    size
  }
}`) as unknown as TypedDocumentString<LiveMessagesSubscription, LiveMessagesSubscriptionVariables>;
export const ConversationStateDocument = new TypedDocumentString(`
    query ConversationState {
  visitorConversation {
    id
    state
  }
}
    `) as unknown as TypedDocumentString<ConversationStateQuery, ConversationStateQueryVariables>;