// What does the permission layer cost? Two API servers on one database and machine, A with the
// permission layer and B with PERMISSIONS_DISABLED=true, take the same load; then a server with
// DEBUG_SQL_COUNT=true shows how many SQL statements each operation issues. See README.md.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cleanup } from './lib/cleanup.mjs';
import { provisionDatabase } from './lib/database.mjs';
import { addAgents, graphql, ME, signIn, usersQuery } from './lib/graphql.mjs';
import { measureOperation } from './lib/load.mjs';
import { formatReport, writeResults } from './lib/report.mjs';
import { ensureApiBuilt, startServer } from './lib/servers.mjs';

const DEMO_ADMIN = { email: 'admin@demo.example.com', password: 'parley-demo-2026' };
const EXTRA_USERS = 60; // the demo tenant has 5 users; 60 more fill a 50-row page
const PAGE_SIZE = 50;
const TARGET_OVERHEAD = 0.1;

const settings = {
  connections: positiveInt('BENCH_CONNECTIONS', 10),
  duration: positiveInt('BENCH_DURATION', 10),
  warmup: positiveInt('BENCH_WARMUP', 3),
  rounds: positiveInt('BENCH_ROUNDS', 3),
};

async function main() {
  const cleanup = new Cleanup();
  const interrupted = (signal) => {
    process.stderr.write(`\n${signal}: stopping everything the benchmark started ...\n`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  try {
    const results = await bench(cleanup);
    process.stdout.write(`\n${formatReport(results)}`);
    process.stdout.write(`results: ${writeResults(results)}\n`);
  } catch (e) {
    process.stderr.write(`benchmark failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  } finally {
    await cleanup.run();
  }
}

async function bench(cleanup) {
  const startedAt = new Date().toISOString();
  const loadAvgStart = loadAverage();
  const build = ensureApiBuilt({ skip: process.env.BENCH_SKIP_BUILD === 'true' });
  const database = await provisionDatabase(cleanup);
  const env = serverEnv(database.url, tempDir(cleanup));

  // A seeds the demo tenant; B starts only afterwards so that the two do not race to create it.
  const a = await launch(cleanup, 'A permissions on', { ...env, SEED_DEMO: 'true' });
  const b = await launch(cleanup, 'B permissions off', { ...env, PERMISSIONS_DISABLED: 'true' });

  // One token for both: same JWT_SECRET, and B trusts the claims without reading the session.
  const token = await signIn(a.url, DEMO_ADMIN.email, DEMO_ADMIN.password);
  const fixture = await addAgents(a.url, token, EXTRA_USERS);
  const totalUsers = await assertFullPage([a, b], token);

  const operations = [];
  for (const [name, query] of [
    ['me', ME],
    [`users(first: ${PAGE_SIZE})`, usersQuery(PAGE_SIZE)],
  ]) {
    process.stdout.write(`\nmeasuring ${name}\n`);
    const servers = await measureOperation({ servers: [a, b], query, token, settings, onRun: progress });
    operations.push(withOverhead(name, query, servers));
  }
  // The statement counters run on their own servers; A and B are no longer needed.
  await Promise.all([a.stop(), b.stop()]);

  const sqlStatements = await countStatements(cleanup, env, token);
  return {
    benchmark: 'permissions',
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model ?? 'unknown',
      loadAvgStart,
      loadAvgEnd: loadAverage(),
    },
    settings,
    build,
    database: { source: database.source, name: database.name },
    fixture: { added: fixture.created, enabled: fixture.enabled, totalUsers },
    operations,
    sqlStatements,
  };
}

function serverEnv(databaseUrl, dataDir) {
  return {
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    // Long enough for any BENCH_* setting; the default 15 minutes could expire mid-run.
    ACCESS_TOKEN_TTL_SECONDS: '7200',
    SEED_DEMO: 'false',
    PERMISSIONS_DISABLED: 'false',
    DEBUG_SQL_COUNT: 'false',
    PUBLIC_URL: '',
    REDIS_URL: '',
  };
}

function tempDir(cleanup) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  cleanup.defer(`temporary directory ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function launch(cleanup, name, env) {
  process.stdout.write(`starting server ${name} ...\n`);
  const server = await startServer(name, env);
  cleanup.defer(`server ${name} (pid ${server.pid})`, () => server.stop());
  return server;
}

// Both servers must answer the timed query in full, or the comparison would be of different work.
async function assertFullPage(servers, token) {
  let total = 0;
  for (const server of servers) {
    const { data } = await graphql(server.url, usersQuery(PAGE_SIZE), { token });
    if (data.users.nodes.length !== PAGE_SIZE) {
      throw new Error(`${server.name}: users(first: ${PAGE_SIZE}) returned ${data.users.nodes.length} rows`);
    }
    total = data.users.totalCount;
  }
  return total;
}

function withOverhead(name, query, servers) {
  const [a, b] = servers;
  const overhead = 1 - a.rps / b.rps;
  return {
    name,
    query,
    servers,
    overhead,
    target: TARGET_OVERHEAD,
    verdict: overhead <= TARGET_OVERHEAD ? 'PASS' : 'FAIL',
    overheadPerRound: a.runs.map((run, i) => 1 - run.rps / b.runs[i].rps),
  };
}

/** Statements per operation, with and without the permission layer, on two short-lived servers. */
async function countStatements(cleanup, env, token) {
  const counting = { ...env, DEBUG_SQL_COUNT: 'true' };
  const servers = [
    await launch(cleanup, 'C permissions on, DEBUG_SQL_COUNT', counting),
    await launch(cleanup, 'D permissions off, DEBUG_SQL_COUNT', { ...counting, PERMISSIONS_DISABLED: 'true' }),
  ];
  const queries = [['me', ME], ...[5, 20, PAGE_SIZE].map((n) => [`users(first: ${n})`, usersQuery(n)])];
  const operations = [];
  for (const [name, query] of queries) {
    const statements = [];
    for (const server of servers) statements.push(await statementsOf(server, query, token));
    operations.push({ name, query, statements });
  }
  await Promise.all(servers.map((s) => s.stop()));

  const users = operations.filter((op) => op.name.startsWith('users'));
  const grows = servers.some((_, i) => users.some((op) => op.statements[i] > users[0].statements[i]));
  return {
    servers: servers.map((s) => s.name.split(',')[0]),
    operations,
    verdict: grows ? 'FAIL' : 'PASS',
  };
}

async function statementsOf(server, query, token) {
  // The first request of a fresh process may do one-off work; count the second.
  await graphql(server.url, query, { token });
  const { extensions } = await graphql(server.url, query, { token });
  if (typeof extensions.sqlStatements !== 'number') {
    throw new Error(`${server.name}: the response has no extensions.sqlStatements`);
  }
  return extensions.sqlStatements;
}

function progress(server, round, run) {
  process.stdout.write(
    `  ${server.name.padEnd(18)} run ${round + 1}/${settings.rounds}: ${run.rps.toFixed(1)} req/s, ` +
      `p50 ${run.p50Ms} ms, p99 ${run.p99Ms} ms (${run.requests} requests)\n`,
  );
}

function loadAverage() {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
}

function positiveInt(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

await main();
