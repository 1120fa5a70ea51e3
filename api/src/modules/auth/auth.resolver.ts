import { Arg, Args, ArgsType, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { IsOptional, IsUUID } from 'class-validator';
import { Page } from '../../platform/auth/pages';
import { Public, RequirePage, SignedIn } from '../../platform/graphql/access';
import { Connection, ConnectionArgs, type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import { tenantFork } from '../../platform/database/tenant-filter';
import { Loaders } from '../../platform/graphql/loaders';
import type { AppContext } from '../services';
import { RegisterTenantInput } from '../tenant/tenant.inputs';
import { LoginRecord } from './auth.entity';
import { ChangePasswordInput, LoginInput } from './auth.inputs';
import { AuthPayload } from './auth.types';

@ObjectType()
export class LoginRecordConnection extends Connection(LoginRecord) {}

@ArgsType()
export class LoginRecordsArgs extends ConnectionArgs {
  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID()
  userId?: string;
}

/**
 * After signing in, the rest of the operation (e.g. `login { user { role } }`) runs as the
 * new session's principal, confined to its tenant.
 */
async function adopt(ctx: AppContext, payload: AuthPayload): Promise<AuthPayload> {
  ctx.principal = await ctx.services.auth.resolvePrincipal(ctx.em, payload.accessToken);
  if (ctx.principal.kind !== 'anonymous') ctx.em = tenantFork(ctx.em, ctx.principal.tenantId);
  ctx.loaders = new Loaders(ctx.em);
  return payload;
}

@Resolver()
export class AuthResolver {
  @Mutation(() => AuthPayload, {
    description: 'Creates a tenant and its first admin, signed in. May be disabled on a server.',
  })
  @Public()
  async registerTenant(@Arg('input') input: RegisterTenantInput, @Ctx() ctx: AppContext): Promise<AuthPayload> {
    return adopt(ctx, await ctx.services.auth.registerTenant(ctx.em, input, ctx));
  }

  @Mutation(() => AuthPayload, {
    description: 'Signs in with email and password. Repeated failures are throttled (RATE_LIMITED).',
  })
  @Public()
  async login(@Arg('input') input: LoginInput, @Ctx() ctx: AppContext): Promise<AuthPayload> {
    return adopt(ctx, await ctx.services.auth.login(ctx.em, input, ctx));
  }

  @Mutation(() => AuthPayload, { description: 'Exchanges a refresh token for new tokens. A refresh token works once.' })
  @Public()
  async refreshSession(@Arg('refreshToken') refreshToken: string, @Ctx() ctx: AppContext): Promise<AuthPayload> {
    return adopt(ctx, await ctx.services.auth.refresh(ctx.em, refreshToken));
  }

  @Mutation(() => Boolean, { description: 'Ends the current session.' })
  @SignedIn('user')
  logout(@Ctx() ctx: AppContext): Promise<boolean> {
    return ctx.services.auth.logout(ctx);
  }

  @Mutation(() => Boolean, { description: 'Changes the password; other sessions of the user end.' })
  @SignedIn('user')
  changePassword(@Arg('input') input: ChangePasswordInput, @Ctx() ctx: AppContext): Promise<boolean> {
    return ctx.services.auth.changePassword(ctx, input);
  }

  @Query(() => LoginRecordConnection, { description: 'Sign-ins and sign-outs with time and IP, newest first.' })
  @RequirePage(Page.ADMIN_MONITOR, Page.ADMIN_STATISTICS)
  async loginRecords(@Args() args: LoginRecordsArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<LoginRecord>> {
    if (args.userId) await ctx.services.users.get(ctx, args.userId);
    return toConnection(await ctx.services.auth.loginRecords(ctx, args));
  }
}
