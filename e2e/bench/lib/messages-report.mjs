import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAX_P99_MS, MIN_ACHIEVED_RATIO } from './message-load.mjs';

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

/** Writes the figures as JSON to e2e/bench/results/messages-<timestamp>.json (git-ignored). */
export function writeResults(results) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `messages-${results.startedAt.replace(/[:.]/g, '-')}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

export function formatReport(r) {
  const s = r.settings;
  return [
    `Parley messaging benchmark, ${r.startedAt}`,
    `node ${r.machine.node}, ${r.machine.cpus} CPUs (${r.machine.cpuModel}), load average ${r.machine.loadAvgStart} -> ${r.machine.loadAvgEnd}`,
    `database: ${r.database.source} (${r.database.name}); build: ${r.build}`,
    `workload: ${s.conversations} conversations on ${s.agents} subscriber sockets, visitors send over HTTP, open loop, ` +
      `at most ${s.maxInFlight} sends in flight; ${s.stepSeconds} s per step (warm-up ${s.warmupSeconds} s)`,
    `a step passes with achieved >= ${MIN_ACHIEVED_RATIO * 100} % of target, p99 <= ${MAX_P99_MS} ms, no failed sends, ` +
      `every message delivered once in seq order`,
    '',
    ...runSection(r.parley),
    '',
    ...runSection(r.baseline),
    '',
    ...comparisonSection(r.comparison, r.integrity),
    '',
    ...(r.idle ? [...idleSection(r.idle), ''] : []),
    'SQL statements per request (DEBUG_SQL_COUNT=true)',
    table(
      [['operation', 'statements'], ...r.sqlStatements.map((q) => [q.operation, String(q.statements)])],
      ['l', 'r'],
    ),
    '',
  ].join('\n');
}

function runSection(run) {
  const rows = [
    [
      'step',
      'target/s',
      'achieved/s',
      'sent',
      'delivered',
      'lost',
      'dup',
      'order',
      'err',
      'skipped',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'ack p99',
      'cpu srv/pg/gen/all %',
      'rss MiB',
      'verdict',
    ],
  ];
  for (const step of run.steps) {
    const l = step.latencyMs;
    rows.push([
      step.label,
      String(step.targetRate),
      String(step.achievedRate),
      String(step.acknowledged),
      String(step.delivered),
      String(step.lost),
      String(step.duplicates),
      String(step.outOfOrder + step.gaps),
      String(step.errors),
      String(step.skipped),
      ms(l.p50),
      ms(l.p95),
      ms(l.p99),
      ms(l.max),
      ms(step.ackLatencyMs.p99),
      step.cpu
        ? `${cpu(step.cpu.server)}/${cpu(step.cpu.postgres)}/${cpu(step.cpu.loadgen)}/${cpu(step.cpu.machineBusy)}`
        : '',
      String(step.serverRssMiB ?? '-'),
      step.pass ? 'pass' : `FAIL: ${step.reasons.join(', ')}`,
    ]);
  }
  const max = run.maxSustained
    ? `${run.maxSustained.targetRate}/s target, ${run.maxSustained.achievedRate}/s achieved`
    : 'none (the first step failed)';
  const t = run.totals;
  return [
    `${run.name} (server RSS after setup ${run.rssAfterSetupMiB} MiB)`,
    table(rows, ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'r', 'l']),
    `max sustained rate: ${max}` + (run.firstFailedRate ? `; first failing rate ${run.firstFailedRate}/s` : ''),
    `delivery over the whole run: ${t.delivered} of ${t.acknowledged} acknowledged messages delivered, ` +
      `${t.lost} lost, ${t.duplicates} duplicated, ${t.outOfOrder} out of order, ${t.gaps} gaps, ` +
      `${t.seqMismatches} seq mismatches, ${t.unknown} unexpected`,
  ];
}

function comparisonSection(c, integrity) {
  const rows = [
    ['comparison', 'value', 'target', 'verdict'],
    [
      'max throughput Parley / baseline',
      c.throughputRatio === null ? 'n/a' : `${(c.throughputRatio * 100).toFixed(1)} %`,
      `>= ${c.throughputTarget * 100} %`,
      c.throughputVerdict,
    ],
    [
      "p99 at half of Parley's max",
      c.halfRateP99Ms === null ? 'n/a' : `${ms(c.halfRateP99Ms)} ms`,
      `< ${c.halfRateP99TargetMs} ms`,
      c.halfRateP99Verdict,
    ],
    [
      'delivery (both servers, every step)',
      integrity.ok ? 'exactly once, in order' : integrity.problems.slice(0, 3).join('; '),
      'exactly once, in order',
      integrity.ok ? 'PASS' : 'FAIL',
    ],
  ];
  return [table(rows, ['l', 'r', 'l', 'l'])];
}

function idleSection(idle) {
  const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
  const rows = [
    ['idle connections', 'value'],
    ['connections (client processes)', `${idle.connections} (${idle.processes})`],
    ['acknowledged / subscribed', `${idle.acknowledged} / ${idle.subscribed} (${idle.failed} failed)`],
    ['opened in', `${idle.openSeconds} s (${Math.round(idle.subscribed / idle.openSeconds)}/s)`],
    [
      'live after one more message',
      `${idle.liveAfterBroadcast} (dropped ${idle.droppedWhileHeld}, repeats ${idle.repeatedDeliveries})`,
    ],
    [
      'server RSS before / held / after close',
      `${mb(idle.rssBytes.before)} / ${mb(idle.rssBytes.held)} / ${mb(idle.rssBytes.afterClose)}`,
    ],
    ['server RSS per connection', idle.rssPerConnectionKiB === null ? 'n/a' : `${idle.rssPerConnectionKiB} KiB`],
    [
      'server open fds before / held / after close',
      `${idle.openFds.before} / ${idle.openFds.held} / ${idle.openFds.afterClose}`,
    ],
    ['after close: readyz, message delivered', `${idle.health.readyz}, ${idle.health.probeDelivered ? 'yes' : 'NO'}`],
    ['verdict', idle.verdict],
  ];
  const out = [table(rows, ['l', 'l'])];
  if (idle.errorSamples?.length) out.push(`errors: ${idle.errorSamples.join('; ')}`);
  return out;
}

const ms = (v) => (v === null || v === undefined ? '-' : v < 10 ? v.toFixed(1) : v.toFixed(0));
const cpu = (v) => Math.round(v).toString();

function table(rows, align) {
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row) =>
    row
      .map((cell, c) => (align[c] === 'r' ? cell.padStart(widths[c]) : cell.padEnd(widths[c])))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(rows[0]), rule, ...rows.slice(1).map(line)].join('\n');
}
