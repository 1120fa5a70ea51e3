import { GraphQLJSONObject } from 'graphql-scalars';
import {
  Arg,
  Args,
  Ctx,
  FieldResolver,
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
import { Connection, ConnectionArgs, type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import { cancellable } from '../../platform/pubsub/cancellable';
import { Customer } from '../customer/customer.entity';
import { UpdateCustomerInput } from '../customer/customer.inputs';
import type { AppContext } from '../services';
import { Team } from '../team/team.entity';
import { Conversation, ConversationAgent, Message } from './conversation.entity';
import {
  ConversationChange,
  type ConversationChangeDto,
  fromMessageDto,
  MessageEvent,
  type MessageEventDto,
} from './conversation.events';
import { MessageInput, MessagesArgs } from './conversation.inputs';

@ObjectType()
export class ConversationConnection extends Connection(Conversation) {}

@Resolver(() => Conversation)
export class ConversationResolver {
  @Query(() => Conversation, { description: 'A conversation the caller may see (serving it, or within their scope).' })
  @SignedIn('user', 'apiKey', 'visitor')
  conversation(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Conversation> {
    return ctx.services.conversations.get(ctx, id);
  }

  @Query(() => ConversationConnection, {
    description: "The signed-in agent's ongoing conversations, latest activity first.",
  })
  @RequirePage(Page.AGENT_CONVERSATIONS)
  async myConversations(@Args() args: ConnectionArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<Conversation>> {
    return toConnection(await ctx.services.conversations.listMine(ctx, args));
  }

  @Query(() => ConversationConnection, {
    description: "Waiting conversations in the caller's scope: VIP first, then oldest first.",
  })
  @RequirePage(Page.AGENT_QUEUE, Page.ADMIN_MONITOR)
  async queue(@Args() args: ConnectionArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<Conversation>> {
    return toConnection(await ctx.services.conversations.queue(ctx, args));
  }

  @Mutation(() => Conversation, { description: 'Closes a conversation the caller serves (or supervises).' })
  @RequirePage(Page.AGENT_CONVERSATIONS, Page.ADMIN_MONITOR)
  closeConversation(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Conversation> {
    return ctx.services.conversations.close(ctx, id);
  }

  @Mutation(() => Message, {
    description: 'Sends a message as the serving agent. A retried clientMessageId returns the original.',
  })
  @RequirePage(Page.AGENT_CONVERSATIONS)
  sendMessage(
    @Arg('conversationId', () => ID) conversationId: string,
    @Arg('input') input: MessageInput,
    @Ctx() ctx: AppContext,
  ): Promise<Message> {
    return ctx.services.conversations.sendAsAgent(ctx, conversationId, input);
  }

  @Mutation(() => Message, { description: "Recalls one's own message within 2 minutes of sending it." })
  @RequirePage(Page.AGENT_CONVERSATIONS)
  recallMessage(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Message> {
    return ctx.services.conversations.recall(ctx, id);
  }

  @Mutation(() => Conversation, { description: 'Marks messages up to `seq` read for the signed-in agent.' })
  @RequirePage(Page.AGENT_CONVERSATIONS)
  markConversationRead(
    @Arg('id', () => ID) id: string,
    @Arg('seq', () => Int) seq: number,
    @Ctx() ctx: AppContext,
  ): Promise<Conversation> {
    return ctx.services.conversations.markRead(ctx, id, seq);
  }

  @Mutation(() => Customer, { description: 'Edits the profile of a customer the agent is serving (CNV-1).' })
  @RequirePage(Page.AGENT_CONVERSATIONS, Page.ADMIN_CUSTOMERS)
  updateCustomer(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateCustomerInput,
    @Ctx() ctx: AppContext,
  ): Promise<Customer> {
    return ctx.services.customers.update(ctx, id, input);
  }

  @Subscription(() => MessageEvent, {
    description:
      'Messages of a conversation: those after `afterSeq` from storage, then live ones — each exactly once, in seq order. Reconnect with the last seq you saw.',
    subscribe: ({ args, context }) => {
      const ctx = context as AppContext;
      const { conversationId, afterSeq } = args as { conversationId: string; afterSeq?: number | null };
      return cancellable((signal) =>
        ctx.services.conversations.messageFeed(ctx, conversationId, afterSeq ?? 0, signal),
      );
    },
  })
  @SignedIn('user', 'apiKey', 'visitor')
  conversationMessages(
    @Arg('conversationId', () => ID) _conversationId: string,
    @Arg('afterSeq', () => Int, { nullable: true, defaultValue: 0 }) _afterSeq: number,
    @Root() event: MessageEventDto,
  ): MessageEvent {
    return { kind: event.kind, message: fromMessageDto(event.message) };
  }

  @Subscription(() => ConversationChange, {
    description: "Changes of the signed-in agent's conversation list. Refetch the list after a reconnect.",
    subscribe: ({ context }) => {
      const ctx = context as AppContext;
      return cancellable((signal) => ctx.services.conversations.conversationChanges(ctx, signal));
    },
  })
  @SignedIn('user')
  myConversationsChanged(@Root() change: ConversationChangeDto, @Ctx() ctx: AppContext): Promise<ConversationChange> {
    return toChange(change, ctx);
  }

  @Subscription(() => ConversationChange, {
    description: 'Changes of the queue the caller may see. Refetch the queue after a reconnect.',
    subscribe: ({ context }) => {
      const ctx = context as AppContext;
      return cancellable((signal) => ctx.services.conversations.queueChanges(ctx, signal));
    },
  })
  @RequirePage(Page.AGENT_QUEUE, Page.ADMIN_MONITOR)
  queueChanged(@Root() change: ConversationChangeDto, @Ctx() ctx: AppContext): Promise<ConversationChange> {
    return toChange(change, ctx);
  }

  @FieldResolver(() => Customer)
  async customer(@Root() conversation: Conversation, @Ctx() ctx: AppContext): Promise<Customer> {
    const customer = await ctx.loaders.byId(Customer).load(conversation.customer.id);
    if (!customer) throw new Error(`Customer of conversation ${conversation.id} is missing`);
    return customer;
  }

  @FieldResolver(() => Team, { nullable: true })
  async team(@Root() conversation: Conversation, @Ctx() ctx: AppContext): Promise<Team | null> {
    return conversation.team ? ((await ctx.loaders.byId(Team).load(conversation.team.id)) ?? null) : null;
  }

  @FieldResolver(() => [ConversationAgent], { description: "Each agent's part: joined, left, how." })
  agents(@Root() conversation: Conversation, @Ctx() ctx: AppContext): Promise<ConversationAgent[]> {
    return ctx.loaders
      .get<string, ConversationAgent[]>('agentsOfConversation', async (ids) => {
        const rows = await ctx.em.find(
          ConversationAgent,
          { conversation: { $in: [...ids] } },
          { orderBy: { joinedAt: 'asc' } },
        );
        return ids.map((id) => rows.filter((r) => r.conversation === id));
      })
      .load(conversation.id);
  }

  @FieldResolver(() => [Message], { description: 'Messages by seq; `beforeSeq` pages backwards for scrolling up.' })
  messages(@Root() conversation: Conversation, @Args() args: MessagesArgs, @Ctx() ctx: AppContext): Promise<Message[]> {
    return ctx.services.conversations.messages(ctx, conversation, args);
  }

  @FieldResolver(() => Int, { description: 'Messages the signed-in agent has not read.' })
  unreadCount(@Root() conversation: Conversation, @Ctx() ctx: AppContext): Promise<number> {
    return ctx.loaders
      .get<string, number>('unreadCount', (ids) => ctx.services.conversations.unreadCounts(ctx, ids))
      .load(conversation.id);
  }
}

@Resolver(() => Message)
export class MessageResolver {
  @FieldResolver(() => String, { nullable: true, description: 'Empty once the message is recalled.' })
  text(@Root() message: Message): string | null {
    return message.recalledAt ? null : message.text;
  }

  @FieldResolver(() => GraphQLJSONObject, {
    nullable: true,
    description: 'Structured content by type; empty once recalled.',
  })
  payload(@Root() message: Message): Record<string, unknown> | null {
    return message.recalledAt ? null : message.payload;
  }
}

async function toChange(change: ConversationChangeDto, ctx: AppContext): Promise<ConversationChange> {
  // A fresh read: the list shows the conversation as it is now.
  ctx.em.clear();
  const conversation = await ctx.em.findOneOrFail(Conversation, { id: change.conversationId });
  return { kind: change.kind, conversation };
}
