// Regenerates the generated files and fails when they differ from the files in the tree:
// the GraphQL SDL and the typed documents of GraphQL Code Generator. Then checks that the
// migrations and the entities agree. On a clean clone (CI) this proves the commit is consistent.
import { execSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const GENERATED = [
  'schema/schema.graphql',
  'api/test/graphql/generated.ts',
  'console/src/app/graphql/generated.ts',
  'console/projects/widget/src/app/generated.ts',
];

function run(command) {
  process.stdout.write(`$ ${command}\n`);
  execSync(command, { stdio: 'inherit' });
}

const read = (file) => (existsSync(file) ? readFileSync(file, 'utf8') : null);
const before = new Map(GENERATED.map((file) => [file, read(file)]));

run('npm run schema:emit -w api');
run('npx graphql-codegen --config codegen.yml --silent');

const stale = GENERATED.filter((file) => before.get(file) !== read(file));
if (stale.length) {
  process.stderr.write(
    `\nThese generated files were stale and have been regenerated: ${stale.join(', ')}\n` +
      'Review and commit them (`npm run codegen` regenerates them).\n',
  );
  execSync(`git --no-pager diff --stat -- ${stale.join(' ')}`, { stdio: 'inherit' });
  process.exit(1);
}

// Fails with the missing SQL when the entities need a migration that is not there.
run('npm run db:check -w api');
process.stdout.write('Generated files are up to date.\n');
