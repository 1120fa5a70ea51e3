import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage } from '../../platform/graphql/access';
import { type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import type { AppContext } from '../services';
import { User } from '../user/user.entity';
import { BlacklistCustomerInput, BlacklistedCustomersArgs, BlacklistLogArgs } from './blacklist.inputs';
import { BlacklistLogConnection, BlacklistResult } from './blacklist.types';
import { BlacklistLog, Customer } from './customer.entity';
import { CustomerConnection } from './customer.types';

@Resolver(() => BlacklistLog)
export class BlacklistResolver {
  @Mutation(() => BlacklistResult, {
    description:
      "Puts a customer on the blacklist and closes their open conversation (CNV-8). An agent's addition waits for an admin's approval when the tenant requires it.",
  })
  @RequirePage(Page.AGENT_CONVERSATIONS, Page.ADMIN_CUSTOMERS)
  blacklistCustomer(@Arg('input') input: BlacklistCustomerInput, @Ctx() ctx: AppContext): Promise<BlacklistResult> {
    return ctx.services.blacklist.add(ctx, input);
  }

  @Mutation(() => Customer, { description: 'Takes a customer off the blacklist; they can start conversations again.' })
  @RequirePage(Page.AGENT_CUSTOMERS, Page.ADMIN_CUSTOMERS)
  removeFromBlacklist(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('reason', () => String, { nullable: true, description: 'At most 500 characters.' }) reason: string | null,
    @Ctx() ctx: AppContext,
  ): Promise<Customer> {
    return ctx.services.blacklist.remove(ctx, customerId, reason);
  }

  @Query(() => CustomerConnection, {
    description: 'Blacklisted customers the caller may see, most recently added first.',
  })
  @RequirePage(Page.AGENT_CUSTOMERS, Page.ADMIN_CUSTOMERS)
  async blacklistedCustomers(
    @Args() args: BlacklistedCustomersArgs,
    @Ctx() ctx: AppContext,
  ): Promise<ConnectionShape<Customer>> {
    return toConnection(await ctx.services.blacklist.listed(ctx, args));
  }

  @Query(() => BlacklistLogConnection, {
    description: 'Every addition to and removal from the blacklist (HIS-5), newest first.',
  })
  @RequirePage(Page.AGENT_CUSTOMERS, Page.ADMIN_CUSTOMERS)
  async blacklistLog(@Args() args: BlacklistLogArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<BlacklistLog>> {
    return toConnection(await ctx.services.blacklist.history(ctx, args));
  }

  @FieldResolver(() => Customer, { description: 'The customer the entry is about.' })
  async customerProfile(@Root() entry: BlacklistLog, @Ctx() ctx: AppContext): Promise<Customer> {
    const customer = await ctx.loaders.byId(Customer).load(entry.customer);
    if (!customer) throw new Error(`Customer of blacklist entry ${entry.id} is missing`);
    return customer;
  }

  @FieldResolver(() => User, { nullable: true, description: 'The user who did it (or approved it).' })
  async operatorUser(@Root() entry: BlacklistLog, @Ctx() ctx: AppContext): Promise<User | null> {
    return entry.operator ? ((await ctx.loaders.byId(User).load(entry.operator)) ?? null) : null;
  }
}
