import autocannon from 'autocannon';
import { graphql, graphqlRequest } from './graphql.mjs';

/**
 * Measures one operation against several servers: a warm-up per server, then `rounds` timed runs
 * per server in alternation (A, B, A, B, ...) so that drift in the machine's load (2 shared cores)
 * hits every server alike. Every response of every run must equal the one checked beforehand.
 */
export async function measureOperation({ servers, query, token, settings, onRun }) {
  const expected = new Map();
  for (const server of servers) {
    // The exact body a correct answer has; autocannon counts any other body as a mismatch.
    expected.set(server, (await graphql(server.url, query, { token })).text);
    await hammer(server, query, token, expected.get(server), { ...settings, duration: settings.warmup });
  }
  const runs = new Map(servers.map((s) => [s, []]));
  for (let round = 0; round < settings.rounds; round += 1) {
    for (const server of servers) {
      const run = await hammer(server, query, token, expected.get(server), settings);
      runs.get(server).push(run);
      onRun?.(server, round, run);
    }
  }
  return servers.map((server) => ({ server: server.name, ...summarise(runs.get(server)) }));
}

async function hammer(server, query, token, expectBody, { connections, duration }) {
  const result = await autocannon({
    url: `${server.url}/graphql`,
    method: 'POST',
    ...graphqlRequest(query, token),
    connections,
    duration,
    timeout: 10,
    expectBody,
  });
  const failed = result.errors + result.timeouts + result.non2xx + result.mismatches;
  if (failed > 0) {
    throw new Error(
      `${server.name}: ${failed} failed responses (errors ${result.errors}, timeouts ${result.timeouts}, ` +
        `non-2xx ${result.non2xx}, wrong body ${result.mismatches}) of ${result.requests.total}`,
    );
  }
  return {
    rps: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
    seconds: result.duration,
  };
}

function summarise(runs) {
  return {
    rps: median(runs.map((r) => r.rps)),
    p50Ms: median(runs.map((r) => r.p50Ms)),
    p99Ms: median(runs.map((r) => r.p99Ms)),
    runs,
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
