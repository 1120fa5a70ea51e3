import type { EntityClass, LoggerOptions } from '@mikro-orm/core';
import { ReflectMetadataProvider } from '@mikro-orm/decorators/legacy';
import { Migrator } from '@mikro-orm/migrations';
import { MikroORM, type Options, PostgreSqlDriver } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { TenantOwnedEntity } from './tenant-owned.entity';
import { loadMigrations, MIGRATIONS_DIR } from './migrations';
import { CountingLogger } from './sql-counter';
import { TENANT_FILTER, tenantFilter } from './tenant-filter';

export interface OrmSettings {
  url: string;
  entities: EntityClass<object>[];
  log?: Logger;
  poolMax?: number;
  /** Count statements per request into `sqlCounter` (benchmarks and tests). */
  countSql?: boolean;
}

export function ormOptions(settings: OrmSettings): Options {
  const trace = settings.log?.isLevelEnabled('trace') ?? false;
  const tenantOwned = settings.entities.filter((e) => e.prototype instanceof TenantOwnedEntity);
  return {
    driver: PostgreSqlDriver,
    clientUrl: settings.url,
    entities: settings.entities,
    metadataProvider: ReflectMetadataProvider,
    extensions: [Migrator],
    filters: { [TENANT_FILTER]: tenantFilter(tenantOwned) },
    // Every request works on its own fork; the global EntityManager is never used for data.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    pool: { min: 0, max: settings.poolMax ?? 20 },
    debug: trace ? ['query', 'query-params'] : settings.countSql ? ['query'] : false,
    logger: (message) => settings.log?.trace({ component: 'orm' }, message),
    ...(settings.countSql ? { loggerFactory: (options: LoggerOptions) => new CountingLogger(options, trace) } : {}),
    // SQL functions (e.g. `parley_grams` for keyword search) live in migrations, not in entity metadata.
    schemaGenerator: { ignoreRoutines: true },
    migrations: {
      path: MIGRATIONS_DIR,
      pathTs: MIGRATIONS_DIR,
      migrationsList: loadMigrations(),
      tableName: 'mikro_orm_migrations',
      // Migrations are diffed against a database with every migration applied, not a snapshot file.
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      emit: 'ts',
      silent: true,
    },
  };
}

export async function initOrm(settings: OrmSettings): Promise<MikroORM> {
  return MikroORM.init(ormOptions(settings));
}

export async function migrateUp(orm: MikroORM): Promise<string[]> {
  const done = await orm.migrator.up();
  return done.map((m) => m.name);
}
