import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import { type ServiceScope, staffOf, userOf } from '../../platform/auth/scope';
import { systemFork, tenantFork } from '../../platform/database/tenant-filter';
import { raise } from '../../platform/errors/app-error';
import type { PreparedSql, PreparedStatement } from '../../platform/database/prepared-sql';
import { Batcher, failed, type Outcome, succeeded } from '../../platform/concurrency/batcher';
import type { Jobs } from '../../platform/jobs/jobs';
import { type Conversation, ConversationState, JoinedHow, SenderKind } from '../conversation/conversation.entity';
import { ConversationErrors } from '../conversation/conversation.errors';
import { ConversationChangeKind, MessageEventKind } from '../conversation/conversation.events';
import type { ConversationService } from '../conversation/conversation.service';
import { DEFAULT_SETTINGS, FamiliarityMode, type TenantSettings } from '../tenant/tenant-settings';
import type { TenantService } from '../tenant/tenant.service';
import type { UserService } from '../user/user.service';
import type { RoutingService } from './routing.service';
import { User, UserStatus } from '../user/user.entity';
import { AssignmentDecision, type DecisionCandidate, DecisionKind } from './routing.entity';
import { AssignmentErrors } from './routing.errors';

const SWEEP_JOB = 'assignment.sweep';
const MAX_RECORDED_CANDIDATES = 10;

interface PoolAgent {
  id: string;
  nickname: string;
  greeting: string | null;
  max: number;
  ongoing: number;
  lastAssignedAt: Date | null;
  /** Order of assignment within one batch, for ties between agents given work in that batch. */
  batchOrder: number;
}

interface LockedRow {
  id: string;
  nickname: string;
  greeting: string | null;
  max: number;
  last_assigned_at: Date | null;
}

interface QueuedRow {
  id: string;
  customer_id: string;
  customer_name: string | null;
  team_id: string | null;
}

/** One conversation given to one agent, with the messages that announce it. */
interface Assignment {
  conversationId: string;
  customerId: string;
  teamId: string | null;
  agent: PoolAgent;
  decision: DecisionRow;
  messages: { senderKind: SenderKind; senderUser: string | null; text: string }[];
}

/** A decision as the engine writes it (with the batch, in one statement). */
interface DecisionRow {
  kind: DecisionKind;
  team: string | null;
  candidates: DecisionCandidate[];
  excluded: { notOnline: number; full: number } | null;
  chosenUser: string;
  reason: string;
}

interface Written {
  planned: Assignment[];
  /** The stored announcement messages. */
  messages: Record<string, unknown>[];
}

/**
 * The users of a pool: a team's members (read through the team's membership index, which keeps
 * the plan right even before the tables have statistics), or every user of the tenant. The
 * parameters are the tenant and, for a team, the team.
 */
const POOL_FROM = (team: boolean) =>
  team
    ? 'team_member tm join app_user u on u.id = tm.user_id where tm.tenant_id = ? and tm.team_id = ?'
    : 'app_user u where u.tenant_id = ?';

/**
 * Records why conversations of one pool are still waiting (nothing for one assigned meanwhile):
 * how the pool stands, counted once, in one statement for all of them. The parameters are the
 * pool's, the tenant, the decisions (`[{ id, conversation_id }]`) and the tenant again.
 */
const QUEUED_DECISIONS_SQL = (team: boolean) => `
with pool as (
  select u.id, u.status, u.max_conversations as max
    from ${POOL_FROM(team)}
     and u.enabled and u.deleted_at is null
), load as (
  select ca.user_id, count(*) as n from conversation_agent ca join pool on pool.id = ca.user_id
   where ca.tenant_id = ? and ca.left_at is null group by ca.user_id
), standing as (
  select count(*)::int as total,
         count(*) filter (where pool.status <> 'ONLINE')::int as not_online,
         count(*) filter (where pool.status = 'ONLINE' and (pool.max = 0 or coalesce(load.n, 0) >= pool.max))::int as full
    from pool left join load on load.user_id = pool.id
)
insert into assignment_decision (id, created_at, updated_at, tenant_id, conversation_id, kind, team_id, candidates, excluded, reason)
select d.id, now(), now(), c.tenant_id, c.id, 'QUEUED', c.team_id, '[]',
       json_build_object('notOnline', s.not_online, 'full', s.full),
       case when s.total = 0 and c.team_id is not null then 'The team has no members, so it waits in the queue'
            when s.total = 0 then 'The company has no enabled users, so it waits in the queue'
            else format('No eligible agent had room (%s not online, %s at their max), so it waits in the queue',
                        s.not_online, s.full) end
  from json_to_recordset(?::json) as d(id uuid, conversation_id uuid)
  join conversation c on c.tenant_id = ? and c.id = d.conversation_id and c.state = 'QUEUED'
  cross join standing s`;

/** A pool's key within a process: the tenant and the team (`*` for every user of the tenant). */
const poolKey = (tenantId: string, teamId: string | null) => `${tenantId}:${teamId ?? '*'}`;

/** A conversation that was dispatched as it opened, and waits if it was not assigned. */
interface Opened {
  tenantId: string;
  teamId: string | null;
  conversationId: string;
}

/** The pool's online agents with room, read without locks (a cheap first look). */
const ROOM_SQL = (team: boolean) => `
with pool as (
  select u.id, u.max_conversations as max
    from ${POOL_FROM(team)}
     and u.enabled and u.deleted_at is null and u.status = 'ONLINE' and u.max_conversations > 0
), load as (
  select ca.user_id, count(*) as n from conversation_agent ca join pool on pool.id = ca.user_id
   where ca.tenant_id = ? and ca.left_at is null group by ca.user_id
)
select pool.id from pool left join load on load.user_id = pool.id
 where coalesce(load.n, 0) < pool.max
   and exists (select 1 from conversation c where c.tenant_id = ? and c.state = 'QUEUED' and ${team ? 'c.team_id = ?' : 'c.team_id is null'})
 order by pool.id`;

/** Locks the given agents of the pool that are still online (in id order, so that lockers never deadlock). */
const LOCK_SQL = `
select u.id, u.nickname, u.greeting, u.max_conversations as max, u.last_assigned_at
  from app_user u
 where u.tenant_id = ? and u.id in (select value::uuid from json_array_elements_text(?::json))
   and u.enabled and u.deleted_at is null and u.status = 'ONLINE'
 order by u.id
   for no key update of u`;

const LOCK_ONE_SQL = `
select u.id, u.nickname, u.greeting, u.max_conversations as max, u.last_assigned_at, u.status
  from app_user u
 where u.tenant_id = ? and u.id = ? and u.enabled and u.deleted_at is null
   for no key update of u`;

/** Every online agent of the pool, locked (transfers to a team pick among them). */
const LOCK_POOL_SQL = (team: boolean) => `
select u.id, u.nickname, u.greeting, u.max_conversations as max, u.last_assigned_at
  from ${POOL_FROM(team)}
   and u.enabled and u.deleted_at is null and u.status = 'ONLINE'
 order by u.id
   for no key update of u`;

const LOADS_SQL = `
select ca.user_id, count(*)::int as ongoing
  from conversation_agent ca
 where ca.tenant_id = ? and ca.left_at is null
   and ca.user_id in (select value::uuid from json_array_elements_text(?::json))
 group by ca.user_id`;

const QUEUE_HEAD_SQL = (team: boolean) => `
select c.id, c.customer_id, c.team_id, coalesce(cu.nickname, cu.real_name) as customer_name
  from conversation c join customer cu on cu.id = c.customer_id
 where c.tenant_id = ? and c.state = 'QUEUED' and ${team ? 'c.team_id = ?' : 'c.team_id is null'}
 order by c.vip desc, c.created_at, c.id
 limit ?
   for update of c skip locked`;

const FAMILIAR_LAST_SQL = `
select distinct on (c.customer_id) c.customer_id, ca.user_id
  from conversation c join conversation_agent ca on ca.conversation_id = c.id
 where c.tenant_id = ? and c.state = 'CLOSED'
   and c.customer_id in (select value::uuid from json_array_elements_text(?::json))
 order by c.customer_id, ca.joined_at desc`;

const FAMILIAR_MOST_SQL = `
select distinct on (customer_id) customer_id, user_id from (
  select c.customer_id, ca.user_id, count(*) as times, max(ca.joined_at) as latest
    from conversation c join conversation_agent ca on ca.conversation_id = c.id
   where c.tenant_id = ? and c.state = 'CLOSED'
     and c.customer_id in (select value::uuid from json_array_elements_text(?::json))
   group by c.customer_id, ca.user_id) served
 order by customer_id, times desc, latest desc`;

/**
 * Writes a batch of assignments: each conversation becomes ONGOING with its agent and its
 * announcement messages (seq numbers continue under the conversation's row lock, which the
 * caller holds), and each agent's last assignment time moves on.
 */
const WRITE_SQL = `
with a as (
  select * from json_to_recordset(?::json)
    as a(conversation_id uuid, user_id uuid, messages json, preview text, agent_spoke boolean, decision json)
), conv as (
  update conversation c
     set state = 'ONGOING', assigned_at = coalesce(c.assigned_at, now()), updated_at = now(),
         last_seq = c.last_seq + json_array_length(a.messages),
         last_message_at = case when json_array_length(a.messages) > 0 then now() else c.last_message_at end,
         last_message_preview = coalesce(a.preview, c.last_message_preview),
         last_agent_message_at = case when a.agent_spoke then now() else c.last_agent_message_at end
    from a
   where c.id = a.conversation_id and c.tenant_id = ?
  returning c.id, c.tenant_id, c.last_seq - json_array_length(a.messages) as first_seq, a.messages
), parts as (
  insert into conversation_agent (id, created_at, updated_at, tenant_id, conversation_id, user_id, joined_at, joined_how, read_seq)
  select gen_random_uuid(), now(), now(), ?, a.conversation_id, a.user_id, now(), ?, 0 from a
), users as (
  update app_user u set last_assigned_at = now(), updated_at = now()
   where u.tenant_id = ? and u.id in (select distinct user_id from a)
), decided as (
  insert into assignment_decision (id, created_at, updated_at, tenant_id, conversation_id, kind, team_id, candidates,
                                   excluded, chosen_user_id, reason)
  select (a.decision->>'id')::uuid, now(), now(), ?, a.conversation_id, a.decision->>'kind', (a.decision->>'team')::uuid,
         a.decision->'candidates',
         case when json_typeof(a.decision->'excluded') = 'object' then a.decision->'excluded' end,
         (a.decision->>'chosenUser')::uuid, a.decision->>'reason'
    from a
)
insert into message (id, created_at, updated_at, tenant_id, conversation_id, seq, sender_kind, sender_user_id, type, text)
select m.id, now(), now(), conv.tenant_id, conv.id, conv.first_seq + m.n::int, m.sender_kind, m.sender_user_id, 'TEXT', m.text
  from conv, rows from (json_to_recordset(conv.messages) as (id uuid, sender_kind text, sender_user_id uuid, text text))
         with ordinality as m(id, sender_kind, sender_user_id, text, n)
returning *`;

/**
 * The assignment engine (QUE-1, QUE-3, QUE-9, QUE-10, QUE-12, QUE-13).
 *
 * A pool is a team's queue (or the queue of conversations routed to no team, served by every user
 * of the tenant). Dispatching a pool runs in one transaction: the pool's online agents are locked
 * (`FOR NO KEY UPDATE`, in id order), their loads are counted after the locks are held, the queue
 * heads are taken VIP first then oldest first (`FOR UPDATE SKIP LOCKED`), and each head goes to the
 * agent with the highest idle rate (1 − ongoing/max), ties to whoever was assigned least recently.
 * Two processes dispatching the same pool therefore run one after the other, and an agent is never
 * given more than their max. Within a process, requests for a pool that is being dispatched are
 * folded into one more run.
 *
 * Every decision is stored with the candidates it weighed.
 */
export class AssignmentService {
  private readonly running = new Map<string, { again: boolean; done: Promise<void> }>();
  // Prepared (per pool kind): they run for every conversation that opens.
  private readonly roomStatements: Record<'team' | 'tenant', PreparedStatement>;
  private readonly queuedStatements: Record<'team' | 'tenant', PreparedStatement>;
  // Concurrent openings share the statement that records why they wait.
  private readonly waiting = new Batcher<Opened, void>((opened) => this.recordWaiting(opened));

  constructor(
    private readonly orm: MikroORM,
    private readonly conversations: ConversationService,
    private readonly tenants: TenantService,
    private readonly routing: RoutingService,
    users: UserService,
    private readonly sql: PreparedSql,
    jobs: Jobs,
    private readonly log: Logger,
  ) {
    this.roomStatements = {
      team: sql.statement('parley_pool_room_team', ROOM_SQL(true)),
      tenant: sql.statement('parley_pool_room_tenant', ROOM_SQL(false)),
    };
    this.queuedStatements = {
      team: sql.statement('parley_queued_decisions_team', QUEUED_DECISIONS_SQL(true)),
      tenant: sql.statement('parley_queued_decisions_tenant', QUEUED_DECISIONS_SQL(false)),
    };
    users.onCapacityMayGrow((tenantId, userId) => this.agentFreed(tenantId, userId));
    conversations.onOpened((conversation) =>
      this.opened(conversation.tenant, conversation.id, conversation.team?.id ?? null),
    );
    conversations.onClosed(async ({ conversation, agents }) => {
      for (const agent of agents) await this.agentFreed(conversation.tenant, agent);
    });
    // A safety net: a dispatch lost with a crashed process is caught up within a minute.
    jobs.register(SWEEP_JOB, () => this.sweep(), 1);
    jobs.every(SWEEP_JOB, '* * * * *');
  }

  /** A conversation was opened (QUEUED): try to assign it; if it has to wait, record why. */
  async opened(tenantId: string, conversationId: string, teamId: string | null): Promise<void> {
    await this.dispatch(tenantId, teamId);
    await this.waiting.submit({ tenantId, teamId, conversationId });
  }

  /** Capacity of this user may have been freed (a close, status back to online, max raised). */
  async agentFreed(tenantId: string, userId: string): Promise<void> {
    const em = tenantFork(this.orm.em, tenantId);
    const teams = await em.execute<{ team_id: string }[]>(
      `select team_id from team_member where tenant_id = ? and user_id = ? order by team_id`,
      [tenantId, userId],
    );
    for (const { team_id } of teams) await this.dispatch(tenantId, team_id);
    await this.dispatch(tenantId, null);
  }

  /**
   * Assigns what it can of a pool's queue. Concurrent requests for the same pool in this process
   * share one run (plus one more if a request arrived during it); failures are logged, and the
   * sweep job retries within a minute.
   */
  dispatch(tenantId: string, teamId: string | null): Promise<void> {
    const key = poolKey(tenantId, teamId);
    const current = this.running.get(key);
    if (current) {
      current.again = true;
      return current.done;
    }
    const state = { again: true, done: Promise.resolve() };
    state.done = (async () => {
      try {
        while (state.again) {
          state.again = false;
          await this.dispatchOnce(tenantId, teamId);
        }
      } catch (e) {
        this.log.error({ err: e, tenantId, teamId }, 'dispatch failed; the sweep will retry');
      } finally {
        this.running.delete(key);
      }
    })();
    this.running.set(key, state);
    return state.done;
  }

  /** An agent takes a queued conversation (QUE-4): always for admins, for agents when allowed. */
  async join(scope: ServiceScope, conversationId: string): Promise<void> {
    const me = userOf(scope);
    const visible = await this.conversations.get(scope, conversationId);
    const settings = await this.tenants.settings(scope.em, me.tenantId);
    if (!me.isAdmin && !settings.agentsMayJoinFromQueue) throw raise(AssignmentErrors, 'JOIN_NOT_ALLOWED');
    await this.assignByHand(
      scope.em,
      me.tenantId,
      visible.id,
      me.userId,
      JoinedHow.MANUAL,
      'Joined from the queue by the agent',
    );
  }

  /** An admin gives a queued conversation to an agent (QUE-4). */
  async assign(scope: ServiceScope, conversationId: string, userId: string): Promise<void> {
    const staff = staffOf(scope);
    const visible = await this.conversations.get(scope, conversationId);
    const user = await scope.em.findOne(User, { id: userId, deletedAt: null });
    if (!user) throw raise(AssignmentErrors, 'AGENT_NOT_FOUND');
    if (!user.enabled || user.status === UserStatus.OFFLINE) throw raise(AssignmentErrors, 'AGENT_OFFLINE');
    const by = staff.kind === 'user' ? 'an admin' : 'an API key';
    await this.assignByHand(
      scope.em,
      staff.tenantId,
      visible.id,
      user.id,
      JoinedHow.ASSIGNED,
      `Assigned to ${user.nickname} by ${by}`,
    );
  }

  /**
   * Within the caller's transaction (which may hold a conversation's lock): locks the team's online
   * agents and returns the best one with room, other than `excludeUserId`, with the ranking; or null.
   */
  async pickAgent(
    em: EntityManager,
    tenantId: string,
    teamId: string,
    excludeUserId: string | null,
  ): Promise<{
    agent: { id: string; nickname: string; greeting: string | null };
    candidates: DecisionCandidate[];
  } | null> {
    const agents = (await this.lockPool(em, tenantId, teamId)).filter((a) => a.id !== excludeUserId);
    const ranked = rank(agents.filter((a) => a.max > 0 && a.ongoing < a.max));
    if (!ranked.length) return null;
    return { agent: ranked[0]!, candidates: ranked.slice(0, MAX_RECORDED_CANDIDATES).map((a) => candidate(a, false)) };
  }

  /**
   * Within the caller's transaction: the engine's lock on one enabled agent, so that the engine's
   * count of their load stays true while someone else gives them a conversation; null when there
   * is no such agent.
   */
  async lockAgent(
    em: EntityManager,
    tenantId: string,
    userId: string,
  ): Promise<(LockedRow & { status: UserStatus }) | null> {
    const [row] = await em.execute<(LockedRow & { status: UserStatus })[]>(LOCK_ONE_SQL, [tenantId, userId]);
    return row ?? null;
  }

  /** The decisions taken for a conversation, oldest first (QUE-13). */
  async decisions(scope: ServiceScope, conversation: Conversation): Promise<AssignmentDecision[]> {
    staffOf(scope); // the engine's reasoning (agents, their loads) is never shown to visitors
    return scope.em.find(
      AssignmentDecision,
      { conversation: conversation.id },
      { orderBy: { createdAt: 'asc', id: 'asc' } },
    );
  }

  // ── Internals ─────────────────────────────────────────────────────────────────

  /** One statement per pool for the conversations that were dispatched and may still wait. */
  private async recordWaiting(opened: readonly Opened[]): Promise<Outcome<void>[]> {
    const pools = new Map<string, Opened[]>();
    for (const o of opened) {
      const key = poolKey(o.tenantId, o.teamId);
      const pool = pools.get(key);
      if (pool) pool.push(o);
      else pools.set(key, [o]);
    }
    const outcome = new Map<Opened, Outcome<void>>();
    for (const pool of pools.values()) {
      const { tenantId, teamId } = pool[0]!;
      const decisions = pool.map((o) => ({ id: uuidv7(), conversation_id: o.conversationId }));
      const result = await this.sql
        .query(this.queuedStatements[teamId ? 'team' : 'tenant'], [
          tenantId,
          ...(teamId ? [teamId] : []),
          tenantId,
          JSON.stringify(decisions),
          tenantId,
        ])
        .then(() => succeeded(undefined), failed<void>);
      for (const o of pool) outcome.set(o, result);
    }
    return opened.map((o) => outcome.get(o)!);
  }

  private async dispatchOnce(tenantId: string, teamId: string | null): Promise<void> {
    const em = tenantFork(this.orm.em, tenantId);
    // A first look without locks: nothing to do (no one has room, or no one waits) is the common
    // case under load, and must not queue up behind other dispatches. Room that appears later comes
    // with its own dispatch (after a close, a status change or a raised max).
    const withRoom = await this.sql.query<{ id: string }>(
      this.roomStatements[teamId ? 'team' : 'tenant'],
      teamId ? [tenantId, teamId, tenantId, tenantId, teamId] : [tenantId, tenantId, tenantId],
    );
    if (!withRoom.length) return;
    const settings = await this.tenants.settings(em, tenantId);
    const open = await this.routing.businessHoursOpen(tenantId, teamId, new Date());
    // QUE-10: outside the team's business hours conversations wait, when the setting says so.
    if (!open && settings.assignOnlyInBusinessHours) return;
    const nothing: Written = { planned: [], messages: [] };
    const written = await em.transactional(async (tx) => {
      const agents = await this.lockAgents(
        tx,
        tenantId,
        withRoom.map((a) => a.id),
      );
      const room = agents.reduce((sum, a) => sum + Math.max(a.max - a.ongoing, 0), 0);
      if (room === 0) return nothing;
      const queued = await tx.execute<QueuedRow[]>(
        QUEUE_HEAD_SQL(!!teamId),
        teamId ? [tenantId, teamId, room] : [tenantId, room],
      );
      if (!queued.length) return nothing;
      const familiar = await this.familiarAgents(tx, tenantId, settings, queued);
      // Greetings are not sent outside business hours (TEN-6).
      const greeting = open ? await this.teamGreeting(tx, tenantId, teamId) : null;
      const planned = this.plan(tenantId, teamId, agents, queued, familiar, settings, greeting, open);
      return { planned, messages: await this.write(tx, tenantId, planned, JoinedHow.ASSIGNED) };
    });
    await this.announce(tenantId, written);
  }

  /** Locks the pool's online agents (all, or those given), then counts their loads. */
  private async lockPool(em: EntityManager, tenantId: string, teamId: string | null): Promise<PoolAgent[]> {
    return this.withLoads(
      em,
      tenantId,
      await em.execute<LockedRow[]>(LOCK_POOL_SQL(!!teamId), teamId ? [tenantId, teamId] : [tenantId]),
    );
  }

  private async lockAgents(em: EntityManager, tenantId: string, ids: string[]): Promise<PoolAgent[]> {
    return this.withLoads(em, tenantId, await em.execute<LockedRow[]>(LOCK_SQL, [tenantId, JSON.stringify(ids)]));
  }

  /** Counts the loads of locked agents: a statement after the locks sees every change committed before them. */
  private async withLoads(em: EntityManager, tenantId: string, rows: LockedRow[]): Promise<PoolAgent[]> {
    if (!rows.length) return [];
    const loads = await em.execute<{ user_id: string; ongoing: number }[]>(LOADS_SQL, [
      tenantId,
      JSON.stringify(rows.map((r) => r.id)),
    ]);
    const ongoing = new Map(loads.map((l) => [l.user_id, l.ongoing]));
    return rows.map((r) => ({
      id: r.id,
      nickname: r.nickname,
      greeting: r.greeting,
      max: r.max,
      ongoing: ongoing.get(r.id) ?? 0,
      lastAssignedAt: r.last_assigned_at ? new Date(r.last_assigned_at) : null,
      batchOrder: 0,
    }));
  }

  private async familiarAgents(
    em: EntityManager,
    tenantId: string,
    settings: TenantSettings,
    queued: QueuedRow[],
  ): Promise<Map<string, string>> {
    if (!settings.familiarity.enabled) return new Map();
    const sql = settings.familiarity.mode === FamiliarityMode.MOST ? FAMILIAR_MOST_SQL : FAMILIAR_LAST_SQL;
    const rows = await em.execute<{ customer_id: string; user_id: string }[]>(sql, [
      tenantId,
      JSON.stringify([...new Set(queued.map((q) => q.customer_id))]),
    ]);
    return new Map(rows.map((r) => [r.customer_id, r.user_id]));
  }

  /** Gives each queue head, in order, to the best agent with room (greedy, one at a time). */
  private plan(
    tenantId: string,
    teamId: string | null,
    agents: PoolAgent[],
    queued: QueuedRow[],
    familiar: Map<string, string>,
    settings: TenantSettings,
    teamGreeting: string | null,
    greet: boolean,
  ): Assignment[] {
    const planned: Assignment[] = [];
    let order = 0;
    for (const head of queued) {
      const ranked = rank(agents.filter((a) => a.max > 0 && a.ongoing < a.max));
      if (!ranked.length) break;
      const preferred = familiar.get(head.customer_id);
      const familiarAgent = preferred ? ranked.find((a) => a.id === preferred) : undefined;
      const agent = familiarAgent ?? ranked[0]!;
      const candidates = ranked.slice(0, MAX_RECORDED_CANDIDATES).map((a) => candidate(a, a.id === preferred));
      const full = agents.length - ranked.length;
      const why = familiarAgent
        ? `${agent.nickname} served this customer ${settings.familiarity.mode === FamiliarityMode.MOST ? 'most often' : 'last'} (familiarity)`
        : `${agent.nickname} had the highest idle rate (${formatRate(idleRate(agent))}, ${agent.ongoing} of ${agent.max})` +
          (ranked.length > 1 && idleRate(ranked[1]!) === idleRate(agent)
            ? ', and of those equal, waited longest since an assignment'
            : '');
      const decision: DecisionRow = {
        kind: DecisionKind.ASSIGNED,
        team: teamId,
        candidates,
        excluded: { notOnline: 0, full },
        chosenUser: agent.id,
        reason: `${why}; ${ranked.length} eligible of ${agents.length} online`,
      };
      planned.push({
        conversationId: head.id,
        customerId: head.customer_id,
        teamId: head.team_id,
        agent,
        decision,
        messages: announcements(agent, head, teamGreeting, greet, settings.defaultAddress),
      });
      agent.ongoing += 1;
      agent.lastAssignedAt = new Date();
      agent.batchOrder = ++order;
    }
    return planned;
  }

  private async teamGreeting(em: EntityManager, tenantId: string, teamId: string | null): Promise<string | null> {
    if (!teamId) return null;
    const [team] = await em.execute<{ greeting: string | null }[]>(
      `select greeting from team where tenant_id = ? and id = ?`,
      [tenantId, teamId],
    );
    return team?.greeting ?? null;
  }

  /** Stores the planned assignments; returns the announcement messages' rows. */
  private async write(
    em: EntityManager,
    tenantId: string,
    planned: Assignment[],
    how: JoinedHow,
  ): Promise<Record<string, unknown>[]> {
    if (!planned.length) return [];
    const rows = planned.map((p) => ({
      conversation_id: p.conversationId,
      user_id: p.agent.id,
      messages: p.messages.map((m) => ({
        id: uuidv7(),
        sender_kind: m.senderKind,
        sender_user_id: m.senderUser,
        text: m.text,
      })),
      preview: p.messages.at(-1)?.text.slice(0, 200) ?? null,
      agent_spoke: p.messages.some((m) => m.senderKind === SenderKind.AGENT),
      decision: { id: uuidv7(), ...p.decision },
    }));
    return em.execute<Record<string, unknown>[]>(WRITE_SQL, [
      JSON.stringify(rows),
      tenantId,
      tenantId,
      how,
      tenantId,
      tenantId,
    ]);
  }

  /** After commit: the customer sees who serves them, the agent gets the conversation, the queue shrinks. */
  private async announce(tenantId: string, { planned, messages }: Written): Promise<void> {
    if (!planned.length) return;
    const em = tenantFork(this.orm.em, tenantId);
    for (const row of messages) {
      await this.conversations.publishMessage(this.conversations.mapMessage(em, row), MessageEventKind.ADDED);
    }
    for (const p of planned) {
      const ref = { tenant: tenantId, id: p.conversationId, state: ConversationState.ONGOING };
      await this.conversations.publishChange(ref, [p.agent.id], ConversationChangeKind.NEW);
      await this.conversations.publishQueue({ ...ref, team: p.teamId });
    }
  }

  /** Manual join or admin assignment of one queued conversation, under the same locks as the engine. */
  private async assignByHand(
    em: EntityManager,
    tenantId: string,
    conversationId: string,
    userId: string,
    how: JoinedHow,
    reason: string,
  ): Promise<void> {
    const written = await em.transactional(async (tx) => {
      const [conv] = await tx.execute<(QueuedRow & { state: ConversationState })[]>(
        `select c.id, c.state, c.customer_id, c.team_id, coalesce(cu.nickname, cu.real_name) as customer_name
           from conversation c join customer cu on cu.id = c.customer_id
          where c.tenant_id = ? and c.id = ? for update of c`,
        [tenantId, conversationId],
      );
      if (!conv || conv.state !== ConversationState.QUEUED) throw raise(ConversationErrors, 'NOT_QUEUED');
      const row = await this.lockAgent(tx, tenantId, userId);
      if (!row) throw raise(AssignmentErrors, 'AGENT_NOT_FOUND');
      const agent: PoolAgent = { ...row, ongoing: 0, lastAssignedAt: row.last_assigned_at, batchOrder: 0 };
      const decision: DecisionRow = {
        kind: DecisionKind.MANUAL,
        team: conv.team_id,
        candidates: [],
        excluded: null,
        chosenUser: userId,
        reason,
      };
      const greet = await this.routing.businessHoursOpen(tenantId, conv.team_id, new Date());
      const greeting = greet ? await this.teamGreeting(tx, tenantId, conv.team_id) : null;
      // Settings are cached: the default address costs nothing on this path.
      const address = greet ? (await this.tenants.settings(tx, tenantId)).defaultAddress : '';
      const planned: Assignment[] = [
        {
          conversationId: conv.id,
          customerId: conv.customer_id,
          teamId: conv.team_id,
          agent,
          decision,
          messages: announcements(agent, conv, greeting, greet, address),
        },
      ];
      return { planned, messages: await this.write(tx, tenantId, planned, how) };
    });
    await this.announce(tenantId, written);
  }

  /** Dispatches every pool that has someone waiting (all tenants: a system-level job). */
  private async sweep(): Promise<void> {
    const em = systemFork(this.orm.em);
    const pools = await em.execute<{ tenant_id: string; team_id: string | null }[]>(
      `select distinct tenant_id, team_id from conversation where state = 'QUEUED'`,
    );
    for (const pool of pools) await this.dispatch(pool.tenant_id, pool.team_id);
  }
}

/** What the customer is told: who serves them, then the team's and the agent's greetings (CNV-10). */
function announcements(
  agent: PoolAgent,
  head: QueuedRow,
  teamGreeting: string | null,
  greet: boolean,
  defaultAddress: string,
): Assignment['messages'] {
  const messages: Assignment['messages'] = [
    { senderKind: SenderKind.SYSTEM, senderUser: null, text: `${agent.nickname} is now serving you.` },
  ];
  if (!greet) return messages;
  if (teamGreeting)
    messages.push({
      senderKind: SenderKind.SYSTEM,
      senderUser: null,
      text: addressed(teamGreeting, head.customer_name, defaultAddress),
    });
  if (agent.greeting) {
    messages.push({
      senderKind: SenderKind.AGENT,
      senderUser: agent.id,
      text: addressed(agent.greeting, head.customer_name, defaultAddress),
    });
  }
  return messages;
}

/**
 * A greeting or phrase for this customer: `##dear##` becomes their name, or the tenant's default
 * address when they have none (CNV-10, TEN-6).
 */
export function addressed(
  text: string,
  customerName: string | null | undefined,
  defaultAddress: string = DEFAULT_SETTINGS.defaultAddress,
): string {
  return text.replaceAll('##dear##', customerName?.trim() || defaultAddress);
}

function candidate(a: PoolAgent, familiar: boolean): DecisionCandidate {
  return {
    userId: a.id,
    nickname: a.nickname,
    ongoing: a.ongoing,
    max: a.max,
    idleRate: idleRate(a),
    lastAssignedAt: a.lastAssignedAt,
    familiar,
  };
}

function idleRate(a: PoolAgent): number {
  return a.max > 0 ? 1 - a.ongoing / a.max : 0;
}

/** Best first: highest idle rate, then least recently assigned (never assigned first), then id. */
function rank(agents: PoolAgent[]): PoolAgent[] {
  return [...agents].sort(
    (a, b) =>
      idleRate(b) - idleRate(a) ||
      (a.lastAssignedAt?.getTime() ?? 0) - (b.lastAssignedAt?.getTime() ?? 0) ||
      a.batchOrder - b.batchOrder ||
      a.id.localeCompare(b.id),
  );
}

function formatRate(rate: number): string {
  return `${Math.round(rate * 100)}%`;
}
