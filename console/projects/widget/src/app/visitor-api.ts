import { createClient, type Client } from 'graphql-ws';

export interface WidgetStyle {
  color: string;
  position: string;
  title: string;
}
export interface VisitorSession {
  token: string;
  expiresAt: string;
  customer: { id: string; externalId: string; nickname: string | null };
  widget: { name: string; style: WidgetStyle; functions: { attachments: boolean; noteWhenOffline: boolean } };
}
export interface VisitorMessage {
  id: string;
  seq: number;
  conversation: string;
  senderKind: 'AGENT' | 'CUSTOMER' | 'SYSTEM';
  type: string;
  text: string | null;
  payload: Record<string, unknown> | null;
  clientMessageId: string | null;
  createdAt: string;
  recalledAt: string | null;
  attachment: { id: string; filename: string; mime: string; url: string; downloadUrl: string; size: number } | null;
}
export interface VisitorConversation {
  id: string;
  state: 'QUEUED' | 'ONGOING' | 'CLOSED';
}

const MESSAGE = `id seq conversation senderKind type text payload clientMessageId createdAt recalledAt
  attachment { id filename mime url downloadUrl size }`;

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

  async call<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await fetch(`${this.base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify({ query, variables }),
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
    const data = await this.call<{ startVisitorSession: VisitorSession }>(
      `mutation Start($input: StartVisitorSessionInput!) { startVisitorSession(input: $input) {
        token expiresAt customer { id externalId nickname }
        widget { name style { color position title } functions { attachments noteWhenOffline } } } }`,
      { input: { widgetKey, resumeToken } },
    );
    this.token = data.startVisitorSession.token;
    return data.startVisitorSession;
  }

  async conversation(): Promise<{ conversation: VisitorConversation | null; messages: VisitorMessage[] }> {
    const data = await this.call<{
      visitorConversation: VisitorConversation | null;
      visitorMessages: VisitorMessage[];
    }>(`query Open { visitorConversation { id state } visitorMessages(first: 100) { ${MESSAGE} } }`);
    return { conversation: data.visitorConversation, messages: data.visitorMessages };
  }

  async send(input: { type: string; text?: string; payload?: Record<string, unknown>; clientMessageId: string }) {
    const data = await this.call<{ sendVisitorMessage: VisitorMessage }>(
      `mutation Send($input: MessageInput!) { sendVisitorMessage(input: $input) { ${MESSAGE} } }`,
      { input },
    );
    return data.sendVisitorMessage;
  }

  async rate(input: { conversationId: string; stars: number; remark?: string; resolved?: boolean | null }) {
    await this.call(`mutation Rate($input: RateConversationInput!) { rateConversation(input: $input) { id } }`, {
      input,
    });
  }

  async leaveNote(input: { content: string; contactName?: string; contactPhone?: string; contactEmail?: string }) {
    const data = await this.call<{ leaveNote: { number: number } }>(
      `mutation Note($input: LeaveNoteInput!) { leaveNote(input: $input) { number } }`,
      { input },
    );
    return data.leaveNote.number;
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
    return this.socket.subscribe<{ conversationMessages: { kind: string; message: VisitorMessage } }>(
      {
        query: `subscription Live($id: ID!, $after: Int) { conversationMessages(conversationId: $id, afterSeq: $after) {
          kind message { ${MESSAGE} } } }`,
        variables: { id: conversationId, after: afterSeq() },
      },
      {
        next: ({ data }) => data && onEvent(data.conversationMessages.kind, data.conversationMessages.message),
        error: () => undefined,
        complete: () => undefined,
      },
    );
  }
}
