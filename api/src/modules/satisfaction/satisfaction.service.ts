import { LockMode } from '@mikro-orm/core';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { type ServiceScope, userOf } from '../../platform/auth/scope';
import { isUniqueViolation } from '../../platform/database/db-errors';
import { tenantFork } from '../../platform/database/tenant-filter';
import { raise } from '../../platform/errors/app-error';
import {
  CloseReason,
  Conversation,
  ConversationAgent,
  ConversationState,
  LeftHow,
  Message,
  MessageType,
  SenderKind,
} from '../conversation/conversation.entity';
import { ConversationChangeKind, MessageEventKind } from '../conversation/conversation.events';
import type { ClosedConversation, ConversationService } from '../conversation/conversation.service';
import { RatingKept, type SatisfactionSettings } from '../tenant/tenant-settings';
import type { TenantService } from '../tenant/tenant.service';
import { visitorOf } from '../visitor/visitor.service';
import { Rating } from './rating.entity';
import { SatisfactionErrors } from './satisfaction.errors';
import type { RateConversationInput } from './satisfaction.inputs';

/** The `kind` of the CUSTOM message that shows the rating form in the widget. */
export const RATING_INVITATION_KIND = 'rating-invitation';
const INVITATION_TEXT = 'How would you rate this conversation?';
/** How long after a close the agent who closed it may still invite a rating. */
export const INVITE_AFTER_CLOSE_MS = 30 * 60 * 1000;

// Closes by the system (CNV-7) count as "closed automatically"; a blacklisted customer or one who
// left a note instead of waiting is never asked to rate.
const AUTO_CLOSES = new Set([CloseReason.CUSTOMER_NO_REPLY, CloseReason.INACTIVE]);
const NEVER_INVITED = new Set([CloseReason.BLACKLISTED, CloseReason.NOTE_LEFT]);

/** Whether a close invites a rating by itself (CNV-5 settings). */
export function invitesOnClose(
  settings: SatisfactionSettings,
  closed: { channel: Conversation['channel']; reason: CloseReason; servedByAgent: boolean },
  customerAndAgentMessages: number,
): boolean {
  if (NEVER_INVITED.has(closed.reason)) return false;
  // No one served it (closed from the queue): there is no service to rate.
  if (!closed.servedByAgent) return false;
  if (!settings.autoInviteChannels.includes(closed.channel)) return false;
  if (settings.skipAutoClosed && AUTO_CLOSES.has(closed.reason)) return false;
  if (settings.skipSingleMessage && customerAndAgentMessages <= 1) return false;
  return true;
}

/**
 * Satisfaction ratings (CNV-5): one invitation per conversation, by the serving agent or
 * automatically on close; the customer answers within the tenant's time limit.
 */
export class SatisfactionService {
  constructor(
    private readonly orm: MikroORM,
    private readonly conversations: ConversationService,
    private readonly tenants: TenantService,
  ) {
    conversations.onClosed((closed) => this.inviteOnClose(closed));
  }

  /** The serving agent invites the customer to rate, while the conversation is open or just closed. */
  async invite(scope: ServiceScope, conversationId: string): Promise<Rating> {
    const me = userOf(scope);
    const visible = await this.conversations.get(scope, conversationId);
    const invited = await this.createInvitation(scope.em, visible.id, me.userId, async (tx, conv) => {
      const serving = await tx.count(ConversationAgent, {
        conversation: conv.id,
        user: me.userId,
        ...(conv.state === ConversationState.CLOSED ? { leftHow: LeftHow.CLOSED } : { leftAt: null }),
      });
      if (!serving) throw raise(SatisfactionErrors, 'NOT_SERVING');
      if (conv.closedAt && Date.now() - conv.closedAt.getTime() > INVITE_AFTER_CLOSE_MS) {
        throw raise(SatisfactionErrors, 'CLOSED_TOO_LONG_AGO');
      }
    });
    if (!invited) throw raise(SatisfactionErrors, 'ALREADY_INVITED');
    return invited;
  }

  /** The visitor rates their own conversation after an invitation, within the time limit. */
  async rate(scope: ServiceScope, input: RateConversationInput): Promise<Rating> {
    const visitor = visitorOf(scope);
    const conversation = await this.conversations.get(scope, input.conversationId);
    const { satisfaction } = await this.tenants.settings(scope.em, visitor.tenantId);
    const rating = await scope.em.transactional(async (tx) => {
      const found = await tx.findOne(
        Rating,
        { conversation: conversation.id },
        { lockMode: LockMode.PESSIMISTIC_WRITE },
      );
      if (!found) throw raise(SatisfactionErrors, 'NOT_INVITED');
      const limitMs = satisfaction.timeLimitSeconds * 1000;
      if (Date.now() - found.invitedAt.getTime() > limitMs) {
        throw raise(SatisfactionErrors, 'RATING_EXPIRED', { timeLimitSeconds: satisfaction.timeLimitSeconds });
      }
      if (found.ratedAt && satisfaction.kept === RatingKept.FIRST) throw raise(SatisfactionErrors, 'ALREADY_RATED');
      tx.assign(found, {
        stars: input.stars,
        labels: [...new Set(input.labels.map((l) => l.trim()))],
        remark: input.remark?.trim() || null,
        resolved: input.resolved ?? null,
        ratedAt: new Date(),
      });
      return found;
    });
    // The agents who served it see the rating arrive (their list refetches the conversation).
    const parts = await scope.em.find(ConversationAgent, {
      conversation: conversation.id,
      $or: [{ leftAt: null }, { leftHow: LeftHow.CLOSED }],
    });
    await this.conversations.publishChange(
      conversation,
      parts.map((p) => p.user),
      ConversationChangeKind.UPDATED,
    );
    return rating;
  }

  /** Ratings of many conversations at once (DataLoader batch); none where no one was invited. */
  async ofConversations(em: EntityManager, conversationIds: readonly string[]): Promise<(Rating | null)[]> {
    const rows = await em.find(Rating, { conversation: { $in: [...conversationIds] } });
    const byConversation = new Map(rows.map((r) => [r.conversation, r]));
    return conversationIds.map((id) => byConversation.get(id) ?? null);
  }

  private async inviteOnClose(closed: ClosedConversation): Promise<void> {
    const { conversation, reason, agents } = closed;
    const em = tenantFork(this.orm.em, conversation.tenant);
    const { satisfaction } = await this.tenants.settings(em, conversation.tenant);
    const quick = { channel: conversation.channel, reason, servedByAgent: agents.length > 0 };
    // Cheap checks first; the message count only when everything else says yes.
    if (!invitesOnClose({ ...satisfaction, skipSingleMessage: false }, quick, 0)) return;
    const messages = satisfaction.skipSingleMessage
      ? await em.count(Message, {
          conversation: conversation.id,
          senderKind: { $in: [SenderKind.CUSTOMER, SenderKind.AGENT] },
        })
      : 0;
    if (!invitesOnClose(satisfaction, quick, messages)) return;
    // An agent may have invited before the close: then there is nothing more to do.
    await this.createInvitation(em, conversation.id, null);
  }

  /**
   * Stores the invitation and its CUSTOM message in one transaction under the conversation's row
   * lock (the message takes the next seq; a closed conversation takes it too), then publishes the
   * message. Null when the conversation already has one.
   */
  private async createInvitation(
    em: EntityManager,
    conversationId: string,
    invitedBy: string | null,
    check?: (tx: EntityManager, conv: Conversation) => Promise<void>,
  ): Promise<Rating | null> {
    let stored: { rating: Rating; message: Message; agents: string[]; conv: Conversation } | null;
    try {
      stored = await em.transactional(async (tx) => {
        const conv = await tx.findOneOrFail(
          Conversation,
          { id: conversationId },
          { lockMode: LockMode.PESSIMISTIC_WRITE },
        );
        await check?.(tx, conv);
        if (await tx.count(Rating, { conversation: conv.id })) return null;
        const rating = tx.create(Rating, {
          tenant: conv.tenant,
          conversation: conv.id,
          invitedBy,
          invitedAt: new Date(),
        });
        const message = this.conversations.append(
          tx,
          conv,
          { kind: SenderKind.SYSTEM },
          {
            type: MessageType.CUSTOM,
            text: INVITATION_TEXT,
            payload: { kind: RATING_INVITATION_KIND, ratingId: rating.id },
          },
        );
        const active = await tx.find(ConversationAgent, { conversation: conv.id, leftAt: null });
        // The inviting agent has seen their own invitation.
        for (const part of active) if (part.user === invitedBy) part.readSeq = conv.lastSeq;
        await tx.flush();
        return { rating, message, agents: active.map((a) => a.user), conv };
      });
    } catch (e) {
      // Two invitations at once: the other one won.
      if (isUniqueViolation(e)) return null;
      throw e;
    }
    if (!stored) return null;
    await this.conversations.publishMessage(stored.message, MessageEventKind.ADDED);
    await this.conversations.publishChange(stored.conv, stored.agents, ConversationChangeKind.UPDATED);
    return stored.rating;
  }
}
