import { Arg, Args, Ctx, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage } from '../../platform/graphql/access';
import { Connection, type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import type { AppContext } from '../services';
import { UserConnection } from '../user/user.resolver';
import type { User } from '../user/user.entity';
import { Team } from './team.entity';
import { CreateTeamInput, TeamMembersArgs, TeamMembersInput, TeamsArgs, UpdateTeamInput } from './team.inputs';

@ObjectType()
export class TeamConnection extends Connection(Team) {}

@Resolver(() => Team)
export class TeamResolver {
  @Query(() => TeamConnection)
  @RequirePage(Page.ADMIN_TEAMS, Page.ADMIN_USERS)
  async teams(@Args() args: TeamsArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<Team>> {
    return toConnection(await ctx.services.teams.list(ctx, args));
  }

  @Query(() => Team)
  @RequirePage(Page.ADMIN_TEAMS, Page.ADMIN_USERS)
  team(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<Team> {
    return ctx.services.teams.get(ctx, id);
  }

  @Mutation(() => Team)
  @RequirePage(Page.ADMIN_TEAMS)
  createTeam(@Arg('input') input: CreateTeamInput, @Ctx() ctx: AppContext): Promise<Team> {
    return ctx.services.teams.create(ctx, input);
  }

  @Mutation(() => Team)
  @RequirePage(Page.ADMIN_TEAMS)
  updateTeam(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateTeamInput,
    @Ctx() ctx: AppContext,
  ): Promise<Team> {
    return ctx.services.teams.update(ctx, id, input);
  }

  @Mutation(() => ID, { description: 'Deletes a team (its members stay users); returns the id.' })
  @RequirePage(Page.ADMIN_TEAMS)
  deleteTeam(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<string> {
    return ctx.services.teams.delete(ctx, id);
  }

  @Mutation(() => Team, { description: 'Adds users to a team in one batch.' })
  @RequirePage(Page.ADMIN_TEAMS)
  addTeamMembers(@Arg('input') input: TeamMembersInput, @Ctx() ctx: AppContext): Promise<Team> {
    return ctx.services.teams.addMembers(ctx, input.teamId, input.userIds);
  }

  @Mutation(() => Team, { description: 'Removes users from a team in one batch.' })
  @RequirePage(Page.ADMIN_TEAMS)
  removeTeamMembers(@Arg('input') input: TeamMembersInput, @Ctx() ctx: AppContext): Promise<Team> {
    return ctx.services.teams.removeMembers(ctx, input.teamId, input.userIds);
  }

  @FieldResolver(() => UserConnection)
  async members(
    @Root() team: Team,
    @Args() args: TeamMembersArgs,
    @Ctx() ctx: AppContext,
  ): Promise<ConnectionShape<User>> {
    return toConnection(await ctx.services.teams.members(ctx, team.id, args));
  }

  @FieldResolver(() => Int)
  memberCount(@Root() team: Team, @Ctx() ctx: AppContext): Promise<number> {
    return ctx.loaders
      .get<string, number>('teamMemberCount', (ids) => ctx.services.teams.memberCounts(ctx, ids))
      .load(team.id);
  }
}
