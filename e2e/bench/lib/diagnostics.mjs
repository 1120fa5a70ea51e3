// Optional diagnostics for a benchmark's measured phase, switched on by environment variables:
//
// - BENCH_PROFILE_DIR: the API processes write V8 CPU profiles there (`--cpu-prof`) when they stop,
//   and the phase's window is printed on the monotonic clock the profiles use (microseconds), so
//   that only the phase's samples need be read.
// - BENCH_STATEMENTS_URL: a database URL where the pg_stat_statements extension is installed (the
//   server needs `shared_preload_libraries = 'pg_stat_statements'`); the statements the phase ran
//   are printed, the costliest first.
import pg from 'pg';

/** Environment for the API processes. */
export function profilingEnv() {
  const dir = process.env.BENCH_PROFILE_DIR;
  return dir ? { NODE_OPTIONS: `--cpu-prof --cpu-prof-dir=${dir}` } : {};
}

/** Starts watching a phase; `stop()` returns the lines to print (none when nothing is switched on). */
export async function watchPhase() {
  const startedAt = process.hrtime.bigint() / 1000n;
  const statementsUrl = process.env.BENCH_STATEMENTS_URL;
  if (statementsUrl) await withClient(statementsUrl, (c) => c.query('select pg_stat_statements_reset()'));
  return {
    async stop() {
      const lines = [];
      if (process.env.BENCH_PROFILE_DIR) {
        lines.push(`profile window (monotonic µs): ${startedAt} ${process.hrtime.bigint() / 1000n}`);
      }
      if (statementsUrl) {
        const { rows } = await withClient(statementsUrl, (c) =>
          c.query(
            `select calls, round(total_exec_time::numeric, 1) as ms, rows,
                    left(regexp_replace(query, '\\s+', ' ', 'g'), 110) as query
               from pg_stat_statements order by total_exec_time desc limit 25`,
          ),
        );
        lines.push('statements (calls, total execution time, rows):');
        for (const r of rows) {
          lines.push(
            `${String(r.calls).padStart(7)} ${String(r.ms).padStart(9)} ms ${String(r.rows).padStart(7)}  ${r.query}`,
          );
        }
      }
      return lines;
    },
  };
}

async function withClient(url, work) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
