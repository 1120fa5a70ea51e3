import { Arg, Args, Ctx, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage } from '../../platform/graphql/access';
import { Connection, ConnectionArgs, type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import type { AppContext } from '../services';
import { Team } from '../team/team.entity';
import { ChannelAccount, WidgetConfig } from './channel.entity';
import {
  CreateChannelAccountInput,
  CreateWidgetConfigInput,
  UpdateChannelAccountInput,
  UpdateWidgetConfigInput,
} from './channel.inputs';

@ObjectType()
export class WidgetConfigConnection extends Connection(WidgetConfig) {}

@ObjectType()
export class ChannelAccountConnection extends Connection(ChannelAccount) {}

@Resolver(() => WidgetConfig)
export class WidgetConfigResolver {
  @Query(() => WidgetConfigConnection)
  @RequirePage(Page.ADMIN_ACCESS)
  async widgetConfigs(@Args() args: ConnectionArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<WidgetConfig>> {
    return toConnection(await ctx.services.channels.listWidgets(ctx, args));
  }

  @Query(() => WidgetConfig)
  @RequirePage(Page.ADMIN_ACCESS)
  widgetConfig(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<WidgetConfig> {
    return ctx.services.channels.getWidget(ctx, id);
  }

  @Mutation(() => WidgetConfig)
  @RequirePage(Page.ADMIN_ACCESS)
  createWidgetConfig(@Arg('input') input: CreateWidgetConfigInput, @Ctx() ctx: AppContext): Promise<WidgetConfig> {
    return ctx.services.channels.createWidget(ctx, input);
  }

  @Mutation(() => WidgetConfig)
  @RequirePage(Page.ADMIN_ACCESS)
  updateWidgetConfig(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateWidgetConfigInput,
    @Ctx() ctx: AppContext,
  ): Promise<WidgetConfig> {
    return ctx.services.channels.updateWidget(ctx, id, input);
  }

  @Mutation(() => ID)
  @RequirePage(Page.ADMIN_ACCESS)
  deleteWidgetConfig(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<string> {
    return ctx.services.channels.deleteWidget(ctx, id);
  }

  @FieldResolver(() => String, { description: 'The script tag to put on a web page.' })
  embedSnippet(@Root() widget: WidgetConfig, @Ctx() ctx: AppContext): string {
    return `<script src="${ctx.services.config.PUBLIC_URL}/widget.js?key=${widget.publicKey}" async></script>`;
  }

  @FieldResolver(() => String, { description: 'The full-page (H5) chat link.' })
  h5Url(@Root() widget: WidgetConfig, @Ctx() ctx: AppContext): string {
    return `${ctx.services.config.PUBLIC_URL}/widget/?key=${widget.publicKey}`;
  }

  @FieldResolver(() => String, {
    description:
      'Secret for identity verification: an app passes `customerIdSignature` = hex HMAC-SHA256(secret, customerId).',
  })
  identitySecret(@Root() widget: WidgetConfig): string {
    return widget.identitySecret;
  }

  @FieldResolver(() => Team, { nullable: true })
  async entryTeam(@Root() widget: WidgetConfig, @Ctx() ctx: AppContext): Promise<Team | null> {
    return widget.entryTeam ? ((await ctx.loaders.byId(Team).load(widget.entryTeam.id)) ?? null) : null;
  }

  @FieldResolver(() => ChannelAccount, { nullable: true })
  async channelAccount(@Root() widget: WidgetConfig, @Ctx() ctx: AppContext): Promise<ChannelAccount | null> {
    return widget.channelAccount
      ? ((await ctx.loaders.byId(ChannelAccount).load(widget.channelAccount.id)) ?? null)
      : null;
  }
}

@Resolver(() => ChannelAccount)
export class ChannelAccountResolver {
  @Query(() => ChannelAccountConnection)
  @RequirePage(Page.ADMIN_ACCESS)
  async channelAccounts(
    @Args() args: ConnectionArgs,
    @Ctx() ctx: AppContext,
  ): Promise<ConnectionShape<ChannelAccount>> {
    return toConnection(await ctx.services.channels.listAccounts(ctx, args));
  }

  @Mutation(() => ChannelAccount)
  @RequirePage(Page.ADMIN_ACCESS)
  createChannelAccount(
    @Arg('input') input: CreateChannelAccountInput,
    @Ctx() ctx: AppContext,
  ): Promise<ChannelAccount> {
    return ctx.services.channels.createAccount(ctx, input);
  }

  @Mutation(() => ChannelAccount)
  @RequirePage(Page.ADMIN_ACCESS)
  updateChannelAccount(
    @Arg('id', () => ID) id: string,
    @Arg('input') input: UpdateChannelAccountInput,
    @Ctx() ctx: AppContext,
  ): Promise<ChannelAccount> {
    return ctx.services.channels.updateAccount(ctx, id, input);
  }

  @Mutation(() => ID)
  @RequirePage(Page.ADMIN_ACCESS)
  deleteChannelAccount(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<string> {
    return ctx.services.channels.deleteAccount(ctx, id);
  }
}
