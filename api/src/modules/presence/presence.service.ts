import { randomUUID } from 'node:crypto';
import { type FilterQuery, LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { Page } from '../../platform/auth/pages';
import { type ServiceScope, staffOf, userOf } from '../../platform/auth/scope';
import type { Config } from '../../platform/config/config';
import { systemFork, tenantFork } from '../../platform/database/tenant-filter';
import { scopedSql } from '../../platform/database/scoped-query';
import { raise } from '../../platform/errors/app-error';
import { type Page as ResultPage, pageWindow } from '../../platform/graphql/connection';
import type { JobRun, Jobs } from '../../platform/jobs/jobs';
import type { EventBus } from '../../platform/pubsub/event-bus';
import { type Approval, ApprovalKind } from '../approval/approval.entity';
import type { AfterCommit, ApprovalService } from '../approval/approval.service';
import type { AuthService } from '../auth/auth.service';
import { NotificationKind, NotificationSubject } from '../notification/notification.entity';
import type { NotificationService } from '../notification/notification.service';
import type { AssignmentService } from '../routing/assignment.service';
import { CapacityEditor } from '../tenant/tenant-settings';
import type { TenantService } from '../tenant/tenant.service';
import { User, UserStatus } from '../user/user.entity';
import { StatusChangeReason, StatusLog, UserConnection } from './presence.entity';
import { PresenceErrors } from './presence.errors';
import type { MyStatusLogsArgs, StatusLogsArgs } from './presence.inputs';
import type { SetStatusResult, UserPresenceDto } from './presence.types';

export const presenceTopic = (tenantId: string) => `tenant:${tenantId}:presence`;

/** The timer that sets a user offline once their last live connection has stayed away (PRE-1). */
export const OFFLINE_JOB = 'presence.offline';

interface OfflineCheck {
  tenantId: string;
  userId: string;
}

/** How often a process marks its connections as alive, and after how long without that they are dead. */
const HEARTBEAT_MS = 15_000;
const STALE_MS = 60_000;
/** Stale connections handled per heartbeat; the rest wait for the next one. */
const SWEEP_BATCH = 500;

/** Statuses a user may choose; OFFLINE follows from signing out or disconnecting. */
const CHOOSABLE: ReadonlySet<UserStatus> = new Set([
  UserStatus.ONLINE,
  UserStatus.BUSY,
  UserStatus.AWAY,
  UserStatus.INVISIBLE,
]);

const staleBefore = () => new Date(Date.now() - STALE_MS);

/**
 * Presence and capacity (PRE-1 to PRE-4): each user's status and max conversations, every status
 * change logged, live connections turning users online and (after a grace period) offline.
 *
 * Connections are rows (`UserConnection`) so that every API process sees them: a process refreshes
 * its own rows' `seenAt` on a heartbeat, and rows not seen for a minute belong to a process that
 * died; any process's heartbeat sweeps them and sets their users offline if nothing else is left.
 * Status changes lock the user's row, as the assignment engine does, so both see one order.
 */
export class PresenceService {
  /** Tells this process's connections from those of other processes. */
  readonly processId = randomUUID();
  private readonly heartbeat: NodeJS.Timeout;
  private readonly inFlight = new Set<Promise<void>>();
  /** Offline timers scheduled by this process, by `tenant:user`, so that a reconnect here can cancel them. */
  private readonly offlineTimers = new Map<string, string>();

  constructor(
    private readonly rootEm: EntityManager,
    private readonly bus: EventBus,
    private readonly jobs: Jobs,
    private readonly config: Pick<Config, 'PRESENCE_GRACE_SECONDS'>,
    private readonly tenants: TenantService,
    private readonly notifications: NotificationService,
    private readonly approvals: ApprovalService,
    private readonly assignment: AssignmentService,
    auth: AuthService,
    private readonly log: Logger,
  ) {
    jobs.register<OfflineCheck>(OFFLINE_JOB, (run) => this.offlineTimerFired(run));
    approvals.onDecided(ApprovalKind.STATUS_CHANGE, (em, approval, approved, afterCommit) =>
      this.statusRequestDecided(em, approval, approved, afterCommit),
    );
    auth.onLastSessionEnded((tenantId, userId) => this.signedOut(tenantId, userId));
    this.heartbeat = setInterval(() => this.track(this.tick()), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  /**
   * The signed-in user chooses a status. An agent's change from ONLINE to BUSY, AWAY or INVISIBLE
   * becomes a request for approval when the tenant requires it (PRE-3); anything else applies at
   * once and withdraws a pending request.
   */
  async setMyStatus(scope: ServiceScope, status: UserStatus, reason: string | null): Promise<SetStatusResult> {
    const me = userOf(scope);
    if (!CHOOSABLE.has(status)) throw raise(PresenceErrors, 'OFFLINE_BY_HAND');
    const current = await scope.em.findOneOrFail(User, { id: me.userId }, { refresh: true });
    if (current.status === UserStatus.ONLINE && status !== UserStatus.ONLINE && !me.isAdmin) {
      const settings = await this.tenants.settings(scope.em, me.tenantId);
      if (settings.statusChangeNeedsApproval) {
        const pendingApproval = await this.approvals.request(scope, ApprovalKind.STATUS_CHANGE, { status }, reason);
        return { user: current, pendingApproval };
      }
    }
    const { user, change, withdrawn } = await scope.em.transactional(async (em) => {
      const user = await this.lockUser(em, me.userId);
      const withdrawn = await this.approvals.cancelPendingIn(em, me.userId, ApprovalKind.STATUS_CHANGE);
      const change = user.status === status ? null : this.changeIn(em, user, status, StatusChangeReason.MANUAL, null);
      return { user, change, withdrawn };
    });
    await this.approvals.published(withdrawn);
    if (change) {
      await this.announce(change);
      await this.expectConnection(me.tenantId, me.userId);
    }
    return { user, pendingApproval: null };
  }

  /**
   * Sets a user's max conversations (PRE-2): admins (ADMIN_USERS) always, which notifies the user;
   * users their own only when the tenant lets agents do so.
   */
  async setMaxConversations(scope: ServiceScope, userId: string, max: number): Promise<User> {
    const actor = staffOf(scope);
    const self = actor.kind === 'user' && actor.userId === userId;
    if (!actor.pages.has(Page.ADMIN_USERS)) {
      if (!self) throw raise(PresenceErrors, 'CAPACITY_OF_OTHERS');
      const settings = await this.tenants.settings(scope.em, actor.tenantId);
      if (settings.capacityEditor !== CapacityEditor.AGENT) throw raise(PresenceErrors, 'CAPACITY_ADMIN_ONLY');
    }
    const { user, previous, note } = await scope.em.transactional(async (em) => {
      const user = await this.lockUser(em, userId);
      if (user.deletedAt) throw raise(PresenceErrors, 'USER_NOT_FOUND');
      const previous = user.maxConversations;
      if (previous === max) return { user, previous, note: null };
      user.maxConversations = max;
      const note = self
        ? null
        : this.notifications.create(
            { ...scope, em },
            {
              recipient: user.id,
              kind: NotificationKind.CAPACITY_CHANGED,
              title: 'Your maximum conversations changed',
              body: `An admin set your maximum conversations to ${max} (it was ${previous}).`,
              subjectType: NotificationSubject.USER,
              subjectId: user.id,
            },
          );
      return { user, previous, note };
    });
    if (previous === max) return user;
    if (note) await this.notifications.publish(note);
    await this.announce({ presence: presenceOf(user), freed: max > previous });
    return user;
  }

  /** The top bar's counters: conversations served now, and served and closed since `since`. */
  async workload(scope: ServiceScope, since: Date): Promise<{ ongoing: number; served: number; closed: number }> {
    const me = userOf(scope);
    const [row] = await scopedSql<{ ongoing: number; served: number; closed: number }>(
      scope.em,
      me,
      `with mine as (
         select ca.conversation_id, ca.joined_at, ca.left_at from conversation_agent ca
          where ca.tenant_id = ? and ca.user_id = ?
       )
       select count(*) filter (where m.left_at is null and c.state <> 'CLOSED')::int as ongoing,
              count(distinct m.conversation_id) filter (where m.joined_at >= ?)::int as served,
              count(distinct m.conversation_id) filter (where c.closed_at >= ?)::int as closed
         from mine m
         join conversation c on c.id = m.conversation_id
        where m.left_at is null or m.joined_at >= ? or c.closed_at >= ?`,
      [me.userId, since, since, since, since],
    );
    return row ?? { ongoing: 0, served: 0, closed: 0 };
  }

  async statusLogs(scope: ServiceScope, args: StatusLogsArgs): Promise<ResultPage<StatusLog>> {
    // Deleted users' history still counts for statistics.
    if (args.userId && !(await scope.em.count(User, { id: args.userId }))) {
      throw raise(PresenceErrors, 'USER_NOT_FOUND');
    }
    return this.logs(scope, args.userId, args);
  }

  myStatusLogs(scope: ServiceScope, args: MyStatusLogsArgs): Promise<ResultPage<StatusLog>> {
    return this.logs(scope, userOf(scope).userId, args);
  }

  /** Presence changes of the caller's tenant, live. */
  subscribe(scope: ServiceScope, signal?: AbortSignal): AsyncIterableIterator<UserPresenceDto> {
    return this.bus.subscribe(presenceTopic(staffOf(scope).tenantId), signal);
  }

  /**
   * A live connection of the user opened on this process: recorded, and an offline user comes
   * online (PRE-1). Runs in the background (the socket does not wait for it, nor for the assignment
   * it may start) and never fails; hand the result to `disconnected` when the socket closes.
   */
  connected(tenantId: string, userId: string): Promise<string | null> {
    const recorded = this.record(tenantId, userId).catch((e: unknown) => {
      this.log.error({ err: e, tenantId, userId }, 'recording a live connection failed');
      return null;
    });
    this.track(recorded.then(() => undefined));
    return recorded;
  }

  /**
   * A live connection closed: forgotten, and when it was the user's last one the offline timer
   * starts. Never fails (errors are logged); `settled` waits for it.
   */
  disconnected(connection: Promise<string | null>): void {
    this.track(connection.then((id) => (id ? this.release(id) : undefined)));
  }

  /** Resolves once the presence work started so far (connections, the heartbeat) is done; for shutdown. */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.inFlight]);
  }

  /** Stops the heartbeat; this process's connections then go stale unless they were released. */
  close(): void {
    clearInterval(this.heartbeat);
  }

  private async record(tenantId: string, userId: string): Promise<string> {
    const em = tenantFork(this.rootEm, tenantId);
    // Many sockets of one user connect at once without queueing on the user's row: the connection
    // is inserted first, then a share lock waits out an offline check in progress, which has then
    // either counted this connection or set the user OFFLINE (seen here, and undone below).
    const { connectionId, status } = await em.transactional(async (tx) => {
      const connection = tx.create(UserConnection, { tenant: tenantId, user: userId, processId: this.processId });
      await tx.flush();
      const user = await tx.findOneOrFail(User, { id: userId }, { lockMode: LockMode.PESSIMISTIC_READ, refresh: true });
      return { connectionId: connection.id, status: user.status };
    });
    await this.cancelOfflineTimer(tenantId, userId);
    if (status !== UserStatus.OFFLINE) return connectionId;
    const change = await em.transactional(async (tx) => {
      const user = await this.lockUser(tx, userId);
      return user.status === UserStatus.OFFLINE
        ? this.changeIn(tx, user, UserStatus.ONLINE, StatusChangeReason.CONNECTED, null)
        : null;
    });
    if (change) await this.announce(change);
    return connectionId;
  }

  /**
   * One heartbeat: marks this process's connections alive, then sweeps connections of processes
   * that stopped (stale rows) and sets their users offline when nothing else keeps them online.
   */
  async tick(): Promise<void> {
    const em = systemFork(this.rootEm);
    await em.nativeUpdate(UserConnection, { processId: this.processId }, { seenAt: new Date() });
    const stale = await em.find(
      UserConnection,
      { seenAt: { $lt: staleBefore() } },
      { fields: ['tenant', 'user'], limit: SWEEP_BATCH },
    );
    const users = new Map(stale.map((c) => [`${c.tenant}:${c.user}`, { tenantId: c.tenant, userId: c.user }]));
    for (const { tenantId, userId } of users.values()) await this.offlineIfGone(tenantId, userId);
  }

  /** After the user's last session ended by signing out: offline at once (PRE-4 records why). */
  private async signedOut(tenantId: string, userId: string): Promise<void> {
    const change = await tenantFork(this.rootEm, tenantId).transactional(async (em) => {
      const user = await this.lockUser(em, userId);
      if (user.status === UserStatus.OFFLINE) return null;
      return this.changeIn(em, user, UserStatus.OFFLINE, StatusChangeReason.SIGNED_OUT, null);
    });
    if (change) await this.announce(change);
  }

  // The STATUS_CHANGE handler: the approved status applies unless the user has gone offline meanwhile.
  private async statusRequestDecided(
    em: EntityManager,
    approval: Approval,
    approved: boolean,
    afterCommit: AfterCommit,
  ): Promise<void> {
    const status = approval.payload.status as UserStatus;
    if (!approved || !CHOOSABLE.has(status)) return;
    const user = await this.lockUser(em, approval.requester);
    if (user.deletedAt || user.status === UserStatus.OFFLINE || user.status === status) return;
    const change = this.changeIn(em, user, status, StatusChangeReason.APPROVED, approval.decidedBy);
    afterCommit(() => this.announce(change));
  }

  private async release(connectionId: string): Promise<void> {
    const em = systemFork(this.rootEm);
    const connection = await em.findOne(UserConnection, { id: connectionId });
    if (!connection) return;
    const { tenant: tenantId, user: userId } = connection;
    await em.nativeDelete(UserConnection, { id: connectionId, tenant: tenantId });
    const others = await em.count(UserConnection, { tenant: tenantId, user: userId, seenAt: { $gte: staleBefore() } });
    if (others === 0) await this.startOfflineTimer(tenantId, userId);
  }

  // A status set without any live connection (over HTTP only) ends like a closed console: after the grace.
  private async expectConnection(tenantId: string, userId: string): Promise<void> {
    const live = await systemFork(this.rootEm).count(UserConnection, {
      tenant: tenantId,
      user: userId,
      seenAt: { $gte: staleBefore() },
    });
    if (live === 0) await this.startOfflineTimer(tenantId, userId);
  }

  private async startOfflineTimer(tenantId: string, userId: string): Promise<void> {
    const key = `${tenantId}:${userId}`;
    const previous = this.offlineTimers.get(key);
    const id = await this.jobs.schedule<OfflineCheck>(
      OFFLINE_JOB,
      { tenantId, userId },
      { afterSeconds: this.config.PRESENCE_GRACE_SECONDS },
    );
    this.offlineTimers.set(key, id);
    // The newer timer counts from the latest disconnect; the older one would fire too early.
    if (previous) await this.jobs.cancel(OFFLINE_JOB, previous);
  }

  // Timers started by other processes are not known here; they check again when they fire.
  private async cancelOfflineTimer(tenantId: string, userId: string): Promise<void> {
    const key = `${tenantId}:${userId}`;
    const id = this.offlineTimers.get(key);
    if (!id) return;
    this.offlineTimers.delete(key);
    await this.jobs.cancel(OFFLINE_JOB, id);
  }

  private async offlineTimerFired(run: JobRun<OfflineCheck>): Promise<void> {
    const { tenantId, userId } = run.data;
    const key = `${tenantId}:${userId}`;
    if (this.offlineTimers.get(key) === run.id) this.offlineTimers.delete(key);
    await this.offlineIfGone(tenantId, userId);
  }

  /** Sets the user offline unless a live connection remains; stale connections are dropped on the way. */
  private async offlineIfGone(tenantId: string, userId: string): Promise<void> {
    const change = await tenantFork(this.rootEm, tenantId).transactional(async (em) => {
      const user = await this.lockUser(em, userId);
      await em.nativeDelete(UserConnection, { tenant: tenantId, user: userId, seenAt: { $lt: staleBefore() } });
      const live = await em.count(UserConnection, { tenant: tenantId, user: userId });
      if (live > 0 || user.status === UserStatus.OFFLINE) return null;
      return this.changeIn(em, user, UserStatus.OFFLINE, StatusChangeReason.DISCONNECTED, null);
    });
    if (change) await this.announce(change);
  }

  /** Within a transaction: the user's row, locked, as stored now. */
  private async lockUser(em: EntityManager, userId: string): Promise<User> {
    const user = await em.findOne(User, { id: userId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!user) throw raise(PresenceErrors, 'USER_NOT_FOUND');
    return user;
  }

  /** Within the caller's transaction: the new status and its log entry (PRE-4). */
  private changeIn(
    em: EntityManager,
    user: User,
    to: UserStatus,
    reason: StatusChangeReason,
    changedBy: string | null,
  ): PresenceChange {
    em.create(StatusLog, {
      tenant: user.tenant,
      user: user.id,
      fromStatus: user.status,
      toStatus: to,
      reason,
      changedBy,
    });
    user.status = to;
    return { presence: presenceOf(user), freed: to === UserStatus.ONLINE };
  }

  /** After the commit: colleagues' lists update live, and capacity that grew is offered to the queue. */
  private async announce(change: PresenceChange): Promise<void> {
    const { tenantId, userId } = change.presence;
    await this.bus.publish(presenceTopic(tenantId), change.presence);
    if (!change.freed) return;
    try {
      await this.assignment.agentFreed(tenantId, userId);
    } catch (e) {
      // The change stands; the queue is pulled again at the next close, transfer or status change.
      this.log.error({ err: e, tenantId, userId }, 'assignment after a presence change failed');
    }
  }

  private async logs(
    scope: ServiceScope,
    userId: string | undefined,
    args: MyStatusLogsArgs,
  ): Promise<ResultPage<StatusLog>> {
    if (args.from && args.to && args.to < args.from) throw raise(PresenceErrors, 'RANGE_REVERSED');
    const { offset, limit } = pageWindow(args);
    const where: FilterQuery<StatusLog> = {};
    if (userId) where.user = userId;
    if (args.from && args.to) where.createdAt = { $gte: args.from, $lte: args.to };
    else if (args.from) where.createdAt = { $gte: args.from };
    else if (args.to) where.createdAt = { $lte: args.to };
    const [items, totalCount] = await scope.em.findAndCount(StatusLog, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      offset,
      limit,
    });
    return { items, totalCount, offset, limit };
  }

  private track(work: Promise<void>): void {
    const tracked = work
      .catch((e: unknown) => this.log.error({ err: e }, 'presence update failed'))
      .finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }
}

interface PresenceChange {
  presence: UserPresenceDto;
  /** The user may take more conversations than before. */
  freed: boolean;
}

function presenceOf(user: User): UserPresenceDto {
  return { tenantId: user.tenant, userId: user.id, status: user.status, maxConversations: user.maxConversations };
}
