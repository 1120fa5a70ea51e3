import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { isStaff } from '../../platform/auth/principal';
import { tenantOf } from '../../platform/auth/scope';
import { RequirePage, SignedIn } from '../../platform/graphql/access';
import { ConnectionArgs, type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import { Customer } from '../customer/customer.entity';
import type { AppContext } from '../services';
import { CustomerGroup, ProfileField } from './profile.entity';
import { CreateProfileFieldInput, CustomerGroupInput, UpdateProfileFieldInput } from './profile.inputs';
import { CustomerFieldValue, CustomerGroupConnection } from './profile.types';

@Resolver(() => ProfileField)
export class ProfileFieldResolver {
  @Query(() => [ProfileField], {
    description: "The tenant's customer profile fields in order: the system fields and the custom ones (HIS-4).",
  })
  @SignedIn()
  profileFields(@Ctx() ctx: AppContext): Promise<ProfileField[]> {
    return ctx.services.profiles.fields(ctx.em, tenantOf(ctx));
  }

  @Mutation(() => ProfileField, { description: 'Adds a custom field at the end (at most 50 custom fields).' })
  @RequirePage(Page.ADMIN_SETTINGS)
  createProfileField(@Arg('input') input: CreateProfileFieldInput, @Ctx() ctx: AppContext): Promise<ProfileField> {
    return ctx.services.profiles.createField(ctx, input);
  }

  @Mutation(() => ProfileField, {
    description: 'Changes a field: label, on/off and read-only for any field; type and options for custom ones.',
  })
  @RequirePage(Page.ADMIN_SETTINGS)
  updateProfileField(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateProfileFieldInput,
    @Ctx() ctx: AppContext,
  ): Promise<ProfileField> {
    return ctx.services.profiles.updateField(ctx, id, input);
  }

  @Mutation(() => ID, { description: 'Deletes a custom field and its values; returns the id.' })
  @RequirePage(Page.ADMIN_SETTINGS)
  deleteProfileField(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<string> {
    return ctx.services.profiles.deleteField(ctx, id);
  }

  @Mutation(() => [ProfileField], {
    description: 'Puts the given fields first, in that order; the others follow in their current order.',
  })
  @RequirePage(Page.ADMIN_SETTINGS)
  reorderProfileFields(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: AppContext): Promise<ProfileField[]> {
    return ctx.services.profiles.reorderFields(ctx, ids);
  }
}

@Resolver(() => CustomerGroup)
export class CustomerGroupResolver {
  @Query(() => CustomerGroupConnection, { description: 'Customer groups, by name.' })
  @SignedIn()
  async customerGroups(@Args() args: ConnectionArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<CustomerGroup>> {
    return toConnection(await ctx.services.profiles.groups(ctx, args));
  }

  @Mutation(() => CustomerGroup)
  @RequirePage(Page.ADMIN_SETTINGS)
  createCustomerGroup(@Arg('input') input: CustomerGroupInput, @Ctx() ctx: AppContext): Promise<CustomerGroup> {
    return ctx.services.profiles.createGroup(ctx, input);
  }

  @Mutation(() => CustomerGroup)
  @RequirePage(Page.ADMIN_SETTINGS)
  updateCustomerGroup(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: CustomerGroupInput,
    @Ctx() ctx: AppContext,
  ): Promise<CustomerGroup> {
    return ctx.services.profiles.updateGroup(ctx, id, input);
  }

  @Mutation(() => ID, { description: 'Deletes a group (its customers are left without one); returns the id.' })
  @RequirePage(Page.ADMIN_SETTINGS)
  deleteCustomerGroup(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<string> {
    return ctx.services.profiles.deleteGroup(ctx, id);
  }
}

@Resolver(() => Customer)
export class CustomerProfileResolver {
  @FieldResolver(() => [CustomerFieldValue], {
    description: 'The enabled profile fields in order, with their values (staff only; empty for visitors).',
  })
  async fields(@Root() customer: Customer, @Ctx() ctx: AppContext): Promise<CustomerFieldValue[]> {
    if (!isStaff(ctx.principal)) return [];
    const tenantId = ctx.principal.tenantId;
    // One read of the definitions per request, whatever the number of customers.
    const fields = await ctx.loaders
      .get<string, ProfileField[]>('profileFields', async (keys) => {
        const all = await ctx.services.profiles.fields(ctx.em, tenantId);
        return keys.map(() => all);
      })
      .load(tenantId);
    return ctx.services.profiles.valuesOf(fields, customer);
  }

  @FieldResolver(() => CustomerGroup, { nullable: true, description: 'The group the customer belongs to.' })
  async customerGroup(@Root() customer: Customer, @Ctx() ctx: AppContext): Promise<CustomerGroup | null> {
    if (!customer.group || !isStaff(ctx.principal)) return null;
    return (await ctx.loaders.byId(CustomerGroup).load(customer.group)) ?? null;
  }
}
