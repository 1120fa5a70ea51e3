import { LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { systemFork, tenantFork } from '../../platform/database/tenant-filter';
import { AppError } from '../../platform/errors/app-error';
import type { JobRun, Jobs } from '../../platform/jobs/jobs';
import type { TenantSettings } from '../tenant/tenant-settings';
import type { TenantService } from '../tenant/tenant.service';
import {
  AlarmRecord,
  CloseReason,
  Conversation,
  ConversationAgent,
  ConversationState,
  Message,
  MessageType,
  SenderKind,
} from './conversation.entity';
import { ConversationChangeKind, MessageEventKind } from './conversation.events';
import type { ConversationService } from './conversation.service';

const WATCH_JOB = 'conversation.watch';
const REARM_JOB = 'conversation.rearm-tenant';
const SWEEP_JOB = 'conversation.timer-sweep';

/** The `kind` of the CUSTOM queue reminder that offers the visitor to leave a note (QUE-11). */
export const QUEUE_REMINDER_KIND = 'queue-reminder';

/** A watch never sleeps longer than this, so that anything it cannot see coming is caught within the hour. */
export const MAX_SLEEP_SECONDS = 3600;
/** Nor shorter than this, so that a rule that stays due cannot make it spin. */
export const MIN_SLEEP_SECONDS = 1;
// A rule due this close to now is acted on now rather than after one more wake-up.
const DUE_TOLERANCE_MS = 500;
const REARM_BATCH = 200;
const SWEEP_BATCH = 500;
// After a failed look, the next one comes this much later.
const RETRY_SECONDS = 60;

/** What the timers look at: the conversation's columns, plus when the customer's unanswered wait began. */
export interface TimerFacts {
  state: ConversationState;
  createdAt: Date;
  assignedAt: Date | null;
  lastCustomerMessageAt: Date | null;
  lastAgentMessageAt: Date | null;
  /** The customer's first message since the agents last wrote (CNV-9); null when no one is waiting for an agent. */
  waitingSince: Date | null;
  noReplyAlertAt: Date | null;
  customerRemindedAt: Date | null;
  queueRemindersSent: number;
}

export type TimerRule =
  | { kind: 'QUEUE_REMINDER'; at: Date }
  | { kind: 'NO_REPLY'; at: Date }
  | { kind: 'REMIND_CUSTOMER'; at: Date }
  | { kind: 'CLOSE'; reason: CloseReason.INACTIVE | CloseReason.CUSTOMER_NO_REPLY; at: Date };

type TimerGroups = Pick<TenantSettings, 'noReply' | 'customerNoReply' | 'inactivity' | 'queueReminder'>;

const plus = (from: Date, seconds: number) => new Date(from.getTime() + seconds * 1000);
const latest = (...dates: (Date | null)[]): Date =>
  new Date(Math.max(...dates.filter((d): d is Date => !!d).map((d) => d.getTime())));

/**
 * Every rule still ahead for the conversation, each with the time it becomes due, under the
 * given settings (CNV-7, CNV-9, QUE-11). A rule that has already acted is not listed again.
 */
export function pendingRules(f: TimerFacts, s: TimerGroups): TimerRule[] {
  if (f.state === ConversationState.CLOSED) return [];
  const rules: TimerRule[] = [];
  if (s.inactivity.enabled) {
    // "From either side": the system's own notices (welcome, reminders) do not count as activity.
    const lastActivity = latest(f.createdAt, f.lastCustomerMessageAt, f.lastAgentMessageAt);
    rules.push({ kind: 'CLOSE', reason: CloseReason.INACTIVE, at: plus(lastActivity, s.inactivity.afterSeconds) });
  }
  if (f.state === ConversationState.QUEUED) {
    const q = s.queueReminder;
    if (q.enabled && f.queueRemindersSent < q.repeat) {
      rules.push({
        kind: 'QUEUE_REMINDER',
        at: plus(f.createdAt, q.delaySeconds + f.queueRemindersSent * q.intervalSeconds),
      });
    }
    return rules;
  }
  if (s.noReply.enabled && f.waitingSince && !(f.noReplyAlertAt && f.noReplyAlertAt >= f.waitingSince)) {
    // The agent's time runs from the customer's first unanswered message, but not before an agent had it.
    rules.push({ kind: 'NO_REPLY', at: plus(latest(f.waitingSince, f.assignedAt), s.noReply.afterSeconds) });
  }
  const c = s.customerNoReply;
  const agentWroteLast =
    !!f.lastAgentMessageAt && (!f.lastCustomerMessageAt || f.lastCustomerMessageAt < f.lastAgentMessageAt);
  if (c.enabled && agentWroteLast) {
    const remindedSince =
      f.customerRemindedAt && f.customerRemindedAt >= f.lastAgentMessageAt! ? f.customerRemindedAt : null;
    rules.push(
      remindedSince
        ? { kind: 'CLOSE', reason: CloseReason.CUSTOMER_NO_REPLY, at: plus(remindedSince, c.closeAfterSeconds) }
        : { kind: 'REMIND_CUSTOMER', at: plus(f.lastAgentMessageAt!, c.reminderAfterSeconds) },
    );
  }
  return rules;
}

/** The rules due at `now`, the earliest first. */
export function dueRules(f: TimerFacts, s: TimerGroups, now: Date): TimerRule[] {
  return pendingRules(f, s)
    .filter((r) => r.at.getTime() <= now.getTime() + DUE_TOLERANCE_MS)
    .sort((a, b) => a.at.getTime() - b.at.getTime());
}

/**
 * The longest a watch may sleep without missing anything it cannot foresee: a message, an
 * assignment or a transfer after `now` starts a wait that ends no sooner than its own timeout.
 */
export function watchSeconds(s: TimerGroups): number {
  return Math.min(
    s.noReply.enabled ? s.noReply.afterSeconds : MAX_SLEEP_SECONDS,
    s.customerNoReply.enabled ? s.customerNoReply.reminderAfterSeconds : MAX_SLEEP_SECONDS,
    MAX_SLEEP_SECONDS,
  );
}

/** When the watch should look at the conversation next. */
export function nextWake(f: TimerFacts, s: TimerGroups, now: Date): Date {
  const horizon = now.getTime() + watchSeconds(s) * 1000;
  const earliest = Math.min(horizon, ...pendingRules(f, s).map((r) => r.at.getTime()));
  return new Date(Math.max(earliest, now.getTime() + MIN_SLEEP_SECONDS * 1000));
}

const timerGroupsChanged = (a: TenantSettings, b: TenantSettings) =>
  (['noReply', 'customerNoReply', 'inactivity', 'queueReminder'] as const).some(
    (g) => JSON.stringify(a[g]) !== JSON.stringify(b[g]),
  );

interface Watch {
  tenantId: string;
  conversationId: string;
}

type Evaluation =
  | { kind: 'stale' }
  | { kind: 'close'; reason: CloseReason.INACTIVE | CloseReason.CUSTOMER_NO_REPLY }
  | { kind: 'armed'; conversation: Conversation; messages: Message[]; agents: string[]; changed: boolean };

/** The conversation changed between looking and closing: the close no longer applies. */
class ConditionChanged extends Error {}

// Swaps in a new watch (in place of `expected` only, when given) and returns the one it replaces;
// no row when the conversation is closed or already watched by another one.
const SWAP_SQL = `
update conversation c set timer_job_id = ?
  from (select id, timer_job_id from conversation
         where tenant_id = ? and id = ? and state <> 'CLOSED'
           and (?::uuid is null or timer_job_id = ?::uuid)
           for update) old
 where c.id = old.id
returning old.timer_job_id as previous`;

const WAITING_SINCE_SQL = `
select min(m.created_at) as at
  from message m join conversation c on c.id = m.conversation_id
 where c.tenant_id = ? and c.id = ? and m.sender_kind = 'CUSTOMER'
   and m.created_at > coalesce(c.last_agent_message_at, '-infinity')`;

// Open conversations of a tenant in customer order: the partial unique index on open ones serves it.
const OPEN_BATCH_SQL = `
select id, customer_id from conversation
 where tenant_id = ? and state <> 'CLOSED' and customer_id > ?
 order by customer_id limit ?`;

const UNWATCHED_SQL = `
select tenant_id, id from conversation where state <> 'CLOSED' and timer_job_id is null limit ?`;

/**
 * The time-based conversation rules (CNV-7, CNV-9, QUE-11) on pg-boss timers: one job watches each
 * open conversation. It is armed when the conversation opens; when it fires it acts on every rule
 * that has come due under the tenant's current settings and arms itself again for the next one.
 * The message path does no timer work: a watch sleeps at most as long as the shortest timeout a
 * new message could start (`watchSeconds`). A watch that fires while another one is current
 * (`conversation.timer_job_id`) does nothing.
 */
export class ConversationTimers {
  constructor(
    private readonly orm: MikroORM,
    private readonly conversations: ConversationService,
    private readonly tenants: TenantService,
    private readonly jobs: Jobs,
    private readonly log: Logger,
  ) {
    jobs.register<Watch>(WATCH_JOB, (run) => this.fired(run));
    jobs.register<{ tenantId: string }>(REARM_JOB, (run) => this.rearmTenant(run.data.tenantId), 1);
    // A safety net for a conversation whose watch was never armed (e.g. a process died right after opening it).
    jobs.register(SWEEP_JOB, () => this.sweep(), 1);
    jobs.every(SWEEP_JOB, '*/5 * * * *');
    conversations.planTimersWith((tenantId, conversationId) => this.firstWatch(tenantId, conversationId));
    tenants.onSettingsChanged(async (tenantId, settings, previous) => {
      // Shortened timeouts apply to conversations already open, not only to new ones.
      if (timerGroupsChanged(settings, previous)) await jobs.schedule(REARM_JOB, { tenantId });
    });
  }

  /** (Re)plans the watch of an open conversation from its current state and the current settings. */
  async arm(tenantId: string, conversationId: string): Promise<void> {
    const em = tenantFork(this.orm.em, tenantId);
    await this.armWith(em, await this.tenants.settings(em, tenantId), tenantId, conversationId);
  }

  /**
   * The first watch of a conversation that is being opened (queued, with the customer's first
   * message now): scheduled before the conversation is stored, which keeps the job's id with it.
   */
  private async firstWatch(tenantId: string, conversationId: string): Promise<string> {
    const settings = await this.tenants.settings(tenantFork(this.orm.em, tenantId), tenantId);
    const now = new Date();
    const facts: TimerFacts = {
      state: ConversationState.QUEUED,
      createdAt: now,
      assignedAt: null,
      lastCustomerMessageAt: now,
      lastAgentMessageAt: null,
      noReplyAlertAt: null,
      customerRemindedAt: null,
      queueRemindersSent: 0,
      waitingSince: null,
    };
    return this.jobs.scheduleBatched<Watch>(
      WATCH_JOB,
      { tenantId, conversationId },
      { at: nextWake(facts, settings, now) },
    );
  }

  private async armWith(
    em: EntityManager,
    settings: TenantSettings,
    tenantId: string,
    conversationId: string,
  ): Promise<void> {
    const conversation = await em.findOne(Conversation, { id: conversationId });
    if (!conversation || conversation.state === ConversationState.CLOSED) return;
    const facts = await this.factsOf(em, conversation, settings);
    await this.replace(em, tenantId, conversationId, null, nextWake(facts, settings, new Date()));
  }

  /** Schedules a watch at `at` and makes it the current one (in place of `expected` only, when given). */
  private async replace(
    em: EntityManager,
    tenantId: string,
    conversationId: string,
    expected: string | null,
    at: Date,
  ): Promise<void> {
    const id = await this.jobs.schedule<Watch>(WATCH_JOB, { tenantId, conversationId }, { at });
    const [swapped] = await em.execute<{ previous: string | null }[]>(SWAP_SQL, [
      id,
      tenantId,
      conversationId,
      expected,
      expected,
    ]);
    if (!swapped) return this.jobs.cancel(WATCH_JOB, id);
    // The one replaced in place of `expected` is the caller itself, running now.
    if (!expected && swapped.previous && swapped.previous !== id) await this.jobs.cancel(WATCH_JOB, swapped.previous);
  }

  private async fired(run: JobRun<Watch>): Promise<void> {
    const { tenantId, conversationId } = run.data;
    try {
      await this.look(run.id, tenantId, conversationId);
    } catch (e) {
      this.log.error({ err: e, tenantId, conversationId }, 'conversation timer failed; it looks again later');
      // The watch goes on after a failure; only when not even that can be planned does the queue retry this one.
      const later = plus(new Date(), RETRY_SECONDS);
      await this.replace(tenantFork(this.orm.em, tenantId), tenantId, conversationId, run.id, later).catch(() => {
        throw e;
      });
    }
  }

  private async look(jobId: string, tenantId: string, conversationId: string): Promise<void> {
    const settings = await this.tenants.settings(tenantFork(this.orm.em, tenantId), tenantId);
    // A close can be overtaken by a message (the rule no longer holds): then look again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const outcome = await this.evaluate(tenantFork(this.orm.em, tenantId), settings, jobId, conversationId);
      if (outcome.kind === 'stale') return;
      if (outcome.kind === 'armed') return this.announce(outcome);
      if (await this.close(tenantId, conversationId, jobId, outcome.reason, settings)) return;
    }
    await this.replace(
      tenantFork(this.orm.em, tenantId),
      tenantId,
      conversationId,
      jobId,
      plus(new Date(), MIN_SLEEP_SECONDS),
    );
  }

  /**
   * Under the conversation's row lock: unless this watch is stale, acts on the rules that have come
   * due (all but closing, which is left to the caller) and arms the next watch.
   */
  private evaluate(
    em: EntityManager,
    settings: TenantSettings,
    jobId: string,
    conversationId: string,
  ): Promise<Evaluation> {
    return em.transactional(async (tx): Promise<Evaluation> => {
      const conv = await tx.findOne(
        Conversation,
        { id: conversationId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      if (!conv || conv.state === ConversationState.CLOSED || conv.timerJobId !== jobId) return { kind: 'stale' };
      const now = new Date();
      const facts = await this.factsOf(tx, conv, settings);
      const due = dueRules(facts, settings, now);
      const closing = due.find((r) => r.kind === 'CLOSE');
      if (closing) return { kind: 'close', reason: closing.reason };

      const agents = (await tx.find(ConversationAgent, { conversation: conv.id, leftAt: null })).map((a) => a.user);
      const messages: Message[] = [];
      let changed = false;
      for (const rule of due) {
        switch (rule.kind) {
          case 'QUEUE_REMINDER': {
            const q = settings.queueReminder;
            // After a long pause (all processes down), the reminders missed by a whole interval are not
            // sent in a burst: this one stands for them.
            const missed = Math.floor(
              (now.getTime() - plus(conv.createdAt, q.delaySeconds).getTime()) / (q.intervalSeconds * 1000),
            );
            conv.queueRemindersSent = Math.min(q.repeat, Math.max(conv.queueRemindersSent + 1, missed));
            messages.push(
              q.offerNote
                ? this.append(tx, conv, MessageType.CUSTOM, q.text, {
                    kind: QUEUE_REMINDER_KIND,
                    text: q.text,
                    offerNote: true,
                  })
                : this.append(tx, conv, MessageType.TEXT, q.text),
            );
            break;
          }
          case 'NO_REPLY': {
            const n = settings.noReply;
            conv.noReplyAlertAt = now;
            changed ||= n.highlight;
            if (n.remindCustomer) messages.push(this.append(tx, conv, MessageType.TEXT, n.reminderText));
            if (n.alarm) {
              const waitedSeconds = Math.round((now.getTime() - facts.waitingSince!.getTime()) / 1000);
              for (const user of agents.length ? agents : [null]) {
                tx.create(AlarmRecord, {
                  tenant: conv.tenant,
                  conversation: conv.id,
                  user,
                  level: n.alarmLevel,
                  waitedSeconds,
                });
              }
            }
            break;
          }
          case 'REMIND_CUSTOMER':
            conv.customerRemindedAt = now;
            messages.push(this.append(tx, conv, MessageType.TEXT, settings.customerNoReply.reminderText));
            break;
          case 'CLOSE':
            // Not reached: a due close was handed to the caller above.
            break;
        }
      }
      const after: TimerFacts = { ...facts, ...pickFacts(conv) };
      conv.timerJobId = await this.jobs.schedule<Watch>(
        WATCH_JOB,
        { tenantId: conv.tenant, conversationId: conv.id },
        { at: nextWake(after, settings, now) },
      );
      await tx.flush();
      return { kind: 'armed', conversation: conv, messages, agents, changed: changed || messages.length > 0 };
    });
  }

  /** Closes by the system when the rule still holds under the closing transaction's lock; false when it no longer does. */
  private async close(
    tenantId: string,
    conversationId: string,
    jobId: string,
    reason: CloseReason.INACTIVE | CloseReason.CUSTOMER_NO_REPLY,
    settings: TenantSettings,
  ): Promise<boolean> {
    const text = reason === CloseReason.INACTIVE ? settings.inactivity.closeText : settings.customerNoReply.closeText;
    try {
      await this.conversations.end(tenantFork(this.orm.em, tenantId), conversationId, {
        closedBy: SenderKind.SYSTEM,
        reason,
        text,
        before: async (tx, conv) => {
          if (conv.timerJobId !== jobId) throw new ConditionChanged();
          const facts = await this.factsOf(tx, conv, settings);
          const still = dueRules(facts, settings, new Date()).some((r) => r.kind === 'CLOSE' && r.reason === reason);
          if (!still) throw new ConditionChanged();
        },
      });
      return true;
    } catch (e) {
      if (e instanceof ConditionChanged) return false;
      // Closed by someone else meanwhile: nothing left to watch.
      if (e instanceof AppError && e.extensions.reason === 'CLOSED') return true;
      throw e;
    }
  }

  /** Re-plans every open conversation of a tenant, e.g. after its timeouts changed. */
  private async rearmTenant(tenantId: string): Promise<void> {
    const settings = await this.tenants.settings(tenantFork(this.orm.em, tenantId), tenantId);
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      const rows = await tenantFork(this.orm.em, tenantId).execute<{ id: string; customer_id: string }[]>(
        OPEN_BATCH_SQL,
        [tenantId, after, REARM_BATCH],
      );
      for (const row of rows) {
        await this.armWith(tenantFork(this.orm.em, tenantId), settings, tenantId, row.id).catch((e: unknown) =>
          this.log.error({ err: e, tenantId, conversationId: row.id }, 'arming a conversation timer failed'),
        );
      }
      if (rows.length < REARM_BATCH) return;
      after = rows.at(-1)!.customer_id;
    }
  }

  // A system-level job: it spans tenants on purpose, and arms each conversation within its own tenant.
  private async sweep(): Promise<void> {
    const rows = await systemFork(this.orm.em).execute<{ tenant_id: string; id: string }[]>(UNWATCHED_SQL, [
      SWEEP_BATCH,
    ]);
    for (const row of rows) {
      await this.arm(row.tenant_id, row.id).catch((e: unknown) =>
        this.log.error(
          { err: e, tenantId: row.tenant_id, conversationId: row.id },
          'arming a conversation timer failed',
        ),
      );
    }
  }

  private async factsOf(em: EntityManager, conv: Conversation, settings: TimerGroups): Promise<TimerFacts> {
    let waitingSince: Date | null = null;
    const customerWaits =
      conv.state === ConversationState.ONGOING &&
      !!conv.lastCustomerMessageAt &&
      (!conv.lastAgentMessageAt || conv.lastCustomerMessageAt > conv.lastAgentMessageAt);
    if (customerWaits && settings.noReply.enabled) {
      const [row] = await em.execute<{ at: Date | null }[]>(WAITING_SINCE_SQL, [conv.tenant, conv.id]);
      waitingSince = row?.at ? new Date(row.at) : conv.lastCustomerMessageAt;
    }
    return { ...pickFacts(conv), waitingSince };
  }

  /** A system message with the next seq; the caller holds the conversation's row lock. */
  private append(
    em: EntityManager,
    conv: Conversation,
    type: MessageType,
    text: string,
    payload: Record<string, unknown> | null = null,
  ): Message {
    return this.conversations.append(em, conv, { kind: SenderKind.SYSTEM }, { type, text, payload });
  }

  // After the commit: what the timers wrote reaches the widget and the agents' lists.
  private async announce(outcome: Extract<Evaluation, { kind: 'armed' }>): Promise<void> {
    const { conversation, messages, agents, changed } = outcome;
    try {
      for (const message of messages) await this.conversations.publishMessage(message, MessageEventKind.ADDED);
      if (changed) await this.conversations.publishChange(conversation, agents, ConversationChangeKind.UPDATED);
      if (messages.length && conversation.state === ConversationState.QUEUED) {
        await this.conversations.publishQueue(conversation);
      }
    } catch (e) {
      // Stored is what counts: clients fetch what a lost event did not bring.
      this.log.error({ err: e, conversationId: conversation.id }, 'publishing timer changes failed');
    }
  }
}

function pickFacts(c: Conversation): Omit<TimerFacts, 'waitingSince'> {
  return {
    state: c.state,
    createdAt: c.createdAt,
    assignedAt: c.assignedAt,
    lastCustomerMessageAt: c.lastCustomerMessageAt,
    lastAgentMessageAt: c.lastAgentMessageAt,
    noReplyAlertAt: c.noReplyAlertAt,
    customerRemindedAt: c.customerRemindedAt,
    queueRemindersSent: c.queueRemindersSent,
  };
}
