import { createServer } from 'node:net';
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { startEmbeddedPostgres } from './embedded-postgres';

export interface DatabaseServer {
  /** A URL of the server's maintenance database, for CREATE/DROP DATABASE. */
  adminUrl: string;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL server for tests and checks: the one at `url` when given (CI's PostgreSQL),
 * otherwise a throw-away embedded server in a temporary directory.
 */
export async function useDatabaseServer(url: string | undefined): Promise<DatabaseServer> {
  if (url) return { adminUrl: url, stop: async () => undefined };
  const parent = mkdtempSync(join(tmpdir(), 'parley-pg-'));
  // mkdtemp makes the directory private; PostgreSQL runs as its own OS user when we are root.
  chmodSync(parent, 0o755);
  const embedded = await startEmbeddedPostgres({
    dataDir: join(parent, 'data'),
    port: await freePort(),
    database: 'parley',
    persistent: false,
  });
  return { adminUrl: embedded.url, stop: () => embedded.stop() };
}

export function databaseUrl(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

export function scratchName(prefix: string): string {
  return `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
}

export async function createDatabase(adminUrl: string, name: string, template?: string): Promise<string> {
  await withClient(adminUrl, (c) => c.query(`create database "${name}"${template ? ` template "${template}"` : ''}`));
  return databaseUrl(adminUrl, name);
}

export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (c) => c.query(`drop database if exists "${name}" with (force)`));
}

async function withClient<T>(url: string, fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
