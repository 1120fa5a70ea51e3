import { TestBed } from '@angular/core/testing';
import { ApolloTestingController, ApolloTestingModule } from 'apollo-angular/testing';
import { ConnectionState } from '../../core/apollo/connection-state';
import { ChatStore } from './chat-store';

type Operation = ReturnType<ApolloTestingController['expectOne']>;

const MINUTE = 60_000;
const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * MINUTE).toISOString();

function row(id: string, over: Record<string, unknown> = {}) {
  return {
    __typename: 'Conversation',
    id,
    state: 'ONGOING',
    channel: 'WEB',
    vip: false,
    createdAt: at(60),
    lastMessageAt: at(10),
    lastAgentMessageAt: null,
    assignedAt: at(60),
    lastMessagePreview: 'hello',
    lastSeq: 1,
    unreadCount: 0,
    noReplyAlertAt: null,
    customer: { __typename: 'Customer', id: `cu-${id}`, externalId: `ext-${id}`, nickname: null, realName: null },
    ...over,
  };
}

function message(seq: number, over: Record<string, unknown> = {}) {
  return {
    __typename: 'Message',
    id: `m${seq}`,
    seq,
    conversation: 'c1',
    senderKind: 'CUSTOMER',
    senderUser: null,
    type: 'TEXT',
    text: `message ${seq}`,
    payload: null,
    clientMessageId: null,
    createdAt: at(0),
    recalledAt: null,
    attachment: null,
    ...over,
  };
}

/** Lets promises, Apollo's observables and signal effects run. */
async function settle(): Promise<void> {
  for (let i = 0; i < 4; i++) {
    await new Promise((r) => setTimeout(r, 0));
    TestBed.tick();
  }
}

describe(ChatStore.name, () => {
  let store: ChatStore;
  let backend: ApolloTestingController;
  let changes: Operation;

  async function start(
    rows: ReturnType<typeof row>[],
    settings = { sortByAgentLatestMessage: false, showLastMessageTime: true },
  ): Promise<void> {
    TestBed.configureTestingModule({ imports: [ApolloTestingModule], providers: [ChatStore] });
    store = TestBed.inject(ChatStore);
    backend = TestBed.inject(ApolloTestingController);
    await settle();
    changes = backend.expectOne('MyConversationsChanged');
    flushList(rows);
    backend.expectOne('ConversationListSettings').flushData({
      tenant: { __typename: 'Tenant', id: 't1', settings: { __typename: 'TenantSettings', ...settings } },
    });
    await settle();
  }

  function flushList(rows: ReturnType<typeof row>[]): void {
    backend.expectOne('MyConversations').flushData({
      myConversations: {
        __typename: 'ConversationConnection',
        totalCount: rows.length,
        pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
        nodes: rows,
      },
    });
  }

  function feed(kind: string, conversation: ReturnType<typeof row>): void {
    changes.flush({
      data: { myConversationsChanged: { __typename: 'ConversationChange', kind, conversation } },
    });
  }

  /** Opens c1 with the given history page and returns its live message subscription. */
  async function open(page: ReturnType<typeof message>[]) {
    store.select('c1');
    await settle();
    backend.expectOne('ConversationMessages').flushData({
      conversation: { __typename: 'Conversation', id: 'c1', lastSeq: page.length, customerReadSeq: 0, messages: page },
    });
    await settle();
    return backend.expectOne('ConversationMessageEvents');
  }

  function live(sub: Operation, m: ReturnType<typeof message>, kind = 'ADDED') {
    sub.flush({ data: { conversationMessages: { __typename: 'MessageEvent', kind, message: m } } });
  }

  const seqs = () => store.messages().map((m) => m.seq);
  const sent = () => store.messages().filter((m) => m.delivery === 'sent');

  describe('the ongoing list', () => {
    it('orders by the newest message by default', async () => {
      await start([row('old', { lastMessageAt: at(30) }), row('new', { lastMessageAt: at(1) })], {
        sortByAgentLatestMessage: false,
        showLastMessageTime: false,
      });
      expect(store.ordered().map((c) => c.id)).toEqual(['new', 'old']);
    });

    it("orders by the agent's own latest message when the tenant sorts by it", async () => {
      await start(
        [
          row('customer-just-wrote', { lastMessageAt: at(0), lastAgentMessageAt: at(20) }),
          row('agent-just-wrote', { lastMessageAt: at(2), lastAgentMessageAt: at(2) }),
        ],
        { sortByAgentLatestMessage: true, showLastMessageTime: true },
      );
      expect(store.ordered().map((c) => c.id)).toEqual(['agent-just-wrote', 'customer-just-wrote']);
      expect(store.settings().showLastMessageTime).toBe(true);
    });

    it('adds a NEW conversation from the feed as fresh, and ignores an update of one that left', async () => {
      await start([row('a')]);
      feed('NEW', row('b', { lastMessageAt: at(0) }));
      feed('UPDATED', row('gone'));
      await settle();
      expect(store.ordered().map((c) => c.id)).toEqual(['b', 'a']);
      expect(store.fresh().has('b')).toBe(true);
      store.select('b');
      expect(store.fresh().has('b')).toBe(false);
    });

    it('drops a conversation that was closed or transferred away, and closes it if open', async () => {
      await start([row('a'), row('c1')]);
      store.select('c1');
      feed('REMOVED', row('c1'));
      await settle();
      expect(store.conversations().map((c) => c.id)).toEqual(['a']);
      expect(store.selectedId()).toBeNull();
    });

    it('reads the list and the settings again after a reconnect', async () => {
      await start([row('a')]);
      const connection = TestBed.inject(ConnectionState);
      connection.connected();
      connection.connected();
      await settle();
      flushList([row('a'), row('b', { lastMessageAt: at(0) })]);
      backend.expectOne('ConversationListSettings');
      await settle();
      expect(store.ordered().map((c) => c.id)).toEqual(['b', 'a']);
    });
  });

  describe('the open chat', () => {
    it('merges live messages by seq: a duplicate or out-of-order event shows once, in order', async () => {
      await start([row('c1')]);
      const sub = await open([message(1), message(2)]);
      expect(sub.operation.variables).toEqual({ conversationId: 'c1', afterSeq: 2 });
      live(sub, message(4));
      live(sub, message(3));
      live(sub, message(4));
      live(sub, message(2));
      await settle();
      expect(seqs()).toEqual([1, 2, 3, 4]);
      // The row follows: its last seq moves on.
      expect(store.selected()?.lastSeq).toBe(4);
    });

    it('after a reconnect resubscribes from the newest seq it holds, and the replay adds nothing twice', async () => {
      await start([row('c1')]);
      const first = await open([message(1), message(2), message(3)]);
      live(first, message(4));
      await settle();
      const connection = TestBed.inject(ConnectionState);
      connection.connected();
      connection.connected();
      await settle();
      backend.match('MyConversations');
      backend.match('ConversationListSettings');
      const again = backend.expectOne('ConversationMessageEvents');
      expect(again.operation.variables).toEqual({ conversationId: 'c1', afterSeq: 4 });
      // A server replaying a little too much still yields each message once.
      for (const seq of [4, 5, 6]) live(again, message(seq));
      await settle();
      expect(seqs()).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('shows a sent message at once as pending, then once as sent — even when the live event comes first', async () => {
      await start([row('c1')]);
      const sub = await open([message(1)]);
      const sending = store.send({ type: 'TEXT', text: 'on my way' });
      await settle();
      const pending = store.messages().at(-1)!;
      expect(pending).toMatchObject({ delivery: 'pending', text: 'on my way', senderKind: 'AGENT' });
      const op = backend.expectOne('SendAgentMessage');
      const clientMessageId = op.operation.variables['input'].clientMessageId as string;
      expect(clientMessageId).toBe(pending.clientMessageId);
      const stored = message(2, { senderKind: 'AGENT', senderUser: 'u1', text: 'on my way', clientMessageId });
      live(sub, stored);
      await settle();
      expect(store.messages().filter((m) => m.text === 'on my way')).toHaveLength(1);
      op.flushData({ sendMessage: stored });
      await sending;
      await settle();
      expect(store.messages().filter((m) => m.text === 'on my way')).toEqual([
        expect.objectContaining({ seq: 2, delivery: 'sent' }),
      ]);
      // The agent's message moves the row's "agent's latest message" (the sort key) at once.
      expect(store.selected()?.lastAgentMessageAt).toBe(stored.createdAt);
    });

    it('marks a message that could not be sent as failed, and resends it with the same client id', async () => {
      await start([row('c1')]);
      await open([message(1)]);
      const sending = store.send({ type: 'TEXT', text: 'retry me' });
      await settle();
      const op = backend.expectOne('SendAgentMessage');
      op.graphqlErrors([{ message: 'The conversation is closed' }]);
      await sending;
      const failed = store.messages().at(-1)!;
      expect(failed).toMatchObject({ delivery: 'failed', error: 'The conversation is closed' });

      const resending = store.resend(failed);
      expect(store.messages().at(-1)!.delivery).toBe('pending');
      await settle();
      const retry = backend.expectOne('SendAgentMessage');
      expect(retry.operation.variables['input'].clientMessageId).toBe(failed.clientMessageId);
      retry.flushData({
        sendMessage: message(2, { senderKind: 'AGENT', text: 'retry me', clientMessageId: failed.clientMessageId }),
      });
      await resending;
      expect(sent().map((m) => m.text)).toEqual(['message 1', 'retry me']);
      expect(store.messages().some((m) => m.delivery !== 'sent')).toBe(false);
    });

    it('keeps pending messages after the sent ones while older pages load', async () => {
      await start([row('c1', { lastSeq: 40 })]);
      const page = Array.from({ length: 30 }, (_, i) => message(i + 11));
      await open(page);
      expect(store.hasOlder()).toBe(true);
      void store.send({ type: 'TEXT', text: 'typing while scrolling' });
      const older = store.loadOlder();
      await settle();
      const req = backend.expectOne('ConversationMessages');
      expect(req.operation.variables).toMatchObject({ beforeSeq: 11, first: 30 });
      req.flushData({
        conversation: {
          __typename: 'Conversation',
          id: 'c1',
          lastSeq: 40,
          customerReadSeq: 0,
          messages: Array.from({ length: 10 }, (_, i) => message(i + 1)),
        },
      });
      await older;
      expect(seqs().slice(0, 3)).toEqual([1, 2, 3]);
      expect(store.messages().at(-1)).toMatchObject({ delivery: 'pending', text: 'typing while scrolling' });
      expect(store.hasOlder()).toBe(false);
    });
  });
});
