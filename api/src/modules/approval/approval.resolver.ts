import { GraphQLJSONObject } from 'graphql-scalars';
import {
  Arg,
  Args,
  Ctx,
  FieldResolver,
  ID,
  Mutation,
  ObjectType,
  Query,
  Resolver,
  Root,
  Subscription,
} from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage, SignedIn } from '../../platform/graphql/access';
import { Connection, type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import { cancellable } from '../../platform/pubsub/cancellable';
import type { AppContext } from '../services';
import { User } from '../user/user.entity';
import { Approval } from './approval.entity';
import { ApprovalsArgs, DecideApprovalArgs } from './approval.inputs';
import { type ApprovalDto, fromApprovalDto } from './approval.service';

@ObjectType()
export class ApprovalConnection extends Connection(Approval) {}

@Resolver(() => Approval)
export class ApprovalResolver {
  @Query(() => ApprovalConnection, { description: "The tenant's approval requests, newest first (APR-1)." })
  @RequirePage(Page.ADMIN_APPROVALS)
  async approvals(@Args() args: ApprovalsArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<Approval>> {
    return toConnection(await ctx.services.approvals.list(ctx, args));
  }

  @Query(() => ApprovalConnection, { description: "The signed-in user's own requests, newest first." })
  @SignedIn('user')
  async myApprovals(@Args() args: ApprovalsArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<Approval>> {
    return toConnection(await ctx.services.approvals.listMine(ctx, args));
  }

  @Mutation(() => Approval, {
    description: 'Approves or rejects a pending request; the requester is notified. Decided requests answer CONFLICT.',
  })
  @RequirePage(Page.ADMIN_APPROVALS)
  decideApproval(@Args() args: DecideApprovalArgs, @Ctx() ctx: AppContext): Promise<Approval> {
    return ctx.services.approvals.decide(ctx, args.id, args.approve, args.remark ?? null);
  }

  @Mutation(() => Approval, { description: 'Withdraws a pending request of the signed-in user.' })
  @SignedIn('user')
  cancelApproval(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Approval> {
    return ctx.services.approvals.cancel(ctx, id);
  }

  @Subscription(() => Approval, {
    description: "The tenant's requests as they are filed, decided or cancelled. Refetch the list after a reconnect.",
    subscribe: ({ context }) => {
      const ctx = context as AppContext;
      return cancellable((signal) => ctx.services.approvals.subscribe(ctx, signal));
    },
  })
  @RequirePage(Page.ADMIN_APPROVALS)
  approvalChanged(@Root() dto: ApprovalDto): Approval {
    return fromApprovalDto(dto);
  }

  @FieldResolver(() => GraphQLJSONObject, {
    description: 'What is asked for, by kind: `{ status }` or `{ customerId, conversationId?, reason }`.',
  })
  payload(@Root() approval: Approval): Record<string, unknown> {
    return approval.payload;
  }

  @FieldResolver(() => User, { description: 'Who asked.' })
  async requesterUser(@Root() approval: Approval, @Ctx() ctx: AppContext): Promise<User> {
    const user = await ctx.loaders.byId(User).load(approval.requester);
    if (!user) throw new Error(`Requester ${approval.requester} of approval ${approval.id} is missing`);
    return user;
  }

  @FieldResolver(() => User, { nullable: true, description: 'The admin who decided (empty for an API key).' })
  async decidedByUser(@Root() approval: Approval, @Ctx() ctx: AppContext): Promise<User | null> {
    return approval.decidedBy ? ((await ctx.loaders.byId(User).load(approval.decidedBy)) ?? null) : null;
  }
}
