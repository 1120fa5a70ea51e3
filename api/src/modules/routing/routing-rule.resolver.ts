import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage } from '../../platform/graphql/access';
import { ChannelAccount, WidgetConfig } from '../channel/channel.entity';
import type { AppContext } from '../services';
import { Team } from '../team/team.entity';
import { RoutingRule } from './routing.entity';
import { CreateRoutingRuleInput, UpdateRoutingRuleInput } from './routing-rule.inputs';
import { RoutingEntry } from './routing-rule.types';
import { TimePlan } from './time-plan.entity';

@Resolver(() => RoutingRule)
export class RoutingRuleResolver {
  @Query(() => [RoutingRule], {
    description: 'Routing rules (QUE-7) in the order they are tried; the default rule last.',
  })
  @RequirePage(Page.ADMIN_SETTINGS)
  routingRules(@Ctx() ctx: AppContext): Promise<RoutingRule[]> {
    return ctx.services.routing.listRules(ctx);
  }

  @Query(() => RoutingRule)
  @RequirePage(Page.ADMIN_SETTINGS)
  routingRule(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<RoutingRule> {
    return ctx.services.routing.getRule(ctx, id);
  }

  @Mutation(() => RoutingRule, { description: 'A new rule is tried after the existing ones, before the default rule.' })
  @RequirePage(Page.ADMIN_SETTINGS)
  createRoutingRule(@Arg('input') input: CreateRoutingRuleInput, @Ctx() ctx: AppContext): Promise<RoutingRule> {
    return ctx.services.routing.createRule(ctx, input);
  }

  @Mutation(() => RoutingRule)
  @RequirePage(Page.ADMIN_SETTINGS)
  updateRoutingRule(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateRoutingRuleInput,
    @Ctx() ctx: AppContext,
  ): Promise<RoutingRule> {
    return ctx.services.routing.updateRule(ctx, id, input);
  }

  @Mutation(() => ID, { description: 'Deletes a rule; returns the id.' })
  @RequirePage(Page.ADMIN_SETTINGS)
  deleteRoutingRule(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<string> {
    return ctx.services.routing.deleteRule(ctx, id);
  }

  @Mutation(() => [RoutingRule], {
    description: 'Sets the order: every rule except the default one, each once; the default rule stays last.',
  })
  @RequirePage(Page.ADMIN_SETTINGS)
  reorderRoutingRules(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: AppContext): Promise<RoutingRule[]> {
    return ctx.services.routing.reorderRules(ctx, ids);
  }

  @FieldResolver(() => Team, { description: 'Served all day, or in the work hours of the time plan.' })
  async team(@Root() rule: RoutingRule, @Ctx() ctx: AppContext): Promise<Team> {
    return (await ctx.loaders.byId(Team).load(rule.team.id))!;
  }

  @FieldResolver(() => Team, { nullable: true, description: 'Served outside the work hours of the time plan.' })
  async offHoursTeam(@Root() rule: RoutingRule, @Ctx() ctx: AppContext): Promise<Team | null> {
    return rule.offHoursTeam ? ((await ctx.loaders.byId(Team).load(rule.offHoursTeam.id)) ?? null) : null;
  }

  @FieldResolver(() => TimePlan, { nullable: true })
  async timePlan(@Root() rule: RoutingRule, @Ctx() ctx: AppContext): Promise<TimePlan | null> {
    return rule.timePlan ? ((await ctx.loaders.byId(TimePlan).load(rule.timePlan.id)) ?? null) : null;
  }

  @FieldResolver(() => ChannelAccount, { nullable: true })
  async channelAccount(@Root() rule: RoutingRule, @Ctx() ctx: AppContext): Promise<ChannelAccount | null> {
    return rule.channelAccount ? ((await ctx.loaders.byId(ChannelAccount).load(rule.channelAccount.id)) ?? null) : null;
  }

  @FieldResolver(() => RoutingEntry, { nullable: true })
  async widget(@Root() rule: RoutingRule, @Ctx() ctx: AppContext): Promise<RoutingEntry | null> {
    const widget = rule.widget ? await ctx.loaders.byId(WidgetConfig).load(rule.widget.id) : undefined;
    return widget ? { id: widget.id, name: widget.name, channel: widget.channel } : null;
  }
}
