import { Arg, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { Page } from '../../platform/auth/pages';
import { RequirePage } from '../../platform/graphql/access';
import type { AppContext } from '../services';
import { CrmFrameSettings } from '../tenant/tenant-settings';
import { CrmFrame } from './crm.types';

@Resolver()
export class CrmResolver {
  @Query(() => CrmFrame, {
    nullable: true,
    description:
      'The CRM page to show beside a conversation the caller may see (CNV-12); null while the tenant has the CRM panel off.',
  })
  @RequirePage(Page.AGENT_CONVERSATIONS)
  crmFrame(@Arg('conversationId', () => ID) conversationId: string, @Ctx() ctx: AppContext): Promise<CrmFrame | null> {
    return ctx.services.crm.frame(ctx, conversationId);
  }
}

@Resolver(() => CrmFrameSettings)
export class CrmFrameSettingsResolver {
  // The key itself is write-only: every signed-in user reads the tenant's settings.
  @FieldResolver(() => Boolean, { description: 'A key is stored for `encrypt` (the key itself is never shown).' })
  keySet(@Root() settings: CrmFrameSettings): boolean {
    return !!settings.key;
  }
}
