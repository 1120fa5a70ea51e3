import {
  Arg,
  Args,
  ArgsType,
  Ctx,
  Field,
  ID,
  Int,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { SignedIn } from '../../platform/graphql/access';
import { Connection, ConnectionArgs, type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import type { AppContext } from '../services';
import { Notification } from './notification.entity';

@ObjectType()
export class NotificationConnection extends Connection(Notification) {}

@ArgsType()
export class NotificationsArgs extends ConnectionArgs {
  @Field({ defaultValue: false })
  unreadOnly!: boolean;
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
  unreadNotificationCount(@Ctx() ctx: AppContext): Promise<number> {
    return ctx.services.notifications.unreadCount(ctx);
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
  notificationAdded(@Root() event: { notification: Notification }): Notification {
    return event.notification;
  }
}
