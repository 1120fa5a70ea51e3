import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { API_DIST, freePort } from './servers.mjs';

/**
 * A fresh database `parley_bench_<random>` that every server of the run shares: on the PostgreSQL
 * of TEST_DATABASE_URL when set, otherwise on a throw-away embedded PostgreSQL (the compiled API's
 * helper). Creation and removal are registered with `cleanup`.
 */
export async function provisionDatabase(cleanup) {
  const given = process.env.TEST_DATABASE_URL;
  const server = given ? { adminUrl: given } : await startEmbedded(cleanup);

  const name = `parley_bench_${randomBytes(4).toString('hex')}`;
  await withClient(server.adminUrl, (c) => c.query(`create database "${name}"`));
  cleanup.defer(`database ${name}`, () =>
    withClient(server.adminUrl, (c) => c.query(`drop database if exists "${name}" with (force)`)),
  );
  return {
    url: withDatabase(server.adminUrl, name),
    name,
    source: given ? 'TEST_DATABASE_URL' : 'embedded PostgreSQL',
  };
}

async function startEmbedded(cleanup) {
  process.stdout.write('TEST_DATABASE_URL is not set: starting a throw-away embedded PostgreSQL ...\n');
  const parent = mkdtempSync(join(tmpdir(), 'parley-bench-pg-'));
  cleanup.defer(`temporary directory ${parent}`, () => rmSync(parent, { recursive: true, force: true }));
  // mkdtemp makes the directory private; as root, PostgreSQL runs as its own OS user and must reach it.
  chmodSync(parent, 0o755);
  // The API's own helper (CommonJS, built before this is called), so the server matches what `npm start` runs.
  const require = createRequire(import.meta.url);
  const { startEmbeddedPostgres } = require(join(API_DIST, 'platform/database/embedded-postgres.js'));
  const server = await startEmbeddedPostgres({
    dataDir: join(parent, 'data'),
    port: await freePort(),
    database: 'parley',
    persistent: false,
  });
  cleanup.defer('embedded PostgreSQL', () => server.stop());
  return { adminUrl: server.url };
}

function withDatabase(adminUrl, database) {
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function withClient(url, fn) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
