import type { EntityManager } from '@mikro-orm/postgresql';
import type { VisitorPrincipal } from '../../platform/auth/principal';
import { type ServiceScope, tenantScoped } from '../../platform/auth/scope';
import type { TokenService } from '../../platform/auth/tokens';
import { systemFork } from '../../platform/database/tenant-filter';
import { forbidden, raise } from '../../platform/errors/app-error';
import { WidgetConfig } from '../channel/channel.entity';
import type { ChannelService } from '../channel/channel.service';
import type { Conversation, Message } from '../conversation/conversation.entity';
import type { MessageInput } from '../conversation/conversation.inputs';
import type { ConversationService } from '../conversation/conversation.service';
import { Customer } from '../customer/customer.entity';
import type { CustomerService, VisitorClient } from '../customer/customer.service';
import { VisitorErrors } from './visitor.errors';
import type { StartVisitorSessionInput, VisitorSession } from './visitor.types';

const VISITOR_TOKEN_TTL_SECONDS = 30 * 24 * 3600;

/** The widget's entry points: everything a visitor can do, bound to their own customer. */
export class VisitorService {
  constructor(
    private readonly tokens: TokenService,
    private readonly channels: ChannelService,
    private readonly customers: CustomerService,
    private readonly conversations: ConversationService,
  ) {}

  async start(rootEm: EntityManager, input: StartVisitorSessionInput, client: VisitorClient): Promise<VisitorSession> {
    const em = systemFork(rootEm);
    const widget = await this.channels.findWidgetByKey(em, input.widgetKey);
    if (!widget) throw raise(VisitorErrors, 'UNKNOWN_WIDGET');
    const externalId = await this.knownCustomer(em, widget, input);
    const customer = await this.customers.findOrCreate(em, widget.tenant, externalId, client);
    if (customer.blacklistedAt) throw raise(VisitorErrors, 'BLACKLISTED');
    const { token, expiresAt } = await this.tokens.signVisitor(
      { tenantId: widget.tenant, customerId: customer.id, widgetId: widget.id },
      VISITOR_TOKEN_TTL_SECONDS,
    );
    return {
      token,
      expiresAt,
      customer,
      widget: { name: widget.name, style: widget.style, functions: widget.functions },
    };
  }

  async conversation(scope: ServiceScope): Promise<Conversation | null> {
    return this.conversations.openConversationOfVisitor(scope, visitorOf(scope));
  }

  async send(scope: ServiceScope, input: MessageInput): Promise<Message> {
    const visitor = visitorOf(scope);
    return this.conversations.sendAsVisitor(scope, visitor, input);
  }

  profile(scope: ServiceScope): Promise<Customer> {
    return scope.em.findOneOrFail(Customer, { id: visitorOf(scope).customerId });
  }

  /** Which customer the visitor is: an app's verified id, the one of an earlier visit, or none yet. */
  private async knownCustomer(
    em: EntityManager,
    widget: WidgetConfig,
    input: StartVisitorSessionInput,
  ): Promise<string | null> {
    if (input.customerId) {
      if (
        !input.customerIdSignature ||
        !this.channels.verifyCustomerSignature(widget, input.customerId, input.customerIdSignature)
      ) {
        throw raise(VisitorErrors, 'BAD_SIGNATURE');
      }
      return input.customerId;
    }
    if (input.resumeToken) {
      const claims = await this.tokens.verifyVisitor(input.resumeToken);
      if (claims && claims.tenantId === widget.tenant) {
        const earlier = await em.findOne(Customer, { id: claims.customerId, tenant: widget.tenant });
        if (earlier) return earlier.externalId;
      }
    }
    return null;
  }
}

export function visitorOf(scope: ServiceScope): VisitorPrincipal {
  const p = tenantScoped(scope.principal);
  if (p.kind !== 'visitor') throw forbidden('Only visitors can do this');
  return p;
}
