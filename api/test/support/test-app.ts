import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import type { MikroORM } from '@mikro-orm/postgresql';
import { print } from 'graphql';
import pino from 'pino';
import { type App, createApp } from '../../src/app';
import { entities } from '../../src/modules';
import { createServices, type Services } from '../../src/modules/services';
import { type Config, loadConfig } from '../../src/platform/config/config';
import { initOrm } from '../../src/platform/database/orm';
import { PreparedSql } from '../../src/platform/database/prepared-sql';
import { Jobs } from '../../src/platform/jobs/jobs';
import { createDatabase, dropDatabase, scratchName } from '../../src/platform/database/scratch-db';
import { createEventBus } from '../../src/platform/pubsub/create-event-bus';

export interface GraphQLResponse<T> {
  status: number;
  data?: T | null;
  errors?: { message: string; path?: string[]; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
}

export interface TestApp {
  url: string;
  /** The app's database; another app may share it (`startTestApp(env, { shareDatabaseOf })`). */
  databaseUrl: string;
  orm: MikroORM;
  services: Services;
  config: Config;
  app: App;
  /** Runs a typed operation over HTTP, as a client would. */
  gql<R, V extends Record<string, unknown>>(
    doc: TypedDocumentNode<R, V>,
    variables?: V,
    token?: string,
  ): Promise<GraphQLResponse<R>>;
  /** Like gql, but fails the test on any error and returns the data. */
  ok<R, V extends Record<string, unknown>>(doc: TypedDocumentNode<R, V>, variables?: V, token?: string): Promise<R>;
  /** A raw POST to /graphql, for the protocol-level cases. */
  post(body: unknown, headers?: Record<string, string>): Promise<{ status: number; json: unknown }>;
  stop(): Promise<void>;
}

export interface TestAppOptions {
  /**
   * Run over this app's database instead of a new one: two apps then act as two processes of one
   * deployment (give both the same REDIS_URL). Stop the sharing app before the one it shares with,
   * which drops the database.
   */
  shareDatabaseOf?: TestApp;
}

/**
 * A real server on a free port over a database of its own (cloned from the migrated template),
 * so that test files are isolated and can run in parallel. Events go through Redis when REDIS_URL
 * is set (in the environment or in `env`), in memory otherwise.
 */
export async function startTestApp(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
  const adminUrl = requiredEnv('PARLEY_TEST_ADMIN_URL');
  // Only the app that created the database drops it.
  let database: string | null = null;
  let dbUrl: string;
  if (options.shareDatabaseOf) {
    dbUrl = options.shareDatabaseOf.databaseUrl;
  } else {
    database = scratchName('parley_test');
    dbUrl = await cloneTemplate(adminUrl, database, requiredEnv('PARLEY_TEST_TEMPLATE'));
  }
  // Uploaded files go to a directory of this app's own, removed when it stops.
  const filesDir = mkdtempSync(join(tmpdir(), 'parley-files-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    FILES_DIR: filesDir,
    JWT_SECRET: 'test-secret-that-is-long-enough-for-hs256-signing',
    DATABASE_URL: dbUrl,
    LOG_LEVEL: 'silent',
    JOB_POLLING_SECONDS: '0.5',
    REDIS_URL: process.env.REDIS_URL ?? '',
    ...env,
  });
  const bus = await createEventBus(config).catch(async (e: unknown) => {
    if (database) await dropDatabase(adminUrl, database);
    throw e;
  });
  const orm = await initOrm({ url: dbUrl, entities, poolMax: 10, countSql: config.DEBUG_SQL_COUNT });
  const sql = new PreparedSql(dbUrl, 5);
  const log = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const jobs = new Jobs(dbUrl, log, config.JOB_POLLING_SECONDS);
  const services = createServices({ config, orm, bus, sql, jobs, log });
  const app = await createApp({ config, orm, services, log });
  await jobs.start();
  const url = await app.listen(0, '127.0.0.1');

  const post = async (body: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
    return { status: res.status, json: await res.json() };
  };

  const gql: TestApp['gql'] = async (doc, variables, token) => {
    const { status, json } = await post(
      { query: print(doc), variables },
      token ? { authorization: `Bearer ${token}` } : {},
    );
    return { status, ...(json as object) } as GraphQLResponse<never>;
  };

  return {
    url,
    databaseUrl: dbUrl,
    orm,
    services,
    config,
    app,
    gql,
    post,
    ok: async (doc, variables, token) => {
      const res = await gql(doc, variables, token);
      if (res.errors?.length || !res.data) {
        throw new Error(`GraphQL errors: ${JSON.stringify(res.errors)}`);
      }
      return res.data;
    },
    stop: async () => {
      await app.stop();
      await jobs.stop();
      services.close();
      await bus.close();
      await orm.close();
      await sql.close();
      if (database) await dropDatabase(adminUrl, database);
      rmSync(filesDir, { recursive: true, force: true });
    },
  };
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run integration tests through jest (global setup)`);
  return value;
}

// Concurrent clones of one template can collide ("being accessed by other users"); retry briefly.
async function cloneTemplate(adminUrl: string, database: string, template: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await createDatabase(adminUrl, database, template);
    } catch (e) {
      if (attempt >= 20 || !String(e).includes('being accessed by other users')) throw e;
      await new Promise((r) => setTimeout(r, 100 * attempt));
    }
  }
}

/** The error code of the first error, for assertions. */
export function codeOf(res: GraphQLResponse<unknown>): unknown {
  return res.errors?.[0]?.extensions?.code;
}
