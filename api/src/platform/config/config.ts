import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';

// The repository root, so that relative paths mean the same thing from every workspace.
export const REPO_ROOT = resolve(__dirname, findRootSuffix());

function findRootSuffix(): string {
  // src/platform/config (ts) or dist/api/src/platform/config (compiled)
  return __dirname.includes(`${'/dist/'}`) ? '../../../../../..' : '../../../..';
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().default('0.0.0.0'),
  PORT: z.coerce.number().int().min(0).max(65535).default(4000),
  PUBLIC_URL: z.url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('.data'),
  // Attachments; defaults to <DATA_DIR>/files.
  FILES_DIR: z.string().optional(),
  MAX_UPLOAD_BYTES: z.coerce
    .number()
    .int()
    .min(1)
    .default(10 * 1024 * 1024),
  FILE_URL_TTL_SECONDS: z.coerce.number().int().min(1).default(3600),
  DATABASE_URL: z.url().optional(),
  EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(5488),
  REDIS_URL: z.url().optional(),
  JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).default(900),
  PRINCIPAL_CACHE_SECONDS: z.coerce.number().int().min(0).max(60).default(10),
  REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).default(30),
  ALLOW_TENANT_REGISTRATION: bool.default(true),
  DEFAULT_TENANT_SEATS: z.coerce.number().int().min(1).default(10),
  DEFAULT_LICENSE_DAYS: z.coerce.number().int().min(1).default(30),
  SEED_DEMO: bool.default(true),
  LOGIN_MAX_FAILURES_PER_EMAIL: z.coerce.number().int().min(1).default(5),
  LOGIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(30),
  LOGIN_FAILURE_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(2).default(10),
  GRAPHQL_MAX_COST: z.coerce.number().int().min(10).default(10000),
  GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(1).default(30),
  TRUST_PROXY: bool.default(false),
  // Presence: a user goes offline this long after their last live connection closes (PRE-1).
  PRESENCE_GRACE_SECONDS: z.coerce.number().min(1).max(3600).default(30),
  // How often each process looks for due timers and background jobs.
  JOB_POLLING_SECONDS: z.coerce.number().min(0.5).max(60).default(1),
  // Benchmarks only: measures what the permission layer costs. Refused in production.
  PERMISSIONS_DISABLED: bool.default(false),
  // Reports the SQL statements of each GraphQL response in `extensions.sqlStatements`. Refused in production.
  DEBUG_SQL_COUNT: bool.default(false),
});

export type Env = z.infer<typeof schema>;

export interface Config extends Omit<Env, 'PUBLIC_URL' | 'JWT_SECRET' | 'DATA_DIR' | 'FILES_DIR'> {
  PUBLIC_URL: string;
  JWT_SECRET: string;
  DATA_DIR: string;
  FILES_DIR: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads `.env` (if present) into process.env without overriding what is already set. */
export function loadDotEnv(path = join(REPO_ROOT, '.env')): void {
  if (existsSync(path)) process.loadEnvFile(path);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = schema.safeParse(stripEmpty(env));
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  const problems: string[] = [];
  if (e.NODE_ENV === 'production' && !e.JWT_SECRET) problems.push('JWT_SECRET: required in production');
  if (e.NODE_ENV === 'production' && e.PERMISSIONS_DISABLED) {
    problems.push('PERMISSIONS_DISABLED: not allowed in production');
  }
  if (e.NODE_ENV === 'production' && e.DEBUG_SQL_COUNT) problems.push('DEBUG_SQL_COUNT: not allowed in production');
  if (problems.length) throw new ConfigError(problems);

  const dataDir = fromRepoRoot(e.DATA_DIR);
  return {
    ...e,
    DATA_DIR: dataDir,
    FILES_DIR: e.FILES_DIR ? fromRepoRoot(e.FILES_DIR) : join(dataDir, 'files'),
    PUBLIC_URL: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/$/, ''),
    JWT_SECRET: e.JWT_SECRET ?? localSecret(dataDir),
  };
}

function fromRepoRoot(path: string): string {
  return isAbsolute(path) ? path : join(REPO_ROOT, path);
}

function stripEmpty(env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(env)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

// Outside production a signing secret is generated once and kept with the local data,
// so sessions survive restarts without any setup.
function localSecret(dataDir: string): string {
  const file = join(dataDir, 'jwt-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}
