import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage, SignedIn } from '../../platform/graphql/access';
import { ConnectionArgs, type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import type { AppContext } from '../services';
import { User } from '../user/user.entity';
import { Notice, Notification } from './notification.entity';
import { NotificationsArgs, SendNoticeInput } from './notification.inputs';
import { linkOf } from './notification.service';
import { NoticeConnection, NotificationConnection, NotificationGroup } from './notification.types';

type Dated<T> = Omit<T, 'createdAt' | 'updatedAt' | 'readAt'> & {
  createdAt: Date | string;
  updatedAt: Date | string;
  readAt: Date | string | null;
};

/** A notification as it arrives from the bus: across processes (Redis) its dates are strings. */
function revive(n: Dated<Notification>): Notification {
  return Object.assign(Object.create(Notification.prototype) as Notification, {
    ...n,
    createdAt: new Date(n.createdAt),
    updatedAt: new Date(n.updatedAt),
    readAt: n.readAt ? new Date(n.readAt) : null,
  });
}

@Resolver(() => Notification)
export class NotificationResolver {
  @Query(() => NotificationConnection, { description: "The signed-in user's notifications, newest first." })
  @SignedIn('user')
  async notifications(@Args() args: NotificationsArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<Notification>> {
    return toConnection(await ctx.services.notifications.listMine(ctx, args));
  }

  @Query(() => Int)
  @SignedIn('user')
  unreadNotificationCount(
    @Arg('group', () => NotificationGroup, { nullable: true, description: 'Only notices, or only system messages.' })
    group: NotificationGroup | null | undefined,
    @Ctx() ctx: AppContext,
  ): Promise<number> {
    return ctx.services.notifications.unreadCount(ctx, group);
  }

  @Mutation(() => Int, {
    description: 'Marks the given notifications read, or all when `ids` is omitted; returns how many changed.',
  })
  @SignedIn('user')
  markNotificationsRead(
    @Arg('ids', () => [ID], { nullable: true }) ids: string[] | undefined,
    @Ctx() ctx: AppContext,
  ): Promise<number> {
    return ctx.services.notifications.markRead(ctx, ids ?? undefined);
  }

  @Subscription(() => Notification, {
    description: 'New notifications of the signed-in user, live.',
    subscribe: ({ context }) => {
      const ctx = context as AppContext;
      return ctx.services.notifications.subscribe(ctx);
    },
  })
  @SignedIn('user')
  notificationAdded(@Root() event: { notification: Dated<Notification> }): Notification {
    return revive(event.notification);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'The console route of the subject: `/conversations/<id>`, `/customers/<id>`, `/notes/<id>`, `/users/<id>`, `/approvals/<id>` or `/notices/<id>`.',
  })
  link(@Root() notification: Notification): string | null {
    return linkOf(notification);
  }
}

@Resolver(() => Notice)
export class NoticeResolver {
  @Mutation(() => Notice, {
    description:
      'Sends a notice (NTF-1) to every enabled user of the tenant, or to the enabled members of teams and to users; each gets a NOTICE notification, live.',
  })
  @RequirePage(Page.ADMIN_NOTIFICATIONS)
  sendNotice(@Arg('input') input: SendNoticeInput, @Ctx() ctx: AppContext): Promise<Notice> {
    return ctx.services.notifications.sendNotice(ctx, input);
  }

  @Query(() => NoticeConnection, { description: "The tenant's notices, newest first." })
  @RequirePage(Page.ADMIN_NOTIFICATIONS)
  async notices(@Args() args: ConnectionArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<Notice>> {
    return toConnection(await ctx.services.notifications.notices(ctx, args));
  }

  @FieldResolver(() => User, { nullable: true, description: 'The user who sent it (none for an API key).' })
  async senderUser(@Root() notice: Notice, @Ctx() ctx: AppContext): Promise<User | null> {
    return notice.sender ? ((await ctx.loaders.byId(User).load(notice.sender)) ?? null) : null;
  }
}
