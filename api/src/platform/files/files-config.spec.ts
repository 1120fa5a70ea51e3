import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig, REPO_ROOT } from '../config/config';

// The attachment settings of loadConfig; kept beside the code that uses them.
describe(`${loadConfig.name} (attachment settings)`, () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'parley-files-config-spec-'));
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps files in <DATA_DIR>/files, allows 10 MiB uploads and signs URLs for an hour by default', () => {
    expect(loadConfig({ DATA_DIR: dataDir })).toMatchObject({
      FILES_DIR: join(dataDir, 'files'),
      MAX_UPLOAD_BYTES: 10485760,
      FILE_URL_TTL_SECONDS: 3600,
    });
  });

  it('follows a relative DATA_DIR', () => {
    const config = loadConfig({ DATA_DIR: 'some/data', JWT_SECRET: 'x'.repeat(32) });

    expect(config.FILES_DIR).toBe(join(REPO_ROOT, 'some/data', 'files'));
  });

  it('resolves FILES_DIR like DATA_DIR: absolute as given, relative against the repository root', () => {
    expect(loadConfig({ DATA_DIR: dataDir, FILES_DIR: '/srv/parley-files' }).FILES_DIR).toBe('/srv/parley-files');
    expect(loadConfig({ DATA_DIR: dataDir, FILES_DIR: 'uploads' }).FILES_DIR).toBe(join(REPO_ROOT, 'uploads'));
  });

  it('reads the limits from the environment', () => {
    expect(loadConfig({ DATA_DIR: dataDir, MAX_UPLOAD_BYTES: '2097152', FILE_URL_TTL_SECONDS: '60' })).toMatchObject({
      MAX_UPLOAD_BYTES: 2097152,
      FILE_URL_TTL_SECONDS: 60,
    });
  });

  it.each([
    ['MAX_UPLOAD_BYTES', '0'],
    ['MAX_UPLOAD_BYTES', '10MB'],
    ['FILE_URL_TTL_SECONDS', '-5'],
    ['FILE_URL_TTL_SECONDS', '1.5'],
  ])('refuses %s=%p', (name, value) => {
    expect(() => loadConfig({ DATA_DIR: dataDir, [name]: value })).toThrow(ConfigError);
  });
});
