import 'reflect-metadata';
import { join } from 'node:path';
import { entities } from '../modules';
import { REPO_ROOT } from '../platform/config/config';
import { initOrm, migrateUp } from '../platform/database/orm';
import { createDatabase, dropDatabase, scratchName, useDatabaseServer } from '../platform/database/scratch-db';

/**
 * `create [name]`: writes a migration with whatever the entities need beyond the committed migrations.
 * `check`: fails when the entities and the migrations disagree.
 * Both work on a scratch database (TEST_DATABASE_URL's server, or an embedded one).
 */
async function main(): Promise<void> {
  const [command, name] = process.argv.slice(2);
  if (command !== 'create' && command !== 'check') throw new Error('usage: migrations-tool create [name] | check');
  const server = await useDatabaseServer(process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL);
  const database = scratchName('parley_migrations');
  const url = await createDatabase(server.adminUrl, database);
  const orm = await initOrm({ url, entities, poolMax: 2 });
  try {
    await migrateUp(orm);
    if (command === 'check') {
      if (await orm.migrator.checkSchema()) {
        const diff = await orm.schema.getUpdateSchemaSQL({ wrap: false });
        process.stderr.write(
          `The entities and the migrations disagree. Run \`npm run db:migration:create\`.\n${diff}\n`,
        );
        process.exitCode = 1;
      } else {
        process.stdout.write('Migrations match the entities.\n');
      }
    } else {
      const result = await orm.migrator.create(join(REPO_ROOT, 'migrations'), false, false, name);
      process.stdout.write(
        result.fileName ? `Created migrations/${result.fileName}\n` : 'No changes: nothing to create.\n',
      );
    }
  } finally {
    await orm.close();
    await dropDatabase(server.adminUrl, database);
    await server.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
