import { Arg, Args, Ctx, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage, SignedIn } from '../../platform/graphql/access';
import { Connection, type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import { Role } from '../role/role.entity';
import type { AppContext } from '../services';
import { Team } from '../team/team.entity';
import { User } from './user.entity';
import { CreateUserInput, UpdateMyProfileInput, UpdateUserInput, UsersArgs } from './user.inputs';

@ObjectType()
export class UserConnection extends Connection(User) {}

@Resolver(() => User)
export class UserResolver {
  @Query(() => User, { description: 'The signed-in user.' })
  @SignedIn('user')
  me(@Ctx() ctx: AppContext): Promise<User> {
    return ctx.services.users.me(ctx);
  }

  @Query(() => UserConnection)
  @RequirePage(Page.ADMIN_USERS, Page.ADMIN_TEAMS)
  async users(@Args() args: UsersArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<User>> {
    if (args.roleId) await ctx.services.roles.get(ctx, args.roleId);
    return toConnection(await ctx.services.users.list(ctx, args));
  }

  @Query(() => User)
  @RequirePage(Page.ADMIN_USERS, Page.ADMIN_TEAMS)
  user(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<User> {
    return ctx.services.users.get(ctx, id);
  }

  @Mutation(() => User)
  @RequirePage(Page.ADMIN_USERS)
  createUser(@Arg('input') input: CreateUserInput, @Ctx() ctx: AppContext): Promise<User> {
    return ctx.services.users.create(ctx, input);
  }

  @Mutation(() => User)
  @RequirePage(Page.ADMIN_USERS)
  updateUser(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateUserInput,
    @Ctx() ctx: AppContext,
  ): Promise<User> {
    return ctx.services.users.update(ctx, id, input);
  }

  @Mutation(() => User, { description: "Enabling needs a free seat; disabling ends the user's sessions at once." })
  @RequirePage(Page.ADMIN_USERS)
  setUserEnabled(
    @Arg('id', () => ID) id: string,
    @Arg('enabled') enabled: boolean,
    @Ctx() ctx: AppContext,
  ): Promise<User> {
    return ctx.services.users.setEnabled(ctx, id, enabled);
  }

  @Mutation(() => ID, { description: 'Deletes a user; returns the id.' })
  @RequirePage(Page.ADMIN_USERS)
  deleteUser(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<string> {
    return ctx.services.users.delete(ctx, id);
  }

  @Mutation(() => User, { description: 'Personal info: what every user may change about themselves.' })
  @SignedIn('user')
  updateMyProfile(@Arg('input') input: UpdateMyProfileInput, @Ctx() ctx: AppContext): Promise<User> {
    return ctx.services.users.updateMyProfile(ctx, input);
  }

  @FieldResolver(() => Role, {
    description:
      'The role the user holds. For the signed-in user it is the role of the current session: a new role applies at the next sign-in.',
  })
  async role(@Root() user: User, @Ctx() ctx: AppContext): Promise<Role> {
    const p = ctx.principal;
    const roleId = p.kind === 'user' && p.userId === user.id && p.roleId ? p.roleId : user.role.id;
    const role = await ctx.loaders.byId(Role).load(roleId);
    if (!role) throw new Error(`Role ${roleId} of user ${user.id} is missing`);
    return role;
  }

  @FieldResolver(() => [Team])
  async teams(@Root() user: User, @Ctx() ctx: AppContext): Promise<Team[]> {
    const ids = await ctx.loaders
      .get<string, string[]>('teamIdsOfUser', (userIds) => ctx.services.teams.teamIdsOf(ctx, userIds))
      .load(user.id);
    const teams = await ctx.loaders.byId(Team).loadMany(ids);
    return teams.filter((t): t is Team => t instanceof Team).sort((a, b) => a.name.localeCompare(b.name));
  }
}
