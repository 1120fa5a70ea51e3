import { existsSync, readdirSync } from 'node:fs';
import { basename, extname, join } from 'node:path';
import type { MigrationObject } from '@mikro-orm/core';
import type { Migration } from '@mikro-orm/migrations';
import { REPO_ROOT } from '../config/config';

// Compiled code keeps its migrations beside it (api/dist/migrations); sources live at the top level.
export const MIGRATIONS_DIR = __dirname.includes('/dist/')
  ? join(__dirname, '../../../../migrations')
  : join(REPO_ROOT, 'migrations');

/**
 * The committed migrations, loaded explicitly rather than by glob so that the same list works
 * under tsc output, Jest and the CLI scripts alike.
 */
export function loadMigrations(dir = MIGRATIONS_DIR): MigrationObject[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /^Migration\d+.*\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .sort()
    .map((file) => {
      const name = basename(file, extname(file));
      const mod = require(join(dir, file)) as Record<string, new () => Migration>;
      const cls = mod[name] ?? Object.values(mod)[0];
      if (!cls) throw new Error(`Migration file ${file} exports no class`);
      return { name, class: cls };
    });
}
