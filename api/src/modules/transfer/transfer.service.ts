import { LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { type ServiceScope, staffOf, userOf } from '../../platform/auth/scope';
import { isUniqueViolation } from '../../platform/database/db-errors';
import { tenantFork } from '../../platform/database/tenant-filter';
import { raise } from '../../platform/errors/app-error';
import type { Jobs } from '../../platform/jobs/jobs';
import { type EventBus, topics } from '../../platform/pubsub/event-bus';
import {
  Conversation,
  ConversationAgent,
  ConversationState,
  JoinedHow,
  LeftHow,
  type Message,
  MessageType,
  SenderKind,
} from '../conversation/conversation.entity';
import { ConversationErrors } from '../conversation/conversation.errors';
import { ConversationChangeKind, MessageEventKind } from '../conversation/conversation.events';
import type { ConversationService } from '../conversation/conversation.service';
import { Customer } from '../customer/customer.entity';
import { addressed, type AssignmentService } from '../routing/assignment.service';
import { AssignmentDecision, type DecisionCandidate, DecisionKind } from '../routing/routing.entity';
import type { RoutingService } from '../routing/routing.service';
import { Team, TeamMember } from '../team/team.entity';
import type { TenantService } from '../tenant/tenant.service';
import { User, UserStatus } from '../user/user.entity';
import { Transfer, TransferState } from './transfer.entity';
import { TransferErrors } from './transfer.errors';
import type { TransferInput } from './transfer.inputs';

const EXPIRE_JOB = 'transfer.expire';

export const transferTopics = {
  /** Transfers a user sent or was offered. */
  user: (tenantId: string, userId: string) => `${topics.user(tenantId, userId)}:transfers`,
};

export interface TransferEventDto {
  transferId: string;
  state: TransferState;
}

/**
 * Transfers (CNV-4). To an agent: at once, or, with confirmation on, as an offer the target accepts
 * within the timeout (the conversation stays with the sender until then; a refusal or timeout
 * leaves it there). To a team: the member with the highest idle rate, or the team's queue.
 */
export class TransferService {
  constructor(
    private readonly orm: MikroORM,
    private readonly bus: EventBus,
    private readonly conversations: ConversationService,
    private readonly assignment: AssignmentService,
    private readonly routing: RoutingService,
    private readonly tenants: TenantService,
    private readonly jobs: Jobs,
    private readonly log: Logger,
  ) {
    jobs.register<{ tenantId: string; transferId: string }>(EXPIRE_JOB, ({ data }) =>
      this.expire(data.tenantId, data.transferId),
    );
    // A conversation that closes voids its pending offer.
    conversations.onClosed(async ({ conversation }) => {
      const em = tenantFork(this.orm.em, conversation.tenant);
      const offers = await em.find(Transfer, { conversation: conversation.id, state: TransferState.OFFERED });
      for (const offer of offers) {
        offer.state = TransferState.CANCELLED;
        offer.decidedAt = new Date();
      }
      await em.flush();
      for (const offer of offers) await this.publish(offer);
    });
  }

  async transfer(scope: ServiceScope, input: TransferInput): Promise<Transfer> {
    const me = userOf(scope);
    const conversation = await this.conversations.get(scope, input.conversationId);
    if (!input.toUserId === !input.toTeamId) throw raise(TransferErrors, 'ONE_TARGET');
    if (conversation.state !== ConversationState.ONGOING) throw raise(TransferErrors, 'NOT_ONGOING');
    const serving = await scope.em.find(ConversationAgent, { conversation: conversation.id, leftAt: null });
    const isServing = serving.some((a) => a.user === me.userId);
    if (!isServing && !this.conversations.supervises(me, conversation)) throw raise(ConversationErrors, 'NOT_SERVING');
    const from = isServing ? me.userId : (serving[0]?.user ?? null);
    const request = { fromUser: from, requestedBy: me.userId, remark: input.remark ?? null };

    if (input.toTeamId) {
      const team = await scope.em.findOne(Team, { id: input.toTeamId });
      if (!team) throw raise(TransferErrors, 'TEAM_NOT_FOUND');
      if (!(await scope.em.count(TeamMember, { team: team.id }))) throw raise(TransferErrors, 'TEAM_EMPTY');
      return this.toTeam(scope.em, me.tenantId, conversation.id, request, team);
    }

    const target = await scope.em.findOne(User, { id: input.toUserId!, deletedAt: null });
    if (!target) throw raise(TransferErrors, 'AGENT_NOT_FOUND');
    if (serving.some((a) => a.user === target.id)) throw raise(TransferErrors, 'ALREADY_SERVING');
    if (!target.enabled || target.status === UserStatus.OFFLINE) throw raise(TransferErrors, 'AGENT_OFFLINE');
    const settings = await this.tenants.settings(scope.em, me.tenantId);
    if (!settings.transfer.requireConfirmation) {
      return this.complete(scope.em, me.tenantId, conversation.id, { ...request, toUser: target.id }, target.id);
    }
    const expiresAt = new Date(Date.now() + settings.transfer.confirmationTimeoutSeconds * 1000);
    const offer = scope.em.create(Transfer, {
      tenant: me.tenantId,
      conversation: conversation.id,
      ...request,
      toUser: target.id,
      expiresAt,
    });
    try {
      await scope.em.flush();
    } catch (e) {
      if (isUniqueViolation(e, 'transfer_one_offer_per_conversation')) throw raise(TransferErrors, 'OFFER_PENDING');
      throw e;
    }
    await this.jobs.schedule(EXPIRE_JOB, { tenantId: me.tenantId, transferId: offer.id }, { at: expiresAt });
    await this.publish(offer);
    return offer;
  }

  /** The target agent takes an offered conversation. */
  async accept(scope: ServiceScope, id: string): Promise<Transfer> {
    const me = userOf(scope);
    const offer = await this.offerTo(scope, id, me.userId);
    return this.complete(scope.em, me.tenantId, offer.conversation, { offerId: offer.id }, me.userId);
  }

  async decline(scope: ServiceScope, id: string): Promise<Transfer> {
    const me = userOf(scope);
    await this.offerTo(scope, id, me.userId);
    return this.settle(scope.em, id, TransferState.DECLINED);
  }

  /** The sender withdraws an offer. */
  async cancel(scope: ServiceScope, id: string): Promise<Transfer> {
    const me = userOf(scope);
    const offer = await scope.em.findOne(Transfer, { id });
    if (!offer || (offer.requestedBy !== me.userId && offer.toUser !== me.userId))
      throw raise(TransferErrors, 'NOT_FOUND');
    if (offer.requestedBy !== me.userId) throw raise(TransferErrors, 'NOT_YOURS');
    return this.settle(scope.em, id, TransferState.CANCELLED);
  }

  /** A transfer the principal may see: its sender or target, or anyone who can see the conversation. */
  async get(scope: ServiceScope, id: string): Promise<Transfer> {
    const transfer = await scope.em.findOne(Transfer, { id });
    if (!transfer) throw raise(TransferErrors, 'NOT_FOUND');
    const me = scope.principal.kind === 'user' ? scope.principal.userId : null;
    if (me && (transfer.toUser === me || transfer.requestedBy === me)) return transfer;
    await this.conversations.get(scope, transfer.conversation).catch(() => {
      throw raise(TransferErrors, 'NOT_FOUND');
    });
    return transfer;
  }

  /** A conversation's transfers, oldest first; staff only (remarks are notes between agents). */
  async ofConversation(scope: ServiceScope, conversation: Conversation): Promise<Transfer[]> {
    staffOf(scope);
    return scope.em.find(Transfer, { conversation: conversation.id }, { orderBy: { createdAt: 'asc', id: 'asc' } });
  }

  /** Offers waiting for the signed-in user's answer. */
  pendingForMe(scope: ServiceScope): Promise<Transfer[]> {
    const me = userOf(scope);
    return scope.em.find(
      Transfer,
      { toUser: me.userId, state: TransferState.OFFERED },
      { orderBy: { createdAt: 'asc' } },
    );
  }

  /** Live changes of the transfers the signed-in user sent or was offered. */
  changes(scope: ServiceScope, signal: AbortSignal): AsyncIterableIterator<TransferEventDto> {
    const me = userOf(scope);
    return this.bus.subscribe(transferTopics.user(me.tenantId, me.userId), signal);
  }

  // ── Internals ─────────────────────────────────────────────────────────────────

  private async offerTo(scope: ServiceScope, id: string, userId: string): Promise<Transfer> {
    const offer = await scope.em.findOne(Transfer, { id });
    if (!offer || (offer.toUser !== userId && offer.requestedBy !== userId)) throw raise(TransferErrors, 'NOT_FOUND');
    if (offer.toUser !== userId) throw raise(TransferErrors, 'NOT_YOURS');
    if (offer.state !== TransferState.OFFERED) throw raise(TransferErrors, 'NOT_OFFERED');
    return offer;
  }

  /** Ends an offer without moving the conversation (declined, expired, cancelled). */
  private async settle(em: EntityManager, id: string, state: TransferState): Promise<Transfer> {
    const offer = await em.transactional(async (tx) => {
      const locked = await tx.findOneOrFail(Transfer, { id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (locked.state !== TransferState.OFFERED) throw raise(TransferErrors, 'NOT_OFFERED');
      locked.state = state;
      locked.decidedAt = new Date();
      return locked;
    });
    await this.publish(offer);
    return offer;
  }

  private async expire(tenantId: string, transferId: string): Promise<void> {
    const em = tenantFork(this.orm.em, tenantId);
    const offer = await em.findOne(Transfer, { id: transferId });
    if (!offer || offer.state !== TransferState.OFFERED) return;
    if (offer.expiresAt && offer.expiresAt.getTime() > Date.now()) return;
    await this.settle(em, transferId, TransferState.EXPIRED).catch((e: unknown) => {
      // Accepted or declined at the last moment: nothing to expire.
      if ((e as { code?: string }).code !== 'CONFLICT') throw e;
    });
  }

  /** Moves the conversation to `toUserId`: an accepted offer, or a direct transfer. */
  private async complete(
    em: EntityManager,
    tenantId: string,
    conversationId: string,
    what: { offerId: string } | TransferRequest,
    toUserId: string,
  ): Promise<Transfer> {
    const settings = await this.tenants.settings(em, tenantId);
    const moved = await em.transactional(async (tx) => {
      const conv = await this.lockOngoing(tx, conversationId);
      let transfer: Transfer;
      if ('offerId' in what) {
        transfer = await tx.findOneOrFail(
          Transfer,
          { id: what.offerId },
          { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
        );
        if (transfer.state !== TransferState.OFFERED) throw raise(TransferErrors, 'NOT_OFFERED');
      } else {
        transfer = tx.create(Transfer, { tenant: tenantId, conversation: conv.id, ...what });
      }
      const target = await this.assignment.lockAgent(tx, tenantId, toUserId);
      if (!target || target.status === UserStatus.OFFLINE) throw raise(TransferErrors, 'AGENT_OFFLINE');
      return this.move(tx, conv, transfer, target, null, [], settings.transfer.skipGreetings);
    });
    await this.announce(moved);
    return moved.transfer;
  }

  private async toTeam(
    em: EntityManager,
    tenantId: string,
    conversationId: string,
    request: TransferRequest,
    team: Team,
  ): Promise<Transfer> {
    const settings = await this.tenants.settings(em, tenantId);
    const moved = await em.transactional(async (tx) => {
      const conv = await this.lockOngoing(tx, conversationId);
      const transfer = tx.create(Transfer, { tenant: tenantId, conversation: conv.id, ...request, toTeam: team.id });
      const pick = await this.assignment.pickAgent(tx, tenantId, team.id, request.fromUser);
      return this.move(
        tx,
        conv,
        transfer,
        pick?.agent ?? null,
        team,
        pick?.candidates ?? [],
        settings.transfer.skipGreetings,
      );
    });
    await this.announce(moved);
    if (!moved.transfer.toUser) await this.assignment.dispatch(tenantId, team.id);
    return moved.transfer;
  }

  private async lockOngoing(tx: EntityManager, conversationId: string): Promise<Conversation> {
    const conv = await tx.findOneOrFail(
      Conversation,
      { id: conversationId },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    if (conv.state !== ConversationState.ONGOING) throw raise(TransferErrors, 'NOT_ONGOING');
    return conv;
  }

  /**
   * In the transaction that holds the conversation's lock: the serving agents leave, the target
   * joins (or, with no target, the conversation waits in the team's queue), and the customer is told.
   */
  private async move(
    tx: EntityManager,
    conv: Conversation,
    transfer: Transfer,
    target: { id: string; nickname: string; greeting: string | null } | null,
    team: Team | null,
    candidates: DecisionCandidate[],
    skipGreetings: boolean,
  ): Promise<Moved> {
    const now = new Date();
    const leaving = await tx.find(ConversationAgent, { conversation: conv.id, leftAt: null });
    for (const part of leaving) {
      part.leftAt = now;
      part.leftHow = LeftHow.TRANSFERRED;
    }
    if (team) conv.team = tx.getReference(Team, team.id, { wrapped: true });
    transfer.decidedAt = now;
    const messages: Message[] = [];
    const say = (text: string, sender: { kind: SenderKind; userId?: string } = { kind: SenderKind.SYSTEM }) =>
      messages.push(this.conversations.append(tx, conv, sender, { type: MessageType.TEXT, text }));
    if (target) {
      transfer.state = TransferState.COMPLETED;
      transfer.toUser = target.id;
      tx.create(ConversationAgent, {
        tenant: conv.tenant,
        conversation: conv.id,
        user: target.id,
        joinedHow: JoinedHow.TRANSFERRED,
      });
      say(`You have been transferred to ${target.nickname}.`);
      const greet = !skipGreetings && (await this.routing.businessHoursOpen(conv.tenant, conv.team?.id ?? null, now));
      if (greet) {
        const customer = await tx.findOneOrFail(Customer, { id: conv.customer.id });
        const name = customer.nickname ?? customer.realName;
        const { defaultAddress } = await this.tenants.settings(tx, conv.tenant);
        if (team?.greeting) say(addressed(team.greeting, name, defaultAddress));
        if (target.greeting) {
          say(addressed(target.greeting, name, defaultAddress), { kind: SenderKind.AGENT, userId: target.id });
        }
      }
    } else {
      transfer.state = TransferState.QUEUED;
      conv.state = ConversationState.QUEUED;
      say('You have been transferred. The next available agent will be with you shortly.');
    }
    tx.create(AssignmentDecision, {
      tenant: conv.tenant,
      conversation: conv.id,
      kind: DecisionKind.TRANSFERRED,
      team: conv.team?.id ?? null,
      candidates,
      chosenUser: target?.id ?? null,
      reason: target
        ? team
          ? `Transferred to team ${team.name}: ${target.nickname} had the highest idle rate`
          : `Transferred to ${target.nickname}`
        : `Transferred to team ${team?.name ?? ''}; no member had room, so it waits in the team's queue`,
    });
    await tx.flush();
    return { transfer, conversation: conv, messages, left: leaving.map((p) => p.user) };
  }

  private async announce({ transfer, conversation, messages, left }: Moved): Promise<void> {
    for (const message of messages) await this.conversations.publishMessage(message, MessageEventKind.ADDED);
    await this.conversations.publishChange(conversation, left, ConversationChangeKind.REMOVED);
    if (transfer.toUser)
      await this.conversations.publishChange(conversation, [transfer.toUser], ConversationChangeKind.NEW);
    else await this.conversations.publishQueue(conversation);
    await this.publish(transfer);
    for (const userId of left) {
      await this.assignment
        .agentFreed(conversation.tenant, userId)
        .catch((e: unknown) => this.log.error({ err: e }, 'dispatch after a transfer failed'));
    }
  }

  /** Tells the sender and the target (both, live) how the transfer stands. */
  private async publish(transfer: Transfer): Promise<void> {
    const event: TransferEventDto = { transferId: transfer.id, state: transfer.state };
    const users = new Set([transfer.requestedBy, transfer.fromUser, transfer.toUser].filter((u): u is string => !!u));
    for (const userId of users) await this.bus.publish(transferTopics.user(transfer.tenant, userId), event);
  }
}

interface TransferRequest {
  fromUser: string | null;
  requestedBy: string;
  remark: string | null;
  toUser?: string;
}

interface Moved {
  transfer: Transfer;
  conversation: Conversation;
  messages: Message[];
  /** The agents who left the conversation. */
  left: string[];
}
