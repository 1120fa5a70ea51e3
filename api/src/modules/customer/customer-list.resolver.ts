import { Arg, Args, Ctx, ID, Query, Resolver } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage } from '../../platform/graphql/access';
import { type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import type { AppContext } from '../services';
import { Customer } from './customer.entity';
import { CustomersArgs } from './customer-list.inputs';
import { CustomerConnection } from './customer.types';

@Resolver(() => Customer)
export class CustomerListResolver {
  @Query(() => CustomerConnection, {
    description:
      'Customers (HIS-3), most recently seen first. Agent Mode: customers you served; Admin Mode: all within your customer data scope.',
  })
  @RequirePage(Page.AGENT_CUSTOMERS, Page.ADMIN_CUSTOMERS)
  async customers(@Args() args: CustomersArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<Customer>> {
    return toConnection(await ctx.services.customerList.list(ctx, args));
  }

  @Query(() => Customer, {
    description: 'A customer’s profile, for whoever may see the customer on a Customers page (either mode).',
  })
  @RequirePage(Page.AGENT_CUSTOMERS, Page.ADMIN_CUSTOMERS)
  customer(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Customer> {
    return ctx.services.customerList.get(ctx, id);
  }
}
