import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage, VisitorOnly } from '../../platform/graphql/access';
import { Conversation } from '../conversation/conversation.entity';
import type { AppContext } from '../services';
import { Rating } from './rating.entity';
import { RateConversationInput } from './satisfaction.inputs';

@Resolver(() => Rating)
export class SatisfactionResolver {
  @Mutation(() => Rating, {
    description:
      'Invites the customer to rate the conversation (once per conversation), by the agent serving it, while it is open or within 30 minutes of its close. The widget shows the form for the CUSTOM message `{kind: "rating-invitation", ratingId}`.',
  })
  @RequirePage(Page.AGENT_CONVERSATIONS)
  inviteRating(@Arg('conversationId', () => ID) conversationId: string, @Ctx() ctx: AppContext): Promise<Rating> {
    return ctx.services.satisfaction.invite(ctx, conversationId);
  }

  @Mutation(() => Rating, {
    description:
      "The customer rates one of their conversations after an invitation, within the tenant's time limit; a second rating replaces the first or is refused, per the settings.",
  })
  @VisitorOnly()
  rateConversation(@Arg('input') input: RateConversationInput, @Ctx() ctx: AppContext): Promise<Rating> {
    return ctx.services.satisfaction.rate(ctx, input);
  }
}

@Resolver(() => Conversation)
export class ConversationRatingResolver {
  @FieldResolver(() => Rating, {
    nullable: true,
    description: 'The satisfaction rating: present once invited; `stars` is empty until the customer answers.',
  })
  rating(@Root() conversation: Conversation, @Ctx() ctx: AppContext): Promise<Rating | null> {
    return ctx.loaders
      .get<string, Rating | null>('ratingOfConversation', (ids) =>
        ctx.services.satisfaction.ofConversations(ctx.em, ids),
      )
      .load(conversation.id);
  }
}
