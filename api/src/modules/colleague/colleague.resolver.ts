import {
  Arg,
  Args,
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
import { Page } from '../../platform/auth/pages';
import { RequirePage, SignedIn } from '../../platform/graphql/access';
import { cancellable } from '../../platform/pubsub/cancellable';
import type { AppContext } from '../services';
import { DirectMessage } from './colleague.entity';
import { Connection, type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import { TeamsArgs } from '../team/team.inputs';
import { UserStatus } from '../user/user.entity';
import { ColleagueMessageInput, ColleagueMessagesArgs, ColleaguesArgs } from './colleague.inputs';
import { type DirectMessageDto, fromDto } from './colleague.service';

@ObjectType()
export class ColleagueUnread {
  @Field(() => ID)
  userId!: string;

  @Field(() => Int)
  count!: number;
}

/**
 * A colleague as every agent may see them (the Colleague tab, transfers): who they are and whether
 * they can answer. Contact details, role and sign-in times stay on `User`, for the Users page.
 */
@ObjectType()
export class Colleague {
  @Field(() => ID)
  id!: string;

  @Field()
  nickname!: string;

  @Field(() => String, { nullable: true, description: 'Shown on hover, to tell namesakes apart.' })
  realName!: string | null;

  @Field(() => String, { nullable: true })
  avatarUrl!: string | null;

  @Field(() => UserStatus)
  status!: UserStatus;
}

@ObjectType()
export class ColleagueConnection extends Connection(Colleague) {}

/** A team as the transfer dialog shows it; its members stay on `Team`, for the Teams page. */
@ObjectType()
export class TransferTeam {
  @Field(() => ID)
  id!: string;

  @Field()
  name!: string;

  @Field(() => Int, { description: 'Members; a team without any cannot take a transfer.' })
  memberCount!: number;
}

@ObjectType()
export class TransferTeamConnection extends Connection(TransferTeam) {}

@Resolver(() => DirectMessage)
export class ColleagueResolver {
  @Query(() => ColleagueConnection, {
    description:
      'Enabled colleagues of the tenant, by nickname: the Colleague tab and the agents of the transfer dialog. Filter by status to find who can take a transfer.',
  })
  @RequirePage(Page.AGENT_CONVERSATIONS)
  async colleagues(@Args() args: ColleaguesArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<Colleague>> {
    const { excludeSelf, ...filters } = args;
    const except = excludeSelf && ctx.principal.kind === 'user' ? ctx.principal.userId : undefined;
    return toConnection(await ctx.services.users.list(ctx, { ...filters, enabled: true }, { except }));
  }

  @Query(() => TransferTeamConnection, { description: 'Teams, by name: the teams of the transfer dialog (CNV-4).' })
  @RequirePage(Page.AGENT_CONVERSATIONS)
  async transferTeams(@Args() args: TeamsArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<TransferTeam>> {
    const page = await ctx.services.teams.list(ctx, args);
    const counts = await ctx.services.teams.memberCounts(
      ctx,
      page.items.map((t) => t.id),
    );
    return toConnection({
      ...page,
      items: page.items.map((t, i) => ({ id: t.id, name: t.name, memberCount: counts[i]! })),
    });
  }

  @Query(() => [DirectMessage], { description: 'The thread with one colleague, oldest first.' })
  @RequirePage(Page.AGENT_CONVERSATIONS)
  colleagueMessages(@Args() args: ColleagueMessagesArgs, @Ctx() ctx: AppContext): Promise<DirectMessage[]> {
    return ctx.services.colleagues.thread(ctx, args);
  }

  @Query(() => [ColleagueUnread], {
    description: 'Unread colleague messages, per colleague (the Colleague tab marker).',
  })
  @RequirePage(Page.AGENT_CONVERSATIONS)
  colleagueUnread(@Ctx() ctx: AppContext): Promise<ColleagueUnread[]> {
    return ctx.services.colleagues.unread(ctx);
  }

  @Mutation(() => DirectMessage, { description: 'Sends a message to a colleague, whatever their status.' })
  @RequirePage(Page.AGENT_CONVERSATIONS)
  sendColleagueMessage(@Arg('input') input: ColleagueMessageInput, @Ctx() ctx: AppContext): Promise<DirectMessage> {
    return ctx.services.colleagues.send(ctx, input);
  }

  @Mutation(() => Int, { description: "Marks a colleague's messages to you read; returns how many changed." })
  @RequirePage(Page.AGENT_CONVERSATIONS)
  markColleagueMessagesRead(@Arg('userId', () => ID) userId: string, @Ctx() ctx: AppContext): Promise<number> {
    return ctx.services.colleagues.markRead(ctx, userId);
  }

  @Subscription(() => DirectMessage, {
    description: 'Colleague messages to and from the signed-in user, live. Refetch threads after a reconnect.',
    subscribe: ({ context }) => {
      const ctx = context as AppContext;
      return cancellable((signal) => ctx.services.colleagues.subscribe(ctx, signal));
    },
  })
  @SignedIn('user')
  colleagueMessageAdded(@Root() dto: DirectMessageDto): DirectMessage {
    return fromDto(dto);
  }
}
