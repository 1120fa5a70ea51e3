import type { EntityClass, FilterDef } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';

export const TENANT_FILTER = 'tenant';

/**
 * The tenant condition, declared once for every tenant-owned entity and enabled by default:
 * an EntityManager without the filter's parameter refuses to read tenant-owned rows at all,
 * so a read that forgot its tenant fails loudly instead of leaking.
 */
export function tenantFilter(entities: EntityClass<object>[]): FilterDef {
  return {
    name: TENANT_FILTER,
    cond: (args) => (args.system === true ? {} : { tenant: args.tenantId as string }),
    entity: entities,
    default: true,
    args: true,
  };
}

/** A request-scoped fork whose reads are confined to one tenant. */
export function tenantFork(em: EntityManager, tenantId: string): EntityManager {
  const fork = em.fork({ clear: true, useContext: false });
  fork.setFilterParams(TENANT_FILTER, { tenantId });
  return fork;
}

/**
 * A fork for system-level work that has no tenant yet (sign-in, registration, jobs).
 * Every query made through it must name its tenant explicitly or deliberately span tenants.
 */
export function systemFork(em: EntityManager): EntityManager {
  const fork = em.fork({ clear: true, useContext: false });
  fork.setFilterParams(TENANT_FILTER, { system: true });
  return fork;
}
