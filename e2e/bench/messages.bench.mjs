// How many messages per second does Parley carry from a visitor to the serving agent, how fast,
// and how does that compare with a bare http + pg + ws server doing the same work on the same
// machine? Then: what does an idle subscribed WebSocket connection cost the server? See README.md.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { setupBaseline } from './lib/baseline-target.mjs';
import { Cleanup } from './lib/cleanup.mjs';
import { provisionDatabase } from './lib/database.mjs';
import { DeliveryLedger } from './lib/delivery-ledger.mjs';
import { graphql } from './lib/graphql.mjs';
import { measureIdleConnections } from './lib/idle-phase.mjs';
import { findMaxRate, niceRate, runStep } from './lib/message-load.mjs';
import { formatReport, writeResults } from './lib/messages-report.mjs';
import { setupParley } from './lib/parley-target.mjs';
import { cpuMeter, postgresBackends, rssBytes } from './lib/proc-stats.mjs';
import { ensureApiBuilt, startServer } from './lib/servers.mjs';

const TARGET_THROUGHPUT_RATIO = 0.5;
const TARGET_HALF_RATE_P99_MS = 100;
const PAUSE_BETWEEN_STEPS_MS = 1_000;

const settings = {
  agents: intSetting('BENCH_AGENTS', 20, 1),
  conversations: intSetting('BENCH_CONVERSATIONS', 200, 1),
  stepSeconds: intSetting('BENCH_STEP_SECONDS', 15, 1),
  warmupSeconds: intSetting('BENCH_WARMUP_SECONDS', 5, 1),
  startRate: intSetting('BENCH_START_RATE', 50, 1),
  maxRate: intSetting('BENCH_MAX_RATE', 12_800, 1),
  refineSteps: intSetting('BENCH_REFINE_STEPS', 2, 0),
  maxInFlight: intSetting('BENCH_MAX_IN_FLIGHT', 256, 1),
  drainSeconds: intSetting('BENCH_DRAIN_SECONDS', 10, 1),
  idleConnections: intSetting('BENCH_IDLE_CONNECTIONS', 10_000, 0),
  idlePerProcess: intSetting('BENCH_IDLE_PER_PROCESS', 5_000, 1),
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
    if (!results.integrity.ok) {
      process.stderr.write(`integrity FAIL: ${results.integrity.problems.join('; ')}\n`);
      process.exitCode = 1;
    }
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

  log('\n== Parley ==');
  const server = await launch(cleanup, 'Parley', { ...env, SEED_DEMO: 'true' });
  const parleyLedger = new DeliveryLedger(settings.conversations);
  const parley = await timed('setup', () =>
    setupParley({ server, databaseUrl: database.url, ledger: parleyLedger, ...workloadShape() }),
  );
  cleanup.defer('Parley clients', () => parley.close());
  const parleyRun = await measureTarget(parley, parleyLedger, database.name);
  const idle = settings.idleConnections
    ? await timed('idle connections', () => idlePhase(cleanup, server, parley, parleyLedger))
    : null;
  await parley.close();
  await server.stop();

  log('\n== baseline (http + pg + ws) ==');
  const baselineLedger = new DeliveryLedger(settings.conversations);
  const baseline = await timed('setup', () =>
    setupBaseline({
      cleanup,
      adminUrl: database.url,
      ledger: baselineLedger,
      conversations: settings.conversations,
      sockets: settings.agents,
      maxInFlight: settings.maxInFlight,
    }),
  );
  const baselineRun = await measureTarget(baseline, baselineLedger, baseline.databaseName);
  await baseline.close();

  log('\n== SQL statements per request ==');
  const sqlStatements = await countStatements(cleanup, env, parley);

  const integrity = integrityOf({ Parley: parleyRun, baseline: baselineRun }, idle);
  return {
    benchmark: 'messages',
    startedAt,
    finishedAt: new Date().toISOString(),
    machine: machine(loadAvgStart),
    settings,
    build,
    database: { source: database.source, name: database.name },
    parley: parleyRun,
    baseline: baselineRun,
    comparison: compare(parleyRun, baselineRun),
    idle,
    sqlStatements,
    integrity,
  };
}

const workloadShape = () => ({
  agents: settings.agents,
  conversations: settings.conversations,
  maxInFlight: settings.maxInFlight,
});

/** Warm-up, the ramp to the highest sustained rate, and a run at half that rate. */
async function measureTarget(target, ledger, databaseName) {
  const rssAfterSetupMiB = Math.round(rssBytes(target.pid) / 1024 / 1024);
  const cpu = cpuMeter({
    server: () => [target.pid],
    postgres: () => postgresBackends(databaseName),
    loadgen: () => [process.pid],
  });
  const step = async (label, rate, durationS) => {
    const result = await runStep({
      target,
      ledger,
      label,
      rate,
      durationS,
      maxInFlight: settings.maxInFlight,
      drainMs: settings.drainSeconds * 1000,
      cpu,
    });
    // Growth from step to step would show the server keeping messages or subscriptions it should drop.
    result.serverRssMiB = Math.round(rssBytes(target.pid) / 1024 / 1024);
    if (target.problems.length) {
      result.pass = false;
      result.integrityFailed = true;
      result.reasons.push(`subscriptions: ${target.problems.splice(0).slice(0, 3).join('; ')}`);
    }
    log(progressLine(result));
    await sleep(PAUSE_BETWEEN_STEPS_MS);
    return result;
  };
  const warmup = await step('warm-up', settings.startRate, settings.warmupSeconds);
  const ramp = warmup.integrityFailed
    ? { steps: [], best: null, failedAt: null }
    : await findMaxRate({
        run: (rate) => step('ramp', rate, settings.stepSeconds),
        startRate: settings.startRate,
        maxRate: settings.maxRate,
        minRate: Math.max(1, settings.startRate / 16),
        refineSteps: settings.refineSteps,
      });
  const half = ramp.best ? await step('half of max', niceRate(ramp.best.targetRate / 2), settings.stepSeconds) : null;
  return {
    name: target.name,
    rssAfterSetupMiB,
    steps: [warmup, ...ramp.steps, ...(half ? [half] : [])],
    maxSustained: ramp.best ? { targetRate: ramp.best.targetRate, achievedRate: ramp.best.achievedRate } : null,
    firstFailedRate: ramp.failedAt,
    halfOfMax: half,
    totals: ledger.totals(),
  };
}

async function idlePhase(cleanup, server, parley, ledger) {
  log(`\n== idle connections (${settings.idleConnections}) ==`);
  // One agent's token and conversations: the subscriptions are real, and the agent may see them.
  const mine = Array.from({ length: settings.conversations }, (_, i) => i).filter((i) => i % settings.agents === 0);
  const probe = async (label) => {
    const result = await runStep({
      target: { ...parley, conversationOf: (n) => mine[n] },
      ledger,
      label,
      rate: 50,
      count: mine.length,
      maxInFlight: settings.maxInFlight,
      drainMs: settings.drainSeconds * 1000,
    });
    const ok = result.delivered === mine.length && !result.integrityFailed;
    log(`  ${label}: ${result.delivered} of ${mine.length} messages delivered to the agents${ok ? '' : ' FAIL'}`);
    return ok;
  };
  return measureIdleConnections({
    cleanup,
    server,
    token: parley.agentTokens[0],
    // Each client asks for the messages after the newest but one: the replayed one proves it is subscribed.
    conversations: mine.map((i) => ({ id: parley.conversationIds[i], afterSeq: ledger.lastSeq(i) - 1 })),
    total: settings.idleConnections,
    perChild: settings.idlePerProcess,
    probe,
    log,
  });
}

/** Statements per request on a short-lived server with DEBUG_SQL_COUNT=true (same database and secret). */
async function countStatements(cleanup, env, parley) {
  const counter = await launch(cleanup, 'Parley with DEBUG_SQL_COUNT', { ...env, DEBUG_SQL_COUNT: 'true' });
  const count = async (query, variables, token) => {
    const { data, extensions } = await graphql(counter.url, query, { token, variables });
    return { data, statements: extensions.sqlStatements };
  };
  const agentToken = parley.agentTokens[0];
  const session = await count(
    'mutation ($input: StartVisitorSessionInput!) { startVisitorSession(input: $input) { token } }',
    { input: { widgetKey: 'demo-widget' } },
  );
  const visitor = session.data.startVisitorSession.token;
  const say = (text) =>
    count(
      'mutation ($input: MessageInput!) { sendVisitorMessage(input: $input) { seq conversation } }',
      {
        input: { type: 'TEXT', text },
      },
      visitor,
    );
  const first = await say('first');
  const join = await count(
    'mutation ($id: ID!) { joinConversation(id: $id) { id } }',
    { id: first.data.sendVisitorMessage.conversation },
    agentToken,
  );
  await say('second');
  const ongoing = await say('third');
  await counter.stop();
  const rows = [
    ['startVisitorSession', session.statements],
    ['sendVisitorMessage (first: opens the conversation)', first.statements],
    ['joinConversation', join.statements],
    ['sendVisitorMessage (ongoing conversation)', ongoing.statements],
  ];
  for (const [name, n] of rows) log(`  ${name}: ${n}`);
  return rows.map(([operation, statements]) => ({ operation, statements }));
}

function compare(parley, baseline) {
  const ratio =
    parley.maxSustained && baseline.maxSustained
      ? parley.maxSustained.achievedRate / baseline.maxSustained.achievedRate
      : null;
  const p99 = parley.halfOfMax?.latencyMs.p99 ?? null;
  return {
    throughputRatio: ratio,
    throughputTarget: TARGET_THROUGHPUT_RATIO,
    throughputVerdict: ratio !== null && ratio >= TARGET_THROUGHPUT_RATIO ? 'PASS' : 'FAIL',
    halfRateP99Ms: p99,
    halfRateP99TargetMs: TARGET_HALF_RATE_P99_MS,
    halfRateP99Verdict: p99 !== null && p99 < TARGET_HALF_RATE_P99_MS ? 'PASS' : 'FAIL',
  };
}

/** Lost, repeated or reordered messages, and an unhealthy server after the idle phase, fail the run. */
function integrityOf(runs, idle) {
  const problems = [];
  for (const [name, run] of Object.entries(runs)) {
    const t = run.totals;
    for (const key of ['lost', 'duplicates', 'outOfOrder', 'gaps', 'seqMismatches', 'unknown']) {
      if (t[key]) problems.push(`${name}: ${t[key]} ${key}`);
    }
    for (const step of run.steps) {
      if (step.integrityFailed) problems.push(`${name} ${step.label} ${step.targetRate}/s: ${step.reasons.join(', ')}`);
    }
  }
  if (idle && !idle.health.ok) problems.push(`Parley unhealthy after the idle connections closed`);
  return { ok: problems.length === 0, problems };
}

function serverEnv(databaseUrl, dataDir) {
  return {
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    JWT_SECRET: randomBytes(32).toString('base64url'),
    // Long enough for the whole run; the default 15 minutes could expire mid-run.
    ACCESS_TOKEN_TTL_SECONDS: '7200',
    SEED_DEMO: 'false',
    PERMISSIONS_DISABLED: 'false',
    DEBUG_SQL_COUNT: 'false',
    PUBLIC_URL: '',
    REDIS_URL: '', // one process: events stay in memory
  };
}

function tempDir(cleanup) {
  const dir = mkdtempSync(join(tmpdir(), 'parley-bench-'));
  cleanup.defer(`temporary directory ${dir}`, () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

async function launch(cleanup, name, env) {
  log(`starting server ${name} ...`);
  const server = await startServer(name, env);
  cleanup.defer(`server ${name} (pid ${server.pid})`, () => server.stop());
  return server;
}

async function timed(label, fn) {
  const start = performance.now();
  const result = await fn();
  log(`  ${label}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return result;
}

function progressLine(s) {
  const l = s.latencyMs;
  const cpu = s.cpu ? `, cpu server ${s.cpu.server} % pg ${s.cpu.postgres} % loadgen ${s.cpu.loadgen} %` : '';
  return (
    `  ${s.label.padEnd(12)} ${String(s.targetRate).padStart(6)}/s -> ${s.achievedRate}/s, ` +
    `delivered ${s.delivered}/${s.acknowledged}, p50 ${l.p50} p99 ${l.p99} ms${cpu}: ` +
    `${s.pass ? 'ok' : s.reasons.join(', ')}`
  );
}

function machine(loadAvgStart) {
  return {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    loadAvgStart,
    loadAvgEnd: loadAverage(),
  };
}

function loadAverage() {
  return loadavg()
    .map((n) => n.toFixed(2))
    .join(' ');
}

function log(line) {
  process.stdout.write(`${line}\n`);
}

function intSetting(name, fallback, min) {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min) throw new Error(`${name} must be an integer >= ${min}, got "${raw}"`);
  return value;
}

await main();
