import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage } from '../../platform/graphql/access';
import { Conversation } from '../conversation/conversation.entity';
import type { AppContext } from '../services';
import { AssignmentDecision } from './routing.entity';

@Resolver(() => Conversation)
export class AssignmentResolver {
  @Mutation(() => Conversation, {
    description: 'Takes a waiting conversation from the queue (QUE-4): admins always, agents when the settings allow.',
  })
  @RequirePage(Page.AGENT_QUEUE)
  async joinConversation(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Conversation> {
    await ctx.services.assignment.join(ctx, id);
    return this.reloaded(ctx, id);
  }

  @Mutation(() => Conversation, { description: 'Gives a waiting conversation to an agent who is not offline (QUE-4).' })
  @RequirePage(Page.ADMIN_MONITOR)
  async assignConversation(
    @Arg('id', () => ID) id: string,
    @Arg('userId', () => ID) userId: string,
    @Ctx() ctx: AppContext,
  ): Promise<Conversation> {
    await ctx.services.assignment.assign(ctx, id, userId);
    return this.reloaded(ctx, id);
  }

  @FieldResolver(() => [AssignmentDecision], {
    description: 'Why it went where it went (QUE-13): routing, assignment or queueing, oldest first.',
  })
  decisions(@Root() conversation: Conversation, @Ctx() ctx: AppContext): Promise<AssignmentDecision[]> {
    // The conversation itself was already checked by the query that returned it.
    return ctx.services.assignment.decisions(ctx, conversation);
  }

  private async reloaded(ctx: AppContext, id: string): Promise<Conversation> {
    const conversation = await ctx.services.conversations.get(ctx, id);
    await ctx.em.refresh(conversation);
    return conversation;
  }
}
