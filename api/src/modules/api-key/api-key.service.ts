import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import type { PrincipalCache } from '../../platform/auth/principal-cache';
import { type ServiceScope, staffOf, tenantOf } from '../../platform/auth/scope';
import { hashSecret, newOpaqueToken, parseOpaqueToken, secretMatches } from '../../platform/auth/tokens';
import { raise } from '../../platform/errors/app-error';
import { type AccessRevoked, type EventBus, topics } from '../../platform/pubsub/event-bus';
import { type ConnectionArgs, type Page, pageWindow } from '../../platform/graphql/connection';
import type { Role } from '../role/role.entity';
import type { RoleService } from '../role/role.service';
import { ApiKey } from './api-key.entity';
import { ApiKeyErrors } from './api-key.errors';
import type { CreateApiKeyInput } from './api-key.inputs';

export const API_KEY_PREFIX = 'pk';
// Writing last-used on every request would turn each read into a write.
const LAST_USED_RESOLUTION_MS = 60_000;

export class ApiKeyService {
  constructor(
    private readonly roles: RoleService,
    private readonly bus: EventBus,
    private readonly principals: PrincipalCache,
  ) {}

  async list(scope: ServiceScope, args: ConnectionArgs): Promise<Page<ApiKey>> {
    const { offset, limit } = pageWindow(args);
    const [items, totalCount] = await scope.em.findAndCount(
      ApiKey,
      {},
      { orderBy: { revokedAt: 'desc nulls first', createdAt: 'desc', id: 'desc' }, offset, limit },
    );
    return { items, totalCount, offset, limit };
  }

  async create(scope: ServiceScope, input: CreateApiKeyInput): Promise<{ apiKey: ApiKey; secret: string }> {
    const actor = staffOf(scope);
    const role = await this.roles.get(scope, input.roleId);
    const { id, secret, token } = newOpaqueToken(API_KEY_PREFIX, uuidv7());
    const apiKey = scope.em.create(ApiKey, {
      id,
      tenant: tenantOf(scope),
      name: input.name.trim(),
      role,
      tokenHash: hashSecret(secret),
      hint: token.slice(-4),
      createdBy: actor.kind === 'user' ? actor.userId : null,
    });
    await scope.em.flush();
    return { apiKey, secret: token };
  }

  async revoke(scope: ServiceScope, id: string): Promise<ApiKey> {
    const apiKey = await scope.em.findOne(ApiKey, { id });
    if (!apiKey) throw raise(ApiKeyErrors, 'NOT_FOUND');
    apiKey.revokedAt ??= new Date();
    await scope.em.flush();
    await this.principals.changed({ tenantId: apiKey.tenant, apiKeyId: apiKey.id });
    await this.bus.publish<AccessRevoked>(topics.apiKeyAccess(apiKey.tenant, apiKey.id), {});
    return apiKey;
  }

  /** Authenticates a presented key (system-level: the key names its tenant). */
  async authenticate(systemEm: EntityManager, token: string): Promise<{ apiKey: ApiKey; role: Role } | null> {
    const parsed = parseOpaqueToken(API_KEY_PREFIX, token);
    if (!parsed) return null;
    const apiKey = await systemEm.findOne(ApiKey, { id: parsed.id }, { populate: ['role'] });
    if (!apiKey || apiKey.revokedAt || !secretMatches(parsed.secret, apiKey.tokenHash)) return null;
    const now = Date.now();
    if (!apiKey.lastUsedAt || now - apiKey.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
      await systemEm.nativeUpdate(ApiKey, { id: apiKey.id }, { lastUsedAt: new Date(now) });
    }
    return { apiKey, role: apiKey.role.getEntity() };
  }

  static looksLikeKey(token: string): boolean {
    return token.startsWith(`${API_KEY_PREFIX}_`);
  }
}
