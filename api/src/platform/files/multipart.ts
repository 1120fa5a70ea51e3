import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import { PassThrough, type Readable } from 'node:stream';
import type { AppError } from '../errors/app-error';
import { fileError, fileTooLarge } from './files.errors';

export interface SingleFileUploadOptions {
  /** Larger files fail the stream with FILE_TOO_LARGE (FileStorage.write enforces the same limit). */
  maxBytes: number;
  /** Names of the text fields accepted besides `file`, e.g. `['kind']`; none when omitted. */
  fields?: readonly string[];
}

export interface SingleFileUpload {
  /** As the client sent it, without any directory part; run it through `sanitizeFilename` before use. */
  filename: string;
  /** The client's claim only; the stored type comes from sniffing the content. */
  declaredMime: string;
  /**
   * The file's bytes, streamed from the request as they arrive. It ends only once the whole request
   * has been read and found valid, and errors (with BAD_USER_INPUT) if anything after the file is
   * wrong, so a consumer that stores it all-or-nothing never keeps a file from a refused request.
   * Destroy it if you do not consume it: that stops reading the request.
   */
  stream: Readable;
  /** The text fields sent before the file. */
  fields: Record<string, string>;
}

export const MAX_FIELD_BYTES = 1024;

// What multipart framing and the few small fields can add to the file's own size.
const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/**
 * Reads a `multipart/form-data` request holding exactly one file part named `file`, preceded by
 * optional short text fields. Resolves as soon as the file part starts, without buffering it.
 * Refuses with BAD_USER_INPUT and a reason: NOT_MULTIPART, MALFORMED_MULTIPART, FILE_MISSING,
 * TOO_MANY_FILES, UNEXPECTED_FIELD, DUPLICATE_FIELD, TOO_MANY_FIELDS, FIELD_TOO_LONG,
 * FIELD_AFTER_FILE, FILE_TOO_LARGE, UPLOAD_ABORTED; refusals after the file started arrive
 * through `stream`.
 */
export function readSingleFileUpload(req: IncomingMessage, opts: SingleFileUploadOptions): Promise<SingleFileUpload> {
  return new Promise((resolve, reject) => {
    const contentType = req.headers['content-type'] ?? '';
    if (!/^multipart\/form-data\s*;/i.test(contentType)) {
      reject(fileError('NOT_MULTIPART'));
      return;
    }
    // A body this long cannot hold a file within the limit: refuse before reading any of it.
    const declaredLength = Number(req.headers['content-length']);
    if (declaredLength > opts.maxBytes + MULTIPART_OVERHEAD_BYTES) {
      reject(fileTooLarge(opts.maxBytes));
      return;
    }
    const accepted = new Set(opts.fields ?? []);
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        // Browsers send non-ASCII filenames as raw UTF-8; busboy would read them as latin1.
        defParamCharset: 'utf8',
        limits: {
          files: 1,
          // One more than accepted, so the first extra field is seen and named in the refusal.
          fields: accepted.size + 1,
          // One past each limit: busboy flags a value that merely reaches its limit as truncated.
          fieldSize: MAX_FIELD_BYTES + 1,
          fileSize: opts.maxBytes + 1,
        },
      });
    } catch {
      reject(fileError('NOT_MULTIPART', 'Send the file as multipart/form-data with a boundary'));
      return;
    }

    const fields: Record<string, string> = {};
    let fileStream: Readable | null = null;
    let out: PassThrough | null = null;
    let done = false;

    const stopReading = () => {
      done = true;
      req.unpipe(parser);
      req.pause();
      if (fileStream && out) fileStream.unpipe(out);
      parser.destroy();
    };
    const fail = (error: AppError) => {
      if (done) return;
      stopReading();
      if (out) out.destroy(error);
      else reject(error);
    };

    parser.on('field', (name, value, info) => {
      if (done) return;
      if (out) return fail(fileError('FIELD_AFTER_FILE'));
      if (name === 'file') return fail(fileError('FILE_MISSING', 'The "file" part must be a file, with a filename'));
      if (!accepted.has(name)) {
        const shown = echo(name);
        return fail(fileError('UNEXPECTED_FIELD', `The upload does not accept a "${shown}" field`, { name: shown }));
      }
      if (Object.hasOwn(fields, name)) {
        return fail(fileError('DUPLICATE_FIELD', `The "${name}" field was sent twice`, { name }));
      }
      if (info.valueTruncated) {
        return fail(fileError('FIELD_TOO_LONG', `The "${name}" field is longer than 1 KB`, { name }));
      }
      fields[name] = value;
    });

    parser.on('file', (name, stream, info) => {
      if (done || name !== 'file') {
        // Destroying the parser errors this stream too; nobody else listens to it.
        stream.on('error', () => {});
        stream.resume();
        return fail(fileError('FILE_MISSING', `Attach the file as a part named "file", not "${echo(name)}"`));
      }
      const pass = new PassThrough();
      // Errors also reach whoever consumes the stream; this only keeps an unconsumed one from crashing the process.
      pass.on('error', () => {});
      pass.on('close', () => {
        // Destroyed by its consumer before the end (e.g. the storage limit): stop reading the request.
        if (!done) stopReading();
      });
      stream.on('limit', () => fail(fileTooLarge(opts.maxBytes)));
      stream.on('error', () => fail(fileError('MALFORMED_MULTIPART')));
      stream.pipe(pass, { end: false });
      fileStream = stream;
      out = pass;
      resolve({ filename: info.filename ?? '', declaredMime: info.mimeType, stream: pass, fields: { ...fields } });
    });

    parser.on('filesLimit', () => fail(fileError('TOO_MANY_FILES')));
    parser.on('fieldsLimit', () => fail(fileError('TOO_MANY_FIELDS')));
    parser.on('error', () => fail(fileError('MALFORMED_MULTIPART')));
    // Emitted once the whole body is parsed and the file stream has ended.
    parser.on('close', () => {
      if (done) return;
      if (!out) return fail(fileError('FILE_MISSING'));
      done = true;
      out.end();
    });

    // A client that goes away mid-upload: fail the stream so that nothing partial is kept.
    req.on('error', () => fail(fileError('UPLOAD_ABORTED')));
    req.on('close', () => {
      if (!req.complete) fail(fileError('UPLOAD_ABORTED'));
    });
    req.pipe(parser);
  });
}

// Part names are not length-limited by busboy (up to its 16 KB header limit): echo only a little.
function echo(name: string): string {
  return name.length > 40 ? `${name.slice(0, 40)}…` : name;
}
