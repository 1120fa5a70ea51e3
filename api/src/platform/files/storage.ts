import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join, resolve, sep } from 'node:path';
import { Transform, type Readable, type TransformCallback, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { SNIFF_BYTES } from './file-type';
import { fileTooLarge } from './files.errors';

export interface StoredObject {
  size: number;
  /** Hex SHA-256 of the whole content. */
  sha256: string;
  /** The first SNIFF_BYTES bytes (fewer for a smaller file), for `sniff`. */
  head: Buffer;
}

/** An inclusive byte range, as in an HTTP Range header. */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where attachment bytes live. Keys are opaque relative paths (`newFileKey`); the database holds
 * everything else. A local directory today; an S3-compatible store can implement the same four calls.
 */
export interface FileStorage {
  /**
   * Stores `source` under `key`, all or nothing: the object appears only once complete. Stops
   * reading and throws BAD_USER_INPUT (reason FILE_TOO_LARGE) as soon as `source` exceeds `maxBytes`.
   */
  write(key: string, source: Readable, opts: { maxBytes: number }): Promise<StoredObject>;
  /** The content, or a part of it (video seeking needs ranges); the stream errors if the key does not exist. */
  read(key: string, range?: ByteRange): Readable;
  stat(key: string): Promise<{ size: number } | null>;
  /** Idempotent: deleting a missing key is not an error. */
  delete(key: string): Promise<void>;
}

/** A fresh key: `<tenantId>/<yyyy>/<mm>/<uuid>` (UTC), so one tenant's files can be listed or removed together. */
export function newFileKey(tenantId: string, now: Date = new Date(), id: string = randomUUID()): string {
  const month = String(now.getUTCMonth() + 1).padStart(2, '0');
  const key = `${tenantId}/${now.getUTCFullYear()}/${month}/${id}`;
  assertValidKey(key);
  return key;
}

// Segments may not start with a dot: that rules out `.` and `..`, and keeps temporary files
// (which do start with one) outside the key space.
const KEY_SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

export function isValidKey(key: string): boolean {
  const segments = key.split('/');
  return segments.length <= 16 && segments.every((s) => KEY_SEGMENT.test(s));
}

function assertValidKey(key: string): void {
  // Keys come from our own code, so a bad one is a bug (or an attack through one), not user input.
  if (!isValidKey(key)) throw new Error(`Invalid file key: ${JSON.stringify(key)}`);
}

/** Files on the local disk under one root directory (FILES_DIR). */
export class LocalFileStorage implements FileStorage {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  async write(key: string, source: Readable, opts: { maxBytes: number }): Promise<StoredObject> {
    const path = this.pathOf(key);
    await mkdir(dirname(path), { recursive: true });
    // Same directory as the target, so the final rename is atomic and never crosses file systems.
    const temp = join(dirname(path), `.${randomUUID()}.upload`);
    const meter = new Meter(opts.maxBytes);
    // `flush` fsyncs before close: a file that was renamed into place survives a crash.
    const out = createWriteStream(temp, { flags: 'wx', mode: 0o600, flush: true });
    try {
      await pipeline(source, meter, out);
      await rename(temp, path);
    } catch (error) {
      await closed(out);
      await rm(temp, { force: true });
      throw error;
    }
    return meter.result();
  }

  read(key: string, range?: ByteRange): Readable {
    return createReadStream(this.pathOf(key), range ? { start: range.start, end: range.end } : {});
  }

  async stat(key: string): Promise<{ size: number } | null> {
    try {
      const info = await stat(this.pathOf(key));
      return info.isFile() ? { size: info.size } : null;
    } catch (error) {
      if (isNodeError(error) && error.code === 'ENOENT') return null;
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.pathOf(key), { force: true });
  }

  private pathOf(key: string): string {
    assertValidKey(key);
    const path = resolve(this.root, ...key.split('/'));
    // Belt and braces: the key pattern already forbids anything that could leave the root.
    if (!path.startsWith(this.root + sep)) throw new Error(`Invalid file key: ${JSON.stringify(key)}`);
    return path;
  }
}

/** Counts, hashes and keeps the head of what flows through; fails once past the limit. */
class Meter extends Transform {
  private size = 0;
  private readonly hash = createHash('sha256');
  private readonly head: Buffer[] = [];
  private headLength = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      callback(fileTooLarge(this.maxBytes));
      return;
    }
    this.hash.update(chunk);
    if (this.headLength < SNIFF_BYTES) {
      const part = Buffer.from(chunk.subarray(0, SNIFF_BYTES - this.headLength));
      this.head.push(part);
      this.headLength += part.length;
    }
    callback(null, chunk);
  }

  result(): StoredObject {
    return { size: this.size, sha256: this.hash.digest('hex'), head: Buffer.concat(this.head) };
  }
}

// The write stream may still be opening or closing its file when the pipeline fails; removing the
// temporary file before it is closed could let the open create it again afterwards.
function closed(stream: Writable): Promise<void> {
  if (stream.closed) return Promise.resolve();
  stream.destroy();
  return new Promise((done) => stream.once('close', () => done()));
}

// Structural, not `instanceof Error`: errors from Node's fs may come from another realm (Jest's sandbox).
function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return typeof error === 'object' && error !== null && 'code' in error;
}
