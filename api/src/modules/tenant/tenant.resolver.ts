import { Arg, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage, SignedIn } from '../../platform/graphql/access';
import type { AppContext } from '../services';
import { Tenant } from './tenant.entity';
import { UpdateTenantInput } from './tenant.inputs';
import { License } from './tenant.types';
import { TenantSettings, TenantSettingsInput, withDefaults } from './tenant-settings';

@Resolver(() => Tenant)
export class TenantResolver {
  @Query(() => Tenant, { description: "The caller's tenant." })
  @SignedIn()
  tenant(@Ctx() ctx: AppContext): Promise<Tenant> {
    return ctx.services.tenants.current(ctx);
  }

  @Mutation(() => Tenant)
  @RequirePage(Page.ADMIN_ACCOUNT)
  updateTenant(@Arg('input') input: UpdateTenantInput, @Ctx() ctx: AppContext): Promise<Tenant> {
    return ctx.services.tenants.update(ctx, input);
  }

  @Mutation(() => TenantSettings, { description: 'Changes function settings; they apply at once.' })
  @RequirePage(Page.ADMIN_SETTINGS)
  updateTenantSettings(@Arg('input') input: TenantSettingsInput, @Ctx() ctx: AppContext): Promise<TenantSettings> {
    return ctx.services.tenants.updateSettings(ctx, input);
  }

  @FieldResolver(() => TenantSettings)
  settings(@Root() tenant: Tenant): TenantSettings {
    return withDefaults(tenant.settings);
  }

  @FieldResolver(() => License)
  license(@Root() tenant: Tenant, @Ctx() ctx: AppContext): Promise<License> {
    return ctx.services.tenants.license(ctx.em, tenant);
  }
}
