import { createHmac } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { Page } from '../../../src/platform/auth/pages';
import { systemFork } from '../../../src/platform/database/tenant-filter';
import { Message } from '../../../src/modules/conversation/conversation.entity';
import { createRole, createTenant, createUser, type TenantFixture } from '../../factories';
import {
  CloseConversationDocument,
  ConversationDocument,
  ConversationMessagesDocument,
  type ConversationMessagesSubscription,
  CreateWidgetConfigDocument,
  JoinConversationDocument,
  MarkConversationReadDocument,
  MyConversationsChangedDocument,
  MyConversationsDocument,
  QueueChangedDocument,
  QueueDocument,
  RecallMessageDocument,
  SendMessageDocument,
  SendVisitorMessageDocument,
  StartVisitorSessionDocument,
  UpdateCustomerDocument,
  UpdateTenantSettingsDocument,
  VisitorConversationDocument,
} from '../../graphql/generated';
import { connectWs, live } from '../../support/live';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

describe('live messaging (CHN-2, CHN-4, MSG-2 – MSG-4, MSG-9, CNV-1, CNV-10)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let widget: { publicKey: string; identitySecret: string };
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    widget = (await t.ok(CreateWidgetConfigDocument, { input: { name: 'Website' } }, tenant.admin.token))
      .createWidgetConfig;
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.stop();
  });

  const ws = (token: string): Client => {
    const client = connectWs(t, token);
    clients.push(client);
    return client;
  };
  const visitor = async (extra: { customerId?: string; customerIdSignature?: string; resumeToken?: string } = {}) =>
    (await t.ok(StartVisitorSessionDocument, { input: { widgetKey: widget.publicKey, ...extra } })).startVisitorSession;
  const say = (token: string, text: string, clientMessageId?: string) =>
    t.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text, clientMessageId } }, token);
  // A socket brings its agent online (PRE-1); with no room for automatic assignment (max 0), queued
  // conversations wait for the manual joins these tests make.
  const agent = () => createUser(t, tenant, { maxConversations: 0 });

  it('opens a queued conversation with the welcome message on the first visitor message', async () => {
    const v = await visitor();
    expect(v.customer.externalId).toMatch(/^webim-visitor-[0-9a-f]{16}$/);
    const sent = (await say(v.token, 'Hello, I need help')).sendVisitorMessage;
    expect(sent).toMatchObject({ seq: 2, senderKind: 'CUSTOMER', text: 'Hello, I need help' });
    const mine = await t.ok(VisitorConversationDocument, {}, v.token);
    expect(mine.visitorConversation).toMatchObject({ state: 'QUEUED', lastSeq: 2 });
    expect(mine.visitorMessages.map((m) => [m.seq, m.senderKind])).toEqual([
      [1, 'SYSTEM'],
      [2, 'CUSTOMER'],
    ]);
    const queue = await t.ok(QueueDocument, {}, (await agent()).token);
    expect(queue.queue.nodes.map((c) => c.id)).toContain(sent.conversation);
  });

  it('stores one message for a retried clientMessageId, and one open conversation for concurrent first messages', async () => {
    const v = await visitor();
    const burst = await Promise.all(Array.from({ length: 8 }, (_, i) => say(v.token, `hi ${i}`)));
    expect(new Set(burst.map((b) => b.sendVisitorMessage.conversation)).size).toBe(1);
    const first = (await say(v.token, 'once', 'client-1')).sendVisitorMessage;
    const again = (await say(v.token, 'once', 'client-1')).sendVisitorMessage;
    expect(again.id).toBe(first.id);
    const mine = await t.ok(VisitorConversationDocument, {}, v.token);
    expect(mine.visitorMessages.map((m) => m.seq)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it('carries a conversation end to end: the agent joins, both sides see each other live', async () => {
    const v = await visitor();
    const opened = (await say(v.token, 'Where is my order?')).sendVisitorMessage;
    const a = await agent();
    const joined = (await t.ok(JoinConversationDocument, { id: opened.conversation }, a.token)).joinConversation;
    expect(joined).toMatchObject({ state: 'ONGOING', agents: [{ user: a.id, joinedHow: 'MANUAL' }] });

    const agentFeed = live(ws(a.token), ConversationMessagesDocument, {
      conversationId: opened.conversation,
      afterSeq: 0,
    });
    const visitorFeed = live(ws(v.token), ConversationMessagesDocument, {
      conversationId: opened.conversation,
      afterSeq: 0,
    });
    await agentFeed.waitFor(3); // welcome, question, "is now serving you"
    await visitorFeed.waitFor(3);

    await say(v.token, 'Order 1234');
    await t.ok(
      SendMessageDocument,
      { conversationId: opened.conversation, input: { type: 'TEXT', text: 'It ships today' } },
      a.token,
    );
    const seen = (feed: ConversationMessagesSubscription[]) => feed.map((e) => e.conversationMessages.message.text);
    expect(seen(await agentFeed.waitFor(5)).slice(3)).toEqual(['Order 1234', 'It ships today']);
    expect(seen(await visitorFeed.waitFor(5)).slice(3)).toEqual(['Order 1234', 'It ships today']);

    const listed = await t.ok(MyConversationsDocument, {}, a.token);
    expect(listed.myConversations.nodes).toEqual([
      expect.objectContaining({ id: opened.conversation, state: 'ONGOING' }),
    ]);
    agentFeed.stop();
    visitorFeed.stop();
  });

  it('loses nothing while the agent is disconnected: 200 messages arrive exactly once, in order, after reconnecting with afterSeq', async () => {
    const v = await visitor();
    const opened = (await say(v.token, 'start')).sendVisitorMessage;
    const a = await agent();
    await t.ok(JoinConversationDocument, { id: opened.conversation }, a.token);
    const first = live(ws(a.token), ConversationMessagesDocument, { conversationId: opened.conversation, afterSeq: 0 });
    const before = await first.waitFor(3);
    const lastSeen = before.at(-1)!.conversationMessages.message.seq;
    first.stop();

    for (let i = 0; i < 200; i++) await say(v.token, `burst ${i}`);
    const resumed = live(ws(a.token), ConversationMessagesDocument, {
      conversationId: opened.conversation,
      afterSeq: lastSeen,
    });
    // More arrive while the replay runs: they must join without gaps or repeats.
    const during = Promise.all(Array.from({ length: 20 }, (_, i) => say(v.token, `live ${i}`)));
    await during;
    const events = await resumed.waitFor(220, 20_000);
    await new Promise((r) => setTimeout(r, 200));
    const seqs = resumed.received.map((e) => e.conversationMessages.message.seq);
    expect(seqs).toEqual(Array.from({ length: 220 }, (_, i) => lastSeen + 1 + i));
    expect(events.slice(0, 200).map((e) => e.conversationMessages.message.text)).toEqual(
      Array.from({ length: 200 }, (_, i) => `burst ${i}`),
    );
    resumed.stop();
  });

  it('recalls an agent message within 2 minutes, and refuses after', async () => {
    const v = await visitor();
    const opened = (await say(v.token, 'hello')).sendVisitorMessage;
    const a = await agent();
    await t.ok(JoinConversationDocument, { id: opened.conversation }, a.token);
    const send = (text: string) =>
      t.ok(SendMessageDocument, { conversationId: opened.conversation, input: { type: 'TEXT', text } }, a.token);
    const fresh = (await send('oops')).sendMessage;
    const recalled = (await t.ok(RecallMessageDocument, { id: fresh.id }, a.token)).recallMessage;
    expect(recalled.recalledAt).toBeTruthy();
    expect(recalled.text).toBeNull();
    const visible = await t.ok(VisitorConversationDocument, {}, v.token);
    expect(visible.visitorMessages.find((m) => m.id === fresh.id)).toMatchObject({
      text: null,
      recalledAt: expect.any(String),
    });

    const old = (await send('too late')).sendMessage;
    await systemFork(t.orm.em).nativeUpdate(Message, { id: old.id }, { createdAt: new Date(Date.now() - 121_000) });
    const refused = await t.gql(RecallMessageDocument, { id: old.id }, a.token);
    expect(codeOf(refused)).toBe('CONFLICT');
    expect(refused.errors?.[0]?.message).toMatch(/2 minutes/);

    const other = await agent();
    expect(codeOf(await t.gql(RecallMessageDocument, { id: old.id }, other.token))).toBe('NOT_FOUND');
  });

  it('lets the serving agent edit the customer profile, and no one else', async () => {
    const v = await visitor();
    const opened = (await say(v.token, 'hi')).sendVisitorMessage;
    const a = await agent();
    const conversation = await t.ok(JoinConversationDocument, { id: opened.conversation }, a.token);
    const customerId = (await t.ok(ConversationDocument, { id: conversation.joinConversation.id }, a.token))
      .conversation.customer.id;
    const edited = await t.ok(
      UpdateCustomerDocument,
      { id: customerId, input: { nickname: 'Lin', phone: '+86 138' } },
      a.token,
    );
    expect(edited.updateCustomer).toMatchObject({
      nickname: 'Lin',
      phone: '+86 138',
      externalId: v.customer.externalId,
    });
    expect(
      codeOf(await t.gql(UpdateCustomerDocument, { id: customerId, input: { nickname: 'X' } }, (await agent()).token)),
    ).toBe('NOT_FOUND');
  });

  it('closes by the serving agent only; a later visitor message opens a new conversation', async () => {
    const v = await visitor();
    const opened = (await say(v.token, 'hi')).sendVisitorMessage;
    const a = await agent();
    await t.ok(JoinConversationDocument, { id: opened.conversation }, a.token);
    const bystander = await agent();
    expect(codeOf(await t.gql(CloseConversationDocument, { id: opened.conversation }, bystander.token))).toBe(
      'NOT_FOUND',
    );
    const closed = await t.ok(CloseConversationDocument, { id: opened.conversation }, a.token);
    expect(closed.closeConversation.state).toBe('CLOSED');
    const reply = await t.gql(
      SendMessageDocument,
      { conversationId: opened.conversation, input: { type: 'TEXT', text: 'late' } },
      a.token,
    );
    expect(codeOf(reply)).toBe('CONFLICT');
    const next = (await say(v.token, 'one more thing')).sendVisitorMessage;
    expect(next.conversation).not.toBe(opened.conversation);
  });

  it('tracks unread messages for the agent', async () => {
    const v = await visitor();
    const opened = (await say(v.token, 'hi')).sendVisitorMessage;
    const a = await agent();
    await t.ok(JoinConversationDocument, { id: opened.conversation }, a.token);
    await say(v.token, 'one');
    await say(v.token, 'two');
    const unread = async () =>
      (await t.ok(ConversationDocument, { id: opened.conversation }, a.token)).conversation.unreadCount;
    expect(await unread()).toBe(5);
    const { conversation } = await t.ok(ConversationDocument, { id: opened.conversation }, a.token);
    await t.ok(MarkConversationReadDocument, { id: opened.conversation, seq: conversation.lastSeq }, a.token);
    expect(await unread()).toBe(0);
  });

  it('validates message content by type with clear errors', async () => {
    const v = await visitor();
    const bad = async (input: Record<string, unknown>) =>
      codeOf(await t.gql(SendVisitorMessageDocument, { input: input as never }, v.token));
    expect(await bad({ type: 'TEXT', text: '   ' })).toBe('BAD_USER_INPUT');
    expect(await bad({ type: 'LOCATION', payload: { lat: 100, lng: 0 } })).toBe('BAD_USER_INPUT');
    expect(await bad({ type: 'URL', payload: { url: 'javascript:alert(1)' } })).toBe('BAD_USER_INPUT');
    expect(await bad({ type: 'CUSTOM', payload: { title: 'no kind' } })).toBe('BAD_USER_INPUT');
    expect(await bad({ type: 'TEXT', text: 'x'.repeat(5001) })).toBe('BAD_USER_INPUT');
    const card = await t.ok(
      SendVisitorMessageDocument,
      { input: { type: 'CUSTOM', payload: { kind: 'order', title: 'Order 42', fields: { total: '¥99' } } } },
      v.token,
    );
    expect(card.sendVisitorMessage.payload).toEqual({ kind: 'order', title: 'Order 42', fields: { total: '¥99' } });
    const markup = await t.ok(
      SendVisitorMessageDocument,
      { input: { type: 'TEXT', text: '<img src=x onerror=alert(1)>' } },
      v.token,
    );
    expect(markup.sendVisitorMessage.text).toBe('<img src=x onerror=alert(1)>');
  });

  it('tells agents live about queue changes and their own list (new, updated, closed)', async () => {
    const a = await agent();
    const client = ws(a.token);
    const queueFeed = live(client, QueueChangedDocument, {});
    const listFeed = live(client, MyConversationsChangedDocument, {});
    // Subscribes are not acknowledged: open conversations until the queue feed shows one.
    let conversationId = '';
    for (let i = 0; i < 20 && queueFeed.received.length === 0; i++) {
      conversationId = (await say((await visitor()).token, 'queue me')).sendVisitorMessage.conversation;
      await new Promise((r) => setTimeout(r, 50));
    }
    const queued = queueFeed.received.at(-1)!.queueChanged;
    expect(queued.conversation).toMatchObject({ id: conversationId, state: 'QUEUED' });
    await t.ok(JoinConversationDocument, { id: conversationId }, a.token);
    await t.ok(CloseConversationDocument, { id: conversationId }, a.token);
    const kinds = (await listFeed.waitFor(2)).map((c) => [
      c.myConversationsChanged.kind,
      c.myConversationsChanged.conversation.state,
    ]);
    expect(kinds).toEqual([
      ['NEW', 'ONGOING'],
      ['CLOSED', 'CLOSED'],
    ]);
    const leftQueue = queueFeed.received.filter((c) => c.queueChanged.conversation.id === conversationId);
    // One change per queue event (opened, each waiting message), then it leaves the queue.
    expect([...new Set(leftQueue.map((c) => c.queueChanged.conversation.state))]).toEqual(['QUEUED', 'ONGOING']);
    queueFeed.stop();
    listFeed.stop();
  });

  it('sends the welcome message from the tenant settings, or none when it is switched off', async () => {
    await t.ok(UpdateTenantSettingsDocument, { input: { welcomeMessage: 'Welcome to Acme!' } }, tenant.admin.token);
    const v1 = await visitor();
    await say(v1.token, 'hi');
    expect((await t.ok(VisitorConversationDocument, {}, v1.token)).visitorMessages[0]).toMatchObject({
      seq: 1,
      senderKind: 'SYSTEM',
      text: 'Welcome to Acme!',
    });
    await t.ok(UpdateTenantSettingsDocument, { input: { welcomeMessageEnabled: false } }, tenant.admin.token);
    const v2 = await visitor();
    await say(v2.token, 'hi');
    expect((await t.ok(VisitorConversationDocument, {}, v2.token)).visitorMessages.map((m) => m.senderKind)).toEqual([
      'CUSTOMER',
    ]);
    await t.ok(UpdateTenantSettingsDocument, { input: { welcomeMessageEnabled: true } }, tenant.admin.token);
    const agentOnly = await agent();
    expect(
      codeOf(await t.gql(UpdateTenantSettingsDocument, { input: { welcomeMessageEnabled: false } }, agentOnly.token)),
    ).toBe('FORBIDDEN');
  });

  describe('identity and isolation', () => {
    it('recognises an app customer only with a valid signature, and resumes an anonymous visitor', async () => {
      const signature = createHmac('sha256', widget.identitySecret).update('app-user-42').digest('hex');
      const first = await visitor({ customerId: 'app-user-42', customerIdSignature: signature });
      const second = await visitor({ customerId: 'app-user-42', customerIdSignature: signature });
      expect(second.customer.id).toBe(first.customer.id);
      const forged = await t.gql(StartVisitorSessionDocument, {
        input: { widgetKey: widget.publicKey, customerId: 'app-user-42', customerIdSignature: '00'.repeat(32) },
      });
      expect(codeOf(forged)).toBe('UNAUTHENTICATED');
      const anonymous = await visitor();
      expect((await visitor({ resumeToken: anonymous.token })).customer.id).toBe(anonymous.customer.id);
      expect(codeOf(await t.gql(StartVisitorSessionDocument, { input: { widgetKey: 'no-such-key' } }))).toBe(
        'NOT_FOUND',
      );
    });

    it("keeps a visitor out of another customer's conversation, by query and by subscription", async () => {
      const alice = await visitor();
      const opened = (await say(alice.token, 'private')).sendVisitorMessage;
      const bob = await visitor();
      expect(codeOf(await t.gql(ConversationDocument, { id: opened.conversation }, bob.token))).toBe('NOT_FOUND');
      const spy = live(ws(bob.token), ConversationMessagesDocument, {
        conversationId: opened.conversation,
        afterSeq: 0,
      });
      const error = (await spy.error) as { extensions?: { code?: string } }[];
      expect(error[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(spy.received).toEqual([]);
      // A visitor cannot use staff operations at all.
      expect(codeOf(await t.gql(QueueDocument, {}, bob.token))).toBe('FORBIDDEN');
    });

    it("refuses another tenant's user the conversation and its live feed", async () => {
      const v = await visitor();
      const opened = (await say(v.token, 'tenant A only')).sendVisitorMessage;
      const other = await createTenant(t);
      expect(codeOf(await t.gql(ConversationDocument, { id: opened.conversation }, other.admin.token))).toBe(
        'NOT_FOUND',
      );
      expect(codeOf(await t.gql(JoinConversationDocument, { id: opened.conversation }, other.admin.token))).toBe(
        'NOT_FOUND',
      );
      const spy = live(ws(other.admin.token), ConversationMessagesDocument, {
        conversationId: opened.conversation,
        afterSeq: 0,
      });
      const error = (await spy.error) as { extensions?: { code?: string } }[];
      expect(error[0]?.extensions?.code).toBe('NOT_FOUND');
      expect(spy.received).toEqual([]);
      const queue = await t.ok(QueueDocument, {}, other.admin.token);
      expect(queue.queue.nodes.map((c) => c.id)).not.toContain(opened.conversation);
    });

    it('refuses joining to a role without the queue page (FORBIDDEN)', async () => {
      const v = await visitor();
      const opened = (await say(v.token, 'hi')).sendVisitorMessage;
      const roleId = await createRole(t, tenant, [Page.AGENT_CONVERSATIONS]);
      const limited = await createUser(t, tenant, { roleId });
      expect(codeOf(await t.gql(JoinConversationDocument, { id: opened.conversation }, limited.token))).toBe(
        'FORBIDDEN',
      );
    });
  });
});
