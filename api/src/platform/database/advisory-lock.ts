import type { EntityManager } from '@mikro-orm/postgresql';

/**
 * Within a transaction: waits for, then holds until commit or rollback, the advisory lock named
 * `key`. Whoever takes the same key after us waits; keys name what they guard, e.g.
 * `note-number:<tenant>`.
 */
export async function advisoryXactLock(em: EntityManager, key: string): Promise<void> {
  await em.execute('select pg_advisory_xact_lock(hashtextextended(?, 0))', [key]);
}

/** The tables whose rows carry a number counted per tenant from 1. */
export type NumberedTable = 'note' | 'approval';

/**
 * Within a transaction: the tenant's next number for a numbered table (1 for the first row).
 * The lock held until commit makes concurrent takers wait, so numbers never repeat or skip; the
 * caller stores the row in the same transaction.
 */
export async function nextTenantNumber(em: EntityManager, table: NumberedTable, tenantId: string): Promise<number> {
  await advisoryXactLock(em, `${table}-number:${tenantId}`);
  const [row] = await em.execute<{ next: number }[]>(
    `select coalesce(max(number), 0) + 1 as next from ${table} where tenant_id = ?`,
    [tenantId],
  );
  return Number(row!.next);
}
