import 'reflect-metadata';
import { join } from 'node:path';
import { createApp } from './app';
import { createServices } from './modules/services';
import { entities } from './modules';
import { ConfigError, loadConfig, loadDotEnv } from './platform/config/config';
import { type EmbeddedDatabase, startEmbeddedPostgres } from './platform/database/embedded-postgres';
import { initOrm, migrateUp } from './platform/database/orm';
import { PreparedSql } from './platform/database/prepared-sql';
import { Jobs } from './platform/jobs/jobs';
import { createLogger } from './platform/logging/logger';
import { createEventBus } from './platform/pubsub/create-event-bus';
import { DEMO, seedDemo } from './seed/demo';

async function main(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const log = createLogger(config);
  // First, so that an unreachable Redis fails the start before anything else is started.
  const bus = await createEventBus(config, log);
  if (config.REDIS_URL) log.info('events go through Redis (REDIS_URL)');

  let embedded: EmbeddedDatabase | undefined;
  let url = config.DATABASE_URL;
  if (!url) {
    log.info({ dataDir: join(config.DATA_DIR, 'pg') }, 'DATABASE_URL is not set: starting embedded PostgreSQL');
    embedded = await startEmbeddedPostgres({
      dataDir: join(config.DATA_DIR, 'pg'),
      port: config.EMBEDDED_PG_PORT,
      database: 'parley',
      persistent: true,
      log,
    });
    url = embedded.url;
  }

  const orm = await initOrm({ url, entities, log, countSql: config.DEBUG_SQL_COUNT });
  const applied = await migrateUp(orm);
  if (applied.length) log.info({ migrations: applied }, 'migrations applied');

  const sql = new PreparedSql(url, 10);
  const jobs = new Jobs(url, log.child({ component: 'jobs' }), config.JOB_POLLING_SECONDS);
  const services = createServices({ config, orm, bus, sql, jobs, log });
  const seeded = config.SEED_DEMO ? await seedDemo(orm, services, log) : null;

  const app = await createApp({ config, orm, services, log });
  await jobs.start();
  const local = await app.listen();
  const base = config.PUBLIC_URL ?? local;

  process.stdout.write(
    [
      '',
      `  Parley is ready at ${base}`,
      `  GraphQL playground: ${base}/graphql`,
      ...(seeded
        ? [
            `  Demo sign-in: ${DEMO.admin.email} / ${DEMO.password}  (agents: ${DEMO.agents.map((a) => a.email).join(', ')})`,
            `  Demo widget key: ${DEMO.widgetKey}  (startVisitorSession(input: { widgetKey: "${DEMO.widgetKey}" }))`,
            `  Demo site with the chat widget: ${base}/demo  (chat with yourself in the console)`,
          ]
        : []),
      '',
    ].join('\n') + '\n',
  );

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      log.error('shutdown took too long; exiting');
      process.exit(1);
    }, 20_000).unref();
    try {
      await app.stop();
      log.debug('http and websocket servers stopped');
      await jobs.stop();
      services.close();
      await bus.close();
      await orm.close();
      await sql.close();
      log.debug('database connections closed');
      await embedded?.stop();
      clearTimeout(force);
      log.info('stopped');
      log.flush(() => process.exit(0));
    } catch (e) {
      log.error({ err: e }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e: unknown) => {
  process.stderr.write(`Parley failed to start: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
