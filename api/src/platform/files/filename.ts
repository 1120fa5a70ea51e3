import { IMAGE_MIMES } from './file-type';

export const MAX_FILENAME_LENGTH = 200;

const FALLBACK_NAME = 'file';

// Control characters, line/paragraph separators, and bidirectional overrides: the last let
// "invoice<RLO>fdp.exe" display as "invoiceexe.pdf".
const INVISIBLE = /[\p{Cc}\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
// Characters that Windows refuses in file names, so a download keeps the name it was given.
const RESERVED = /[<>:"|?*]/g;

/**
 * A client's filename made safe to store and to send back in Content-Disposition: no directory
 * part, no control or bidi characters, NFC, at most 200 characters (code points, as PostgreSQL
 * counts them) keeping the extension. Unicode letters and emoji are kept.
 */
export function sanitizeFilename(raw: string | undefined): string {
  const base = (raw ?? '').split(/[/\\]/).pop() ?? '';
  const cleaned = base
    .normalize('NFC')
    .replace(INVISIBLE, '')
    .replace(RESERVED, '_')
    // Windows drops trailing dots and spaces, which would turn "x.exe." into "x.exe".
    .replace(/[\s.]+$/u, '')
    .replace(/^\s+/u, '');
  if (/^\.*$/.test(cleaned)) return FALLBACK_NAME;
  return truncate(cleaned, MAX_FILENAME_LENGTH);
}

function truncate(name: string, max: number): string {
  const chars = Array.from(name);
  if (chars.length <= max) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
  // An absurdly long "extension" is just part of the name.
  if (extension.length > 16) return chars.slice(0, max).join('');
  return (
    chars
      .slice(0, max - extension.length)
      .join('')
      .trimEnd() + extension.join('')
  );
}

/** The lower-case extension without its dot ("pdf"), or "" when there is none. */
export function extensionOf(filename: string): string {
  const dot = filename.lastIndexOf('.');
  return dot > 0 ? filename.slice(dot + 1).toLowerCase() : '';
}

export type FileDisposition = 'inline' | 'attachment';

// Types a browser renders without running anything of the file's own; all else is downloaded,
// so an uploaded HTML or SVG page can never execute on our origin.
const INLINE_SAFE = new Set<string>([...IMAGE_MIMES, 'image/webp', 'application/pdf', 'text/plain']);

/** The disposition to serve with: `inline` only when asked for and safe for the stored (sniffed) type. */
export function dispositionFor(mime: string, requested: FileDisposition): FileDisposition {
  if (requested === 'attachment') return 'attachment';
  return INLINE_SAFE.has(mime) || mime.startsWith('audio/') || mime.startsWith('video/') ? 'inline' : 'attachment';
}

/**
 * A Content-Disposition header value (RFC 6266): an ASCII `filename` for old clients and the
 * exact name as UTF-8 in `filename*` (RFC 8187). The name is sanitised again on the way.
 */
export function contentDisposition(disposition: FileDisposition, filename: string): string {
  const name = sanitizeFilename(filename);
  const ascii = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7e]/g, '_')
    .replace(/["\\]/g, '_');
  return `${disposition}; filename="${ascii}"; filename*=UTF-8''${encodeRfc8187(name)}`;
}

// encodeURIComponent leaves ' ( ) * unescaped, which RFC 8187's attr-char does not allow.
function encodeRfc8187(value: string): string {
  return encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
