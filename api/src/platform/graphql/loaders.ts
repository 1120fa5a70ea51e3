import type { EntityClass } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import DataLoader from 'dataloader';

/**
 * Per-request DataLoaders so that a list's relations load in one query whatever its length.
 * Loaders are created lazily by key and live as long as the request.
 */
export class Loaders {
  private readonly cache = new Map<string, DataLoader<unknown, unknown>>();

  constructor(private readonly em: EntityManager) {}

  /** Entities by primary key, batched; reads go through the tenant-filtered EntityManager. */
  byId<T extends { id: string }>(entity: EntityClass<T>): DataLoader<string, T | undefined> {
    return this.get(`byId:${entity.name}`, async (ids: readonly string[]) => {
      const rows = await this.em.find(entity, { id: { $in: [...ids] } } as never);
      const map = new Map(rows.map((r) => [r.id, r]));
      return ids.map((id) => map.get(id));
    });
  }

  /** A custom batch function under a unique key. */
  get<K, V>(key: string, batch: (keys: readonly K[]) => Promise<readonly (V | Error)[]>): DataLoader<K, V> {
    let loader = this.cache.get(key) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>(batch, { maxBatchSize: 500 });
      this.cache.set(key, loader as DataLoader<unknown, unknown>);
    }
    return loader;
  }
}
