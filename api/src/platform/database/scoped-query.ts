import type { EntityName } from '@mikro-orm/core';
import type { EntityManager, QueryBuilder } from '@mikro-orm/postgresql';
import type { TenantScoped } from '../auth/principal';

/**
 * A QueryBuilder already narrowed to the principal's tenant. MikroORM filters do not apply to
 * QueryBuilder, so every QueryBuilder over tenant-owned rows starts here.
 */
export function scopedQb<T extends object>(
  em: EntityManager,
  entity: EntityName<T>,
  alias: string,
  principal: TenantScoped,
): QueryBuilder<T, string> {
  return em
    .createQueryBuilder(entity, alias)
    .where({ [`${alias}.tenant`]: principal.tenantId } as never) as unknown as QueryBuilder<T, string>;
}

/**
 * Raw SQL over tenant-owned tables: the tenant id is always bound as the first parameter
 * (`$1` / first `?`), and the statement must use it.
 */
export async function scopedSql<R extends object>(
  em: EntityManager,
  principal: TenantScoped,
  sql: string,
  params: unknown[] = [],
): Promise<R[]> {
  if (!/tenant_id\s*=\s*\?/.test(sql)) {
    throw new Error('scopedSql: the statement must filter on tenant_id = ? (bound to the principal tenant)');
  }
  return em.getConnection().execute<R[]>(sql, [principal.tenantId, ...params]);
}
