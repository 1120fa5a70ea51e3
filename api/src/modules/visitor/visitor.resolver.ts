import { Arg, Args, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { tenantFork } from '../../platform/database/tenant-filter';
import { Public, VisitorOnly } from '../../platform/graphql/access';
import { Loaders } from '../../platform/graphql/loaders';
import { Conversation, Message } from '../conversation/conversation.entity';
import { MessageInput, MessagesArgs } from '../conversation/conversation.inputs';
import { Customer } from '../customer/customer.entity';
import type { AppContext } from '../services';
import { StartVisitorSessionInput, VisitorSession } from './visitor.types';

@Resolver()
export class VisitorResolver {
  @Mutation(() => VisitorSession, {
    description: "The widget's entry point: finds or creates the customer and returns a visitor token bound to it.",
  })
  @Public()
  async startVisitorSession(
    @Arg('input') input: StartVisitorSessionInput,
    @Ctx() ctx: AppContext,
  ): Promise<VisitorSession> {
    const session = await ctx.services.visitors.start(ctx.em, input, ctx);
    // The rest of the operation runs as the new visitor.
    ctx.principal = await ctx.services.auth.resolvePrincipal(ctx.em, session.token);
    if (ctx.principal.kind !== 'anonymous') ctx.em = tenantFork(ctx.em, ctx.principal.tenantId);
    ctx.loaders = new Loaders(ctx.em);
    return session;
  }

  @Query(() => Customer, { description: "The visitor's own profile." })
  @VisitorOnly()
  visitorProfile(@Ctx() ctx: AppContext): Promise<Customer> {
    return ctx.services.visitors.profile(ctx);
  }

  @Query(() => Conversation, { nullable: true, description: "The visitor's open conversation, if any." })
  @VisitorOnly()
  visitorConversation(@Ctx() ctx: AppContext): Promise<Conversation | null> {
    return ctx.services.visitors.conversation(ctx);
  }

  @Query(() => [Message], { description: "Messages of the visitor's open conversation, by seq." })
  @VisitorOnly()
  async visitorMessages(@Args() args: MessagesArgs, @Ctx() ctx: AppContext): Promise<Message[]> {
    const conversation = await ctx.services.visitors.conversation(ctx);
    return conversation ? ctx.services.conversations.messages(ctx, conversation, args) : [];
  }

  @Mutation(() => Message, {
    description:
      'Sends a message; the first one opens a conversation that waits in the queue. A retried clientMessageId returns the original.',
  })
  @VisitorOnly()
  sendVisitorMessage(@Arg('input') input: MessageInput, @Ctx() ctx: AppContext): Promise<Message> {
    return ctx.services.visitors.send(ctx, input);
  }

  @Mutation(() => Conversation, { nullable: true, description: 'Marks messages up to `seq` read by the visitor.' })
  @VisitorOnly()
  async markVisitorRead(@Arg('seq', () => Int) seq: number, @Ctx() ctx: AppContext): Promise<Conversation | null> {
    const conversation = await ctx.services.visitors.conversation(ctx);
    if (!conversation) return null;
    return ctx.services.conversations.markRead(ctx, conversation.id, seq);
  }
}
