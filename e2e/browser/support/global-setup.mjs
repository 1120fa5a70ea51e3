import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Cleanup } from '../../bench/lib/cleanup.mjs';
import { provisionDatabase } from '../../bench/lib/database.mjs';
import { ensureApiBuilt, startServer } from '../../bench/lib/servers.mjs';

/**
 * One API server for the run, with the demo tenant, over a fresh database (TEST_DATABASE_URL's
 * server, else an embedded PostgreSQL). Its address reaches the tests as PARLEY_URL.
 */
export default async function globalSetup() {
  ensureApiBuilt({ skip: false });
  const cleanup = new Cleanup();
  try {
    const db = await provisionDatabase(cleanup);
    const files = mkdtempSync(join(tmpdir(), 'parley-browser-files-'));
    cleanup.defer('files', () => rmSync(files, { recursive: true, force: true }));
    const server = await startServer('browser-tests', {
      DATABASE_URL: db.url,
      SEED_DEMO: 'true',
      FILES_DIR: files,
      LOG_LEVEL: 'warn',
      PRESENCE_GRACE_SECONDS: '5',
      JOB_POLLING_SECONDS: '0.5',
    });
    cleanup.defer('server', () => server.stop());
    process.env.PARLEY_URL = server.url;
  } catch (e) {
    await cleanup.run();
    throw e;
  }
  return () => cleanup.run();
}
