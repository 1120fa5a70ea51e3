import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import { AppError } from '../errors/app-error';
import { readSingleFileUpload, type SingleFileUpload } from './multipart';
import { LocalFileStorage, newFileKey } from './storage';
import { checkUpload, parseDeclaredKind } from './upload-policy';

const MiB = 1024 * 1024;
const MAX_BYTES = 10 * MiB;
const TENANT = '6f1c1f5e-6f55-4c55-9d5e-0b1f3c7d2a10';
const BOUNDARY = '----parley-spec-7MA4YWxkTrZu0gW';
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(5000)]);
const PE = (() => {
  const h = Buffer.alloc(512);
  h.write('MZ', 0, 'latin1');
  h.writeUInt32LE(0x80, 0x3c);
  h.write('PE\0\0', 0x80, 'latin1');
  return h;
})();

type Part =
  { name: string; value: string } | { name: string; filename?: string; contentType?: string; data: Buffer; file: true };

const field = (name: string, value: string): Part => ({ name, value });
const file = (data: Buffer, filename = 'photo.png', name = 'file', contentType = 'image/png'): Part => ({
  name,
  filename,
  contentType,
  data,
  file: true,
});

function partHead(part: Part): Buffer {
  const filename = 'file' in part && part.filename !== undefined ? `; filename="${part.filename}"` : '';
  const type = 'file' in part && part.contentType ? `Content-Type: ${part.contentType}\r\n` : '';
  // Raw UTF-8 in the header, as browsers send non-ASCII filenames.
  return Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\n${type}\r\n`,
    'utf8',
  );
}

/** A multipart/form-data body, built by hand. */
function multipart(parts: Part[], { close = true } = {}): Buffer {
  const chunks = parts.flatMap((p) => [partHead(p), 'file' in p ? p.data : Buffer.from(p.value), Buffer.from('\r\n')]);
  if (close) chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

/** Every regular file under `dir`, as paths relative to it. */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

interface Outcome {
  status: number;
  body: { reason?: string; message?: string; field?: string; [key: string]: unknown };
  /** How much of the request the server had read when it answered. */
  bytesRead: number;
}

interface ClientResult {
  status?: number;
  body?: Outcome['body'];
  error?: NodeJS.ErrnoException;
}

async function until(condition: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await delay(10);
  }
}

/**
 * What the client heard: the status, or 'reset'. A server that answers early and closes may reset
 * the connection while the client is still sending, and the client may then see the reset instead
 * of the answer; what the server decided is asserted separately.
 */
function heard(result: ClientResult): number | string | undefined {
  if (result.status !== undefined) return result.status;
  return result.error?.code === 'ECONNRESET' || result.error?.code === 'EPIPE' ? 'reset' : result.error?.code;
}

describe(readSingleFileUpload.name, () => {
  let root: string;
  let storage: LocalFileStorage;
  let server: Server;
  let port: number;
  let outcomes: Outcome[];
  let waiters: ((o: Outcome) => void)[];
  // What the route passes to readSingleFileUpload; storage.write always gets MAX_BYTES.
  let multipartLimit: number;

  // The route as the README describes it: multipart → storage.write with the limit → checkUpload
  // on the stored head → (record in the database) — deleting the stored file when the check fails.
  async function handleUpload(req: IncomingMessage): Promise<Omit<Outcome, 'bytesRead'>> {
    let upload: SingleFileUpload | undefined;
    const key = newFileKey(TENANT);
    let stored = false;
    try {
      upload = await readSingleFileUpload(req, { maxBytes: multipartLimit, fields: ['kind', 'caption'] });
      const declared = parseDeclaredKind(upload.fields.kind);
      const object = await storage.write(key, upload.stream, { maxBytes: MAX_BYTES });
      stored = true;
      const accepted = checkUpload({ declared, filename: upload.filename, head: object.head, size: object.size });
      return {
        status: 201,
        body: { ...accepted, key, size: object.size, sha256: object.sha256, fields: upload.fields },
      };
    } catch (error) {
      upload?.stream.destroy();
      if (stored) await storage.delete(key);
      if (!(error instanceof AppError)) throw error;
      return { status: error.status, body: { message: error.message, ...error.extensions } };
    }
  }

  function respond(req: IncomingMessage, res: ServerResponse): void {
    void handleUpload(req).then((result) => {
      const outcome = { ...result, bytesRead: req.socket.bytesRead };
      const waiter = waiters.shift();
      if (waiter) waiter(outcome);
      else outcomes.push(outcome);
      if (res.writableEnded || res.destroyed) return;
      res.writeHead(result.status, { 'content-type': 'application/json', connection: 'close' });
      res.end(JSON.stringify(result.body));
    });
  }

  /** What the server decided for the next request, whether or not the client was there to hear it. */
  function nextOutcome(): Promise<Outcome> {
    const ready = outcomes.shift();
    return ready ? Promise.resolve(ready) : new Promise((resolve) => waiters.push(resolve));
  }

  /**
   * Sends a request, writing `body` chunk by chunk with backpressure, and stops sending as soon as
   * the server answers (as browsers do).
   */
  function send(body: Iterable<Buffer> | AsyncIterable<Buffer>, headers: Record<string, string | number>) {
    return new Promise<ClientResult>((resolve) => {
      let answered = false;
      const req = request({ port, method: 'POST', path: '/uploads', headers });
      req.on('response', (res) => {
        answered = true;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          resolve({ status: res.statusCode, body: JSON.parse(Buffer.concat(chunks).toString()) });
          req.destroy();
        });
      });
      req.on('error', (error: NodeJS.ErrnoException) => {
        if (!answered) resolve({ error });
      });
      const pump = async () => {
        for await (const chunk of body) {
          if (answered || req.destroyed) return;
          if (!req.write(chunk)) {
            await new Promise((drained) => {
              req.once('drain', drained);
              req.once('close', drained);
            });
          }
        }
        if (!answered && !req.destroyed) req.end();
      };
      void pump();
    });
  }

  const post = (body: Buffer, contentType = MULTIPART) =>
    send([body], { 'content-type': contentType, 'content-length': body.length });

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'parley-multipart-spec-'));
    storage = new LocalFileStorage(root);
    outcomes = [];
    waiters = [];
    multipartLimit = MAX_BYTES;
    server = createServer(respond);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
  });

  it('streams one image with its fields to storage', async () => {
    const res = await post(multipart([field('kind', 'image'), field('caption', 'the broken box'), file(PNG)]));

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      mime: 'image/png',
      kind: 'image',
      filename: 'photo.png',
      size: PNG.length,
      sha256: createHash('sha256').update(PNG).digest('hex'),
      fields: { kind: 'image', caption: 'the broken box' },
    });
    const key = res.body!.key as string;
    expect(filesUnder(root)).toEqual([key]);
    expect(readFileSync(join(root, key)).equals(PNG)).toBe(true);
  });

  it('keeps a non-ASCII filename sent as raw UTF-8, and drops its directory part', async () => {
    const res = await post(multipart([file(PNG, 'C:\\Users\\李雷\\截图 2026 ✓.png')]));

    expect(res.status).toBe(201);
    expect(res.body!.filename).toBe('截图 2026 ✓.png');
  });

  it('reports the declared MIME type but stores the sniffed one', async () => {
    const upload = await new Promise<SingleFileUpload>((resolve, reject) => {
      server.removeAllListeners('request');
      server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        readSingleFileUpload(req, { maxBytes: MAX_BYTES }).then((u) => {
          u.stream.resume();
          u.stream.on('end', () => res.end());
          resolve(u);
        }, reject);
      });
      void post(multipart([file(Buffer.from('hello'), 'a.txt', 'file', 'application/x-msdownload')]));
    });

    expect(upload).toMatchObject({ filename: 'a.txt', declaredMime: 'application/x-msdownload', fields: {} });
  });

  it('accepts a file without any field, as a generic file', async () => {
    const res = await post(multipart([file(randomBytes(1000).fill(0, 0, 1), 'dump.bin', 'file', '')]));

    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ mime: 'application/octet-stream', kind: 'unknown', fields: {} });
  });

  it('accepts a field of exactly 1 KB', async () => {
    const res = await post(multipart([field('caption', 'é'.repeat(512)), file(PNG)]));

    expect(res.status).toBe(201);
  });

  describe('refuses', () => {
    it.each([
      ['a JSON request', 'application/json', 'NOT_MULTIPART'],
      ['a URL-encoded form', 'application/x-www-form-urlencoded', 'NOT_MULTIPART'],
      ['multipart without a boundary', 'multipart/form-data; charset=utf-8', 'NOT_MULTIPART'],
      ['another multipart type', `multipart/mixed; boundary=${BOUNDARY}`, 'NOT_MULTIPART'],
    ])('%s', async (_case, contentType, reason) => {
      const res = await post(multipart([file(PNG)]), contentType);

      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'BAD_USER_INPUT', reason });
      expect(filesUnder(root)).toEqual([]);
    });

    it.each<[string, Part[], string, string]>([
      ['a request without a file', [field('kind', 'image')], 'FILE_MISSING', 'Attach the file as a part named "file"'],
      [
        'a file under another name',
        [file(PNG, 'photo.png', 'upload')],
        'FILE_MISSING',
        'Attach the file as a part named "file", not "upload"',
      ],
      [
        'a "file" part that is not a file',
        [field('file', 'not a file')],
        'FILE_MISSING',
        'The "file" part must be a file, with a filename',
      ],
      [
        'an unknown field',
        [field('kind', 'file'), field('tenantId', 'x'), file(PNG)],
        'UNEXPECTED_FIELD',
        'The upload does not accept a "tenantId" field',
      ],
      [
        'a field sent twice',
        [field('kind', 'file'), field('kind', 'image'), file(PNG)],
        'DUPLICATE_FIELD',
        'The "kind" field was sent twice',
      ],
      [
        'a field over 1 KB',
        [field('caption', 'x'.repeat(1025)), file(PNG)],
        'FIELD_TOO_LONG',
        'The "caption" field is longer than 1 KB',
      ],
      [
        'an unknown field with a very long name, echoing only its start',
        [field('x'.repeat(5000), '1'), file(PNG)],
        'UNEXPECTED_FIELD',
        `The upload does not accept a "${'x'.repeat(40)}…" field`,
      ],
      ['an unknown kind', [field('kind', 'video'), file(PNG)], 'INVALID_KIND', 'kind must be "image" or "file"'],
    ])('%s', async (_case, parts, reason, message) => {
      const res = await post(multipart(parts));

      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ code: 'BAD_USER_INPUT', reason, message });
      expect(filesUnder(root)).toEqual([]);
    });

    // The trailing part arrives after a pause, once the file itself has long been stored: it must
    // still undo the upload.
    it.each<[string, Part, string]>([
      ['several files, keeping none of them', file(PNG, 'second.png'), 'TOO_MANY_FILES'],
      ['a field after the file, keeping nothing', field('kind', 'image'), 'FIELD_AFTER_FILE'],
    ])('%s', async (_case, trailing, reason) => {
      const body = multipart([file(PNG), trailing]);
      // Up to and including the delimiter after the file: the parser then knows the file has ended.
      const split = body.indexOf(`--${BOUNDARY}`, PNG.length) + `--${BOUNDARY}`.length;
      async function* slowBody() {
        yield body.subarray(0, split);
        await delay(100);
        yield body.subarray(split);
      }
      const res = await send(slowBody(), { 'content-type': MULTIPART });

      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ reason });
      expect(filesUnder(root)).toEqual([]);
    });

    it('a body that ends before its closing boundary, keeping nothing', async () => {
      const res = await post(multipart([file(PNG)], { close: false }));

      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ reason: 'MALFORMED_MULTIPART' });
      expect(filesUnder(root)).toEqual([]);
    });

    it('an executable declared as an image, deleting what was stored', async () => {
      const res = await post(multipart([field('kind', 'image'), file(PE, 'photo.png')]));

      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        reason: 'NOT_AN_IMAGE',
        message: 'photo.png is not a JPG, PNG or GIF image (its content is a Windows executable)',
      });
      expect(filesUnder(root)).toEqual([]);
    });
  });

  describe('an 11 MB upload against the 10 MB limit', () => {
    const ELEVEN_MB = 11 * MiB;

    // The body as it goes over the wire: part header, 64 KiB of file at a time, closing boundary.
    function* elevenMegabyteBody(): Generator<Buffer> {
      yield partHead(file(Buffer.alloc(0)));
      yield PNG.subarray(0, 8);
      const chunk = randomBytes(64 * 1024);
      for (let sent = 8; sent < ELEVEN_MB; sent += chunk.length) yield chunk.subarray(0, ELEVEN_MB - sent);
      yield Buffer.from(`\r\n--${BOUNDARY}--\r\n`);
    }

    it.each([
      ['the storage limit alone', 100 * MiB],
      ['both limits, as a route sets them', MAX_BYTES],
    ])('is refused by %s while streaming, without reading the rest of the body', async (_case, limit) => {
      multipartLimit = limit;
      // No Content-Length (chunked), so nothing can be decided up front.
      const client = send(elevenMegabyteBody(), { 'content-type': MULTIPART });
      const outcome = await nextOutcome();

      expect(outcome.status).toBe(400);
      expect(outcome.body).toMatchObject({
        code: 'BAD_USER_INPUT',
        reason: 'FILE_TOO_LARGE',
        message: 'The file is larger than the 10 MB limit',
      });
      // The server read a little past the limit, then stopped: it never took in the whole body,
      // so it cannot have held it in memory. (The client's own count is no guide: on loopback the
      // kernel's socket buffers swallow the rest.)
      expect(outcome.bytesRead).toBeGreaterThan(MAX_BYTES);
      expect(outcome.bytesRead).toBeLessThan(MAX_BYTES + MiB);
      expect([400, 'reset']).toContain(heard(await client));
      expect(filesUnder(root)).toEqual([]);
    });

    it('is refused before reading anything when its Content-Length says so', async () => {
      const length = [...elevenMegabyteBody()].reduce((sum, c) => sum + c.length, 0);
      const client = send(elevenMegabyteBody(), { 'content-type': MULTIPART, 'content-length': length });
      const outcome = await nextOutcome();

      expect(outcome.body).toMatchObject({
        reason: 'FILE_TOO_LARGE',
        message: 'The file is larger than the 10 MB limit',
      });
      expect(outcome.bytesRead).toBeLessThan(256 * 1024);
      expect([400, 'reset']).toContain(heard(await client));
      expect(filesUnder(root)).toEqual([]);
    });
  });

  it('keeps nothing when the client aborts mid-upload', async () => {
    const req = request({ port, method: 'POST', path: '/uploads', headers: { 'content-type': MULTIPART } });
    req.on('error', () => {});
    req.write(Buffer.concat([multipart([field('kind', 'file')], { close: false }), partHead(file(PNG))]));
    req.write(randomBytes(3 * MiB));
    // Abort only once part of the file really is on disk.
    await until(() => filesUnder(root).some((path) => path.endsWith('.upload')));
    req.destroy();

    const outcome = await nextOutcome();

    expect(outcome.body).toMatchObject({ reason: 'UPLOAD_ABORTED' });
    expect(filesUnder(root)).toEqual([]);
  });

  it('stops reading the request when the stream is destroyed instead of consumed', async () => {
    server.removeAllListeners('request');
    const bytesRead = new Promise<number>((resolve) => {
      server.on('request', (req: IncomingMessage, res: ServerResponse) => {
        void readSingleFileUpload(req, { maxBytes: MAX_BYTES }).then(async (upload) => {
          upload.stream.destroy();
          await delay(200);
          resolve(req.socket.bytesRead);
          res.writeHead(400, { connection: 'close' }).end('{}');
        });
      });
    });
    async function* body() {
      yield partHead(file(PNG));
      for (let i = 0; i < 160; i++) yield randomBytes(64 * 1024); // 10 MiB
    }
    const client = send(body(), { 'content-type': MULTIPART });

    expect(await bytesRead).toBeLessThan(2 * MiB);
    await client;
  });
});
