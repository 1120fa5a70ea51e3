import { dropDatabase } from '../../src/platform/database/scratch-db';

export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env.PARLEY_TEST_ADMIN_URL;
  const template = process.env.PARLEY_TEST_TEMPLATE;
  if (adminUrl && template) await dropDatabase(adminUrl, template);
  await globalThis.parleyTestServer?.stop();
}
