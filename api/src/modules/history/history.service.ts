import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Page, ScopedArea } from '../../platform/auth/pages';
import { scopeOf, type StaffPrincipal } from '../../platform/auth/principal';
import { type ServiceScope, staffOf } from '../../platform/auth/scope';
import { likeContains } from '../../platform/database/like';
import { scopedSql } from '../../platform/database/scoped-query';
import { raise } from '../../platform/errors/app-error';
import { type Page as ResultPage, pageWindow } from '../../platform/graphql/connection';
import { ChannelAccount } from '../channel/channel.entity';
import { Conversation, ConversationAgent, ConversationState, Message } from '../conversation/conversation.entity';
import type { ConversationService } from '../conversation/conversation.service';
import { Customer } from '../customer/customer.entity';
import type { CustomerListService } from '../customer/customer-list.service';
import { ConversationTag } from '../tag/tag.entity';
import { Team } from '../team/team.entity';
import { TransferState } from '../transfer/transfer.entity';
import { User } from '../user/user.entity';
import { HistoryErrors } from './history.errors';
import type { HistoryArgs, HistoryFilter, SearchMessagesArgs } from './history.inputs';
import { ConsoleMode, HistoryEntry, HistoryOrder, type MessageHit, type TextRange } from './history.types';

const DAY_MS = 24 * 60 * 60 * 1000;
export const SEARCH_DEFAULT_DAYS = 30;
export const SEARCH_MAX_DAYS = 366;
/** Search counts matches up to this many; beyond it the count says "500+". */
export const SEARCH_COUNT_CAP = 500;
// A transfer that moved the conversation; declined, expired and cancelled offers left it where it was.
const MOVED = [TransferState.COMPLETED, TransferState.QUEUED];

/** A SQL condition with its `?` parameters, in order. */
export interface Clause {
  sql: string;
  params: unknown[];
}

/** `true`: no restriction; `null`: nothing is visible; otherwise the condition. */
export type Reach = Clause | true | null;

/** Conditions joined with `and`, each with its parameters. */
export class SqlWhere {
  private readonly parts: string[] = [];
  readonly params: unknown[] = [];

  add(sql: string, ...params: unknown[]): this {
    this.parts.push(sql);
    this.params.push(...params);
    return this;
  }

  /** Adds a reach; false when it makes the result empty. */
  reach(reach: Reach): boolean {
    if (reach === null) return false;
    if (reach !== true) this.add(`(${reach.sql})`, ...reach.params);
    return true;
  }

  get sql(): string {
    return this.parts.length ? this.parts.join(' and ') : 'true';
  }
}

/** The union of reaches: any of them grants. */
export function anyOf(reaches: Reach[]): Reach {
  if (reaches.includes(true)) return true;
  const clauses = reaches.filter((r): r is Clause => r !== null && r !== true);
  if (!clauses.length) return null;
  return { sql: clauses.map((c) => `(${c.sql})`).join(' or '), params: clauses.flatMap((c) => c.params) };
}

/**
 * The mode a list runs in: the one asked for, or Admin Mode when the role grants its page and
 * Agent Mode otherwise. The role must grant the mode's page; Agent Mode is about the caller's own
 * conversations, so it needs a user.
 */
export function modeOf(
  p: StaffPrincipal,
  asked: ConsoleMode | null | undefined,
  agentPage: Page,
  adminPage: Page,
): ConsoleMode {
  const mode = asked ?? (p.pages.has(adminPage) ? ConsoleMode.ADMIN : ConsoleMode.AGENT);
  const page = mode === ConsoleMode.ADMIN ? adminPage : agentPage;
  if (!p.pages.has(page)) {
    throw raise(HistoryErrors, 'MODE_NOT_GRANTED', undefined, `Your role does not grant the ${page} page`);
  }
  if (mode === ConsoleMode.AGENT && p.kind !== 'user') throw raise(HistoryErrors, 'AGENT_MODE_USERS_ONLY');
  return mode;
}

/**
 * Conversations (alias `c`) the user took part in. An uncorrelated `in` lets the planner read the
 * user's parts once through their (tenant, user) index instead of probing per conversation.
 */
export function servedBy(tenantId: string, userId: string): Clause {
  return {
    sql: 'c.id in (select ca.conversation_id from conversation_agent ca where ca.tenant_id = ? and ca.user_id = ?)',
    params: [tenantId, userId],
  };
}

/** Conversations (alias `c`) within a data scope: tenant-wide, or of the principal's teams. */
export function teamReach(p: StaffPrincipal, area: ScopedArea): Reach {
  const scope = scopeOf(p, area);
  if (scope.tenantWide) return true;
  return scope.teamIds.length ? { sql: 'c.team_id in (?)', params: [[...scope.teamIds]] } : null;
}

/**
 * History (HIS-1), keyword search (HIS-2) and the interaction record (CNV-11): read-only views
 * over conversations, each narrowed by mode and data scope in SQL (counts included).
 *
 * Agent Mode: the conversations the user served. Admin Mode: closed conversations within the
 * HISTORY data scope (TEAM: the conversation's team is one of the user's teams).
 */
export class HistoryService {
  constructor(
    private readonly conversations: ConversationService,
    private readonly customerList: CustomerListService,
  ) {}

  /** Closed conversations, newest first, filtered (HIS-1). */
  async list(scope: ServiceScope, args: HistoryArgs): Promise<ResultPage<HistoryEntry>> {
    const staff = staffOf(scope);
    const mode = modeOf(staff, args.mode, Page.AGENT_HISTORY, Page.ADMIN_HISTORY);
    const { offset, limit } = pageWindow(args);
    const filter = args.filter ?? {};
    await this.checkFilterIds(scope.em, filter);
    const where = new SqlWhere().add(`c.state = '${ConversationState.CLOSED}'`);
    const visible = where.reach(this.historyReach(staff, mode)) && this.historyFilter(where, filter, staff.tenantId);
    if (!visible) return { items: [], totalCount: 0, offset, limit };
    const order = args.orderBy === HistoryOrder.CLOSED ? 'c.closed_at desc, c.id desc' : 'c.created_at desc, c.id desc';
    return this.conversationPage(scope, staff, where, order, offset, limit);
  }

  /** One closed conversation under the history rule of any mode the role grants; NOT_FOUND otherwise. */
  async entry(scope: ServiceScope, id: string): Promise<HistoryEntry> {
    const staff = staffOf(scope);
    const reaches: Reach[] = [];
    if (staff.pages.has(Page.AGENT_HISTORY) && staff.kind === 'user')
      reaches.push(servedBy(staff.tenantId, staff.userId));
    if (staff.pages.has(Page.ADMIN_HISTORY)) reaches.push(teamReach(staff, ScopedArea.HISTORY));
    const where = new SqlWhere().add(`c.state = '${ConversationState.CLOSED}'`).add('c.id = ?', id);
    const page = where.reach(anyOf(reaches)) ? await this.conversationPage(scope, staff, where, 'c.id', 0, 1) : null;
    const found = page?.items[0];
    if (!found) throw raise(HistoryErrors, 'NOT_FOUND');
    return found;
  }

  /**
   * Messages containing the keyword (HIS-2), newest first, within a window (default the last 30
   * days). Agent Mode (AGENT_SEARCH): the conversations the user served, open or closed. Admin
   * Mode (ADMIN_HISTORY): closed conversations within the HISTORY scope, open ones within the
   * ONGOING scope when the role also grants ADMIN_MONITOR, and the user's own — exactly what
   * `conversation(id)` then lets them open.
   */
  async search(scope: ServiceScope, args: SearchMessagesArgs): Promise<ResultPage<MessageHit> & { capped: boolean }> {
    const staff = staffOf(scope);
    const mode = modeOf(staff, args.mode, Page.AGENT_SEARCH, Page.ADMIN_HISTORY);
    const { offset, limit } = pageWindow(args);
    const keyword = args.keyword.trim();
    if (!keyword) throw raise(HistoryErrors, 'KEYWORD_BLANK');
    const filter = args.filter ?? {};
    const to = filter.to ?? new Date();
    const from = filter.from ?? new Date(to.getTime() - SEARCH_DEFAULT_DAYS * DAY_MS);
    if (from >= to) throw raise(HistoryErrors, 'BAD_RANGE');
    if (to.getTime() - from.getTime() > SEARCH_MAX_DAYS * DAY_MS) throw raise(HistoryErrors, 'WINDOW_TOO_LONG');
    if (filter.channelAccountId) await this.mustExist(scope.em, ChannelAccount, [filter.channelAccountId]);
    if (filter.tagIds?.length) await this.mustExist(scope.em, ConversationTag, filter.tagIds);

    const where = new SqlWhere().add('m.created_at >= ? and m.created_at < ?', from, to).add('m.recalled_at is null');
    // Two characters side by side make a pair the GIN index knows: it narrows the rows, ILIKE
    // confirms the substring. A lone character has no pair: ILIKE alone, within the window.
    if (/\S\S/u.test(keyword)) where.add('parley_grams(m.text) @> parley_grams(?)', keyword);
    where.add('m.text ilike ?', likeContains(keyword));
    // Conditions on the conversation go into one `exists`, left out when there are none (a
    // tenant-wide admin without filters): then no conversation is read per matching message.
    const conv = new SqlWhere();
    if (!conv.reach(this.searchReach(staff, mode))) return { items: [], totalCount: 0, offset, limit, capped: false };
    if (filter.channel) conv.add('c.channel = ?', filter.channel);
    if (filter.channelAccountId) conv.add('c.channel_account_id = ?', filter.channelAccountId);
    if (filter.tagIds?.length) conv.add(taggedWith(), [...filter.tagIds]);
    if (conv.sql !== 'true') {
      where.add(
        `exists (select 1 from conversation c where c.tenant_id = m.tenant_id and c.id = m.conversation_id and ${conv.sql})`,
        ...conv.params,
      );
    }

    // The page and a count that stops at SEARCH_COUNT_CAP: a common word matches tens of thousands
    // of messages, and counting them all would cost more than finding the page.
    const [rows, counted] = await Promise.all([
      scopedSql<{ id: string; conversationId: string }>(
        scope.em,
        staff,
        `select m.id, m.conversation_id as "conversationId"
           from message m
          where m.tenant_id = ? and ${where.sql}
          order by m.created_at desc, m.id desc
          limit ? offset ?`,
        [...where.params, limit, offset],
      ),
      this.countUpTo(scope, staff, where, SEARCH_COUNT_CAP + 1),
    ]);
    const capped = counted > SEARCH_COUNT_CAP;
    const totalCount = capped ? SEARCH_COUNT_CAP : counted;
    const messages = await scope.em.find(Message, { id: { $in: rows.map((r) => r.id) } });
    const conversations = await scope.em.find(Conversation, { id: { $in: rows.map((r) => r.conversationId) } });
    const byId = new Map(messages.map((m) => [m.id, m]));
    const customerOf = new Map(conversations.map((c) => [c.id, c.customer.id]));
    const items = rows.flatMap((r) => {
      const message = byId.get(r.id);
      const customerId = customerOf.get(r.conversationId);
      return message && customerId
        ? [
            {
              message,
              conversationId: r.conversationId,
              customerId,
              highlights: highlightsOf(message.text ?? '', keyword),
            },
          ]
        : [];
    });
    return { items, totalCount, offset, limit, capped };
  }

  /**
   * A customer's earlier (closed) conversations, newest first (CNV-11, HIS-3). The whole record
   * for an agent serving the customer now and for whoever may see the customer on the Customers
   * pages; otherwise, through the History pages, the conversations those pages show; NOT_FOUND
   * when none of that applies.
   */
  async interactions(
    scope: ServiceScope,
    customerId: string,
    args: { first?: number; after?: string },
  ): Promise<ResultPage<HistoryEntry>> {
    const staff = staffOf(scope);
    const { offset, limit } = pageWindow(args);
    const customer = await scope.em.findOne(Customer, { id: customerId });
    if (!customer) throw raise(HistoryErrors, 'CUSTOMER_NOT_FOUND');
    const where = new SqlWhere().add(`c.state = '${ConversationState.CLOSED}'`).add('c.customer_id = ?', customer.id);
    const whole =
      (await this.servesNow(scope, staff, customer.id)) || (await this.customerList.canSee(scope, customer.id));
    let restricted = false;
    if (!whole) {
      const reaches: Reach[] = [];
      if (staff.pages.has(Page.AGENT_HISTORY) && staff.kind === 'user')
        reaches.push(servedBy(staff.tenantId, staff.userId));
      if (staff.pages.has(Page.ADMIN_HISTORY)) reaches.push(teamReach(staff, ScopedArea.HISTORY));
      if (!where.reach(anyOf(reaches))) throw raise(HistoryErrors, 'CUSTOMER_NOT_FOUND');
      restricted = true;
    }
    const page = await this.conversationPage(scope, staff, where, 'c.created_at desc, c.id desc', offset, limit);
    // Seeing none of the customer's conversations means not seeing the customer.
    if (restricted && page.totalCount === 0) throw raise(HistoryErrors, 'CUSTOMER_NOT_FOUND');
    return page;
  }

  // ── Batches for the entries' fields (one statement per page each) ─────────────

  /** The users who served each conversation, in the order they first joined. */
  async agentsOf(scope: ServiceScope, conversationIds: readonly string[]): Promise<User[][]> {
    const parts = await scope.em.find(
      ConversationAgent,
      { conversation: { $in: [...conversationIds] } },
      { orderBy: { joinedAt: 'asc', id: 'asc' }, fields: ['conversation', 'user', 'joinedAt'] },
    );
    const users = await scope.em.find(User, { id: { $in: [...new Set(parts.map((p) => p.user))] } });
    const byId = new Map(users.map((u) => [u.id, u]));
    return conversationIds.map((id) => {
      const ids = [...new Set(parts.filter((p) => p.conversation === id).map((p) => p.user))];
      return ids.flatMap((u) => byId.get(u) ?? []);
    });
  }

  /** Whether each conversation was ever moved by a transfer. */
  async transferredOf(scope: ServiceScope, conversationIds: readonly string[]): Promise<boolean[]> {
    const rows = await scopedSql<{ id: string }>(
      scope.em,
      staffOf(scope),
      `select distinct t.conversation_id as id from transfer t
        where t.tenant_id = ? and t.conversation_id in (?) and t.state in (?)`,
      [[...conversationIds], MOVED],
    );
    const moved = new Set(rows.map((r) => r.id));
    return conversationIds.map((id) => moved.has(id));
  }

  /** The full conversation when the caller may open it (`conversation(id)` rules), else null. */
  async openable(scope: ServiceScope, conversation: Conversation): Promise<Conversation | null> {
    return (await this.conversations.canView(scope, conversation)) ? conversation : null;
  }

  // ── Internals ─────────────────────────────────────────────────────────────────

  private historyReach(p: StaffPrincipal, mode: ConsoleMode): Reach {
    if (mode === ConsoleMode.AGENT) return p.kind === 'user' ? servedBy(p.tenantId, p.userId) : null;
    return teamReach(p, ScopedArea.HISTORY);
  }

  private searchReach(p: StaffPrincipal, mode: ConsoleMode): Reach {
    const mine = p.kind === 'user' ? servedBy(p.tenantId, p.userId) : null;
    if (mode === ConsoleMode.AGENT) return mine;
    const history = teamReach(p, ScopedArea.HISTORY);
    const ongoing = p.pages.has(Page.ADMIN_MONITOR) ? teamReach(p, ScopedArea.ONGOING) : null;
    // Both areas tenant-wide: every conversation, no condition at all.
    if (history === true && ongoing === true) return true;
    return anyOf([
      withState(`c.state = '${ConversationState.CLOSED}'`, history),
      withState(`c.state <> '${ConversationState.CLOSED}'`, ongoing),
      mine,
    ]);
  }

  /** Adds the history filters; false when they cannot match anything. */
  private historyFilter(where: SqlWhere, f: HistoryFilter, tenantId: string): boolean {
    if (f.customerId) where.add('c.customer_id = ?', f.customerId);
    const customer = f.customer?.trim();
    if (customer) {
      const like = likeContains(customer);
      where.add(
        'exists (select 1 from customer cu where cu.tenant_id = c.tenant_id and cu.id = c.customer_id and (cu.external_id ilike ? or cu.nickname ilike ? or cu.real_name ilike ?))',
        like,
        like,
        like,
      );
    }
    if (f.agentId) where.reach(servedBy(tenantId, f.agentId));
    if (f.startedFrom) where.add('c.created_at >= ?', f.startedFrom);
    if (f.startedTo) where.add('c.created_at < ?', f.startedTo);
    if (f.closedFrom) where.add('c.closed_at >= ?', f.closedFrom);
    if (f.closedTo) where.add('c.closed_at < ?', f.closedTo);
    if (f.startedFrom && f.startedTo && f.startedFrom >= f.startedTo) throw raise(HistoryErrors, 'BAD_RANGE');
    if (f.closedFrom && f.closedTo && f.closedFrom >= f.closedTo) throw raise(HistoryErrors, 'BAD_RANGE');
    if (f.tagIds) {
      if (!f.tagIds.length) return false;
      where.add(taggedWith(), [...f.tagIds]);
    }
    if (f.transferred !== null && f.transferred !== undefined) {
      where.add(
        `${f.transferred ? '' : 'not '}exists (select 1 from transfer t where t.tenant_id = c.tenant_id and t.conversation_id = c.id and t.state in (?))`,
        MOVED,
      );
    }
    if (f.channel) where.add('c.channel = ?', f.channel);
    if (f.channelAccountId) where.add('c.channel_account_id = ?', f.channelAccountId);
    if (f.teamId) where.add('c.team_id = ?', f.teamId);
    return true;
  }

  /** Ids named by a filter must exist in the tenant: another tenant's id is NOT_FOUND, as a missing one. */
  private async checkFilterIds(em: EntityManager, f: HistoryFilter): Promise<void> {
    if (f.customerId) await this.mustExist(em, Customer, [f.customerId]);
    if (f.agentId) await this.mustExist(em, User, [f.agentId]);
    if (f.channelAccountId) await this.mustExist(em, ChannelAccount, [f.channelAccountId]);
    if (f.teamId) await this.mustExist(em, Team, [f.teamId]);
    if (f.tagIds?.length) await this.mustExist(em, ConversationTag, f.tagIds);
  }

  private async mustExist<T extends { id: string }>(em: EntityManager, entity: EntityClass<T>, ids: string[]) {
    const unique = [...new Set(ids)];
    const found = await em.count(entity, { id: { $in: unique } } as never);
    if (found !== unique.length) throw raise(HistoryErrors, 'FILTER_NOT_FOUND');
  }

  /** One page of conversations (alias `c`) as history entries, with the total. */
  private async conversationPage(
    scope: ServiceScope,
    staff: StaffPrincipal,
    where: SqlWhere,
    order: string,
    offset: number,
    limit: number,
  ): Promise<ResultPage<HistoryEntry>> {
    // The page and the count apart: the page can then stop after `limit` rows of an index in
    // the right order, instead of ranking every match to count them.
    const [rows, counted] = await Promise.all([
      scopedSql<{ id: string }>(
        scope.em,
        staff,
        `select c.id from conversation c where c.tenant_id = ? and ${where.sql} order by ${order} limit ? offset ?`,
        [...where.params, limit, offset],
      ),
      scopedSql<{ total: number }>(
        scope.em,
        staff,
        `select count(*)::int as total from conversation c where c.tenant_id = ? and ${where.sql}`,
        where.params,
      ),
    ]);
    const totalCount = counted[0]?.total ?? 0;
    const found = await scope.em.find(Conversation, { id: { $in: rows.map((r) => r.id) } });
    const byId = new Map(found.map((c) => [c.id, c]));
    const items = rows.flatMap((r) => {
      const c = byId.get(r.id);
      return c ? [new HistoryEntry(c)] : [];
    });
    return { items, totalCount, offset, limit };
  }

  private async countUpTo(scope: ServiceScope, staff: StaffPrincipal, where: SqlWhere, max: number): Promise<number> {
    const [row] = await scopedSql<{ total: number }>(
      scope.em,
      staff,
      `select count(*)::int as total from (select 1 from message m where m.tenant_id = ? and ${where.sql} limit ?) s`,
      [...where.params, max],
    );
    return row?.total ?? 0;
  }

  private async servesNow(scope: ServiceScope, staff: StaffPrincipal, customerId: string): Promise<boolean> {
    if (staff.kind !== 'user' || !staff.pages.has(Page.AGENT_CONVERSATIONS)) return false;
    const open = await scope.em.find(
      Conversation,
      { customer: customerId, state: { $ne: ConversationState.CLOSED } },
      { fields: ['id'] },
    );
    if (!open.length) return false;
    const parts = await scope.em.count(ConversationAgent, {
      conversation: { $in: open.map((c) => c.id) },
      user: staff.userId,
      leftAt: null,
    });
    return parts > 0;
  }
}

/** Conversations (alias `c`) carrying any of the tags given as one array parameter. */
function taggedWith(): string {
  return 'exists (select 1 from conversation_tagging ct where ct.tenant_id = c.tenant_id and ct.conversation_id = c.id and ct.tag_id in (?))';
}

/** The reach narrowed to conversations in a state. */
function withState(state: string, reach: Reach): Reach {
  if (reach === null) return null;
  if (reach === true) return { sql: state, params: [] };
  return { sql: `${state} and ${reach.sql}`, params: reach.params };
}

/** Where the keyword occurs in the text, case-insensitive. */
export function highlightsOf(text: string, keyword: string): TextRange[] {
  const pattern = new RegExp(keyword.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'giu');
  return [...text.matchAll(pattern)].map((m) => ({ start: m.index, length: m[0].length }));
}
