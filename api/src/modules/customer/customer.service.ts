import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Page, ScopedArea } from '../../platform/auth/pages';
import { scopeOf, type StaffPrincipal } from '../../platform/auth/principal';
import { type ServiceScope, staffOf } from '../../platform/auth/scope';
import { isUniqueViolation } from '../../platform/database/db-errors';
import { raise } from '../../platform/errors/app-error';
import { Conversation, ConversationAgent, ConversationState } from '../conversation/conversation.entity';
import { type ProfileService, SYSTEM_FIELDS } from '../profile/profile.service';
import { Customer } from './customer.entity';
import { CustomerErrors } from './customer.errors';
import type { UpdateCustomerInput } from './customer.inputs';

export interface VisitorClient {
  ip: string;
  userAgent: string;
}

export class CustomerService {
  constructor(private readonly profiles: ProfileService) {}

  /**
   * The customer behind a visitor session: the given id (apps, already verified) or a new
   * anonymous `webim-visitor-…` one. Records where the visitor came from.
   */
  async findOrCreate(
    systemEm: EntityManager,
    tenantId: string,
    externalId: string | null,
    client: VisitorClient,
  ): Promise<Customer> {
    const id = externalId ?? `webim-visitor-${randomBytes(8).toString('hex')}`;
    const seen = {
      lastIp: client.ip.slice(0, 64),
      lastUserAgent: client.userAgent.slice(0, 500),
      lastSeenAt: new Date(),
    };
    const existing = await systemEm.findOne(Customer, { tenant: tenantId, externalId: id });
    if (existing) {
      systemEm.assign(existing, seen);
      await systemEm.flush();
      return existing;
    }
    try {
      const customer = systemEm.create(Customer, { tenant: tenantId, externalId: id, ...seen });
      await systemEm.flush();
      return customer;
    } catch (e) {
      // Two first visits with the same app customer id at once: the other one created it.
      if (!isUniqueViolation(e)) throw e;
      systemEm.clear();
      return systemEm.findOneOrFail(Customer, { tenant: tenantId, externalId: id });
    }
  }

  async get(em: EntityManager, id: string): Promise<Customer> {
    const customer = await em.findOne(Customer, { id });
    if (!customer) throw raise(CustomerErrors, 'NOT_FOUND');
    return customer;
  }

  /**
   * CNV-1, HIS-4: an agent serving one of the customer's open conversations (or a customer admin)
   * edits the profile: system fields, custom field values and the group.
   */
  async update(scope: ServiceScope, id: string, input: UpdateCustomerInput): Promise<Customer> {
    const { customer, asAdmin } = await this.editable(scope, id);
    const { fields, groupId, ...columns } = input;
    const systemKeys = SYSTEM_FIELDS.map((f) => f.key).filter(
      (key) => (columns as Record<string, unknown>)[key] !== undefined,
    );
    await this.profiles.applyEdit(scope.em, customer, { systemKeys, fields, groupId }, { mayEditReadOnly: asAdmin });
    scope.em.assign(customer, columns);
    await scope.em.flush();
    return customer;
  }

  /**
   * The customer if the principal may edit it: the agent serving one of its open conversations, or
   * a customer admin (the admin role, or ADMIN_CUSTOMERS within the customer data scope). Others
   * get NOT_FOUND: someone who cannot see the customer learns nothing about it.
   */
  async editable(scope: ServiceScope, id: string): Promise<{ customer: Customer; asAdmin: boolean }> {
    const staff = staffOf(scope);
    const customer = await this.get(scope.em, id);
    if (await this.administers(scope.em, staff, customer.id)) return { customer, asAdmin: true };
    const serving =
      staff.kind === 'user' &&
      (await scope.em.count(ConversationAgent, {
        user: staff.userId,
        leftAt: null,
        conversation: { $in: await this.openConversationIds(scope.em, customer.id) },
      })) > 0;
    if (!serving) throw raise(CustomerErrors, 'NOT_FOUND');
    return { customer, asAdmin: false };
  }

  private async administers(em: EntityManager, staff: StaffPrincipal, customerId: string): Promise<boolean> {
    if (staff.isAdmin) return true;
    if (!staff.pages.has(Page.ADMIN_CUSTOMERS)) return false;
    const area = scopeOf(staff, ScopedArea.CUSTOMERS);
    if (area.tenantWide) return true;
    // Team scope: customers who had a conversation with one of the teams.
    return (
      area.teamIds.length > 0 &&
      (await em.count(Conversation, { customer: customerId, team: { $in: [...area.teamIds] } })) > 0
    );
  }

  private async openConversationIds(em: EntityManager, customerId: string): Promise<string[]> {
    const open = await em.find(
      Conversation,
      { customer: customerId, state: { $ne: ConversationState.CLOSED } },
      { fields: ['id'] },
    );
    return open.map((c) => c.id);
  }
}
