import { Arg, Args, Ctx, Mutation, ObjectType, Query, Resolver, Root, Subscription } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage, SignedIn } from '../../platform/graphql/access';
import { Connection, type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import { cancellable } from '../../platform/pubsub/cancellable';
import type { AppContext } from '../services';
import { User } from '../user/user.entity';
import { StatusLog } from './presence.entity';
import { MyStatusLogsArgs, SetMaxConversationsArgs, SetMyStatusArgs, StatusLogsArgs } from './presence.inputs';
import { MyWorkload, SetStatusResult, UserPresence, type UserPresenceDto } from './presence.types';

@ObjectType()
export class StatusLogConnection extends Connection(StatusLog) {}

@Resolver()
export class PresenceResolver {
  @Mutation(() => SetStatusResult, {
    description:
      "Sets the signed-in user's status. When the tenant requires approval, an agent's change from ONLINE to " +
      'BUSY, AWAY or INVISIBLE becomes a pending request instead (PRE-3).',
  })
  @SignedIn('user')
  setMyStatus(@Args() args: SetMyStatusArgs, @Ctx() ctx: AppContext): Promise<SetStatusResult> {
    return ctx.services.presence.setMyStatus(ctx, args.status, args.reason ?? null);
  }

  @Mutation(() => User, {
    description:
      "Sets a user's max conversations (PRE-2): admins with the Users page for anyone (the user is notified); " +
      'users for themselves when the capacity editor setting is AGENT.',
  })
  @SignedIn()
  setMaxConversations(@Args() args: SetMaxConversationsArgs, @Ctx() ctx: AppContext): Promise<User> {
    return ctx.services.presence.setMaxConversations(ctx, args.userId, args.max);
  }

  @Query(() => StatusLogConnection, { description: 'Status changes, newest first, for worktime statistics (PRE-4).' })
  @RequirePage(Page.ADMIN_USERS, Page.ADMIN_STATISTICS)
  async statusLogs(@Args() args: StatusLogsArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<StatusLog>> {
    return toConnection(await ctx.services.presence.statusLogs(ctx, args));
  }

  @Query(() => MyWorkload, {
    description: "The signed-in user's ongoing, served and closed counts; `since` is usually the start of their day.",
  })
  @SignedIn('user')
  myWorkload(@Arg('since', () => Date) since: Date, @Ctx() ctx: AppContext): Promise<MyWorkload> {
    return ctx.services.presence.workload(ctx, since);
  }

  @Query(() => StatusLogConnection, { description: "The signed-in user's status changes, newest first." })
  @SignedIn('user')
  async myStatusLogs(@Args() args: MyStatusLogsArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<StatusLog>> {
    return toConnection(await ctx.services.presence.myStatusLogs(ctx, args));
  }

  @Subscription(() => UserPresence, {
    description: "Status and capacity changes of the tenant's users, live. Refetch the user list after a reconnect.",
    subscribe: ({ context }) => {
      const ctx = context as AppContext;
      return cancellable((signal) => ctx.services.presence.subscribe(ctx, signal));
    },
  })
  @SignedIn()
  presenceChanges(@Root() dto: UserPresenceDto): UserPresence {
    return { userId: dto.userId, status: dto.status, maxConversations: dto.maxConversations };
  }
}
