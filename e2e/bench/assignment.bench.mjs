// How fast does the assignment engine route and assign new conversations, with 200 agents and two
// API processes over one database? A burst of 1,000 first visitor messages arrives at once, half at
// each process; it has settled when every conversation is assigned or queued. Then every agent
// closes what they serve, and the queue drains. See README.md.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { Cleanup } from './lib/cleanup.mjs';
import { provisionDatabase } from './lib/database.mjs';
import { graphql } from './lib/graphql.mjs';
import { jsonPoster, parseOk } from './lib/http-post.mjs';
import { mapLimit } from './lib/limit.mjs';
import { cpuMeter, postgresBackends } from './lib/proc-stats.mjs';
import { profilingEnv, watchPhase } from './lib/diagnostics.mjs';
import { ensureApiBuilt, startServer } from './lib/servers.mjs';

const TARGET_SETTLE_MS = 2_000;
const RESULTS_DIR = fileURLToPath(new URL('./results/', import.meta.url));

const settings = {
  agents: intSetting('BENCH_AGENTS', 200),
  maxConversations: intSetting('BENCH_MAX_CONVERSATIONS', 3),
  burst: intSetting('BENCH_BURST', 1_000),
  inFlight: intSetting('BENCH_MAX_IN_FLIGHT', 1_000),
};

async function main() {
  const cleanup = new Cleanup();
  process.once('SIGINT', () => void cleanup.run().finally(() => process.exit(130)));
  try {
    const results = await bench(cleanup);
    mkdirSync(RESULTS_DIR, { recursive: true });
    const file = join(RESULTS_DIR, `assignment-${results.startedAt.replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
    process.stdout.write(`\n${report(results)}\nresults: ${file}\n`);
    if (!results.integrity.ok) process.exitCode = 1;
  } catch (e) {
    process.stderr.write(`benchmark failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 1;
  } finally {
    await cleanup.run();
  }
}

async function bench(cleanup) {
  const startedAt = new Date().toISOString();
  const build = ensureApiBuilt({ skip: process.env.BENCH_SKIP_BUILD === 'true' });
  const database = await provisionDatabase(cleanup);
  const env = {
    DATABASE_URL: database.url,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(32).toString('hex'),
    SEED_DEMO: 'false',
    DEFAULT_TENANT_SEATS: String(settings.agents + 10),
    DATA_DIR: join(RESULTS_DIR, '.data'),
    ...profilingEnv(),
  };
  log(`starting two API processes${process.env.REDIS_URL ? ' (events through Redis)' : ''} ...`);
  const servers = [];
  for (const name of ['api-1', 'api-2']) {
    const server = await startServer(name, env);
    cleanup.defer(name, () => server.stop());
    servers.push(server);
  }
  const db = new pg.Pool({ connectionString: database.url, max: 2 });
  cleanup.defer('database pool', () => db.end());

  log(`setting up a tenant with ${settings.agents} online agents (max ${settings.maxConversations} each) ...`);
  const setup = await timed(() => setUp(servers[0].url, db));
  log(`  done in ${(setup.ms / 1000).toFixed(1)} s`);
  // Fresh tables have no statistics yet; a live database has them (autovacuum analyses as it grows).
  await db.query('analyze');

  log(`opening ${settings.burst} visitor sessions ...`);
  const posters = servers.map((s) => jsonPoster(s.url, 256));
  cleanup.defer('http agents', () => posters.forEach((p) => p.close()));
  const sessions = await mapLimit(
    Array.from({ length: settings.burst }, (_, i) => i),
    50,
    async (i) => {
      const body = await call(posters[i % 2], START_SESSION, { input: { widgetKey: setup.value.widgetKey } });
      return body.startVisitorSession.token;
    },
  );

  log(`burst: ${settings.burst} first messages at once, half through each process ...`);
  // Where the CPU goes during the burst (percent of one core): the API processes, PostgreSQL, this load generator.
  const cpu = cpuMeter({
    api: () => servers.map((s) => s.pid),
    postgres: () => postgresBackends(database.name),
    loadgen: () => [process.pid],
  });
  cpu.start();
  const watch = await watchPhase();
  const burst = await timed(() =>
    mapLimit(sessions, settings.inFlight, (token, i) =>
      call(posters[i % 2], SEND, { input: { type: 'TEXT', text: `burst ${i}` } }, token),
    ),
  );
  const burstCpu = cpu.stop();
  for (const line of await watch.stop()) log(`  ${line}`);
  const afterBurst = await snapshot(db, setup.value.tenantId);
  log(`  settled in ${burst.ms.toFixed(0)} ms: ${afterBurst.ongoing} assigned, ${afterBurst.queued} queued`);

  log('drain: every agent closes what they serve at once ...');
  const serving = (
    await db.query(
      `select ca.conversation_id, ca.user_id from conversation_agent ca where ca.tenant_id = $1 and ca.left_at is null`,
      [setup.value.tenantId],
    )
  ).rows;
  const drain = await timed(() =>
    mapLimit(serving, settings.inFlight, (row, i) =>
      call(posters[i % 2], CLOSE, { id: row.conversation_id }, setup.value.tokens.get(row.user_id)),
    ),
  );
  const afterDrain = await snapshot(db, setup.value.tenantId);
  log(
    `  ${serving.length} closed in ${drain.ms.toFixed(0)} ms; ${afterDrain.ongoing} assigned from the queue, ${afterDrain.queued} still queued`,
  );

  const capacity = settings.agents * settings.maxConversations;
  const expectedAssigned = Math.min(capacity, settings.burst);
  const problems = [];
  const check = (ok, message) => ok || problems.push(message);
  check(
    afterBurst.ongoing === expectedAssigned,
    `after the burst ${afterBurst.ongoing} assigned, expected ${expectedAssigned}`,
  );
  check(afterBurst.queued === settings.burst - expectedAssigned, `after the burst ${afterBurst.queued} queued`);
  check(afterBurst.maxLoad <= settings.maxConversations, `an agent had ${afterBurst.maxLoad} conversations`);
  check(afterBurst.doubled === 0, `${afterBurst.doubled} conversations went to two agents`);
  const leftToAssign = settings.burst - expectedAssigned;
  check(afterDrain.ongoing === Math.min(leftToAssign, capacity), `after the drain ${afterDrain.ongoing} assigned`);
  check(afterDrain.maxLoad <= settings.maxConversations, `after the drain an agent had ${afterDrain.maxLoad}`);

  return {
    benchmark: 'assignment',
    startedAt,
    machine: {
      node: process.version,
      cpus: cpus().length,
      cpuModel: cpus()[0]?.model,
      loadAvg: loadavg().map((l) => l.toFixed(2)),
    },
    settings,
    build,
    database: { source: database.source },
    burst: {
      conversations: settings.burst,
      settleMs: Math.round(burst.ms),
      perSecond: Math.round((settings.burst / burst.ms) * 1000),
      assigned: afterBurst.ongoing,
      queued: afterBurst.queued,
      cpuPercent: burstCpu,
      pass: burst.ms < TARGET_SETTLE_MS,
    },
    drain: {
      closed: serving.length,
      ms: Math.round(drain.ms),
      assignedFromQueue: afterDrain.ongoing,
      perSecond: Math.round((serving.length / drain.ms) * 1000),
    },
    integrity: { ok: problems.length === 0, problems },
  };
}

async function setUp(url, db) {
  const email = `admin-${randomBytes(4).toString('hex')}@bench.example.com`;
  const password = 'bench-password-2026';
  const registered = await graphql(
    url,
    'mutation ($input: RegisterTenantInput!) { registerTenant(input: $input) { accessToken } }',
    {
      variables: {
        input: { tenantName: 'Bench Co', adminEmail: email, adminPassword: password, adminNickname: 'Admin' },
      },
    },
  );
  const admin = registered.data.registerTenant.accessToken;
  const tenantId = (await graphql(url, 'query { tenant { id } }', { token: admin })).data.tenant.id;
  const { data } = await graphql(url, 'query { roles(first: 100) { nodes { id builtIn } } }', { token: admin });
  const agentRole = data.roles.nodes.find((r) => r.builtIn === 'AGENT').id;
  const team = await graphql(url, 'mutation ($input: CreateTeamInput!) { createTeam(input: $input) { id } }', {
    token: admin,
    variables: { input: { name: 'Support' } },
  });
  const teamId = team.data.createTeam.id;
  const agents = await mapLimit(
    Array.from({ length: settings.agents }, (_, i) => i),
    4,
    async (i) => {
      const agentEmail = `agent-${i}-${randomBytes(3).toString('hex')}@bench.example.com`;
      const created = await graphql(url, 'mutation ($input: CreateUserInput!) { createUser(input: $input) { id } }', {
        token: admin,
        variables: {
          input: {
            email: agentEmail,
            password,
            nickname: `Agent ${i}`,
            roleId: agentRole,
            maxConversations: settings.maxConversations,
          },
        },
      });
      const login = await graphql(url, 'mutation ($input: LoginInput!) { login(input: $input) { accessToken } }', {
        variables: { input: { email: agentEmail, password } },
      });
      return { id: created.data.createUser.id, token: login.data.login.accessToken };
    },
  );
  await graphql(url, 'mutation ($input: TeamMembersInput!) { addTeamMembers(input: $input) { id } }', {
    token: admin,
    variables: { input: { teamId, userIds: agents.map((a) => a.id) } },
  });
  // Everyone online, as if signed in to the console.
  await db.query(`update app_user set status = 'ONLINE' where tenant_id = $1 and id = any($2::uuid[])`, [
    tenantId,
    agents.map((a) => a.id),
  ]);
  const widget = await graphql(
    url,
    'mutation ($input: CreateWidgetConfigInput!) { createWidgetConfig(input: $input) { publicKey } }',
    { token: admin, variables: { input: { name: 'Site', entryTeamId: teamId } } },
  );
  return {
    tenantId,
    widgetKey: widget.data.createWidgetConfig.publicKey,
    tokens: new Map(agents.map((a) => [a.id, a.token])),
  };
}

async function snapshot(db, tenantId) {
  const states = (
    await db.query(`select state, count(*)::int as n from conversation where tenant_id = $1 group by state`, [tenantId])
  ).rows;
  const count = (state) => states.find((s) => s.state === state)?.n ?? 0;
  const loads = (
    await db.query(
      `select coalesce(max(n), 0)::int as max_load from (select count(*) as n from conversation_agent
        where tenant_id = $1 and left_at is null group by user_id) l`,
      [tenantId],
    )
  ).rows[0];
  const doubled = (
    await db.query(
      `select count(*)::int as n from (select conversation_id from conversation_agent where tenant_id = $1
        and left_at is null group by conversation_id having count(*) > 1) d`,
      [tenantId],
    )
  ).rows[0];
  return { ongoing: count('ONGOING'), queued: count('QUEUED'), maxLoad: loads.max_load, doubled: doubled.n };
}

const START_SESSION = 'mutation ($input: StartVisitorSessionInput!) { startVisitorSession(input: $input) { token } }';
const SEND = 'mutation ($input: MessageInput!) { sendVisitorMessage(input: $input) { id conversation } }';
const CLOSE = 'mutation ($id: ID!) { closeConversation(id: $id) { id } }';

async function call(poster, query, variables, token) {
  const res = await poster.post('/graphql', { query, variables }, token ? { authorization: `Bearer ${token}` } : {});
  const body = parseOk(res);
  if (body.errors?.length) throw new Error(JSON.stringify(body.errors).slice(0, 500));
  return body.data;
}

async function timed(fn) {
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start };
}

function report(r) {
  return [
    `Parley assignment benchmark, ${r.startedAt}`,
    `node ${r.machine.node}, ${r.machine.cpus} CPUs (${r.machine.cpuModel}), load ${r.machine.loadAvg.join(' ')}`,
    `${r.settings.agents} agents online (max ${r.settings.maxConversations} each), 2 API processes, ${r.database.source}`,
    '',
    `burst of ${r.burst.conversations} new conversations: settled in ${r.burst.settleMs} ms ` +
      `(${r.burst.perSecond} routed and assigned or queued per second): ${r.burst.assigned} assigned, ${r.burst.queued} queued` +
      `  [target < ${TARGET_SETTLE_MS} ms: ${r.burst.pass ? 'PASS' : 'FAIL'}]`,
    `  CPU during the burst (% of one core): API processes ${r.burst.cpuPercent.api}, PostgreSQL ${r.burst.cpuPercent.postgres}, ` +
      `load generator ${r.burst.cpuPercent.loadgen}; machine busy ${r.burst.cpuPercent.machineBusy}%`,
    `drain: ${r.drain.closed} closes at once in ${r.drain.ms} ms, ${r.drain.assignedFromQueue} assigned from the queue (${r.drain.perSecond} closes/s)`,
    `integrity: ${r.integrity.ok ? 'OK' : `FAIL — ${r.integrity.problems.join('; ')}`}`,
  ].join('\n');
}

function intSetting(name, fallback) {
  const value = Number(process.env[name] ?? fallback);
  if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
  return value;
}

function log(line) {
  process.stdout.write(`${line}\n`);
}

await main();
