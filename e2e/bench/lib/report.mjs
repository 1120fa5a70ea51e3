import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const RESULTS_DIR = fileURLToPath(new URL('../results/', import.meta.url));

/** Writes the figures as JSON to e2e/bench/results/permissions-<timestamp>.json (git-ignored). */
export function writeResults(results) {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const stamp = results.startedAt.replace(/[:.]/g, '-');
  const file = join(RESULTS_DIR, `permissions-${stamp}.json`);
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`);
  return file;
}

export function formatReport(r) {
  const s = r.settings;
  return [
    `Parley permission-layer benchmark, ${r.startedAt}`,
    `node ${r.machine.node}, ${r.machine.cpus} CPUs (${r.machine.cpuModel}), load average ${r.machine.loadAvgStart} -> ${r.machine.loadAvgEnd}`,
    `database: ${r.database.source} (${r.database.name}); demo tenant with ${r.fixture.totalUsers} users ` +
      `(${r.fixture.added} added, ${r.fixture.enabled} of them enabled)`,
    `load: autocannon, ${s.connections} connections, ${s.warmup} s warm-up per server, then ${s.rounds} x ${s.duration} s ` +
      `per server alternating A,B; figures are the median of the runs`,
    '',
    formatLoadTable(r.operations),
    '',
    'SQL statements per request (DEBUG_SQL_COUNT=true, read from extensions.sqlStatements)',
    formatSqlTable(r.sqlStatements),
    `N+1 check (users statements do not grow with the page size): ${r.sqlStatements.verdict}`,
    '',
  ].join('\n');
}

function formatLoadTable(operations) {
  const rows = [['operation', 'server', 'req/s', 'p50 ms', 'p99 ms', 'req/s of each run']];
  for (const op of operations) {
    for (const s of op.servers) {
      rows.push([op.name, s.server, s.rps.toFixed(1), fmtMs(s.p50Ms), fmtMs(s.p99Ms), runList(s.runs)]);
    }
    const rounds = op.overheadPerRound.map(pct).join(' / ');
    const verdict = `target <= ${pct(op.target)} %: ${op.verdict} (each round A vs B: ${rounds} %)`;
    rows.push(['', `overhead 1 - A/B = ${pct(op.overhead)} %`, '', '', '', verdict]);
  }
  return table(rows, ['l', 'l', 'r', 'r', 'r', 'l']);
}

function formatSqlTable(sql) {
  const rows = [['operation', ...sql.servers]];
  for (const op of sql.operations) rows.push([op.name, ...op.statements.map(String)]);
  return table(rows, ['l', ...sql.servers.map(() => 'r')]);
}

const pct = (ratio) => (ratio * 100).toFixed(1);
const fmtMs = (ms) => (ms < 10 ? ms.toFixed(1) : ms.toFixed(0));
const runList = (runs) => runs.map((r) => r.rps.toFixed(0)).join(' / ');

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
