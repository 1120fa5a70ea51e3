import 'reflect-metadata';
import { join } from 'node:path';
import { entities } from '../modules';
import { loadConfig, loadDotEnv } from '../platform/config/config';
import { startEmbeddedPostgres } from '../platform/database/embedded-postgres';
import { initOrm, migrateUp } from '../platform/database/orm';
import { createLogger } from '../platform/logging/logger';

// `npm run db:migrate`: applies pending migrations to DATABASE_URL (or the embedded database).
async function main(): Promise<void> {
  loadDotEnv();
  const config = loadConfig();
  const log = createLogger(config);
  const embedded = config.DATABASE_URL
    ? undefined
    : await startEmbeddedPostgres({
        dataDir: join(config.DATA_DIR, 'pg'),
        port: config.EMBEDDED_PG_PORT,
        database: 'parley',
        persistent: true,
        log,
      });
  const orm = await initOrm({ url: config.DATABASE_URL ?? embedded!.url, entities, log });
  try {
    const applied = await migrateUp(orm);
    process.stdout.write(applied.length ? `Applied: ${applied.join(', ')}\n` : 'No pending migrations.\n');
  } finally {
    await orm.close();
    await embedded?.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
