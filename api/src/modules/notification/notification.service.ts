import { type ServiceScope, tenantOf, userOf } from '../../platform/auth/scope';
import { notFound } from '../../platform/errors/app-error';
import { type ConnectionArgs, type Page, pageWindow } from '../../platform/graphql/connection';
import { type EventBus, topics } from '../../platform/pubsub/event-bus';
import { Notification, type NotificationKind, type NotificationSubject } from './notification.entity';

export interface NewNotification {
  recipient: string;
  kind: NotificationKind;
  title: string;
  body: string;
  subjectType?: NotificationSubject;
  subjectId?: string;
}

export class NotificationService {
  constructor(private readonly bus: EventBus) {}

  /** Stages a notification in the caller's unit of work; `publish` it after the flush. */
  create(scope: ServiceScope, input: NewNotification): Notification {
    return scope.em.create(Notification, { ...input, tenant: tenantOf(scope) });
  }

  async publish(notification: Notification): Promise<void> {
    await this.bus.publish(topics.user(notification.tenant, notification.recipient), { notification });
  }

  async listMine(scope: ServiceScope, args: ConnectionArgs & { unreadOnly?: boolean }): Promise<Page<Notification>> {
    const me = userOf(scope);
    const { offset, limit } = pageWindow(args);
    const [items, totalCount] = await scope.em.findAndCount(
      Notification,
      { recipient: me.userId, ...(args.unreadOnly ? { readAt: null } : {}) },
      { orderBy: { createdAt: 'desc', id: 'desc' }, offset, limit },
    );
    return { items, totalCount, offset, limit };
  }

  unreadCount(scope: ServiceScope): Promise<number> {
    return scope.em.count(Notification, { recipient: userOf(scope).userId, readAt: null });
  }

  /** Marks the given notifications (or all when `ids` is omitted) read; returns how many changed. */
  async markRead(scope: ServiceScope, ids?: string[]): Promise<number> {
    const me = userOf(scope);
    if (ids) {
      const unique = [...new Set(ids)];
      const mine = await scope.em.count(Notification, { id: { $in: unique }, recipient: me.userId });
      if (mine !== unique.length) throw notFound('Notification');
    }
    return scope.em.nativeUpdate(
      Notification,
      { recipient: me.userId, readAt: null, ...(ids ? { id: { $in: ids } } : {}) },
      { readAt: new Date() },
    );
  }

  subscribe(scope: ServiceScope, signal?: AbortSignal): AsyncIterableIterator<{ notification: Notification }> {
    const me = userOf(scope);
    return this.bus.subscribe(topics.user(me.tenantId, me.userId), signal);
  }
}
