import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { type ServiceScope, tenantOf } from '../../platform/auth/scope';
import { isUniqueViolation } from '../../platform/database/db-errors';
import { raise } from '../../platform/errors/app-error';
import { type ConnectionArgs, type Page, pageWindow } from '../../platform/graphql/connection';
import { Team } from '../team/team.entity';
import { TeamErrors } from '../team/team.errors';
import { ChannelAccount, WidgetConfig } from './channel.entity';
import { ChannelErrors } from './channel.errors';
import type {
  CreateChannelAccountInput,
  CreateWidgetConfigInput,
  UpdateChannelAccountInput,
  UpdateWidgetConfigInput,
} from './channel.inputs';

export class ChannelService {
  async listWidgets(scope: ServiceScope, args: ConnectionArgs): Promise<Page<WidgetConfig>> {
    const { offset, limit } = pageWindow(args);
    const [items, totalCount] = await scope.em.findAndCount(
      WidgetConfig,
      {},
      { orderBy: { name: 'asc', id: 'asc' }, offset, limit },
    );
    return { items, totalCount, offset, limit };
  }

  async getWidget(scope: ServiceScope, id: string): Promise<WidgetConfig> {
    const widget = await scope.em.findOne(WidgetConfig, { id });
    if (!widget) throw raise(ChannelErrors, 'WIDGET_NOT_FOUND');
    return widget;
  }

  async createWidget(scope: ServiceScope, input: CreateWidgetConfigInput): Promise<WidgetConfig> {
    const widget = scope.em.create(WidgetConfig, {
      tenant: tenantOf(scope),
      name: input.name.trim(),
      channel: input.channel,
      publicKey: newPublicKey(),
      identitySecret: randomBytes(32).toString('hex'),
      ...(input.style ? { style: { ...input.style } } : {}),
      ...(input.functions ? { functions: { ...input.functions } } : {}),
    });
    await this.bindRefs(scope, widget, input);
    await scope.em.flush();
    return widget;
  }

  async updateWidget(scope: ServiceScope, id: string, input: UpdateWidgetConfigInput): Promise<WidgetConfig> {
    const widget = await this.getWidget(scope, id);
    if (input.name) widget.name = input.name.trim();
    if (input.style) widget.style = { ...input.style };
    if (input.functions) widget.functions = { ...input.functions };
    await this.bindRefs(scope, widget, input);
    await scope.em.flush();
    return widget;
  }

  async deleteWidget(scope: ServiceScope, id: string): Promise<string> {
    const widget = await this.getWidget(scope, id);
    await scope.em.remove(widget).flush();
    return id;
  }

  /** For the public entry point: a widget by its public key, in any tenant. */
  findWidgetByKey(systemEm: EntityManager, publicKey: string): Promise<WidgetConfig | null> {
    return systemEm.findOne(WidgetConfig, { publicKey });
  }

  /** Whether `signature` is the widget's HMAC of an app-supplied customer id (identity verification). */
  verifyCustomerSignature(widget: WidgetConfig, customerId: string, signature: string): boolean {
    const expected = Buffer.from(customerSignature(widget.identitySecret, customerId), 'hex');
    const given = Buffer.from(signature, 'hex');
    return expected.length === given.length && timingSafeEqual(expected, given);
  }

  async listAccounts(scope: ServiceScope, args: ConnectionArgs): Promise<Page<ChannelAccount>> {
    const { offset, limit } = pageWindow(args);
    const [items, totalCount] = await scope.em.findAndCount(
      ChannelAccount,
      {},
      { orderBy: { channel: 'asc', name: 'asc', id: 'asc' }, offset, limit },
    );
    return { items, totalCount, offset, limit };
  }

  async getAccount(scope: ServiceScope, id: string): Promise<ChannelAccount> {
    const account = await scope.em.findOne(ChannelAccount, { id });
    if (!account) throw raise(ChannelErrors, 'ACCOUNT_NOT_FOUND');
    return account;
  }

  async createAccount(scope: ServiceScope, input: CreateChannelAccountInput): Promise<ChannelAccount> {
    const account = scope.em.create(ChannelAccount, { ...input, name: input.name.trim(), tenant: tenantOf(scope) });
    await this.flushAccount(scope);
    return account;
  }

  async updateAccount(scope: ServiceScope, id: string, input: UpdateChannelAccountInput): Promise<ChannelAccount> {
    const account = await this.getAccount(scope, id);
    scope.em.assign(account, { ...input, ...(input.name ? { name: input.name.trim() } : {}) });
    await this.flushAccount(scope);
    return account;
  }

  async deleteAccount(scope: ServiceScope, id: string): Promise<string> {
    const account = await this.getAccount(scope, id);
    await scope.em.remove(account).flush();
    return id;
  }

  private async bindRefs(
    scope: ServiceScope,
    widget: WidgetConfig,
    input: { entryTeamId?: string | null; channelAccountId?: string | null },
  ): Promise<void> {
    if (input.entryTeamId !== undefined) {
      if (input.entryTeamId && !(await scope.em.findOne(Team, { id: input.entryTeamId }))) {
        throw raise(TeamErrors, 'NOT_FOUND');
      }
      widget.entryTeam = input.entryTeamId ? scope.em.getReference(Team, input.entryTeamId, { wrapped: true }) : null;
    }
    if (input.channelAccountId !== undefined) {
      widget.channelAccount = input.channelAccountId
        ? scope.em.getReference(ChannelAccount, (await this.getAccount(scope, input.channelAccountId)).id, {
            wrapped: true,
          })
        : null;
    }
  }

  private async flushAccount(scope: ServiceScope): Promise<void> {
    try {
      await scope.em.flush();
    } catch (e) {
      if (isUniqueViolation(e)) throw raise(ChannelErrors, 'ACCOUNT_NAME_TAKEN');
      throw e;
    }
  }
}

export function customerSignature(identitySecret: string, customerId: string): string {
  return createHmac('sha256', identitySecret).update(customerId).digest('hex');
}

function newPublicKey(): string {
  return `wk_${randomBytes(12).toString('base64url')}`;
}
