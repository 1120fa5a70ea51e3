import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage } from '../../platform/graphql/access';
import type { AppContext } from '../services';
import { Team } from '../team/team.entity';
import { isWorkingTime } from './schedule';
import { TimePlan } from './time-plan.entity';
import { CreateTimePlanInput, UpdateTimePlanInput } from './time-plan.inputs';

@Resolver(() => TimePlan)
export class TimePlanResolver {
  @Query(() => [TimePlan], { description: "The tenant's time plans (QUE-8), by name." })
  @RequirePage(Page.ADMIN_SETTINGS, Page.ADMIN_TEAMS)
  timePlans(@Ctx() ctx: AppContext): Promise<TimePlan[]> {
    return ctx.services.timePlans.list(ctx);
  }

  @Query(() => TimePlan)
  @RequirePage(Page.ADMIN_SETTINGS, Page.ADMIN_TEAMS)
  timePlan(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<TimePlan> {
    return ctx.services.timePlans.get(ctx, id);
  }

  @Mutation(() => TimePlan, { description: "The tenant's first plan becomes its default plan." })
  @RequirePage(Page.ADMIN_SETTINGS)
  createTimePlan(@Arg('input') input: CreateTimePlanInput, @Ctx() ctx: AppContext): Promise<TimePlan> {
    return ctx.services.timePlans.create(ctx, input);
  }

  @Mutation(() => TimePlan)
  @RequirePage(Page.ADMIN_SETTINGS)
  updateTimePlan(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateTimePlanInput,
    @Ctx() ctx: AppContext,
  ): Promise<TimePlan> {
    return ctx.services.timePlans.update(ctx, id, input);
  }

  @Mutation(() => TimePlan, { description: 'Makes this plan the default; the previous default stops being it.' })
  @RequirePage(Page.ADMIN_SETTINGS)
  setDefaultTimePlan(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<TimePlan> {
    return ctx.services.timePlans.setDefault(ctx, id);
  }

  @Mutation(() => ID, {
    description:
      'Deletes a plan; returns the id. The default plan goes last. Teams bound to it follow the default plan; ' +
      'routing rules that used it lose it and their off-hours team, and route to their team all day.',
  })
  @RequirePage(Page.ADMIN_SETTINGS)
  deleteTimePlan(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<string> {
    return ctx.services.timePlans.delete(ctx, id);
  }

  @Mutation(() => Team, {
    description: "Binds a time plan to a team; null: the team follows the tenant's default plan.",
  })
  @RequirePage(Page.ADMIN_SETTINGS)
  setTeamTimePlan(
    @Arg('teamId', () => ID) teamId: string,
    @Arg('timePlanId', () => ID, { nullable: true }) timePlanId: string | null,
    @Ctx() ctx: AppContext,
  ): Promise<Team> {
    return ctx.services.timePlans.setTeamPlan(ctx, teamId, timePlanId ?? null);
  }

  @FieldResolver(() => Boolean, { description: 'Whether the moment (default: now) is working time in this plan.' })
  isOpen(@Root() plan: TimePlan, @Arg('at', () => Date, { nullable: true }) at: Date | null): boolean {
    return isWorkingTime(plan, at ?? new Date());
  }
}

@Resolver(() => Team)
export class TeamTimePlanResolver {
  @FieldResolver(() => TimePlan, {
    nullable: true,
    description: "The team's business hours (QUE-8, QUE-10); none: the tenant's default plan applies.",
  })
  async timePlan(@Root() team: Team, @Ctx() ctx: AppContext): Promise<TimePlan | null> {
    return team.timePlan ? ((await ctx.loaders.byId(TimePlan).load(team.timePlan.id)) ?? null) : null;
  }
}
