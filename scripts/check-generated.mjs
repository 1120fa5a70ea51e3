// Regenerates every committed generated file and fails when any differs from what is committed:
// the GraphQL SDL, the typed documents of GraphQL Code Generator, and the migrations (the entities
// and the migrations must agree).
import { execSync } from 'node:child_process';

const GENERATED = ['schema/schema.graphql', 'api/test/graphql/generated.ts', 'migrations'];

function run(command) {
  process.stdout.write(`$ ${command}\n`);
  execSync(command, { stdio: 'inherit' });
}

run('npm run schema:emit -w api');
run('npx graphql-codegen --config codegen.yml --silent');
run('npm run db:check -w api');

const changed = execSync(`git status --porcelain -- ${GENERATED.join(' ')}`, { encoding: 'utf8' }).trim();
if (changed) {
  process.stderr.write(
    `\nGenerated files are stale or uncommitted:\n${changed}\n\n` +
      'Run `npm run codegen` (schema and typed documents) or `npm run db:migration:create` (migrations) and commit the result.\n',
  );
  execSync(`git --no-pager diff --stat -- ${GENERATED.join(' ')}`, { stdio: 'inherit' });
  process.exit(1);
}
process.stdout.write('Generated files are up to date.\n');
