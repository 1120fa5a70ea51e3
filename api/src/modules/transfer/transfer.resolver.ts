import {
  Arg,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  ObjectType,
  Field,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage } from '../../platform/graphql/access';
import { cancellable } from '../../platform/pubsub/cancellable';
import { Conversation } from '../conversation/conversation.entity';
import type { AppContext } from '../services';
import { Transfer, TransferState } from './transfer.entity';
import { TransferInput } from './transfer.inputs';
import type { TransferEventDto } from './transfer.service';

@ObjectType({ description: 'A transfer the signed-in user sent or was offered changed state.' })
export class TransferChange {
  @Field(() => TransferState)
  state!: TransferState;

  @Field(() => Transfer)
  transfer!: Transfer;
}

@Resolver(() => Transfer)
export class TransferResolver {
  @Mutation(() => Transfer, {
    description:
      'Transfers a conversation to an agent or a team (CNV-4). With transfer confirmation on, a transfer to an agent is an offer (OFFERED) that the agent accepts or declines before it expires; until then the conversation stays with the sender.',
  })
  @RequirePage(Page.AGENT_CONVERSATIONS, Page.ADMIN_MONITOR)
  transferConversation(@Arg('input') input: TransferInput, @Ctx() ctx: AppContext): Promise<Transfer> {
    return ctx.services.transfers.transfer(ctx, input);
  }

  @Mutation(() => Transfer, { description: 'Takes a conversation offered to you.' })
  @RequirePage(Page.AGENT_CONVERSATIONS)
  acceptTransfer(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Transfer> {
    return ctx.services.transfers.accept(ctx, id);
  }

  @Mutation(() => Transfer, { description: 'Refuses a conversation offered to you; it stays with the sender.' })
  @RequirePage(Page.AGENT_CONVERSATIONS)
  declineTransfer(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Transfer> {
    return ctx.services.transfers.decline(ctx, id);
  }

  @Mutation(() => Transfer, { description: 'Withdraws an offer you sent.' })
  @RequirePage(Page.AGENT_CONVERSATIONS, Page.ADMIN_MONITOR)
  cancelTransfer(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Transfer> {
    return ctx.services.transfers.cancel(ctx, id);
  }

  @Query(() => [Transfer], { description: 'Transfers offered to you and waiting for your answer.' })
  @RequirePage(Page.AGENT_CONVERSATIONS)
  pendingTransfers(@Ctx() ctx: AppContext): Promise<Transfer[]> {
    return ctx.services.transfers.pendingForMe(ctx);
  }

  @Subscription(() => TransferChange, {
    description: 'Transfers you sent or were offered: offered, accepted (COMPLETED), declined, expired, cancelled.',
    subscribe: ({ context }) => {
      const ctx = context as AppContext;
      return cancellable((signal) => ctx.services.transfers.changes(ctx, signal));
    },
  })
  @RequirePage(Page.AGENT_CONVERSATIONS, Page.ADMIN_MONITOR)
  async transferChanged(@Root() event: TransferEventDto, @Ctx() ctx: AppContext): Promise<TransferChange> {
    ctx.em.clear();
    return { state: event.state, transfer: await ctx.services.transfers.get(ctx, event.transferId) };
  }
}

@Resolver(() => Conversation)
export class ConversationTransfersResolver {
  @FieldResolver(() => [Transfer], { description: 'Transfers of this conversation, oldest first (CNV-4).' })
  transfers(@Root() conversation: Conversation, @Ctx() ctx: AppContext): Promise<Transfer[]> {
    // The conversation itself was already checked by the query that returned it.
    return ctx.services.transfers.ofConversation(ctx, conversation);
  }
}
