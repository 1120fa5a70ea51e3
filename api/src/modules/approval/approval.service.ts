import { type FilterQuery, LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Page } from '../../platform/auth/pages';
import { type ServiceScope, staffOf, tenantOf, userOf } from '../../platform/auth/scope';
import { raise } from '../../platform/errors/app-error';
import { type Page as ResultPage, pageWindow } from '../../platform/graphql/connection';
import type { EventBus } from '../../platform/pubsub/event-bus';
import { nextTenantNumber } from '../../platform/database/advisory-lock';
import { type Notification, NotificationKind, NotificationSubject } from '../notification/notification.entity';
import type { NotificationService } from '../notification/notification.service';
import { User } from '../user/user.entity';
import { Approval, ApprovalKind, ApprovalState } from './approval.entity';
import { ApprovalErrors } from './approval.errors';
import type { ApprovalsArgs } from './approval.inputs';

/** Work to run once the deciding transaction has committed (publishing events, waking the engine). */
export type AfterCommit = (effect: () => Promise<void>) => void;

/**
 * What a feature does when one of its requests is decided. Runs inside the deciding transaction
 * (with its EntityManager), so the decision and its effect commit together; events go through
 * `afterCommit`.
 */
export type DecisionHandler = (
  em: EntityManager,
  approval: Approval,
  approved: boolean,
  afterCommit: AfterCommit,
) => Promise<void>;

/** What travels on the bus (plain JSON). */
export interface ApprovalDto {
  id: string;
  tenant: string;
  number: number;
  kind: ApprovalKind;
  state: ApprovalState;
  requester: string;
  payload: Record<string, unknown>;
  reason: string | null;
  decidedBy: string | null;
  decidedAt: string | null;
  remark: string | null;
  createdAt: string;
  updatedAt: string;
}

export const approvalsTopic = (tenantId: string) => `tenant:${tenantId}:approvals`;

const MAX_REASON = 500;
/** Kinds where a newer request replaces the requester's pending one (one wish at a time). */
const SUPERSEDED_BY_NEWER: ReadonlySet<ApprovalKind> = new Set([ApprovalKind.STATUS_CHANGE]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Requests that wait for an admin (APR-1): agents' status changes, blacklist additions, … Each
 * feature registers what happens on a decision (`onDecided`); this service owns the request's life:
 * pending → approved | rejected | cancelled, the admins' alerts and the requester's notification.
 */
export class ApprovalService {
  private readonly handlers = new Map<ApprovalKind, DecisionHandler>();

  constructor(
    private readonly notifications: NotificationService,
    private readonly bus: EventBus,
  ) {}

  /** Registers the effect of a decision on requests of this kind (one handler per kind). */
  onDecided(kind: ApprovalKind, handler: DecisionHandler): void {
    if (this.handlers.has(kind)) throw new Error(`A decision handler for ${kind} is already registered`);
    this.handlers.set(kind, handler);
  }

  /**
   * Files a PENDING request by the signed-in user and alerts the admins who decide approvals.
   * Commits on its own (call it outside a transaction); a newer STATUS_CHANGE request cancels the
   * requester's pending one.
   */
  async request(
    scope: ServiceScope,
    kind: ApprovalKind,
    payload: Record<string, unknown>,
    reason: string | null,
  ): Promise<Approval> {
    const me = userOf(scope);
    const text = reason?.trim() || null;
    if (text && text.length > MAX_REASON) throw raise(ApprovalErrors, 'REASON_TOO_LONG');
    const { approval, superseded, notes } = await scope.em.transactional(async (em) => {
      // The requester's row lock serialises their requests, so only one of a kind stays pending.
      const requester = await em.findOneOrFail(
        User,
        { id: me.userId },
        SUPERSEDED_BY_NEWER.has(kind) ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {},
      );
      const superseded = SUPERSEDED_BY_NEWER.has(kind) ? await this.cancelPendingIn(em, me.userId, kind) : [];
      const approval = em.create(Approval, {
        tenant: me.tenantId,
        number: await nextTenantNumber(em, 'approval', me.tenantId),
        kind,
        requester: me.userId,
        payload,
        reason: text,
      });
      const subject = subjectOf(approval);
      const notes = (await this.approverIds(em))
        .filter((id) => id !== me.userId)
        .map((recipient) =>
          this.notifications.create(
            { ...scope, em },
            {
              recipient,
              kind: NotificationKind.SYSTEM,
              title: 'New approval request',
              body: `${requester.nickname} asks ${describe(approval)}.${text ? ` Reason: ${text}` : ''}`,
              ...subject,
            },
          ),
        );
      return { approval, superseded, notes };
    });
    await this.published([...superseded, approval], notes);
    return approval;
  }

  /**
   * Within the caller's transaction: cancels the requester's pending requests of this kind (the
   * requester acted otherwise). Pass the result to `published` after the commit.
   */
  async cancelPendingIn(em: EntityManager, requesterId: string, kind: ApprovalKind): Promise<Approval[]> {
    const pending = await em.find(
      Approval,
      { requester: requesterId, kind, state: ApprovalState.PENDING },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    const now = new Date();
    for (const approval of pending) {
      approval.state = ApprovalState.CANCELLED;
      approval.decidedAt = now;
    }
    return pending;
  }

  /** After a commit: tells live approval lists about these requests and delivers the notifications. */
  async published(approvals: Approval[], notes: Notification[] = []): Promise<void> {
    for (const note of notes) await this.notifications.publish(note);
    for (const approval of approvals) await this.bus.publish(approvalsTopic(approval.tenant), toApprovalDto(approval));
  }

  async list(scope: ServiceScope, args: ApprovalsArgs): Promise<ResultPage<Approval>> {
    return this.page(scope, filterOf(args, null), args);
  }

  async listMine(scope: ServiceScope, args: ApprovalsArgs): Promise<ResultPage<Approval>> {
    return this.page(scope, filterOf(args, userOf(scope).userId), args);
  }

  /** An admin approves or rejects a pending request; the kind's handler runs in the same transaction. */
  async decide(scope: ServiceScope, id: string, approve: boolean, remark: string | null): Promise<Approval> {
    const actor = staffOf(scope);
    const deciderId = actor.kind === 'user' ? actor.userId : null;
    const effects: (() => Promise<void>)[] = [];
    const { approval, note } = await scope.em.transactional(async (em) => {
      const found = await em.findOne(Approval, { id });
      if (!found) throw raise(ApprovalErrors, 'NOT_FOUND');
      // Locks in one order everywhere: the requester's row (as `request` and status changes take it), then the request.
      await em.findOne(User, { id: found.requester }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const approval = await em.findOneOrFail(
        Approval,
        { id },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      if (deciderId === approval.requester) throw raise(ApprovalErrors, 'OWN_REQUEST');
      assertPending(approval);
      approval.state = approve ? ApprovalState.APPROVED : ApprovalState.REJECTED;
      approval.decidedBy = deciderId;
      approval.decidedAt = new Date();
      approval.remark = remark?.trim() || null;
      await this.handlers.get(approval.kind)?.(em, approval, approve, (effect) => effects.push(effect));
      const note = this.notifications.create(
        { ...scope, em },
        {
          recipient: approval.requester,
          kind: NotificationKind.SYSTEM,
          title: approve ? 'Request approved' : 'Request rejected',
          body:
            `An admin ${approve ? 'approved' : 'rejected'} your request ${describe(approval, 'your')}.` +
            (approval.remark ? ` Remark: ${approval.remark}` : ''),
          ...subjectOf(approval),
        },
      );
      return { approval, note };
    });
    await this.published([approval], [note]);
    for (const effect of effects) {
      // The decision stands; a failing follow-up is logged, not reported as a failed decision.
      await effect().catch((e: unknown) =>
        scope.log.error({ err: e, approvalId: approval.id }, 'approval effect failed'),
      );
    }
    return approval;
  }

  /** The requester withdraws a pending request. */
  async cancel(scope: ServiceScope, id: string): Promise<Approval> {
    const me = userOf(scope);
    const approval = await scope.em.transactional(async (em) => {
      const approval = await em.findOne(
        Approval,
        { id, requester: me.userId },
        { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
      );
      // Someone else's request reads as missing, like an id that does not exist.
      if (!approval) throw raise(ApprovalErrors, 'NOT_FOUND');
      assertPending(approval);
      approval.state = ApprovalState.CANCELLED;
      approval.decidedAt = new Date();
      return approval;
    });
    await this.published([approval]);
    return approval;
  }

  /** Changes of the tenant's requests (filed, decided, cancelled), live. */
  subscribe(scope: ServiceScope, signal?: AbortSignal): AsyncIterableIterator<ApprovalDto> {
    return this.bus.subscribe(approvalsTopic(tenantOf(scope)), signal);
  }

  /** Users of the tenant whose role grants the approvals page. */
  private async approverIds(em: EntityManager): Promise<string[]> {
    const users = await em.find(
      User,
      { enabled: true, deletedAt: null, role: { pages: { $contains: [Page.ADMIN_APPROVALS] } } },
      { fields: ['id'] },
    );
    return users.map((u) => u.id);
  }

  private async page(
    scope: ServiceScope,
    where: FilterQuery<Approval>,
    args: ApprovalsArgs,
  ): Promise<ResultPage<Approval>> {
    const { offset, limit } = pageWindow(args);
    const [items, totalCount] = await scope.em.findAndCount(Approval, where, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      offset,
      limit,
    });
    return { items, totalCount, offset, limit };
  }
}

function filterOf(args: ApprovalsArgs, requester: string | null): FilterQuery<Approval> {
  const where: { state?: ApprovalState; kind?: ApprovalKind; requester?: string } = {};
  if (args.state) where.state = args.state;
  if (args.kind) where.kind = args.kind;
  if (requester) where.requester = requester;
  return where;
}

function assertPending(approval: Approval): void {
  if (approval.state !== ApprovalState.PENDING) {
    throw raise(
      ApprovalErrors,
      'NOT_PENDING',
      { state: approval.state },
      `This request is ${approval.state.toLowerCase()}; only pending requests can be decided or cancelled`,
    );
  }
}

/** What is asked, as a phrase: "to change their status to Busy". */
function describe(approval: Approval, whose: 'their' | 'your' = 'their'): string {
  switch (approval.kind) {
    case ApprovalKind.STATUS_CHANGE:
      return `to change ${whose} status to ${statusLabel(approval.payload.status)}`;
    case ApprovalKind.BLACKLIST:
      return 'to blacklist a customer';
    case ApprovalKind.PUBLIC_PHRASE:
      return 'to add a phrase to the public phrases';
  }
}

function statusLabel(status: unknown): string {
  const s = typeof status === 'string' ? status : '';
  return s.charAt(0) + s.slice(1).toLowerCase();
}

/** What the notification links to: the customer of a blacklist request, else the requester. */
function subjectOf(approval: Approval): { subjectType: NotificationSubject; subjectId: string } {
  const customerId = approval.payload.customerId;
  if (approval.kind === ApprovalKind.BLACKLIST && typeof customerId === 'string' && UUID.test(customerId)) {
    return { subjectType: NotificationSubject.CUSTOMER, subjectId: customerId };
  }
  return { subjectType: NotificationSubject.USER, subjectId: approval.requester };
}

export function toApprovalDto(a: Approval): ApprovalDto {
  return {
    id: a.id,
    tenant: a.tenant,
    number: a.number,
    kind: a.kind,
    state: a.state,
    requester: a.requester,
    payload: a.payload,
    reason: a.reason,
    decidedBy: a.decidedBy,
    decidedAt: a.decidedAt?.toISOString() ?? null,
    remark: a.remark,
    createdAt: a.createdAt.toISOString(),
    updatedAt: a.updatedAt.toISOString(),
  };
}

export function fromApprovalDto(dto: ApprovalDto): Approval {
  // Not `new Approval()`: its initialisers (a fresh id, timestamps) are wasted work per delivery.
  return Object.assign(Object.create(Approval.prototype) as Approval, {
    ...dto,
    decidedAt: dto.decidedAt ? new Date(dto.decidedAt) : null,
    createdAt: new Date(dto.createdAt),
    updatedAt: new Date(dto.updatedAt),
  });
}
