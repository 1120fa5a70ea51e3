import { LockMode, type FilterQuery } from '@mikro-orm/core';
import type { Logger } from 'pino';
import { v7 as uuidv7 } from 'uuid';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Page } from '../../platform/auth/pages';
import { isStaff, scopeOf, type StaffPrincipal, type VisitorPrincipal } from '../../platform/auth/principal';
import { type ServiceScope, staffOf, tenantScoped, userOf } from '../../platform/auth/scope';
import { ScopedArea } from '../../platform/auth/pages';
import { isUniqueViolation } from '../../platform/database/db-errors';
import type { PreparedSql, PreparedStatement } from '../../platform/database/prepared-sql';
import { raise } from '../../platform/errors/app-error';
import { Batcher, failed, type Outcome, succeeded } from '../../platform/concurrency/batcher';
import { type Page as ResultPage, pageWindow, type ConnectionArgs } from '../../platform/graphql/connection';
import { type EventBus, topics } from '../../platform/pubsub/event-bus';
import type { AttachmentService } from '../attachment/attachment.service';
import type { RouteCustomer, RoutingService } from '../routing/routing.service';
import type { TenantService } from '../tenant/tenant.service';
import type { ChannelType } from '../channel/channel.entity';
import {
  CloseReason,
  Conversation,
  ConversationAgent,
  ConversationState,
  LeftHow,
  Message,
  MessageType,
  SenderKind,
} from './conversation.entity';
import { ConversationErrors } from './conversation.errors';
import {
  type ConversationChangeDto,
  ConversationChangeKind,
  type MessageEventDto,
  MessageEventKind,
  toMessageDto,
} from './conversation.events';
import type { MessageInput, MessagesArgs } from './conversation.inputs';

export const RECALL_WINDOW_MS = 2 * 60 * 1000;
const PREVIEW_LENGTH = 200;
const FEED_BATCH = 200;
const ATTACHED = new Set([MessageType.IMAGE, MessageType.FILE, MessageType.VOICE, MessageType.VIDEO]);

/** How a conversation ends: who closed it, why, and an optional message to the customer first. */
export interface Ending {
  closedBy: SenderKind;
  /** The reason, or a function of the serving agents' ids that returns it or refuses the close. */
  reason: CloseReason | ((serving: string[]) => CloseReason);
  /** The user who closed it, if any. */
  actor?: string | null;
  /** Sent to the customer before the closing notice. */
  text?: string;
  /** Runs in the closing transaction with the conversation locked (e.g. to refuse it). */
  before?: (em: EntityManager, conversation: Conversation) => Promise<void>;
}

export interface ClosedConversation {
  conversation: Conversation;
  /** The agents who were serving it. */
  agents: string[];
  reason: CloseReason;
  actor: string | null;
}

export type CloseListener = (closed: ClosedConversation) => Promise<void>;
/** Runs in the closing transaction with the conversation locked: may refuse the close (by throwing) or add to it. */
export type ClosingHook = (tx: EntityManager, conversation: Conversation, reason: CloseReason) => Promise<void>;
export type OpenListener = (conversation: Conversation) => Promise<void>;
export type TimerPlanner = (tenantId: string, conversationId: string) => Promise<string>;

export interface Sender {
  kind: SenderKind;
  userId?: string;
}

export const conversationTopics = {
  messages: (tenantId: string, conversationId: string) => topics.conversation(tenantId, conversationId),
  /** Queue changes of one team, or of conversations not routed to a team (`unrouted`). */
  queue: (tenantId: string, teamId: string | null) => `tenant:${tenantId}:queue:${teamId ?? 'unrouted'}`,
  /** Every queue change of the tenant, for tenant-wide scopes. */
  tenantQueue: (tenantId: string) => `tenant:${tenantId}:queue`,
  userConversations: (tenantId: string, userId: string) => `${topics.user(tenantId, userId)}:conversations`,
};

interface ConversationRef {
  tenant: string;
  id: string;
  state: ConversationState;
}

interface SentRow extends Record<string, unknown> {
  conversation_state: ConversationState;
  conversation_team: string | null;
  agent_ids: string[];
}

/**
 * One statement stores a message: the conversation's row is locked by the update that takes the
 * next seq (a concurrent send waits, then gets the following one), the message is inserted with
 * it, and the agents to tell are read back. Nothing happens for a closed conversation (no row).
 */
const SEND_SQL = `
with bumped as (
  update conversation
     set last_seq = last_seq + 1, last_message_at = now(), last_message_preview = ?, updated_at = now(),
         customer_read_seq = case when ? then last_seq + 1 else customer_read_seq end,
         last_customer_message_at = case when ? then now() else last_customer_message_at end,
         customer_reminded_at = case when ? then null else customer_reminded_at end,
         last_agent_message_at = case when ? then now() else last_agent_message_at end,
         no_reply_alert_at = case when ? then null else no_reply_alert_at end
   where id = ? and tenant_id = ? and state <> 'CLOSED'
  returning id, tenant_id, last_seq, state, team_id
), read as (
  update conversation_agent set read_seq = (select last_seq from bumped), updated_at = now()
   where ?::uuid is not null and conversation_id = (select id from bumped) and tenant_id = ?
     and user_id = ?::uuid and left_at is null
), inserted as (
  insert into message (id, created_at, updated_at, tenant_id, conversation_id, seq, sender_kind, sender_user_id,
                       type, text, payload, client_message_id)
  select ?, now(), now(), tenant_id, id, last_seq, ?, ?, ?, ?, ?::jsonb, ? from bumped
  returning *
)
select inserted.*, bumped.state as conversation_state, bumped.team_id as conversation_team,
       coalesce((select array_agg(ca.user_id) from conversation_agent ca
                  where ca.tenant_id = inserted.tenant_id and ca.conversation_id = inserted.conversation_id
                    and ca.left_at is null), '{}') as agent_ids
  from inserted cross join bumped`;

const OPEN_SQL = `select id from conversation where tenant_id = ? and customer_id = ? and state <> 'CLOSED'`;

/**
 * What opening a conversation needs of the customers and entries (widgets) of a batch of openings,
 * `[{ i, tenant_id, customer_id, widget_id }]`: the customer's profile as routing reads it, and the
 * entry's channel, account and team. `i` says which opening a row answers.
 */
const ENTRIES_SQL = `
select e.i,
       json_build_object('id', cu.id, 'tenant', cu.tenant_id, 'vip', cu.vip, 'blacklisted', cu.blacklisted_at is not null,
                         'externalId', cu.external_id, 'nickname', cu.nickname, 'realName', cu.real_name,
                         'phone', cu.phone, 'qq', cu.qq, 'wechat', cu.wechat, 'email', cu.email,
                         'company', cu.company, 'description', cu.description) as customer,
       json_build_object('id', w.id, 'channel', w.channel, 'channelAccountId', w.channel_account_id,
                         'entryTeamId', w.entry_team_id) as widget
  from json_to_recordset(?::json) as e(i int, tenant_id uuid, customer_id uuid, widget_id uuid)
  join customer cu on cu.tenant_id = e.tenant_id and cu.id = e.customer_id
  join widget_config w on w.tenant_id = e.tenant_id and w.id = e.widget_id`;

/** A customer as opening reads it (ENTRIES_SQL). */
interface EntryCustomer extends RouteCustomer {
  id: string;
  tenant: string;
  vip: boolean;
  blacklisted: boolean;
}

/** An entry as opening reads it (ENTRIES_SQL). */
interface EntryWidget {
  id: string;
  channel: ChannelType;
  channelAccountId: string | null;
  entryTeamId: string | null;
}

/**
 * One statement opens a batch of conversations, each with its first timer, its routing decision
 * (QUE-13), the welcome message (seq 1) if any, and the customer's first message. The partial
 * unique index allows one open conversation per customer: a customer whose conversation a
 * concurrent request opened first gets no row back.
 */
const OPEN_INSERT_SQL = `
with o as (
  select * from json_to_recordset(?::json) as o(
    id uuid, tenant_id uuid, customer_id uuid, channel text, channel_account_id uuid, widget_id uuid, team_id uuid,
    vip boolean, first_seq int, preview text, timer_job_id uuid, decision_id uuid, rule_id uuid, rule_name text,
    reason text, welcome_id uuid, welcome text, message_id uuid, type text, text text, payload jsonb,
    client_message_id text)
), conv as (
  insert into conversation (id, created_at, updated_at, tenant_id, customer_id, state, channel, channel_account_id,
                            widget_id, team_id, vip, last_seq, customer_read_seq, last_message_at, last_message_preview,
                            last_customer_message_at, queue_reminders_sent, timer_job_id)
  select id, now(), now(), tenant_id, customer_id, 'QUEUED', channel, channel_account_id, widget_id, team_id, vip,
         first_seq, first_seq, now(), preview, now(), 0, timer_job_id
    from o
  on conflict (tenant_id, customer_id) where state <> 'CLOSED' do nothing
  returning *
), decision as (
  insert into assignment_decision (id, created_at, updated_at, tenant_id, conversation_id, kind, rule_id, rule_name,
                                   team_id, candidates, reason)
  select o.decision_id, now(), now(), conv.tenant_id, conv.id, 'ROUTED', o.rule_id, o.rule_name, conv.team_id, '[]',
         o.reason
    from conv join o on o.id = conv.id
), welcome as (
  insert into message (id, created_at, updated_at, tenant_id, conversation_id, seq, sender_kind, type, text)
  select o.welcome_id, now(), now(), conv.tenant_id, conv.id, 1, 'SYSTEM', 'TEXT', o.welcome
    from conv join o on o.id = conv.id
   where o.welcome is not null
), first as (
  insert into message (id, created_at, updated_at, tenant_id, conversation_id, seq, sender_kind, type, text, payload,
                       client_message_id)
  select o.message_id, now(), now(), conv.tenant_id, conv.id, o.first_seq, 'CUSTOMER', o.type, o.text, o.payload,
         o.client_message_id
    from conv join o on o.id = conv.id
  returning *
)
select conv.*, (select row_to_json(first) from first where first.conversation_id = conv.id) as first_message
  from conv`;

interface OpenedRow extends Record<string, unknown> {
  id: string;
  first_message: Record<string, unknown>;
}

/** A visitor's first message, which opens a conversation. */
interface Opening {
  scope: ServiceScope;
  visitor: VisitorPrincipal;
  input: MessageInput;
}

/**
 * What an opening came to: the new conversation with the first message (and the welcome message
 * before it), or the conversation that a concurrent first message of the same customer opened.
 */
type OpenedOutcome = { conversation: Conversation; message: Message; welcome: Message | null } | { existing: string };

function sendParams(tenantId: string, conversationId: string, sender: Sender, input: MessageInput): unknown[] {
  const agent = sender.kind === SenderKind.AGENT ? (sender.userId ?? null) : null;
  const fromCustomer = sender.kind === SenderKind.CUSTOMER;
  return [
    preview(input.type, input.text ?? null),
    fromCustomer,
    fromCustomer,
    fromCustomer,
    !!agent,
    !!agent,
    conversationId,
    tenantId,
    agent,
    tenantId,
    agent,
    uuidv7(),
    sender.kind,
    sender.userId ?? null,
    input.type,
    input.text ?? null,
    input.payload ? JSON.stringify(input.payload) : null,
    input.clientMessageId ?? null,
  ];
}

/**
 * Conversations and their messages. Every message gets the next gap-free `seq` of its conversation
 * under the conversation's row lock and is committed before anything is published.
 */
export class ConversationService {
  private readonly sendStatement: PreparedStatement;
  private readonly openStatement: PreparedStatement;
  private readonly openInsertStatement: PreparedStatement;
  private readonly entriesStatement: PreparedStatement;
  // Concurrent first messages open their conversations together, in one statement.
  private readonly opener = new Batcher<Opening, OpenedOutcome>((openings) => this.openAll(openings));
  private readonly closeListeners: CloseListener[] = [];
  private readonly closingHooks: ClosingHook[] = [];
  private readonly openListeners: OpenListener[] = [];
  private timerPlanner: TimerPlanner | null = null;

  constructor(
    private readonly bus: EventBus,
    private readonly attachments: AttachmentService,
    private readonly sql: PreparedSql,
    private readonly routing: RoutingService,
    private readonly tenants: TenantService,
    private readonly log: Logger,
  ) {
    this.sendStatement = sql.statement('parley_send_message', SEND_SQL);
    this.openStatement = sql.statement('parley_open_conversation', OPEN_SQL);
    this.openInsertStatement = sql.statement('parley_insert_conversation', OPEN_INSERT_SQL);
    this.entriesStatement = sql.statement('parley_conversation_entries', ENTRIES_SQL);
  }

  // ── Visitor side ──────────────────────────────────────────────────────────────

  async openConversationOfVisitor(scope: ServiceScope, visitor: VisitorPrincipal): Promise<Conversation | null> {
    return scope.em.findOne(Conversation, { customer: visitor.customerId, state: { $ne: ConversationState.CLOSED } });
  }

  /** A visitor's message: into the open conversation, or a new one that waits in the queue. */
  async sendAsVisitor(scope: ServiceScope, visitor: VisitorPrincipal, input: MessageInput): Promise<Message> {
    // The hot path of every visitor message: one indexed lookup, without building an entity.
    const [open] = await this.sql.query<{ id: string }>(this.openStatement, [visitor.tenantId, visitor.customerId]);
    if (open) return this.send(scope, open.id, { kind: SenderKind.CUSTOMER }, input);
    await this.checkContent(scope, input);
    const opened = await this.opener.submit({ scope, visitor, input });
    // A concurrent first message of the same customer opened it: this one is an ordinary message.
    if ('existing' in opened) return this.send(scope, opened.existing, { kind: SenderKind.CUSTOMER }, input);
    const { conversation, message, welcome } = opened;
    if (welcome) await this.publishMessage(welcome, MessageEventKind.ADDED);
    await this.publishMessage(message, MessageEventKind.ADDED);
    await this.publishQueue(conversation);
    for (const listener of this.openListeners) {
      await listener(conversation).catch((e: unknown) =>
        this.log.error({ err: e, conversationId: conversation.id }, 'open listener failed'),
      );
    }
    return message;
  }

  // ── Staff side ────────────────────────────────────────────────────────────────

  async get(scope: ServiceScope, id: string): Promise<Conversation> {
    const conversation = await scope.em.findOne(Conversation, { id });
    if (!conversation || !(await this.canView(scope, conversation))) throw raise(ConversationErrors, 'NOT_FOUND');
    return conversation;
  }

  /** The signed-in user's ongoing conversations, most recent activity first. */
  async listMine(scope: ServiceScope, args: ConnectionArgs): Promise<ResultPage<Conversation>> {
    const me = userOf(scope);
    const { offset, limit } = pageWindow(args);
    const parts = await scope.em.find(
      ConversationAgent,
      { user: me.userId, leftAt: null },
      { fields: ['conversation'] },
    );
    const [items, totalCount] = await scope.em.findAndCount(
      Conversation,
      { id: { $in: parts.map((p) => p.conversation) }, state: ConversationState.ONGOING },
      { orderBy: { lastMessageAt: 'desc nulls last', id: 'desc' }, offset, limit },
    );
    return { items, totalCount, offset, limit };
  }

  /** Waiting conversations the principal may see: VIP first, then oldest first (QUE-2, QUE-3). */
  async queue(scope: ServiceScope, args: ConnectionArgs): Promise<ResultPage<Conversation>> {
    const staff = staffOf(scope);
    const { offset, limit } = pageWindow(args);
    const where: FilterQuery<Conversation> = { $and: [{ state: ConversationState.QUEUED }, this.queueScope(staff)] };
    const [items, totalCount] = await scope.em.findAndCount(Conversation, where, {
      orderBy: { vip: 'desc', createdAt: 'asc', id: 'asc' },
      offset,
      limit,
    });
    return { items, totalCount, offset, limit };
  }

  /** Closes a conversation served by the signed-in user, or one the principal supervises (CNV-6). */
  async close(scope: ServiceScope, id: string): Promise<Conversation> {
    const staff = staffOf(scope);
    const visible = await this.get(scope, id);
    return this.end(scope.em, visible.id, {
      closedBy: SenderKind.AGENT,
      reason: (serving) => {
        if (staff.kind === 'user' && serving.includes(staff.userId)) return CloseReason.AGENT;
        if (this.supervises(staff, visible)) return CloseReason.ADMIN;
        throw raise(ConversationErrors, 'NOT_SERVING');
      },
      actor: staff.kind === 'user' ? staff.userId : null,
    });
  }

  /**
   * Ends a conversation (by a user or by the system): the agents leave, a closing message is
   * stored, the change is published, and the close listeners run (capacity freed, rating invited).
   */
  async end(em: EntityManager, conversationId: string, how: Ending): Promise<Conversation> {
    const { conversation, messages, agents, wasQueued, reason } = await em.transactional(async (tx) => {
      const conv = await tx.findOneOrFail(
        Conversation,
        { id: conversationId },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (conv.state === ConversationState.CLOSED) throw raise(ConversationErrors, 'CLOSED');
      const active = await tx.find(ConversationAgent, { conversation: conv.id, leftAt: null });
      const reason = typeof how.reason === 'function' ? how.reason(active.map((a) => a.user)) : how.reason;
      await how.before?.(tx, conv);
      for (const hook of this.closingHooks) await hook(tx, conv, reason);
      const now = new Date();
      const wasQueued = conv.state === ConversationState.QUEUED;
      conv.state = ConversationState.CLOSED;
      conv.closedAt = now;
      conv.closedBy = how.closedBy;
      conv.closeReason = reason;
      conv.timerJobId = null;
      for (const a of active) {
        a.leftAt = now;
        a.leftHow = LeftHow.CLOSED;
      }
      const notices = [how.text, 'The conversation has ended.']
        .filter((text): text is string => !!text)
        .map((text) => this.append(tx, conv, { kind: SenderKind.SYSTEM }, { type: MessageType.TEXT, text }));
      await tx.flush();
      return { conversation: conv, messages: notices, agents: active.map((a) => a.user), wasQueued, reason };
    });
    for (const message of messages) await this.publishMessage(message, MessageEventKind.ADDED);
    await this.publishChange(conversation, agents, ConversationChangeKind.CLOSED);
    if (wasQueued) await this.publishQueue(conversation);
    const closed: ClosedConversation = { conversation, agents, reason, actor: how.actor ?? null };
    for (const listener of this.closeListeners) {
      await listener(closed).catch((e: unknown) => this.log.error({ err: e, conversationId }, 'close listener failed'));
    }
    return conversation;
  }

  /** Runs after a conversation has opened and its first message is stored (e.g. to assign it). */
  onOpened(listener: OpenListener): void {
    this.openListeners.push(listener);
  }

  /** A stored message row, as an entity (for publishing what raw SQL inserted). */
  mapMessage(em: EntityManager, row: Record<string, unknown>): Message {
    return em.map(Message, row);
  }

  /** Runs inside every close's transaction (e.g. the forced conversation tag, CNV-6; automatic tags, CNV-7 b). */
  onClosing(hook: ClosingHook): void {
    this.closingHooks.push(hook);
  }

  /** Runs after every close, in this process (e.g. to give the freed capacity to the queue). */
  onClosed(listener: CloseListener): void {
    this.closeListeners.push(listener);
  }

  async sendAsAgent(scope: ServiceScope, conversationId: string, input: MessageInput): Promise<Message> {
    const me = userOf(scope);
    const conversation = await this.get(scope, conversationId);
    if (conversation.state === ConversationState.CLOSED) throw raise(ConversationErrors, 'CLOSED');
    const serving = await scope.em.count(ConversationAgent, {
      conversation: conversation.id,
      user: me.userId,
      leftAt: null,
    });
    if (!serving) throw raise(ConversationErrors, 'NOT_SERVING');
    return this.send(scope, conversation.id, { kind: SenderKind.AGENT, userId: me.userId }, input);
  }

  /** Withdraws one's own message within two minutes of sending it (MSG-4). */
  async recall(scope: ServiceScope, messageId: string): Promise<Message> {
    const me = userOf(scope);
    const message = await scope.em.findOne(Message, { id: messageId });
    if (!message) throw raise(ConversationErrors, 'MESSAGE_NOT_FOUND');
    await this.get(scope, message.conversation);
    if (message.senderKind !== SenderKind.AGENT || message.senderUser !== me.userId) {
      throw raise(ConversationErrors, 'NOT_YOUR_MESSAGE');
    }
    if (message.recalledAt) return message;
    if (Date.now() - message.createdAt.getTime() > RECALL_WINDOW_MS)
      throw raise(ConversationErrors, 'RECALL_WINDOW_PASSED');
    message.recalledAt = new Date();
    await scope.em.flush();
    await this.publishMessage(message, MessageEventKind.RECALLED);
    return message;
  }

  /** Messages by seq: newer than `afterSeq` (oldest first), or older than `beforeSeq` (newest last). */
  async messages(scope: ServiceScope, conversation: Conversation, args: MessagesArgs): Promise<Message[]> {
    await this.assertMayRead(scope, conversation);
    if (args.beforeSeq !== undefined && args.beforeSeq !== null) {
      const older = await scope.em.find(
        Message,
        { conversation: conversation.id, seq: { $lt: args.beforeSeq } },
        { orderBy: { seq: 'desc' }, limit: args.first },
      );
      return older.reverse();
    }
    return scope.em.find(
      Message,
      { conversation: conversation.id, seq: { $gt: args.afterSeq ?? 0 } },
      { orderBy: { seq: 'asc' }, limit: args.first },
    );
  }

  async markRead(scope: ServiceScope, conversationId: string, seq: number): Promise<Conversation> {
    const conversation = await this.get(scope, conversationId);
    const upTo = Math.min(seq, conversation.lastSeq);
    if (scope.principal.kind === 'visitor') {
      await scope.em.nativeUpdate(
        Conversation,
        { id: conversation.id, customerReadSeq: { $lt: upTo } },
        { customerReadSeq: upTo },
      );
    } else {
      const me = userOf(scope);
      await scope.em.nativeUpdate(
        ConversationAgent,
        { conversation: conversation.id, user: me.userId, readSeq: { $lt: upTo } },
        { readSeq: upTo },
      );
      await this.publishChange(conversation, [me.userId], ConversationChangeKind.UPDATED);
    }
    return conversation;
  }

  /** Unread messages for the signed-in user in each conversation (DataLoader batch). */
  async unreadCounts(scope: ServiceScope, conversationIds: readonly string[]): Promise<number[]> {
    if (scope.principal.kind !== 'user') return conversationIds.map(() => 0);
    const me = scope.principal;
    const parts = await scope.em.find(ConversationAgent, {
      user: me.userId,
      conversation: { $in: [...conversationIds] },
    });
    const conversations = await scope.em.find(
      Conversation,
      { id: { $in: [...conversationIds] } },
      { fields: ['lastSeq'] },
    );
    const lastSeq = new Map(conversations.map((c) => [c.id, c.lastSeq]));
    const read = new Map<string, number>();
    for (const p of parts) read.set(p.conversation, Math.max(read.get(p.conversation) ?? 0, p.readSeq));
    return conversationIds.map((id) => (read.has(id) ? Math.max((lastSeq.get(id) ?? 0) - read.get(id)!, 0) : 0));
  }

  /**
   * The messages of a conversation from `afterSeq` on: stored ones first, then live ones, each
   * exactly once and in seq order. Listening starts before the stored messages are read, so
   * nothing falls between the two; a live message that skips a seq (an event lost on the way)
   * makes the missing ones be read from the database.
   */
  async *messageFeed(
    scope: ServiceScope,
    conversationId: string,
    afterSeq: number,
    signal: AbortSignal,
  ): AsyncGenerator<MessageEventDto> {
    const conversation = await this.get(scope, conversationId);
    await this.assertMayRead(scope, conversation);
    const topic = conversationTopics.messages(conversation.tenant, conversation.id);
    const live = this.bus.subscribe<MessageEventDto>(topic, signal);
    await this.bus.listening(topic);
    let last = Math.max(afterSeq, 0);
    const stored = async function* (this: ConversationService, upTo?: number): AsyncGenerator<MessageEventDto> {
      for (;;) {
        const batch = await scope.em.find(
          Message,
          { conversation: conversation.id, seq: upTo ? { $gt: last, $lt: upTo } : { $gt: last } },
          { orderBy: { seq: 'asc' }, limit: FEED_BATCH, disableIdentityMap: true },
        );
        for (const m of batch) {
          last = m.seq;
          yield { kind: MessageEventKind.ADDED, message: toMessageDto(m) };
        }
        if (batch.length < FEED_BATCH) return;
      }
    }.bind(this);

    yield* stored();
    for await (const event of live) {
      if (event.kind !== MessageEventKind.ADDED) {
        yield event;
        continue;
      }
      if (event.message.seq <= last) continue;
      if (event.message.seq > last + 1) yield* stored(event.message.seq);
      last = event.message.seq;
      yield event;
    }
  }

  /** Changes of the signed-in user's conversation list (new, updated, closed). */
  conversationChanges(scope: ServiceScope, signal: AbortSignal): AsyncIterableIterator<ConversationChangeDto> {
    const me = userOf(scope);
    return this.bus.subscribe(conversationTopics.userConversations(me.tenantId, me.userId), signal);
  }

  /** Queue changes the principal may see: the tenant's whole queue, or its teams' and unrouted ones. */
  queueChanges(scope: ServiceScope, signal: AbortSignal): AsyncIterableIterator<ConversationChangeDto> {
    const staff = staffOf(scope);
    const area = scopeOf(staff, ScopedArea.ONGOING);
    if (area.tenantWide) return this.bus.subscribe(conversationTopics.tenantQueue(staff.tenantId), signal);
    return merge(
      [null, ...area.teamIds].map((team) =>
        this.bus.subscribe<ConversationChangeDto>(conversationTopics.queue(staff.tenantId, team), signal),
      ),
    );
  }

  /**
   * Messages of a queued conversation are for the agents who may look into the queue only when the
   * settings allow it (QUE-6); admins and the agents serving it always read them.
   */
  private async assertMayRead(scope: ServiceScope, conversation: Conversation): Promise<void> {
    const p = scope.principal;
    if (conversation.state !== ConversationState.QUEUED || p.kind !== 'user') return;
    if (p.isAdmin || p.pages.has(Page.ADMIN_MONITOR)) return;
    const serving = await scope.em.count(ConversationAgent, { conversation: conversation.id, user: p.userId });
    if (serving) return;
    const settings = await this.tenants.settings(scope.em, p.tenantId);
    if (!settings.agentsMayViewQueuedMessages) throw raise(ConversationErrors, 'QUEUED_MESSAGES_HIDDEN');
  }

  /** Whether the principal may see the conversation; denials look exactly like a missing id. */
  async canView(scope: ServiceScope, conversation: Conversation): Promise<boolean> {
    const p = scope.principal;
    if (p.kind === 'visitor') return conversation.customer.id === p.customerId;
    if (!isStaff(p)) return false;
    if (p.kind === 'user') {
      const part = await scope.em.count(ConversationAgent, { conversation: conversation.id, user: p.userId });
      if (part > 0) return true;
    }
    if (conversation.state === ConversationState.QUEUED && p.pages.has(Page.AGENT_QUEUE)) {
      return this.inQueueScope(p, conversation);
    }
    return this.supervises(p, conversation);
  }

  // ── Internals ─────────────────────────────────────────────────────────────────

  /**
   * Opens conversations for first messages that arrived together. Opening is where the blacklist
   * and the entry's settings apply: the customers and the entries are read together, the
   * conversations are routed, their first timers planned, and all of them stored in one statement.
   * A customer with more than one first message in the batch opens once; the others, and those
   * whose conversation a concurrent request opened, are told which conversation is open.
   */
  private async openAll(openings: readonly Opening[]): Promise<Outcome<OpenedOutcome>[]> {
    // An opening without a row stays undefined: its customer or entry is gone (NOT_FOUND).
    const outcomes: (Outcome<OpenedOutcome> | undefined)[] = openings.map(() => undefined);
    const answered = () => outcomes.map((o) => o ?? failed<OpenedOutcome>(raise(ConversationErrors, 'NOT_FOUND')));
    const entries = await this.sql.query<{ i: number; customer: EntryCustomer; widget: EntryWidget }>(
      this.entriesStatement,
      [
        JSON.stringify(
          openings.map(({ visitor }, i) => ({
            i,
            tenant_id: visitor.tenantId,
            customer_id: visitor.customerId,
            widget_id: visitor.widgetId,
          })),
        ),
      ],
    );
    // The first opening of each customer opens; the others follow it.
    const openingCustomers = new Set<string>();
    const followers: { i: number; customerKey: string }[] = [];
    const opening: { i: number; customerKey: string; customer: EntryCustomer; widget: EntryWidget }[] = [];
    for (const { i, customer, widget } of entries) {
      const { visitor } = openings[i]!;
      if (customer.blacklisted) {
        outcomes[i] = failed(raise(ConversationErrors, 'BLACKLISTED'));
        continue;
      }
      const customerKey = `${visitor.tenantId}:${visitor.customerId}`;
      if (openingCustomers.has(customerKey)) {
        followers.push({ i, customerKey });
        continue;
      }
      openingCustomers.add(customerKey);
      opening.push({ i, customerKey, customer, widget });
    }
    if (!opening.length) return answered();

    const at = new Date();
    const routes = await this.routing.routeMany(
      opening.map(({ customer, widget }) => ({
        tenantId: customer.tenant,
        input: {
          channel: widget.channel,
          channelAccountId: widget.channelAccountId,
          widgetId: widget.id,
          entryTeamId: widget.entryTeamId,
          customer,
          at,
        },
      })),
    );
    const rows = await Promise.all(
      opening.map(async ({ i, customer, widget }, k) => {
        const { scope, input } = openings[i]!;
        const settings = await this.tenants.settings(scope.em, customer.tenant);
        const welcome =
          settings.welcomeMessageEnabled && settings.welcomeMessage.trim() ? settings.welcomeMessage : null;
        const id = uuidv7();
        const timerJobId = await this.timerPlanner?.(customer.tenant, id).catch((e: unknown) => {
          // The timer sweep arms a conversation left without one.
          this.log.error({ err: e, conversationId: id }, 'planning the first timer failed');
          return null;
        });
        const route = routes[k]!;
        return {
          id,
          tenant_id: customer.tenant,
          customer_id: customer.id,
          channel: widget.channel,
          channel_account_id: widget.channelAccountId,
          widget_id: widget.id,
          team_id: route.teamId,
          vip: customer.vip,
          first_seq: welcome ? 2 : 1,
          preview: preview(input.type, input.text ?? null),
          timer_job_id: timerJobId ?? null,
          decision_id: uuidv7(),
          rule_id: route.ruleId,
          rule_name: route.ruleName,
          reason: route.reason,
          welcome_id: welcome ? uuidv7() : null,
          welcome,
          message_id: uuidv7(),
          type: input.type,
          text: input.text ?? null,
          payload: input.payload ?? null,
          client_message_id: input.clientMessageId ?? null,
        };
      }),
    );
    const stored = new Map(
      (await this.sql.query<OpenedRow>(this.openInsertStatement, [JSON.stringify(rows)])).map((r) => [r.id, r]),
    );
    const openedIn = new Map<string, string>();
    const lost: { i: number; customerKey: string }[] = [];
    opening.forEach(({ i, customerKey }, k) => {
      const row = rows[k]!;
      const found = stored.get(row.id);
      if (!found) {
        lost.push({ i, customerKey });
        return;
      }
      openedIn.set(customerKey, row.id);
      const { scope } = openings[i]!;
      const { first_message: firstMessage, ...columns } = found;
      const conversation = scope.em.map(Conversation, columns);
      const welcome = row.welcome_id
        ? scope.em.map(Message, {
            id: row.welcome_id,
            created_at: conversation.createdAt,
            updated_at: conversation.createdAt,
            tenant_id: conversation.tenant,
            conversation_id: conversation.id,
            seq: 1,
            sender_kind: SenderKind.SYSTEM,
            type: MessageType.TEXT,
            text: row.welcome,
          })
        : null;
      outcomes[i] = succeeded({ conversation, message: scope.em.map(Message, firstMessage), welcome });
    });
    // Customers whose conversation a concurrent request opened: find it.
    for (const { i, customerKey } of lost) {
      const { visitor } = openings[i]!;
      const [open] = await this.sql.query<{ id: string }>(this.openStatement, [visitor.tenantId, visitor.customerId]);
      if (open) openedIn.set(customerKey, open.id);
      outcomes[i] = open ? succeeded({ existing: open.id }) : failed(raise(ConversationErrors, 'CLOSED'));
    }
    for (const { i, customerKey } of followers) {
      const existing = openedIn.get(customerKey);
      outcomes[i] = existing ? succeeded({ existing }) : failed(raise(ConversationErrors, 'CLOSED'));
    }
    return answered();
  }

  private async send(
    scope: ServiceScope,
    conversationId: string,
    sender: Sender,
    input: MessageInput,
  ): Promise<Message> {
    await this.checkContent(scope, input);
    const tenantId = tenantScoped(scope.principal).tenantId;
    const retried = async () =>
      input.clientMessageId
        ? scope.em.findOne(Message, { conversation: conversationId, clientMessageId: input.clientMessageId })
        : null;
    const earlier = await retried();
    if (earlier) return earlier;
    let row: SentRow | undefined;
    try {
      row = (await this.sql.query<SentRow>(this.sendStatement, sendParams(tenantId, conversationId, sender, input)))[0];
    } catch (e) {
      // The same clientMessageId sent twice at once: the statement that lost changed nothing.
      const original = isUniqueViolation(e, 'message_client_id_unique') ? await retried() : null;
      if (original) return original;
      throw e;
    }
    if (!row) throw raise(ConversationErrors, 'CLOSED');
    const { conversation_state: state, conversation_team: team, agent_ids: agents, ...columns } = row;
    const message = scope.em.map(Message, columns);
    await this.publishMessage(message, MessageEventKind.ADDED);
    await this.publishChange({ tenant: tenantId, id: conversationId, state }, agents, ConversationChangeKind.UPDATED);
    if (state === ConversationState.QUEUED)
      await this.publishQueue({ tenant: tenantId, id: conversationId, state, team });
    return message;
  }

  /** Refuses content that does not fit its type, and attachments the sender may not use. */
  private async checkContent(scope: ServiceScope, input: MessageInput): Promise<void> {
    validateContent(input);
    if (ATTACHED.has(input.type)) {
      await this.attachments.forMessage(scope.em, scope.principal, input.type, input.payload?.attachmentId);
    }
  }

  /**
   * Plans the first timer of each conversation that opens (it then watches itself): returns the
   * job's id, which the conversation stores as it is created.
   */
  planTimersWith(planner: TimerPlanner): void {
    this.timerPlanner = planner;
  }

  /**
   * Adds a message with the next seq, to be flushed by the caller, who holds the conversation's row
   * lock (or created it) and publishes the message after the commit.
   */
  append(
    em: EntityManager,
    conv: Conversation,
    sender: Sender,
    input: Pick<MessageInput, 'type' | 'text'> & Partial<MessageInput>,
  ): Message {
    conv.lastSeq += 1;
    const message = em.create(Message, {
      tenant: conv.tenant,
      conversation: conv.id,
      seq: conv.lastSeq,
      senderKind: sender.kind,
      senderUser: sender.userId ?? null,
      type: input.type,
      text: input.text ?? null,
      payload: input.payload ?? null,
      clientMessageId: input.clientMessageId ?? null,
    });
    conv.lastMessageAt = message.createdAt;
    conv.lastMessagePreview = preview(input.type, input.text ?? null);
    if (sender.kind === SenderKind.AGENT) {
      conv.lastAgentMessageAt = message.createdAt;
      conv.noReplyAlertAt = null;
    }
    return message;
  }

  private queueScope(p: StaffPrincipal): FilterQuery<Conversation> {
    const scope = scopeOf(p, ScopedArea.ONGOING);
    return scope.tenantWide ? {} : { $or: [{ team: { $in: [...scope.teamIds] } }, { team: null }] };
  }

  private inQueueScope(p: StaffPrincipal, conversation: Conversation): boolean {
    const scope = scopeOf(p, ScopedArea.ONGOING);
    return scope.tenantWide || !conversation.team || scope.teamIds.includes(conversation.team.id);
  }

  // Admin Mode: current sessions and history, within the role's data scope.
  supervises(p: StaffPrincipal, conversation: Conversation): boolean {
    const area = conversation.state === ConversationState.CLOSED ? ScopedArea.HISTORY : ScopedArea.ONGOING;
    const page = conversation.state === ConversationState.CLOSED ? Page.ADMIN_HISTORY : Page.ADMIN_MONITOR;
    if (!p.pages.has(page)) return false;
    const scope = scopeOf(p, area);
    return scope.tenantWide || (!!conversation.team && scope.teamIds.includes(conversation.team.id));
  }

  async publishMessage(message: Message, kind: MessageEventKind): Promise<void> {
    await this.bus.publish<MessageEventDto>(conversationTopics.messages(message.tenant, message.conversation), {
      kind,
      message: toMessageDto(message),
    });
  }

  async publishChange(conversation: ConversationRef, userIds: string[], kind: ConversationChangeKind): Promise<void> {
    const change: ConversationChangeDto = { kind, conversationId: conversation.id, state: conversation.state };
    for (const userId of new Set(userIds)) {
      await this.bus.publish(conversationTopics.userConversations(conversation.tenant, userId), change);
    }
  }

  async publishQueue(conversation: ConversationRef & { team: string | { id: string } | null }): Promise<void> {
    const change: ConversationChangeDto = {
      kind:
        conversation.state === ConversationState.QUEUED
          ? ConversationChangeKind.UPDATED
          : ConversationChangeKind.CLOSED,
      conversationId: conversation.id,
      state: conversation.state,
    };
    const team = typeof conversation.team === 'string' ? conversation.team : (conversation.team?.id ?? null);
    await this.bus.publish(conversationTopics.queue(conversation.tenant, team), change);
    await this.bus.publish(conversationTopics.tenantQueue(conversation.tenant), change);
  }
}

function validateContent(input: MessageInput): void {
  const payload = input.payload ?? null;
  switch (input.type) {
    case MessageType.TEXT:
    case MessageType.EMOJI:
      if (!input.text?.trim()) throw raise(ConversationErrors, 'EMPTY_MESSAGE');
      return;
    case MessageType.URL:
      if (!isHttpUrl(payload?.url ?? input.text))
        throw raise(ConversationErrors, 'BAD_PAYLOAD', undefined, 'A URL message needs an http(s) url');
      return;
    case MessageType.LOCATION:
      if (
        typeof payload?.lat !== 'number' ||
        typeof payload?.lng !== 'number' ||
        Math.abs(payload.lat) > 90 ||
        Math.abs(payload.lng) > 180
      ) {
        throw raise(ConversationErrors, 'BAD_PAYLOAD', undefined, 'A location needs numeric lat (±90) and lng (±180)');
      }
      return;
    case MessageType.CUSTOM:
      if (typeof payload?.kind !== 'string' || !payload.kind) {
        throw raise(
          ConversationErrors,
          'BAD_PAYLOAD',
          undefined,
          'A custom message needs a payload with a kind, e.g. {"kind": "order", …}',
        );
      }
      return;
    case MessageType.IMAGE:
    case MessageType.FILE:
    case MessageType.VOICE:
    case MessageType.VIDEO:
      if (typeof payload?.attachmentId !== 'string') {
        throw raise(
          ConversationErrors,
          'BAD_PAYLOAD',
          undefined,
          `A ${input.type.toLowerCase()} message needs an attachmentId`,
        );
      }
      return;
  }
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function preview(type: MessageType, text: string | null): string {
  const textual = type === MessageType.TEXT || type === MessageType.EMOJI || type === MessageType.URL;
  // A custom card with a text of its own (a system reminder, say) previews as that text.
  if (textual || (type === MessageType.CUSTOM && text?.trim())) {
    return (text ?? '').replace(/\s+/g, ' ').trim().slice(0, PREVIEW_LENGTH);
  }
  return `[${type.toLowerCase()}]`;
}

/** Interleaves several event streams as events arrive. */
async function* merge<T>(sources: AsyncIterableIterator<T>[]): AsyncGenerator<T> {
  const pending = new Map(sources.map((source, i) => [i, source.next().then((result) => ({ i, result }))]));
  try {
    while (pending.size) {
      const { i, result } = await Promise.race(pending.values());
      if (result.done) {
        pending.delete(i);
        continue;
      }
      pending.set(
        i,
        sources[i]!.next().then((next) => ({ i, result: next })),
      );
      yield result.value;
    }
  } finally {
    await Promise.all(sources.map((s) => s.return?.()));
  }
}
