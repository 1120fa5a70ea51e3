import { Arg, Args, Ctx, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage } from '../../platform/graphql/access';
import { Connection, ConnectionArgs, type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import type { AppContext } from '../services';
import { Role } from './role.entity';
import { CreateRoleInput, UpdateRoleInput } from './role.inputs';

@ObjectType()
export class RoleConnection extends Connection(Role) {}

@Resolver(() => Role)
export class RoleResolver {
  @Query(() => RoleConnection)
  @RequirePage(Page.ADMIN_ROLES, Page.ADMIN_USERS, Page.ADMIN_ACCESS)
  async roles(@Args() args: ConnectionArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<Role>> {
    return toConnection(await ctx.services.roles.list(ctx, args));
  }

  @Query(() => Role)
  @RequirePage(Page.ADMIN_ROLES, Page.ADMIN_USERS, Page.ADMIN_ACCESS)
  role(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Role> {
    return ctx.services.roles.get(ctx, id);
  }

  @Mutation(() => Role)
  @RequirePage(Page.ADMIN_ROLES)
  createRole(@Arg('input') input: CreateRoleInput, @Ctx() ctx: AppContext): Promise<Role> {
    return ctx.services.roles.create(ctx, input);
  }

  @Mutation(() => Role)
  @RequirePage(Page.ADMIN_ROLES)
  updateRole(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateRoleInput,
    @Ctx() ctx: AppContext,
  ): Promise<Role> {
    return ctx.services.roles.update(ctx, id, input);
  }

  @Mutation(() => ID, { description: 'Deletes a custom role that no user or API key holds; returns its id.' })
  @RequirePage(Page.ADMIN_ROLES)
  deleteRole(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<string> {
    return ctx.services.roles.delete(ctx, id);
  }
}
