import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import { type ServiceScope, staffOf, tenantOf, userOf } from '../../platform/auth/scope';
import { tenantFork } from '../../platform/database/tenant-filter';
import { notFound, raise } from '../../platform/errors/app-error';
import { type ConnectionArgs, type Page, pageWindow } from '../../platform/graphql/connection';
import { type EventBus, topics } from '../../platform/pubsub/event-bus';
import { CloseReason, SenderKind } from '../conversation/conversation.entity';
import type { ClosedConversation, ConversationService } from '../conversation/conversation.service';
import { Team, TeamMember } from '../team/team.entity';
import { User } from '../user/user.entity';
import { Notice, Notification, NotificationKind, NotificationSubject } from './notification.entity';
import { NotificationErrors } from './notification.errors';
import type { SendNoticeInput } from './notification.inputs';
import { kindsOf, type NotificationGroup } from './notification.types';

export interface NewNotification {
  recipient: string;
  kind: NotificationKind;
  title: string;
  body: string;
  subjectType?: NotificationSubject;
  subjectId?: string;
}

/** One message to many users: the same content, one row each. */
type Broadcast = Omit<NewNotification, 'recipient'>;

const AUTO_CLOSE_TEXT: Partial<Record<CloseReason, string>> = {
  [CloseReason.CUSTOMER_NO_REPLY]: 'The customer did not reply in time, so the system closed the conversation.',
  [CloseReason.INACTIVE]: 'No one wrote for a while, so the system closed the conversation.',
};

/** Where the console shows a notification's subject. */
const ROUTES: Record<NotificationSubject, string> = {
  [NotificationSubject.USER]: '/users',
  [NotificationSubject.CUSTOMER]: '/customers',
  [NotificationSubject.CONVERSATION]: '/conversations',
  [NotificationSubject.NOTE]: '/notes',
  [NotificationSubject.APPROVAL]: '/approvals',
  [NotificationSubject.NOTICE]: '/notices',
};

export function linkOf(n: Pick<Notification, 'subjectType' | 'subjectId'>): string | null {
  return n.subjectType && n.subjectId ? `${ROUTES[n.subjectType]}/${n.subjectId}` : null;
}

/**
 * Notifications (NTF-1): system messages and admins' notices, one row per recipient, kept
 * permanently; each is published live to its recipient after it is stored.
 */
export class NotificationService {
  constructor(private readonly bus: EventBus) {}

  /** Tells the agents who were serving a conversation the system closed on its own (CNV-7). */
  listenForAutoClose(orm: MikroORM, conversations: ConversationService): void {
    conversations.onClosed((closed) => this.autoClosed(orm, closed));
  }

  /** Stages a notification in the caller's unit of work; `publish` it after the flush. */
  create(scope: ServiceScope, input: NewNotification): Notification {
    return scope.em.create(Notification, { ...input, tenant: tenantOf(scope) });
  }

  async publish(notification: Notification): Promise<void> {
    await this.bus.publish(topics.user(notification.tenant, notification.recipient), { notification });
  }

  /**
   * Stores the same notification for many users in one statement (within the caller's
   * transaction, if any); `publish` each after the commit.
   */
  async insertMany(em: EntityManager, tenantId: string, recipients: string[], n: Broadcast): Promise<Notification[]> {
    if (!recipients.length) return [];
    const now = new Date();
    const rows = recipients.map((recipient) =>
      Object.assign(new Notification(), {
        tenant: tenantId,
        recipient,
        kind: n.kind,
        title: n.title,
        body: n.body,
        subjectType: n.subjectType ?? null,
        subjectId: n.subjectId ?? null,
        createdAt: now,
        updatedAt: now,
      }),
    );
    await em.insertMany(Notification, rows);
    return rows;
  }

  async listMine(
    scope: ServiceScope,
    args: ConnectionArgs & { unreadOnly?: boolean; group?: NotificationGroup | null },
  ): Promise<Page<Notification>> {
    const me = userOf(scope);
    const { offset, limit } = pageWindow(args);
    const [items, totalCount] = await scope.em.findAndCount(
      Notification,
      {
        recipient: me.userId,
        ...(args.unreadOnly ? { readAt: null } : {}),
        ...(args.group ? { kind: { $in: kindsOf(args.group) } } : {}),
      },
      { orderBy: { createdAt: 'desc', id: 'desc' }, offset, limit },
    );
    return { items, totalCount, offset, limit };
  }

  unreadCount(scope: ServiceScope, group?: NotificationGroup | null): Promise<number> {
    return scope.em.count(Notification, {
      recipient: userOf(scope).userId,
      readAt: null,
      ...(group ? { kind: { $in: kindsOf(group) } } : {}),
    });
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

  /**
   * An admin's notice (NTF-1) to everyone, or to the enabled members of teams and to users: the
   * notice and every recipient's notification are stored in one transaction, then delivered live.
   */
  async sendNotice(scope: ServiceScope, input: SendNoticeInput): Promise<Notice> {
    const staff = staffOf(scope);
    const teamIds = [...new Set(input.teamIds ?? [])];
    const userIds = [...new Set(input.userIds ?? [])];
    const title = input.title.trim();
    const body = input.body.trim();
    const { notice, notifications } = await scope.em.transactional(async (tx) => {
      const recipients = await this.recipients(tx, input.everyone, teamIds, userIds);
      const notice = tx.create(Notice, {
        tenant: staff.tenantId,
        title,
        body,
        sender: staff.kind === 'user' ? staff.userId : null,
        recipientCount: recipients.length,
      });
      await tx.flush();
      const notifications = await this.insertMany(tx, staff.tenantId, recipients, {
        kind: NotificationKind.NOTICE,
        title,
        body,
        subjectType: NotificationSubject.NOTICE,
        subjectId: notice.id,
      });
      return { notice, notifications };
    });
    for (const n of notifications) await this.publish(n);
    return notice;
  }

  /** The tenant's notices, newest first. */
  async notices(scope: ServiceScope, args: ConnectionArgs): Promise<Page<Notice>> {
    staffOf(scope);
    const { offset, limit } = pageWindow(args);
    const [items, totalCount] = await scope.em.findAndCount(
      Notice,
      {},
      { orderBy: { createdAt: 'desc', id: 'desc' }, offset, limit },
    );
    return { items, totalCount, offset, limit };
  }

  /** The enabled users a notice goes to; every given team and user must exist in the tenant. */
  private async recipients(
    em: EntityManager,
    everyone: boolean,
    teamIds: string[],
    userIds: string[],
  ): Promise<string[]> {
    const active = { enabled: true, deletedAt: null };
    if (teamIds.length && (await em.count(Team, { id: { $in: teamIds } })) !== teamIds.length) {
      throw raise(NotificationErrors, 'TEAM_NOT_FOUND');
    }
    if (userIds.length && (await em.count(User, { id: { $in: userIds }, ...active })) !== userIds.length) {
      throw raise(NotificationErrors, 'USER_NOT_FOUND');
    }
    if (everyone && (teamIds.length || userIds.length)) throw raise(NotificationErrors, 'EVERYONE_AND_LIST');
    if (!everyone && !teamIds.length && !userIds.length) throw raise(NotificationErrors, 'NO_RECIPIENTS');
    let users: { id: string }[];
    if (everyone) {
      users = await em.find(User, active, { fields: ['id'] });
    } else {
      const members = teamIds.length ? await em.find(TeamMember, { team: { $in: teamIds } }, { fields: ['user'] }) : [];
      const ids = [...new Set([...userIds, ...members.map((m) => m.user)])];
      users = await em.find(User, { id: { $in: ids }, ...active }, { fields: ['id'] });
    }
    if (!users.length) throw raise(NotificationErrors, 'NOBODY_TO_NOTIFY');
    return users.map((u) => u.id);
  }

  private async autoClosed(orm: MikroORM, closed: ClosedConversation): Promise<void> {
    const { conversation, agents, reason } = closed;
    const body = AUTO_CLOSE_TEXT[reason];
    if (conversation.closedBy !== SenderKind.SYSTEM || !body || !agents.length) return;
    const em = tenantFork(orm.em, conversation.tenant);
    const notifications = await this.insertMany(em, conversation.tenant, [...new Set(agents)], {
      kind: NotificationKind.SYSTEM,
      title: 'A conversation was closed automatically',
      body,
      subjectType: NotificationSubject.CONVERSATION,
      subjectId: conversation.id,
    });
    for (const n of notifications) await this.publish(n);
  }
}
