import { type FilterQuery, LockMode, raw } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { Page, ScopedArea } from '../../platform/auth/pages';
import { scopeOf, type StaffPrincipal } from '../../platform/auth/principal';
import { type ServiceScope, staffOf } from '../../platform/auth/scope';
import { likeContains } from '../../platform/database/like';
import { tenantFork } from '../../platform/database/tenant-filter';
import { AppError, raise } from '../../platform/errors/app-error';
import { type Page as ResultPage, pageWindow } from '../../platform/graphql/connection';
import { Approval, ApprovalKind, ApprovalState } from '../approval/approval.entity';
import type { AfterCommit, ApprovalService } from '../approval/approval.service';
import { CloseReason, Conversation, ConversationState, SenderKind } from '../conversation/conversation.entity';
import type { ConversationService } from '../conversation/conversation.service';
import type { TenantService } from '../tenant/tenant.service';
import { User } from '../user/user.entity';
import { BlacklistErrors } from './blacklist.errors';
import type { BlacklistCustomerInput, BlacklistedCustomersArgs, BlacklistLogArgs } from './blacklist.inputs';
import type { BlacklistResult } from './blacklist.types';
import { BlacklistAction, BlacklistLog, Customer } from './customer.entity';

const MAX_REASON = 500;

interface Closing {
  tenantId: string;
  customerId: string;
  operator: string | null;
}

/** What a blacklist request asks for (the approval's payload). */
interface BlacklistPayload {
  customerId: string;
  conversationId: string | null;
  reason: string;
}

/**
 * The blacklist (CNV-8, HIS-5): a blacklisted customer cannot start conversations; adding one
 * closes their open conversation; every addition and removal is logged.
 *
 * Who may add: an agent (AGENT_CONVERSATIONS) who serves or served one of the customer's
 * conversations — through an admin's approval when `blacklistNeedsApproval` is on — or a holder of
 * ADMIN_CUSTOMERS within their customer data scope, directly. Viewing and removing: AGENT_CUSTOMERS
 * for customers the agent served, ADMIN_CUSTOMERS within the data scope.
 */
export class BlacklistService {
  constructor(
    private readonly orm: MikroORM,
    private readonly conversations: ConversationService,
    private readonly tenants: TenantService,
    private readonly approvals: ApprovalService,
    private readonly log: Logger,
  ) {
    approvals.onDecided(ApprovalKind.BLACKLIST, (em, approval, approved, afterCommit) =>
      approved ? this.approved(em, approval, afterCommit) : Promise.resolve(),
    );
  }

  async add(scope: ServiceScope, input: BlacklistCustomerInput): Promise<BlacklistResult> {
    const staff = staffOf(scope);
    const reason = input.reason.trim();
    const customer = await this.visibleCustomer(scope, input.customerId, Page.AGENT_CONVERSATIONS);
    const conversationId = input.conversationId ?? null;
    if (conversationId) await this.conversationOf(scope, customer, conversationId);
    if (customer.blacklistedAt) throw raise(BlacklistErrors, 'ALREADY_BLACKLISTED');
    const asAdmin = await this.administers(scope.em, staff, customer.id);
    if (!asAdmin && (await this.tenants.settings(scope.em, staff.tenantId)).blacklistNeedsApproval) {
      return {
        customer,
        pendingApproval: await this.request(scope, { customerId: customer.id, conversationId, reason }),
      };
    }
    const operator = staff.kind === 'user' ? staff.userId : null;
    const added = await this.addIn(scope.em, customer.id, { operator, reason, logReason: reason });
    if (!added) throw raise(BlacklistErrors, 'ALREADY_BLACKLISTED');
    await this.closeOpenConversation({ tenantId: staff.tenantId, customerId: customer.id, operator });
    return { customer: added, pendingApproval: null };
  }

  async remove(scope: ServiceScope, customerId: string, reason: string | null | undefined): Promise<Customer> {
    const staff = staffOf(scope);
    const why = reason?.trim() || null;
    if (why && why.length > MAX_REASON) throw raise(BlacklistErrors, 'REASON_TOO_LONG');
    const visible = await this.visibleCustomer(scope, customerId, Page.AGENT_CUSTOMERS);
    return scope.em.transactional(async (tx) => {
      const customer = await tx.findOneOrFail(Customer, { id: visible.id }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!customer.blacklistedAt) throw raise(BlacklistErrors, 'NOT_BLACKLISTED');
      customer.blacklistedAt = null;
      customer.blacklistReason = null;
      tx.create(BlacklistLog, {
        tenant: customer.tenant,
        customer: customer.id,
        action: BlacklistAction.REMOVED,
        operator: staff.kind === 'user' ? staff.userId : null,
        reason: why,
      });
      return customer;
    });
  }

  /** Blacklisted customers the principal may see, most recently added first. */
  async listed(scope: ServiceScope, args: BlacklistedCustomersArgs): Promise<ResultPage<Customer>> {
    const { offset, limit } = pageWindow(args);
    const visible = customerScope(staffOf(scope), Page.AGENT_CUSTOMERS, 'id');
    if (!visible) return { items: [], totalCount: 0, offset, limit };
    const where: FilterQuery<Customer>[] = [{ blacklistedAt: { $ne: null } }, visible];
    const search = args.search?.trim();
    if (search) {
      const like = likeContains(search);
      where.push({
        $or: [{ externalId: { $ilike: like } }, { nickname: { $ilike: like } }, { realName: { $ilike: like } }],
      });
    }
    const [items, totalCount] = await scope.em.findAndCount(
      Customer,
      { $and: where },
      { orderBy: { blacklistedAt: 'desc', id: 'desc' }, offset, limit },
    );
    return { items, totalCount, offset, limit };
  }

  /** The blacklist log (HIS-5), newest first: of one customer, or of every customer the principal may see. */
  async history(scope: ServiceScope, args: BlacklistLogArgs): Promise<ResultPage<BlacklistLog>> {
    const { offset, limit } = pageWindow(args);
    const where: FilterQuery<BlacklistLog>[] = [];
    if (args.customerId) {
      const customer = await this.visibleCustomer(scope, args.customerId, Page.AGENT_CUSTOMERS);
      where.push({ customer: customer.id });
    } else {
      const visible = customerScope(staffOf(scope), Page.AGENT_CUSTOMERS, 'customer_id');
      if (!visible) return { items: [], totalCount: 0, offset, limit };
      where.push(visible);
    }
    const [items, totalCount] = await scope.em.findAndCount(
      BlacklistLog,
      { $and: where },
      { orderBy: { createdAt: 'desc', id: 'desc' }, offset, limit },
    );
    return { items, totalCount, offset, limit };
  }

  // ── Internals ─────────────────────────────────────────────────────────────────

  /** The customer if the principal may act on it through `agentPage` or ADMIN_CUSTOMERS; NOT_FOUND otherwise. */
  private async visibleCustomer(scope: ServiceScope, id: string, agentPage: Page): Promise<Customer> {
    const visible = customerScope(staffOf(scope), agentPage, 'id');
    const customer = visible ? await scope.em.findOne(Customer, { $and: [{ id }, visible] }) : null;
    if (!customer) throw raise(BlacklistErrors, 'CUSTOMER_NOT_FOUND');
    return customer;
  }

  /** Whether the principal acts on this customer as an admin (ADMIN_CUSTOMERS within the data scope). */
  private async administers(em: EntityManager, staff: StaffPrincipal, customerId: string): Promise<boolean> {
    const admin = customerScope(staff, null, 'id');
    return !!admin && (await em.count(Customer, { $and: [{ id: customerId }, admin] })) > 0;
  }

  /** The given conversation must be the customer's, and one the principal may see. */
  private async conversationOf(scope: ServiceScope, customer: Customer, conversationId: string): Promise<void> {
    const conversation = await this.conversations.get(scope, conversationId).catch((e: unknown) => {
      if (e instanceof AppError && e.extensions.code === 'NOT_FOUND') return null;
      throw e;
    });
    if (!conversation || conversation.customer.id !== customer.id) {
      throw raise(BlacklistErrors, 'CONVERSATION_NOT_FOUND');
    }
  }

  /** An agent's request for an admin's approval; a pending one for the same customer is returned as it is. */
  private async request(scope: ServiceScope, payload: BlacklistPayload): Promise<Approval> {
    const pending = await scope.em.findOne(
      Approval,
      { kind: ApprovalKind.BLACKLIST, state: ApprovalState.PENDING, payload: { customerId: payload.customerId } },
      { orderBy: { createdAt: 'asc' } },
    );
    if (pending) return pending;
    return this.approvals.request(scope, ApprovalKind.BLACKLIST, { ...payload }, payload.reason);
  }

  /**
   * An admin approved an agent's request: the customer goes on the blacklist in the deciding
   * transaction, with the deciding admin as the operator and the requester named in the logged
   * reason. Closing the open conversation publishes events, so it runs once that transaction has
   * committed (and checks the blacklist again then).
   */
  private async approved(em: EntityManager, approval: Approval, afterCommit: AfterCommit): Promise<void> {
    const payload = approval.payload as Partial<BlacklistPayload>;
    if (typeof payload.customerId !== 'string' || typeof payload.reason !== 'string') {
      this.log.warn({ approvalId: approval.id }, 'blacklist approval without customer or reason; nothing applied');
      return;
    }
    const requester = await em.findOne(User, { id: approval.requester, tenant: approval.tenant });
    const note = ` (requested by ${requester?.nickname ?? 'a former user'}, approved)`;
    const logReason = payload.reason.slice(0, MAX_REASON - note.length) + note;
    const operator = approval.decidedBy;
    const added = await this.addIn(
      em,
      payload.customerId,
      { operator, reason: payload.reason, logReason },
      approval.tenant,
    );
    if (!added) return;
    const closing = { tenantId: approval.tenant, customerId: added.id, operator };
    afterCommit(() => this.closeOpenConversation(closing));
  }

  /** Puts the customer on the blacklist and logs it; null when already there (or gone). */
  private async addIn(
    em: EntityManager,
    customerId: string,
    entry: { operator: string | null; reason: string; logReason: string },
    tenantId?: string,
  ): Promise<Customer | null> {
    return em.transactional(async (tx) => {
      const customer = await tx.findOne(
        Customer,
        { id: customerId, ...(tenantId ? { tenant: tenantId } : {}) },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!customer || customer.blacklistedAt) return null;
      customer.blacklistedAt = new Date();
      customer.blacklistReason = entry.reason.slice(0, MAX_REASON);
      tx.create(BlacklistLog, {
        tenant: customer.tenant,
        customer: customer.id,
        action: BlacklistAction.ADDED,
        operator: entry.operator,
        reason: entry.logReason,
      });
      return customer;
    });
  }

  /** Ends the customer's open conversation, if they are (still) blacklisted and have one. */
  private async closeOpenConversation({ tenantId, customerId, operator }: Closing): Promise<void> {
    const em = tenantFork(this.orm.em, tenantId);
    const customer = await em.findOne(Customer, { id: customerId });
    if (!customer?.blacklistedAt) return;
    const open = await em.findOne(Conversation, { customer: customerId, state: { $ne: ConversationState.CLOSED } });
    if (!open) return;
    await this.conversations
      .end(em, open.id, { closedBy: SenderKind.AGENT, reason: CloseReason.BLACKLISTED, actor: operator })
      .catch((e: unknown) => {
        // Closed meanwhile by someone else: nothing left to do.
        if (e instanceof AppError && e.extensions.reason === 'CLOSED') return;
        throw e;
      });
  }
}

/**
 * The customers a principal may see, as a condition on a customer id column of the queried
 * entity: every one with ADMIN_CUSTOMERS and a tenant-wide customer scope; with a team scope,
 * those with a conversation of the principal's teams; through `agentPage` (none: the admin reach
 * alone), those with a conversation the user took part in. Null when none.
 */
function customerScope(p: StaffPrincipal, agentPage: Page | null, customerColumn: string): FilterQuery<never> | null {
  const clauses: ((alias: string) => string)[] = [];
  const params: unknown[] = [];
  if (p.pages.has(Page.ADMIN_CUSTOMERS)) {
    const area = scopeOf(p, ScopedArea.CUSTOMERS);
    if (area.tenantWide) return {};
    if (area.teamIds.length) {
      clauses.push(
        (a) =>
          `exists (select 1 from conversation v where v.tenant_id = ${a}.tenant_id and v.customer_id = ${a}.${customerColumn}` +
          ` and v.team_id in (${area.teamIds.map(() => '?').join(', ')}))`,
      );
      params.push(...area.teamIds);
    }
  }
  if (agentPage && p.kind === 'user' && p.pages.has(agentPage)) {
    clauses.push(
      (a) =>
        `exists (select 1 from conversation_agent ca join conversation v on v.tenant_id = ca.tenant_id and v.id = ca.conversation_id` +
        ` where ca.tenant_id = ${a}.tenant_id and ca.user_id = ? and v.customer_id = ${a}.${customerColumn})`,
    );
    params.push(p.userId);
  }
  if (!clauses.length) return null;
  return { [raw((a: string) => `(${clauses.map((c) => c(a)).join(' or ')})`, params)]: [] } as FilterQuery<never>;
}
