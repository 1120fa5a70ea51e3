import { staffOf, type ServiceScope } from '../../platform/auth/scope';
import type { ConversationService } from '../conversation/conversation.service';
import { Customer } from '../customer/customer.entity';
import type { TenantService } from '../tenant/tenant.service';
import { CrmParam } from '../tenant/tenant-settings';
import { User } from '../user/user.entity';
import { crmFrameUrl, type CrmValues } from './crm-frame';
import type { CrmFrame } from './crm.types';

export class CrmService {
  constructor(
    private readonly conversations: ConversationService,
    private readonly tenants: TenantService,
  ) {}

  /** The CRM page for a conversation the caller may see; null while the tenant has no CRM panel. */
  async frame(scope: ServiceScope, conversationId: string): Promise<CrmFrame | null> {
    const staff = staffOf(scope);
    // The conversation's own rule first: one the caller may not see answers NOT_FOUND, configured or not.
    const conversation = await this.conversations.get(scope, conversationId);
    const crm = (await this.tenants.settings(scope.em, staff.tenantId)).crmFrame;
    if (!crm.enabled || !crm.url) return null;

    const wants = (...params: CrmParam[]) => params.some((p) => crm.params.includes(p));
    const customer = wants(CrmParam.CUSTOMER_EXTERNAL_ID, CrmParam.CUSTOMER_NICKNAME)
      ? await scope.em.findOne(Customer, { id: conversation.customer.id })
      : null;
    // The agent is whoever opens the panel; an API key is nobody.
    const agentId = staff.kind === 'user' ? staff.userId : null;
    const agent = agentId && wants(CrmParam.AGENT_NICKNAME) ? await scope.em.findOne(User, { id: agentId }) : null;

    const values: CrmValues = {
      [CrmParam.CUSTOMER_ID]: conversation.customer.id,
      [CrmParam.CUSTOMER_EXTERNAL_ID]: customer?.externalId ?? null,
      [CrmParam.CUSTOMER_NICKNAME]: customer?.nickname ?? null,
      [CrmParam.CONVERSATION_ID]: conversation.id,
      [CrmParam.CHANNEL]: conversation.channel,
      [CrmParam.AGENT_ID]: agentId,
      [CrmParam.AGENT_NICKNAME]: agent?.nickname ?? null,
      [CrmParam.TENANT_ID]: staff.tenantId,
    };
    return { url: crmFrameUrl(crm, values), encrypted: crm.encrypt };
  }
}
