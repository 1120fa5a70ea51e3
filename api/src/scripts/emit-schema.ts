import 'reflect-metadata';
import { join } from 'node:path';
import { resolvers } from '../modules';
import { REPO_ROOT } from '../platform/config/config';
import { buildAppSchema, writeSchemaFile } from '../platform/graphql/schema';

// Writes schema/schema.graphql from the resolvers (sorted, so the diff shows only real changes).
buildAppSchema(resolvers)
  .then((schema) => {
    writeSchemaFile(schema, join(REPO_ROOT, 'schema', 'schema.graphql'));
    process.stdout.write('Wrote schema/schema.graphql\n');
  })
  .catch((e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
