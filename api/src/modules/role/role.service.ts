import type { EntityManager } from '@mikro-orm/postgresql';
import { AGENT_PAGES, ALL_PAGES, DataScope } from '../../platform/auth/pages';
import type { PrincipalCache } from '../../platform/auth/principal-cache';
import { type ServiceScope, tenantOf } from '../../platform/auth/scope';
import { isForeignKeyViolation, isUniqueViolation } from '../../platform/database/db-errors';
import { raise } from '../../platform/errors/app-error';
import { type ConnectionArgs, type Page as ResultPage, pageWindow } from '../../platform/graphql/connection';
import { ApiKey } from '../api-key/api-key.entity';
import { User } from '../user/user.entity';
import { BuiltInRole, Role } from './role.entity';
import { RoleErrors } from './role.errors';
import type { CreateRoleInput, UpdateRoleInput } from './role.inputs';

export class RoleService {
  constructor(private readonly principals: PrincipalCache) {}

  /** The admin and agent roles every tenant starts with. */
  createBuiltIns(em: EntityManager, tenantId: string): { admin: Role; agent: Role } {
    const admin = em.create(Role, {
      tenant: tenantId,
      name: 'Admin',
      builtIn: BuiltInRole.ADMIN,
      pages: [...ALL_PAGES],
      customersScope: DataScope.TENANT,
      historyScope: DataScope.TENANT,
      ongoingScope: DataScope.TENANT,
    });
    const agent = em.create(Role, {
      tenant: tenantId,
      name: 'Agent',
      builtIn: BuiltInRole.AGENT,
      pages: [...AGENT_PAGES],
      customersScope: DataScope.TEAM,
      historyScope: DataScope.TEAM,
      ongoingScope: DataScope.TEAM,
    });
    return { admin, agent };
  }

  async list(scope: ServiceScope, args: ConnectionArgs): Promise<ResultPage<Role>> {
    const { offset, limit } = pageWindow(args);
    const [items, totalCount] = await scope.em.findAndCount(
      Role,
      {},
      { orderBy: { builtIn: 'asc nulls last', name: 'asc', id: 'asc' }, offset, limit },
    );
    return { items, totalCount, offset, limit };
  }

  async get(scope: ServiceScope, id: string): Promise<Role> {
    const role = await scope.em.findOne(Role, { id });
    if (!role) throw raise(RoleErrors, 'NOT_FOUND');
    return role;
  }

  async create(scope: ServiceScope, input: CreateRoleInput): Promise<Role> {
    const role = scope.em.create(Role, { ...input, name: input.name.trim(), tenant: tenantOf(scope) });
    await this.flush(scope, role);
    return role;
  }

  async update(scope: ServiceScope, id: string, input: UpdateRoleInput): Promise<Role> {
    const role = await this.get(scope, id);
    if (role.builtIn) throw raise(RoleErrors, 'BUILT_IN');
    scope.em.assign(role, { ...input, ...(input.name ? { name: input.name.trim() } : {}) });
    await this.flush(scope, role);
    // Edited pages and scopes apply at once to everyone holding the role.
    await this.principals.changed({ tenantId: role.tenant, roleId: role.id });
    return role;
  }

  async delete(scope: ServiceScope, id: string): Promise<string> {
    const role = await this.get(scope, id);
    if (role.builtIn) throw raise(RoleErrors, 'BUILT_IN');
    try {
      await scope.em.transactional(async (em) => {
        // Deleted users and revoked keys still reference their last role; they move to the
        // built-in agent role so that only real holders keep a role from being deleted.
        const fallback = await em.findOneOrFail(Role, { builtIn: BuiltInRole.AGENT });
        await em.nativeUpdate(User, { role: role.id, deletedAt: { $ne: null } }, { role: fallback.id });
        await em.nativeUpdate(ApiKey, { role: role.id, revokedAt: { $ne: null } }, { role: fallback.id });
        await em.remove(em.getReference(Role, role.id)).flush();
      });
    } catch (e) {
      // Users and API keys reference their role; the database refuses to orphan them.
      if (isForeignKeyViolation(e)) throw raise(RoleErrors, 'IN_USE');
      throw e;
    }
    await this.principals.changed({ tenantId: role.tenant, roleId: role.id });
    return id;
  }

  private async flush(scope: ServiceScope, role: Role): Promise<void> {
    try {
      await scope.em.persist(role).flush();
    } catch (e) {
      if (isUniqueViolation(e)) throw raise(RoleErrors, 'NAME_TAKEN');
      throw e;
    }
  }
}
