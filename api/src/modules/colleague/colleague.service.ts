import type { EntityManager } from '@mikro-orm/postgresql';
import { type ServiceScope, userOf } from '../../platform/auth/scope';
import { isUniqueViolation } from '../../platform/database/db-errors';
import { badInput, notFound } from '../../platform/errors/app-error';
import { type EventBus, topics } from '../../platform/pubsub/event-bus';
import { User } from '../user/user.entity';
import { DirectMessage } from './colleague.entity';
import type { ColleagueMessageInput, ColleagueMessagesArgs } from './colleague.inputs';

/** What travels on the bus (plain JSON). */
export interface DirectMessageDto {
  id: string;
  tenant: string;
  sender: string;
  recipient: string;
  text: string;
  clientMessageId: string | null;
  readAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface UnreadFrom {
  userId: string;
  count: number;
}

export const colleagueTopic = (tenantId: string, userId: string) => `${topics.user(tenantId, userId)}:colleague`;

/** Colleague chat: direct messages between users of a tenant, to any status (MSG-5). */
export class ColleagueService {
  constructor(private readonly bus: EventBus) {}

  async send(scope: ServiceScope, input: ColleagueMessageInput): Promise<DirectMessage> {
    const me = userOf(scope);
    if (input.toUserId === me.userId) throw badInput('toUserId', 'You cannot send a message to yourself');
    await this.colleague(scope.em, input.toUserId);
    if (input.clientMessageId) {
      const existing = await scope.em.findOne(DirectMessage, {
        sender: me.userId,
        clientMessageId: input.clientMessageId,
      });
      if (existing) return existing;
    }
    const message = scope.em.create(DirectMessage, {
      tenant: me.tenantId,
      sender: me.userId,
      recipient: input.toUserId,
      text: input.text,
      clientMessageId: input.clientMessageId ?? null,
    });
    try {
      await scope.em.flush();
    } catch (e) {
      // The same clientMessageId sent twice at once: the first one stands.
      if (!isUniqueViolation(e) || !input.clientMessageId) throw e;
      scope.em.clear();
      return scope.em.findOneOrFail(DirectMessage, { sender: me.userId, clientMessageId: input.clientMessageId });
    }
    const dto = toDto(message);
    await this.bus.publish(colleagueTopic(me.tenantId, input.toUserId), dto);
    await this.bus.publish(colleagueTopic(me.tenantId, me.userId), dto);
    return message;
  }

  /** The thread with one colleague, oldest first (`before` pages backwards). */
  async thread(scope: ServiceScope, args: ColleagueMessagesArgs): Promise<DirectMessage[]> {
    const me = userOf(scope);
    await this.colleague(scope.em, args.userId);
    const between = {
      $or: [
        { sender: me.userId, recipient: args.userId },
        { sender: args.userId, recipient: me.userId },
      ],
    };
    // Ids are UUIDv7, ordered by creation: paging by id has no ties.
    const rows = await scope.em.find(
      DirectMessage,
      { ...between, ...(args.before ? { id: { $lt: args.before } } : {}) },
      { orderBy: { id: 'desc' }, limit: args.first },
    );
    return rows.reverse();
  }

  /** Unread messages per colleague who wrote to the signed-in user. */
  async unread(scope: ServiceScope): Promise<UnreadFrom[]> {
    const me = userOf(scope);
    const rows = await scope.em.find(DirectMessage, { recipient: me.userId, readAt: null }, { fields: ['sender'] });
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.sender, (counts.get(r.sender) ?? 0) + 1);
    return [...counts].map(([userId, count]) => ({ userId, count }));
  }

  /** Marks everything a colleague sent to the signed-in user read; returns how many changed. */
  async markRead(scope: ServiceScope, fromUserId: string): Promise<number> {
    const me = userOf(scope);
    await this.colleague(scope.em, fromUserId);
    return scope.em.nativeUpdate(
      DirectMessage,
      { sender: fromUserId, recipient: me.userId, readAt: null },
      { readAt: new Date() },
    );
  }

  subscribe(scope: ServiceScope, signal: AbortSignal): AsyncIterableIterator<DirectMessageDto> {
    const me = userOf(scope);
    return this.bus.subscribe(colleagueTopic(me.tenantId, me.userId), signal);
  }

  private async colleague(em: EntityManager, userId: string): Promise<User> {
    const user = await em.findOne(User, { id: userId, deletedAt: null });
    if (!user) throw notFound('User');
    return user;
  }
}

export function toDto(m: DirectMessage): DirectMessageDto {
  return {
    id: m.id,
    tenant: m.tenant,
    sender: m.sender,
    recipient: m.recipient,
    text: m.text,
    clientMessageId: m.clientMessageId,
    readAt: m.readAt?.toISOString() ?? null,
    createdAt: m.createdAt.toISOString(),
    updatedAt: m.updatedAt.toISOString(),
  };
}

export function fromDto(dto: DirectMessageDto): DirectMessage {
  // Not `new DirectMessage()`: its field initialisers (a fresh id, timestamps) are wasted work per delivery.
  return Object.assign(Object.create(DirectMessage.prototype) as DirectMessage, {
    ...dto,
    readAt: dto.readAt ? new Date(dto.readAt) : null,
    createdAt: new Date(dto.createdAt),
    updatedAt: new Date(dto.updatedAt),
  });
}
