// Runs the browser tests when a Chromium is there (Debian's /usr/bin/chromium, or CHROMIUM_PATH).
// Without one they cannot run: under CI that is a failure; elsewhere it says so and how to get one.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  const message =
    `Browser tests need Chromium at ${chromium} (Debian/Ubuntu: apt-get install -y chromium; ` +
    'or set CHROMIUM_PATH).';
  if (process.env.CI === 'true') {
    process.stderr.write(`${message}\n`);
    process.exit(1);
  }
  process.stdout.write(`\n*** Skipping the browser tests. ${message} ***\n\n`);
  process.exit(0);
}
const cwd = fileURLToPath(new URL('..', import.meta.url));
const run = spawnSync('npx', ['playwright', 'test', '-c', 'playwright.config.mjs', ...process.argv.slice(2)], {
  cwd,
  stdio: 'inherit',
});
process.exit(run.status ?? 1);
