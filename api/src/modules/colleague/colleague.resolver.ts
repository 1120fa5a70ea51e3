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
import { ColleagueMessageInput, ColleagueMessagesArgs } from './colleague.inputs';
import { type DirectMessageDto, fromDto } from './colleague.service';

@ObjectType()
export class ColleagueUnread {
  @Field(() => ID)
  userId!: string;

  @Field(() => Int)
  count!: number;
}

@Resolver(() => DirectMessage)
export class ColleagueResolver {
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
