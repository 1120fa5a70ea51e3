import { createClient, type Client } from 'graphql-ws';
import {
  ConversationStateDocument,
  LeaveNoteDocument,
  type LeaveNoteInput,
  LiveMessagesDocument,
  type LiveMessagesSubscription,
  type MessageInput,
  OpenConversationDocument,
  type OpenConversationQuery,
  RateDocument,
  type RateConversationInput,
  SendAsVisitorDocument,
  StartSessionDocument,
  type StartSessionMutation,
  type TypedDocumentString,
  type VisitorMessageFragment,
} from './generated';

export type VisitorSession = StartSessionMutation['startVisitorSession'];
export type VisitorMessage = VisitorMessageFragment;
export type VisitorConversation = NonNullable<OpenConversationQuery['visitorConversation']>;

export class GraphqlError extends Error {
  constructor(
    message: string,
    readonly code: string | null,
    readonly reason: string | null,
  ) {
    super(message);
  }
}

/**
 * The widget's client for the visitor entry points: plain fetch for queries and mutations, one
 * graphql-ws socket for live messages. Small on purpose: the widget loads on customers' sites.
 */
export class VisitorApi {
  private token: string | null = null;
  private socket: Client | null = null;

  constructor(
    private readonly base: string,
    private readonly onConnected: () => void = () => undefined,
  ) {}

  /** Runs one of the widget's typed operations (GraphQL Code Generator, from `visitor.graphql`). */
  async call<T, V>(document: TypedDocumentString<T, V>, variables: V): Promise<T> {
    const res = await fetch(`${this.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify({ query: document.toString(), variables }),
    });
    const body = (await res.json()) as {
      data?: T;
      errors?: { message: string; extensions?: { code?: string; reason?: string } }[];
    };
    if (body.errors?.length) {
      const e = body.errors[0];
      throw new GraphqlError(e.message, e.extensions?.code ?? null, e.extensions?.reason ?? null);
    }
    return body.data as T;
  }

  async start(widgetKey: string, resumeToken: string | null): Promise<VisitorSession> {
    const data = await this.call(StartSessionDocument, { input: { widgetKey, resumeToken } });
    this.token = data.startVisitorSession.token;
    return data.startVisitorSession;
  }

  async conversation(): Promise<{ conversation: VisitorConversation | null; messages: VisitorMessage[] }> {
    const data = await this.call(OpenConversationDocument, {});
    return { conversation: data.visitorConversation, messages: data.visitorMessages };
  }

  /** The open conversation's state only (queued, ongoing, closed). */
  async state(): Promise<VisitorConversation | null> {
    return (await this.call(ConversationStateDocument, {})).visitorConversation;
  }

  async send(input: MessageInput): Promise<VisitorMessage> {
    return (await this.call(SendAsVisitorDocument, { input })).sendVisitorMessage;
  }

  async rate(input: RateConversationInput): Promise<void> {
    await this.call(RateDocument, { input });
  }

  async leaveNote(input: LeaveNoteInput): Promise<number> {
    return (await this.call(LeaveNoteDocument, { input })).leaveNote.number;
  }

  async upload(file: File): Promise<string> {
    const form = new FormData();
    form.append('kind', file.type.startsWith('image/') ? 'image' : 'file');
    form.append('file', file, file.name);
    const res = await fetch(`${this.base}/uploads`, {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token ?? ''}` },
      body: form,
    });
    const body = (await res.json()) as { id?: string; errors?: { message: string }[] };
    if (!res.ok || !body.id) throw new Error(body.errors?.[0]?.message ?? `Upload failed (${res.status})`);
    return body.id;
  }

  /** Live messages of the conversation after `afterSeq()`; resubscribes from the newest on every reconnect. */
  follow(
    conversationId: string,
    afterSeq: () => number,
    onEvent: (kind: string, m: VisitorMessage) => void,
  ): () => void {
    this.socket ??= createClient({
      url: `${this.base.replace(/^http/, 'ws')}/graphql`,
      connectionParams: () => ({ authorization: `Bearer ${this.token ?? ''}` }),
      retryAttempts: Infinity,
      shouldRetry: () => true,
      on: { connected: () => this.onConnected() },
    });
    return this.socket.subscribe<LiveMessagesSubscription>(
      { query: LiveMessagesDocument.toString(), variables: { id: conversationId, after: afterSeq() } },
      {
        next: ({ data }) => data && onEvent(data.conversationMessages.kind, data.conversationMessages.message),
        error: () => undefined,
        complete: () => undefined,
      },
    );
  }
}
