import { Arg, Args, Ctx, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage } from '../../platform/graphql/access';
import { Connection, ConnectionArgs, type ConnectionShape, toConnection } from '../../platform/graphql/connection';
import { Role } from '../role/role.entity';
import type { AppContext } from '../services';
import { ApiKey } from './api-key.entity';
import { CreateApiKeyInput } from './api-key.inputs';
import { CreatedApiKey } from './api-key.types';

@ObjectType()
export class ApiKeyConnection extends Connection(ApiKey) {}

@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Query(() => ApiKeyConnection)
  @RequirePage(Page.ADMIN_ACCESS)
  async apiKeys(@Args() args: ConnectionArgs, @Ctx() ctx: AppContext): Promise<ConnectionShape<ApiKey>> {
    return toConnection(await ctx.services.apiKeys.list(ctx, args));
  }

  @Mutation(() => CreatedApiKey, { description: 'Creates a key bound to a role. The secret is returned only here.' })
  @RequirePage(Page.ADMIN_ACCESS)
  createApiKey(@Arg('input') input: CreateApiKeyInput, @Ctx() ctx: AppContext): Promise<CreatedApiKey> {
    return ctx.services.apiKeys.create(ctx, input);
  }

  @Mutation(() => ApiKey, { description: 'Revokes a key; it stops working at once.' })
  @RequirePage(Page.ADMIN_ACCESS)
  revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: AppContext): Promise<ApiKey> {
    return ctx.services.apiKeys.revoke(ctx, id);
  }

  @FieldResolver(() => Role)
  async role(@Root() apiKey: ApiKey, @Ctx() ctx: AppContext): Promise<Role> {
    const role = await ctx.loaders.byId(Role).load(apiKey.role.id);
    if (!role) throw new Error(`Role ${apiKey.role.id} of API key ${apiKey.id} is missing`);
    return role;
  }
}
