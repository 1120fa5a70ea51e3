import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ServiceScope, staffOf } from '../../platform/auth/scope';
import { isUniqueViolation } from '../../platform/database/db-errors';
import { raise } from '../../platform/errors/app-error';
import { Conversation, ConversationAgent, ConversationState } from '../conversation/conversation.entity';
import { Customer } from './customer.entity';
import { CustomerErrors } from './customer.errors';
import type { UpdateCustomerInput } from './customer.inputs';

export interface VisitorClient {
  ip: string;
  userAgent: string;
}

export class CustomerService {
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

  /** CNV-1: an agent serving one of the customer's open conversations (or an admin) edits the profile. */
  async update(scope: ServiceScope, id: string, input: UpdateCustomerInput): Promise<Customer> {
    const staff = staffOf(scope);
    const customer = await this.get(scope.em, id);
    if (!staff.isAdmin) {
      const serving =
        staff.kind === 'user' &&
        (await scope.em.count(ConversationAgent, {
          user: staff.userId,
          leftAt: null,
          conversation: { $in: await this.openConversationIds(scope.em, customer.id) },
        })) > 0;
      // Someone who cannot see the customer learns nothing about it.
      if (!serving) throw raise(CustomerErrors, 'NOT_FOUND');
    }
    scope.em.assign(customer, input);
    await scope.em.flush();
    return customer;
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
