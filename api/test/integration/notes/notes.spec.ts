import { systemFork } from '../../../src/platform/database/tenant-filter';
import { Customer } from '../../../src/modules/customer/customer.entity';
import { Note } from '../../../src/modules/note/note.entity';
import { Rating } from '../../../src/modules/satisfaction/rating.entity';
import { createTenant, createUser, type TenantFixture } from '../../factories';
import {
  CreateWidgetConfigDocument,
  JoinConversationDocument,
  LeaveNoteDocument,
  type LeaveNoteInput,
  QueueDocument,
  SendVisitorMessageDocument,
  StartVisitorSessionDocument,
  TimedConversationDocument,
  UpdateTimerSettingsDocument,
  VisitorConversationDocument,
} from '../../graphql/generated';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('notes left by visitors (CNT-4, QUE-11)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let widgetKey: string;

  beforeAll(async () => {
    t = await startTestApp();
    ({ tenant, widgetKey } = await company());
  });
  afterAll(() => t.stop());

  async function company() {
    const owner = await createTenant(t);
    const key = (await t.ok(CreateWidgetConfigDocument, { input: { name: 'Website' } }, owner.admin.token))
      .createWidgetConfig.publicKey;
    return { tenant: owner, widgetKey: key };
  }
  const visitor = async (key = widgetKey) =>
    (await t.ok(StartVisitorSessionDocument, { input: { widgetKey: key } })).startVisitorSession;
  const say = (token: string, text: string) =>
    t.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text } }, token);
  const leave = (token: string | undefined, input: LeaveNoteInput) => t.gql(LeaveNoteDocument, { input }, token);
  const notesOf = (tenantId: string) =>
    systemFork(t.orm.em).find(Note, { tenant: tenantId }, { orderBy: { number: 'asc' } });

  it('turns the waiting conversation into a note, from the reminder’s offer, and closes it', async () => {
    const { tenant: own, widgetKey: key } = await company();
    await t.ok(
      UpdateTimerSettingsDocument,
      {
        input: {
          queueReminder: { enabled: true, delaySeconds: 1, repeat: 1, text: 'All agents are busy', offerNote: true },
        },
      },
      own.admin.token,
    );
    const v = await visitor(key);
    const conversationId = (await say(v.token, 'Can someone call me back?')).sendVisitorMessage.conversation;
    // The widget shows the button for the reminder that offers it.
    const deadline = Date.now() + 10_000;
    let offered = false;
    while (!offered && Date.now() < deadline) {
      const mine = await t.ok(VisitorConversationDocument, {}, v.token);
      offered = mine.visitorMessages.some(
        (m) => m.type === 'CUSTOM' && (m.payload as { offerNote?: boolean } | null)?.offerNote === true,
      );
      if (!offered) await sleep(200);
    }
    expect(offered).toBe(true);

    const res = await leave(v.token, {
      content: '  Please call me about order 1234.  ',
      contactName: 'Lin',
      contactPhone: '+86 138 0000 0000',
      contactEmail: 'lin@example.com',
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.leaveNote).toMatchObject({
      number: 1,
      customer: v.customer.id,
      conversation: conversationId,
      content: 'Please call me about order 1234.',
      contactName: 'Lin',
      contactPhone: '+86 138 0000 0000',
      contactEmail: 'lin@example.com',
      state: 'OPEN',
      assignee: null,
    });

    const closed = (await t.ok(TimedConversationDocument, { id: conversationId }, own.admin.token)).conversation;
    expect(closed).toMatchObject({ state: 'CLOSED', closedBy: 'SYSTEM', closeReason: 'NOTE_LEFT' });
    expect(closed.messages.slice(-2).map((m) => m.text)).toEqual([
      'Thanks, we received your note and will get back to you.',
      'The conversation has ended.',
    ]);
    expect((await t.ok(VisitorConversationDocument, {}, v.token)).visitorConversation).toBeNull();
    const agent = await createUser(t, own);
    expect((await t.ok(QueueDocument, {}, agent.token)).queue.nodes.map((c) => c.id)).not.toContain(conversationId);
    // A customer who left a note is not asked to rate a service they never got.
    expect(await systemFork(t.orm.em).count(Rating, { conversation: conversationId })).toBe(0);
  });

  it('stores a note without a conversation, numbered after the tenant’s earlier ones', async () => {
    const before = (await notesOf(tenant.tenantId)).length;
    const v = await visitor();
    const res = await leave(v.token, { content: 'Your shop was closed, please email me.' });
    expect(res.errors).toBeUndefined();
    expect(res.data!.leaveNote).toMatchObject({
      number: before + 1,
      conversation: null,
      contactName: null,
      contactEmail: null,
      state: 'OPEN',
    });
    expect((await t.ok(VisitorConversationDocument, {}, v.token)).visitorConversation).toBeNull();
  });

  it('numbers concurrent notes 1, 2, 3… without gaps or repeats', async () => {
    const { widgetKey: key } = await company();
    const visitors = await Promise.all(Array.from({ length: 12 }, () => visitor(key)));
    const results = await Promise.all(visitors.map((v, i) => leave(v.token, { content: `note ${i}` })));
    expect(results.map((r) => r.errors)).toEqual(results.map(() => undefined));
    const numbers = results.map((r) => r.data!.leaveNote.number).sort((a, b) => a - b);
    expect(numbers).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it('refuses while an agent is serving the visitor, and keeps the conversation', async () => {
    const v = await visitor();
    const conversationId = (await say(v.token, 'Hello')).sendVisitorMessage.conversation;
    const agent = await createUser(t, tenant);
    await t.ok(JoinConversationDocument, { id: conversationId }, agent.token);
    const before = (await notesOf(tenant.tenantId)).length;

    const res = await leave(v.token, { content: 'Never mind' });
    expect(codeOf(res)).toBe('CONFLICT');
    expect(res.errors?.[0]?.extensions?.reason).toBe('AGENT_SERVING');
    expect((await t.ok(VisitorConversationDocument, {}, v.token)).visitorConversation?.state).toBe('ONGOING');
    expect(await notesOf(tenant.tenantId)).toHaveLength(before);
  });

  it('validates the note, naming the field', async () => {
    const v = await visitor();
    const blank = await leave(v.token, { content: '   ' });
    expect(codeOf(blank)).toBe('BAD_USER_INPUT');
    expect(blank.errors?.[0]?.extensions?.field).toMatch(/content/);
    expect(codeOf(await leave(v.token, { content: 'x'.repeat(2001) }))).toBe('BAD_USER_INPUT');
    const email = await leave(v.token, { content: 'Hi', contactEmail: 'not-an-email' });
    expect(codeOf(email)).toBe('BAD_USER_INPUT');
    expect(email.errors?.[0]?.extensions?.field).toMatch(/contactEmail/);
    expect(codeOf(await leave(v.token, { content: 'Hi', contactName: 'n'.repeat(61) }))).toBe('BAD_USER_INPUT');
  });

  it('refuses a blacklisted customer', async () => {
    const v = await visitor();
    await systemFork(t.orm.em).nativeUpdate(Customer, { id: v.customer.id }, { blacklistedAt: new Date() });
    expect(codeOf(await leave(v.token, { content: 'Let me back in' }))).toBe('FORBIDDEN');
  });

  it('is for visitors only: staff are refused, anonymous callers must sign in', async () => {
    const agent = await createUser(t, tenant);
    expect(codeOf(await leave(tenant.admin.token, { content: 'Hi' }))).toBe('FORBIDDEN');
    expect(codeOf(await leave(agent.token, { content: 'Hi' }))).toBe('FORBIDDEN');
    expect(codeOf(await leave(undefined, { content: 'Hi' }))).toBe('UNAUTHENTICATED');
  });

  it("keeps tenants apart: numbering, and another tenant's waiting conversation", async () => {
    const other = await company();
    const waiting = await visitor();
    const conversationId = (await say(waiting.token, 'Waiting here')).sendVisitorMessage.conversation;

    const stranger = await visitor(other.widgetKey);
    const res = await leave(stranger.token, { content: 'From the other company' });
    expect(res.data!.leaveNote).toMatchObject({ number: 1, conversation: null, customer: stranger.customer.id });
    const [stored] = await notesOf(other.tenant.tenantId);
    expect(stored).toMatchObject({ tenant: other.tenant.tenantId, customer: stranger.customer.id });
    expect((await t.ok(VisitorConversationDocument, {}, waiting.token)).visitorConversation?.state).toBe('QUEUED');
    // The other tenant's admin cannot reach this tenant's conversation.
    expect(codeOf(await t.gql(TimedConversationDocument, { id: conversationId }, other.tenant.admin.token))).toBe(
      'NOT_FOUND',
    );
  });
});
