import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, REPO_ROOT } from './config';

const SECRET = 'a-production-secret-of-at-least-32-chars';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the configuration to be refused');
}

describe(loadConfig.name, () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'parley-config-spec-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  describe('defaults', () => {
    it('runs a development server on port 4000 with the documented limits', () => {
      const config = loadConfig({ DATA_DIR: dataDir });

      expect(config).toMatchObject({
        NODE_ENV: 'development',
        HOST: '0.0.0.0',
        PORT: 4000,
        PUBLIC_URL: 'http://localhost:4000',
        LOG_LEVEL: 'info',
        DATA_DIR: dataDir,
        EMBEDDED_PG_PORT: 5488,
        ACCESS_TOKEN_TTL_SECONDS: 900,
        REFRESH_TOKEN_TTL_DAYS: 30,
        ALLOW_TENANT_REGISTRATION: true,
        SEED_DEMO: true,
        GRAPHQL_MAX_DEPTH: 10,
        GRAPHQL_MAX_COST: 10000,
        GRAPHQL_MAX_ALIASES: 30,
        TRUST_PROXY: false,
        PERMISSIONS_DISABLED: false,
      });
      expect(config.DATABASE_URL).toBeUndefined();
      expect(config.REDIS_URL).toBeUndefined();
    });

    it('reads only the env object it is given, not process.env', () => {
      const saved = process.env.PORT;
      process.env.PORT = '1234';
      try {
        expect(loadConfig({ DATA_DIR: dataDir }).PORT).toBe(4000);
      } finally {
        if (saved === undefined) delete process.env.PORT;
        else process.env.PORT = saved;
      }
    });

    it('treats empty values as unset', () => {
      const config = loadConfig({ DATA_DIR: dataDir, PORT: '', LOG_LEVEL: '', JWT_SECRET: '' });

      expect(config.PORT).toBe(4000);
      expect(config.LOG_LEVEL).toBe('info');
      expect(config.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
    });

    it('derives PUBLIC_URL from PORT, and drops a trailing slash from a given one', () => {
      expect(loadConfig({ DATA_DIR: dataDir, PORT: '8080' }).PUBLIC_URL).toBe('http://localhost:8080');
      expect(loadConfig({ DATA_DIR: dataDir, PUBLIC_URL: 'https://chat.example.com/' }).PUBLIC_URL).toBe(
        'https://chat.example.com',
      );
    });

    it.each([
      ['true', true],
      ['1', true],
      ['yes', true],
      ['false', false],
      ['0', false],
      ['no', false],
    ])('reads the boolean %p as %p', (value, expected) => {
      expect(loadConfig({ DATA_DIR: dataDir, TRUST_PROXY: value }).TRUST_PROXY).toBe(expected);
    });
  });

  describe('the signing secret outside production', () => {
    it('is generated once into DATA_DIR and reused on the next start', () => {
      const first = loadConfig({ DATA_DIR: dataDir });
      const file = join(dataDir, 'jwt-secret');

      expect(first.JWT_SECRET.length).toBeGreaterThanOrEqual(32);
      expect(readFileSync(file, 'utf8').trim()).toBe(first.JWT_SECRET);
      expect(loadConfig({ DATA_DIR: dataDir }).JWT_SECRET).toBe(first.JWT_SECRET);
    });

    it('creates a DATA_DIR that does not exist yet', () => {
      const nested = join(dataDir, 'not', 'yet');

      expect(loadConfig({ DATA_DIR: nested }).JWT_SECRET.length).toBeGreaterThanOrEqual(32);
      expect(existsSync(join(nested, 'jwt-secret'))).toBe(true);
    });

    it('is not written when JWT_SECRET is given', () => {
      expect(loadConfig({ DATA_DIR: dataDir, JWT_SECRET: SECRET }).JWT_SECRET).toBe(SECRET);
      expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(false);
    });
  });

  it('resolves a relative DATA_DIR against the repository root', () => {
    const config = loadConfig({ DATA_DIR: 'some/relative/dir', JWT_SECRET: SECRET });

    expect(config.DATA_DIR).toBe(join(REPO_ROOT, 'some/relative/dir'));
    expect(existsSync(join(REPO_ROOT, 'api', 'jest.config.cjs'))).toBe(true);
  });

  describe('invalid values', () => {
    it.each([['not-a-number'], ['70000'], ['-1'], ['80.5']])('refuses PORT=%p naming PORT', (port) => {
      const problems = problemsOf({ DATA_DIR: dataDir, PORT: port });

      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(/^PORT: /);
    });

    it('lists every problem in the error message', () => {
      let error: unknown;
      try {
        loadConfig({ DATA_DIR: dataDir, PORT: 'x', LOG_LEVEL: 'loud', JWT_SECRET: 'short' });
      } catch (e) {
        error = e;
      }

      expect(error).toBeInstanceOf(ConfigError);
      const { problems, message } = error as ConfigError;
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['JWT_SECRET', 'LOG_LEVEL', 'PORT']);
      expect(problems).toContain('JWT_SECRET: must be at least 32 characters');
      expect(message.startsWith('Invalid configuration:\n')).toBe(true);
      for (const problem of problems) expect(message).toContain(`  - ${problem}`);
    });

    it('refuses a PUBLIC_URL that is not a URL', () => {
      expect(problemsOf({ DATA_DIR: dataDir, PUBLIC_URL: 'chat.example.com' })[0]).toMatch(/^PUBLIC_URL: /);
    });

    it('refuses an unknown boolean spelling', () => {
      expect(problemsOf({ DATA_DIR: dataDir, SEED_DEMO: 'maybe' })[0]).toMatch(/^SEED_DEMO: /);
    });

    it('refuses operation limits below their minimum', () => {
      expect(problemsOf({ DATA_DIR: dataDir, GRAPHQL_MAX_DEPTH: '1' })[0]).toMatch(/^GRAPHQL_MAX_DEPTH: /);
    });
  });

  describe('production', () => {
    it('refuses to start without JWT_SECRET, and writes no secret', () => {
      expect(problemsOf({ NODE_ENV: 'production', DATA_DIR: dataDir })).toEqual(['JWT_SECRET: required in production']);
      expect(existsSync(join(dataDir, 'jwt-secret'))).toBe(false);
    });

    it('refuses PERMISSIONS_DISABLED', () => {
      expect(
        problemsOf({ NODE_ENV: 'production', DATA_DIR: dataDir, JWT_SECRET: SECRET, PERMISSIONS_DISABLED: 'true' }),
      ).toEqual(['PERMISSIONS_DISABLED: not allowed in production']);
    });

    it('reports both problems at once', () => {
      expect(problemsOf({ NODE_ENV: 'production', DATA_DIR: dataDir, PERMISSIONS_DISABLED: '1' })).toEqual([
        'JWT_SECRET: required in production',
        'PERMISSIONS_DISABLED: not allowed in production',
      ]);
    });

    it('starts with JWT_SECRET set, using that secret', () => {
      const config = loadConfig({ NODE_ENV: 'production', DATA_DIR: dataDir, JWT_SECRET: SECRET });

      expect(config.JWT_SECRET).toBe(SECRET);
      expect(config.PERMISSIONS_DISABLED).toBe(false);
    });

    it('refuses DEBUG_SQL_COUNT', () => {
      expect(
        problemsOf({ NODE_ENV: 'production', DATA_DIR: dataDir, JWT_SECRET: SECRET, DEBUG_SQL_COUNT: 'true' }),
      ).toEqual(['DEBUG_SQL_COUNT: not allowed in production']);
    });

    it('allows PERMISSIONS_DISABLED outside production', () => {
      expect(loadConfig({ DATA_DIR: dataDir, PERMISSIONS_DISABLED: 'true' }).PERMISSIONS_DISABLED).toBe(true);
    });
  });
});
