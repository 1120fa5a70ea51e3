import { systemFork } from '../../../src/platform/database/tenant-filter';
import { Customer } from '../../../src/modules/customer/customer.entity';
import { User, UserStatus } from '../../../src/modules/user/user.entity';
import { createTeam, createTenant, createUser, type TenantFixture, type UserFixture } from '../../factories';
import {
  CloseConversationDocument,
  ConversationDecisionsDocument,
  CreateWidgetConfigDocument,
  QueuePageDocument,
  SendVisitorMessageDocument,
  StartVisitorSessionDocument,
} from '../../graphql/generated';
import { startTestApp, type TestApp } from '../../support/test-app';

const AGENTS = 50;
const MAX = 5;
const CONVERSATIONS = 500;

interface Load {
  conversation_id: string;
  user_id: string;
}

/**
 * QUE-1, QUE-3, QUE-12 under load: two API processes over one database (and one Redis), 500
 * conversations opened at once against 50 agents with room for 5 each.
 */
describe('assignment storm across two processes (QUE-1, QUE-3, QUE-12)', () => {
  let p1: TestApp;
  let p2: TestApp;
  let tenant: TenantFixture;
  let agents: UserFixture[];
  let idle: string[];
  let conversations: { id: string; vip: boolean }[];
  let widgetKey: string;

  const sql = <R>(query: string, params: unknown[] = []) => systemFork(p1.orm.em).execute<R[]>(query, params);
  const loads = () =>
    sql<Load>(`select conversation_id, user_id from conversation_agent where tenant_id = ? and left_at is null`, [
      tenant.tenantId,
    ]);
  const queueInOrder = async (): Promise<{ id: string; vip: boolean; createdAt: string }[]> => {
    const all = [];
    let after: string | null | undefined;
    for (;;) {
      const page = (await p1.ok(QueuePageDocument, { first: 100, after }, tenant.admin.token)).queue;
      all.push(...page.nodes);
      if (!page.pageInfo.hasNextPage) return all;
      after = page.pageInfo.endCursor;
    }
  };

  beforeAll(async () => {
    p1 = await startTestApp();
    p2 = await startTestApp({}, { shareDatabaseOf: p1 });
    tenant = await createTenant(p1, { seats: 100 });
    const team = await createTeam(p1, tenant, 'Support');
    agents = [];
    for (let i = 0; i < AGENTS; i += 1) {
      agents.push(await createUser(p1, tenant, { teamIds: [team], maxConversations: MAX, nickname: `Agent ${i}` }));
    }
    // Members who must get nothing: busy, away, offline, and an online one with max 0.
    const others = await Promise.all(
      [UserStatus.BUSY, UserStatus.AWAY, UserStatus.OFFLINE, UserStatus.ONLINE].map((status) =>
        createUser(p1, tenant, {
          teamIds: [team],
          maxConversations: status === UserStatus.ONLINE ? 0 : MAX,
          signIn: false,
        }).then((u) => ({ ...u, status })),
      ),
    );
    idle = others.map((o) => o.id);
    const em = systemFork(p1.orm.em);
    await em.nativeUpdate(User, { id: { $in: agents.map((a) => a.id) } }, { status: UserStatus.ONLINE });
    for (const o of others) await em.nativeUpdate(User, { id: o.id }, { status: o.status });

    const widget = (
      await p1.ok(CreateWidgetConfigDocument, { input: { name: 'Website', entryTeamId: team } }, tenant.admin.token)
    ).createWidgetConfig;
    widgetKey = widget.publicKey;
    const sessions: { token: string; customer: { id: string } }[] = [];
    for (let i = 0; i < CONVERSATIONS; i += 10) {
      sessions.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, j) => ((i + j) % 2 ? p2 : p1)).map(
            async (p) =>
              (await p.ok(StartVisitorSessionDocument, { input: { widgetKey: widget.publicKey } })).startVisitorSession,
          ),
        )),
      );
    }
    // Every tenth customer is a VIP.
    const vips = sessions.filter((_, i) => i % 10 === 9).map((s) => s.customer.id);
    await em.nativeUpdate(Customer, { id: { $in: vips } }, { vip: true });

    // All at once, half through each process.
    const sent = await Promise.all(
      sessions.map((s, i) =>
        (i % 2 ? p2 : p1).ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text: `help ${i}` } }, s.token),
      ),
    );
    const vipSet = new Set(vips);
    conversations = sent.map((r, i) => ({
      id: r.sendVisitorMessage.conversation,
      vip: vipSet.has(sessions[i]!.customer.id),
    }));
  }, 180_000);

  afterAll(async () => {
    await p2?.stop();
    await p1?.stop();
  });

  it('assigns exactly 250, none above capacity, none twice, none to an agent who is not online', async () => {
    expect(new Set(conversations.map((c) => c.id)).size).toBe(CONVERSATIONS);
    const active = await loads();
    expect(active).toHaveLength(AGENTS * MAX);
    expect(new Set(active.map((l) => l.conversation_id)).size).toBe(AGENTS * MAX);
    const perAgent = new Map<string, number>();
    for (const l of active) perAgent.set(l.user_id, (perAgent.get(l.user_id) ?? 0) + 1);
    expect([...perAgent.keys()].sort()).toEqual(agents.map((a) => a.id).sort());
    expect(Math.max(...perAgent.values())).toBe(MAX);
    for (const id of idle) expect(perAgent.has(id)).toBe(false);

    const states = await sql<{ state: string; n: number }>(
      `select state, count(*)::int as n from conversation where tenant_id = ? group by state order by state`,
      [tenant.tenantId],
    );
    expect(states).toEqual([
      { state: 'ONGOING', n: 250 },
      { state: 'QUEUED', n: 250 },
    ]);
    // Every ongoing conversation has exactly one part ever (none was given to two agents).
    const parts = await sql<{ n: number }>(
      `select count(*)::int as n from conversation_agent where tenant_id = ? group by conversation_id having count(*) > 1`,
      [tenant.tenantId],
    );
    expect(parts).toEqual([]);
  });

  it('keeps the queue VIP first, then oldest first', async () => {
    const queue = await queueInOrder();
    expect(queue).toHaveLength(250);
    // Timestamps come with millisecond precision here, so check the order pairwise rather than ties.
    for (let i = 1; i < queue.length; i += 1) {
      const [a, b] = [queue[i - 1]!, queue[i]!];
      expect(Number(a.vip) > Number(b.vip) || (a.vip === b.vip && a.createdAt <= b.createdAt)).toBe(true);
    }
    // VIPs who arrive once everyone is full wait at the head, ahead of older conversations.
    const latecomers = [];
    for (let i = 0; i < 6; i += 1) {
      const session = (await p1.ok(StartVisitorSessionDocument, { input: { widgetKey } })).startVisitorSession;
      if (i % 2) await systemFork(p1.orm.em).nativeUpdate(Customer, { id: session.customer.id }, { vip: true });
      const sent = await (i % 3 ? p2 : p1).ok(
        SendVisitorMessageDocument,
        { input: { type: 'TEXT', text: 'late' } },
        session.token,
      );
      latecomers.push({ id: sent.sendVisitorMessage.conversation, vip: i % 2 === 1 });
    }
    const after = await queueInOrder();
    const vipCount = after.filter((c) => c.vip).length;
    expect(after.slice(vipCount - 3, vipCount).map((c) => c.id)).toEqual(
      latecomers.filter((c) => c.vip).map((c) => c.id),
    );
    expect(after.slice(-3).map((c) => c.id)).toEqual(latecomers.filter((c) => !c.vip).map((c) => c.id));
    conversations.push(...latecomers);
  });

  it('records why each conversation went where it went', async () => {
    const [assigned] = await sql<Load>(
      `select conversation_id, user_id from conversation_agent where tenant_id = ? limit 1`,
      [tenant.tenantId],
    );
    const { conversation } = await p1.ok(
      ConversationDecisionsDocument,
      { id: assigned!.conversation_id },
      tenant.admin.token,
    );
    const decision = conversation.decisions.find((d) => d.kind === 'ASSIGNED')!;
    expect(decision.chosenUser).toBe(assigned!.user_id);
    expect(decision.reason).toMatch(/highest idle rate/);
    expect(decision.candidates[0]!.userId).toBe(assigned!.user_id);
    const [waiting] = await queueInOrder();
    const queued = (await p1.ok(ConversationDecisionsDocument, { id: waiting!.id }, tenant.admin.token)).conversation;
    expect(queued.decisions.map((d) => d.kind)).toContain('QUEUED');
    expect(queued.decisions.find((d) => d.kind === 'QUEUED')!.reason).toMatch(/No eligible agent had room/);
  });

  it('drains the queue in order as agents close conversations', async () => {
    // One at a time: each close frees one place, which goes to the head of the queue.
    for (let i = 0; i < 20; i += 1) {
      const [head] = await queueInOrder();
      const agent = agents[i % AGENTS]!;
      const [mine] = await sql<Load>(
        `select conversation_id, user_id from conversation_agent where tenant_id = ? and user_id = ? and left_at is null limit 1`,
        [tenant.tenantId, agent.id],
      );
      await (i % 2 ? p2 : p1).ok(CloseConversationDocument, { id: mine!.conversation_id }, agent.token);
      const [taken] = await sql<Load>(
        `select conversation_id, user_id from conversation_agent where tenant_id = ? and conversation_id = ?`,
        [tenant.tenantId, head!.id],
      );
      expect(taken).toEqual({ conversation_id: head!.id, user_id: agent.id });
    }

    // Many at once, through both processes: the next heads are taken, and capacity still holds.
    const before = await queueInOrder();
    const closing = await sql<Load>(
      `select distinct on (user_id) conversation_id, user_id from conversation_agent
        where tenant_id = ? and left_at is null order by user_id, joined_at`,
      [tenant.tenantId],
    );
    const tokens = new Map(agents.map((a) => [a.id, a.token]));
    await Promise.all(
      closing.map((l, i) =>
        (i % 2 ? p2 : p1).ok(CloseConversationDocument, { id: l.conversation_id }, tokens.get(l.user_id)),
      ),
    );
    const after = await queueInOrder();
    expect(after.map((c) => c.id)).toEqual(before.slice(closing.length).map((c) => c.id));
    const active = await loads();
    expect(active).toHaveLength(AGENTS * MAX);
    const perAgent = new Map<string, number>();
    for (const l of active) perAgent.set(l.user_id, (perAgent.get(l.user_id) ?? 0) + 1);
    expect(Math.max(...perAgent.values())).toBe(MAX);
  });
});
