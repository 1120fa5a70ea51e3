import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { buffer, text } from 'node:stream/consumers';
import { AppError } from '../errors/app-error';
import { isValidKey, LocalFileStorage, newFileKey } from './storage';

const MiB = 1024 * 1024;
const TENANT = '6f1c1f5e-6f55-4c55-9d5e-0b1f3c7d2a10';

/** Every regular file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

/** `total` bytes in 64 KiB chunks, recording how many were actually pulled. */
function generated(total: number): { stream: Readable; pulled: () => number } {
  let sent = 0;
  const stream = new Readable({
    read() {
      if (sent >= total) return void this.push(null);
      const size = Math.min(64 * 1024, total - sent);
      sent += size;
      this.push(Buffer.alloc(size, sent % 251));
    },
  });
  return { stream, pulled: () => sent };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe(LocalFileStorage.name, () => {
  let root: string;
  let storage: LocalFileStorage;

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'parley-storage-spec-'));
    storage = new LocalFileStorage(root);
  });

  afterEach(() => {
    rmSync(root, { recursive: true, force: true });
  });

  it('stores a stream and reads it back byte for byte, with its size, hash and head', async () => {
    const content = randomBytes(200 * 1024);
    const key = newFileKey(TENANT);

    const stored = await storage.write(key, Readable.from([content.subarray(0, 1000), content.subarray(1000)]), {
      maxBytes: 10 * MiB,
    });

    expect(stored.size).toBe(content.length);
    expect(stored.sha256).toBe(createHash('sha256').update(content).digest('hex'));
    expect(stored.head.equals(content.subarray(0, 4096))).toBe(true);
    expect(readFileSync(join(root, key)).equals(content)).toBe(true);
    expect(filesUnder(root)).toEqual([key]);
    expect(await storage.stat(key)).toEqual({ size: content.length });
    const read = await buffer(storage.read(key));
    expect(read.equals(content)).toBe(true);
  });

  it('returns the whole content as the head of a small file', async () => {
    const stored = await storage.write(newFileKey(TENANT), Readable.from([Buffer.from('hi')]), { maxBytes: 10 });

    expect(stored.head.toString()).toBe('hi');
    expect(stored.size).toBe(2);
  });

  it('stores an empty stream as an empty file', async () => {
    const key = newFileKey(TENANT);
    const stored = await storage.write(key, Readable.from([]), { maxBytes: 10 });

    expect(stored).toEqual({
      size: 0,
      sha256: createHash('sha256').digest('hex'),
      head: Buffer.alloc(0),
    });
    expect(await storage.stat(key)).toEqual({ size: 0 });
  });

  it('reads a byte range (inclusive, as in HTTP Range)', async () => {
    const key = newFileKey(TENANT);
    await storage.write(key, Readable.from([Buffer.from('0123456789')]), { maxBytes: 100 });

    expect(await text(storage.read(key, { start: 2, end: 5 }))).toBe('2345');
  });

  describe('the size limit', () => {
    it('accepts a file of exactly the limit', async () => {
      const source = generated(10 * MiB);

      expect((await storage.write(newFileKey(TENANT), source.stream, { maxBytes: 10 * MiB })).size).toBe(10 * MiB);
    });

    it('refuses one byte more with FILE_TOO_LARGE, naming the limit in MB, and leaves nothing behind', async () => {
      const key = newFileKey(TENANT);
      const error = await rejection(storage.write(key, generated(10 * MiB + 1).stream, { maxBytes: 10 * MiB }));

      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).message).toBe('The file is larger than the 10 MB limit');
      expect((error as AppError).extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'FILE_TOO_LARGE',
        field: 'file',
        maxBytes: 10 * MiB,
      });
      expect(filesUnder(root)).toEqual([]);
      expect(await storage.stat(key)).toBeNull();
    });

    it('stops reading the source soon after the limit instead of draining it', async () => {
      const endless = generated(Number.MAX_SAFE_INTEGER);

      await rejection(storage.write(newFileKey(TENANT), endless.stream, { maxBytes: MiB }));

      expect(endless.pulled()).toBeLessThan(MiB + 512 * 1024);
      expect(endless.stream.destroyed).toBe(true);
    });

    it('names other limits in the same words', async () => {
      const error = await rejection(
        storage.write(newFileKey(TENANT), generated(3 * MiB).stream, { maxBytes: 2.5 * MiB }),
      );

      expect((error as AppError).message).toBe('The file is larger than the 2.5 MB limit');
    });
  });

  it('leaves nothing behind when the source fails part-way', async () => {
    const source = new PassThrough();
    const key = newFileKey(TENANT);
    const writing = storage.write(key, source, { maxBytes: 10 * MiB });
    source.write(randomBytes(256 * 1024));
    await new Promise((resolve) => setTimeout(resolve, 20));
    source.destroy(new Error('connection reset'));

    expect(await rejection(writing)).toEqual(new Error('connection reset'));
    expect(filesUnder(root)).toEqual([]);
  });

  it('shows nothing under the key until the whole content is written', async () => {
    const source = new PassThrough();
    const key = newFileKey(TENANT);
    const writing = storage.write(key, source, { maxBytes: 10 * MiB });
    source.write(Buffer.alloc(100_000, 1));
    await new Promise((resolve) => setTimeout(resolve, 20));

    expect(await storage.stat(key)).toBeNull();
    expect(filesUnder(root).every((path) => /(^|\/)\.[^/]+\.upload$/.test(path))).toBe(true);

    source.end(Buffer.alloc(1, 2));
    await writing;
    expect(await storage.stat(key)).toEqual({ size: 100_001 });
    expect(filesUnder(root)).toEqual([key]);
  });

  it('keeps the previous content when a rewrite of the same key fails', async () => {
    const key = newFileKey(TENANT);
    await storage.write(key, Readable.from([Buffer.from('first')]), { maxBytes: 10 });

    await rejection(storage.write(key, Readable.from([Buffer.from('far too long')]), { maxBytes: 10 }));

    expect(readFileSync(join(root, key), 'utf8')).toBe('first');
    expect(filesUnder(root)).toEqual([key]);
  });

  it('writes several files to the same month at once without mixing them up', async () => {
    const contents = Array.from({ length: 8 }, () => randomBytes(300 * 1024));
    const keys = contents.map(() => newFileKey(TENANT));

    await Promise.all(contents.map((c, i) => storage.write(keys[i]!, Readable.from([c]), { maxBytes: MiB })));

    contents.forEach((c, i) => expect(readFileSync(join(root, keys[i]!)).equals(c)).toBe(true));
  });

  it('deletes, and deleting again or a missing key is not an error', async () => {
    const key = newFileKey(TENANT);
    await storage.write(key, Readable.from([Buffer.from('x')]), { maxBytes: 10 });

    await storage.delete(key);
    await storage.delete(key);

    expect(await storage.stat(key)).toBeNull();
    expect(filesUnder(root)).toEqual([]);
  });

  it('reports a missing key as null from stat and as an error from the read stream', async () => {
    const key = newFileKey(TENANT);

    expect(await storage.stat(key)).toBeNull();
    await expect(text(storage.read(key))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('does not treat a directory as a file', async () => {
    await storage.write(`${TENANT}/2026/01/a`, Readable.from([Buffer.from('x')]), { maxBytes: 10 });

    expect(await storage.stat(`${TENANT}/2026`)).toBeNull();
  });

  describe('keys', () => {
    it.each([
      ['../outside'],
      ['a/../../outside'],
      ['/etc/passwd'],
      ['a//b'],
      ['a/./b'],
      ['.hidden'],
      ['a\\..\\b'],
      [''],
      ['a/'],
      ['a/b\0c'],
    ])('refuses %p on every operation', async (key) => {
      await expect(storage.write(key, Readable.from([Buffer.from('x')]), { maxBytes: 10 })).rejects.toThrow(
        'Invalid file key',
      );
      expect(() => storage.read(key)).toThrow('Invalid file key');
      await expect(storage.stat(key)).rejects.toThrow('Invalid file key');
      await expect(storage.delete(key)).rejects.toThrow('Invalid file key');
      expect(filesUnder(root)).toEqual([]);
      expect(existsSync(join(root, '..', 'outside'))).toBe(false);
    });
  });
});

describe(newFileKey.name, () => {
  it('is <tenantId>/<yyyy>/<mm>/<uuid> in UTC', () => {
    const key = newFileKey(TENANT, new Date('2026-01-31T23:30:00-05:00'));

    expect(key).toMatch(new RegExp(`^${TENANT}/2026/02/[0-9a-f-]{36}$`));
    expect(isValidKey(key)).toBe(true);
  });

  it('is different every time', () => {
    expect(newFileKey(TENANT)).not.toBe(newFileKey(TENANT));
  });

  it('refuses a tenant id that would escape the tenant folder', () => {
    expect(() => newFileKey('../other-tenant')).toThrow('Invalid file key');
  });
});
