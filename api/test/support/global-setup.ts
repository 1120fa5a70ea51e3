import 'reflect-metadata';
import { entities } from '../../src/modules';
import pino from 'pino';
import { initOrm, migrateUp } from '../../src/platform/database/orm';
import { Jobs } from '../../src/platform/jobs/jobs';
import {
  createDatabase,
  scratchName,
  useDatabaseServer,
  type DatabaseServer,
} from '../../src/platform/database/scratch-db';

declare global {
  var parleyTestServer: DatabaseServer | undefined;
}

/**
 * One PostgreSQL server for the run (TEST_DATABASE_URL, or an embedded one) and one migrated
 * template database; every test file clones the template into a database of its own.
 */
export default async function globalSetup(): Promise<void> {
  const server = await useDatabaseServer(process.env.TEST_DATABASE_URL);
  const template = scratchName('parley_template');
  const url = await createDatabase(server.adminUrl, template);
  const orm = await initOrm({ url, entities, poolMax: 2 });
  await migrateUp(orm);
  await orm.close();
  // pg-boss's own schema too, so that each test database starts with it.
  const jobs = new Jobs(url, pino({ level: 'silent' }));
  await jobs.start();
  await jobs.stop();
  globalThis.parleyTestServer = server;
  process.env.PARLEY_TEST_ADMIN_URL = server.adminUrl;
  process.env.PARLEY_TEST_TEMPLATE = template;
}
