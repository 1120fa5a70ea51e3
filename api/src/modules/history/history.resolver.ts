import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage } from '../../platform/graphql/access';
import { ConnectionArgs, type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import { ChannelAccount } from '../channel/channel.entity';
import { Conversation } from '../conversation/conversation.entity';
import { Customer } from '../customer/customer.entity';
import { Rating } from '../satisfaction/rating.entity';
import type { AppContext } from '../services';
import { ConversationTag } from '../tag/tag.entity';
import { Team } from '../team/team.entity';
import { User } from '../user/user.entity';
import { HistoryArgs, SearchMessagesArgs } from './history.inputs';
import { HistoryEntry, HistoryEntryConnection, MessageHit, MessageHitConnection } from './history.types';

const customerOf = async (ctx: AppContext, id: string): Promise<Customer> => {
  const customer = await ctx.loaders.byId(Customer).load(id);
  if (!customer) throw new Error(`Customer ${id} is missing`);
  return customer;
};

@Resolver(() => HistoryEntry)
export class HistoryResolver {
  @Query(() => HistoryEntryConnection, {
    description:
      'Closed conversations (HIS-1), newest first. Agent Mode (AGENT_HISTORY): those you served; Admin Mode (ADMIN_HISTORY): all within your history data scope.',
  })
  @RequirePage(Page.AGENT_HISTORY, Page.ADMIN_HISTORY)
  async history(@Args() args: HistoryArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<HistoryEntry>> {
    return toConnection(await ctx.services.history.list(ctx, args));
  }

  @Query(() => HistoryEntry, {
    description:
      'One closed conversation as History shows it (tags, transferred, agents…); its `conversation` has the messages, rating and transfers.',
  })
  @RequirePage(Page.AGENT_HISTORY, Page.ADMIN_HISTORY)
  historyConversation(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<HistoryEntry> {
    return ctx.services.history.entry(ctx, id);
  }

  @Query(() => HistoryEntryConnection, {
    description:
      "A customer's earlier (closed) conversations with agents, times and rating, newest first (CNV-11): for the agent serving the customer, and for whoever may see the customer or their conversations.",
  })
  @RequirePage(
    Page.AGENT_CONVERSATIONS,
    Page.AGENT_HISTORY,
    Page.ADMIN_HISTORY,
    Page.AGENT_CUSTOMERS,
    Page.ADMIN_CUSTOMERS,
  )
  async customerInteractions(
    @Arg('customerId', () => ID) customerId: string,
    @Args() args: ConnectionArgs,
    @Ctx() ctx: AppContext,
  ): Promise<ConnectionShape<HistoryEntry>> {
    return toConnection(await ctx.services.history.interactions(ctx, customerId, args));
  }

  @FieldResolver(() => Customer)
  customer(@Root() entry: HistoryEntry, @Ctx() ctx: AppContext): Promise<Customer> {
    return customerOf(ctx, entry.source.customer.id);
  }

  @FieldResolver(() => [User], { description: 'The users who served it, in the order they first joined.' })
  agents(@Root() entry: HistoryEntry, @Ctx() ctx: AppContext): Promise<User[]> {
    return ctx.loaders
      .get<string, User[]>('historyAgents', (ids) => ctx.services.history.agentsOf(ctx, ids))
      .load(entry.id);
  }

  @FieldResolver(() => [ConversationTag], { description: 'Its conversation tags (CNV-3).' })
  tags(@Root() entry: HistoryEntry, @Ctx() ctx: AppContext): Promise<ConversationTag[]> {
    // The same batch as `Conversation.tags`.
    return ctx.loaders
      .get<string, ConversationTag[]>('tagsOfConversation', (ids) => ctx.services.conversationTags.tagsOf(ctx.em, ids))
      .load(entry.id);
  }

  @FieldResolver(() => Boolean, { description: 'Moved to another agent or team at least once.' })
  transferred(@Root() entry: HistoryEntry, @Ctx() ctx: AppContext): Promise<boolean> {
    return ctx.loaders
      .get<string, boolean>('historyTransferred', (ids) => ctx.services.history.transferredOf(ctx, ids))
      .load(entry.id);
  }

  @FieldResolver(() => ChannelAccount, { nullable: true })
  async channelAccount(@Root() entry: HistoryEntry, @Ctx() ctx: AppContext): Promise<ChannelAccount | null> {
    const ref = entry.source.channelAccount;
    return ref ? ((await ctx.loaders.byId(ChannelAccount).load(ref.id)) ?? null) : null;
  }

  @FieldResolver(() => Team, { nullable: true })
  async team(@Root() entry: HistoryEntry, @Ctx() ctx: AppContext): Promise<Team | null> {
    const ref = entry.source.team;
    return ref ? ((await ctx.loaders.byId(Team).load(ref.id)) ?? null) : null;
  }

  @FieldResolver(() => Rating, { nullable: true, description: 'The satisfaction rating, if one was invited.' })
  rating(@Root() entry: HistoryEntry, @Ctx() ctx: AppContext): Promise<Rating | null> {
    return ctx.loaders
      .get<string, Rating | null>('ratingOfConversation', (ids) =>
        ctx.services.satisfaction.ofConversations(ctx.em, ids),
      )
      .load(entry.id);
  }

  @FieldResolver(() => Conversation, {
    nullable: true,
    description:
      'The conversation with its messages, transfers and rating, when you may open it (as `conversation(id)`). For a detail view: it is checked per entry.',
  })
  conversation(@Root() entry: HistoryEntry, @Ctx() ctx: AppContext): Promise<Conversation | null> {
    return ctx.services.history.openable(ctx, entry.source);
  }
}

@Resolver(() => MessageHit)
export class MessageSearchResolver {
  @Query(() => MessageHitConnection, {
    description:
      'Messages containing a keyword (HIS-2; any script, Chinese included), newest first, by default within the last 30 days. Agent Mode (AGENT_SEARCH): conversations you served; Admin Mode (ADMIN_HISTORY): closed ones within your history scope and, with ADMIN_MONITOR, open ones within your ongoing scope.',
  })
  @RequirePage(Page.AGENT_SEARCH, Page.ADMIN_HISTORY)
  async searchMessages(
    @Args() args: SearchMessagesArgs,
    @Ctx() ctx: AppContext,
  ): Promise<ConnectionShape<MessageHit> & { totalCountCapped: boolean }> {
    const page = await ctx.services.history.search(ctx, args);
    return { ...toConnection(page), totalCountCapped: page.capped };
  }

  @FieldResolver(() => Customer)
  customer(@Root() hit: MessageHit, @Ctx() ctx: AppContext): Promise<Customer> {
    return customerOf(ctx, hit.customerId);
  }
}
