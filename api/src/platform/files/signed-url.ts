import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FileDisposition } from './filename';

// Design: the URL carries only the file id, the expiry, the disposition and the signature. The
// tenant id is part of the signed data but never appears in the URL, so a shared or logged link
// reveals nothing about whose file it is. To check a link the route loads the file by id (across
// tenants: the link is the credential, there is no principal), then verifies the signature
// against the tenant stored on that row. A link signed for one tenant can therefore never open
// another tenant's file, even if ids were ever to collide.

export interface FileUrlClaims {
  fileId: string;
  tenantId: string;
  expiresAt: Date;
  /** `inline` (the default) shows the file in the browser; `attachment` downloads it. */
  disposition?: FileDisposition;
}

export interface VerifiedFileUrl {
  tenantId: string;
  disposition: FileDisposition;
  expiresAt: Date;
}

/** A query string as Express or URLSearchParams gives it; only single string values are accepted. */
export type FileUrlQuery = URLSearchParams | Record<string, unknown>;

/** `/files/<id>?exp=<unix seconds>[&dl=1]&sig=<base64url HMAC-SHA256>`, relative to PUBLIC_URL. */
export function signFileUrl(secret: string, claims: FileUrlClaims): string {
  const exp = Math.floor(claims.expiresAt.getTime() / 1000);
  const disposition = claims.disposition ?? 'inline';
  const sig = signature(secret, claims.fileId, claims.tenantId, exp, disposition);
  const dl = disposition === 'attachment' ? '&dl=1' : '';
  return `/files/${encodeURIComponent(claims.fileId)}?exp=${exp}${dl}&sig=${sig}`;
}

/**
 * Checks a signed file URL for the file the caller loaded by `fileId`, whose stored tenant is
 * `tenantId`. Returns null for anything expired, tampered with, malformed, or signed for another
 * file or tenant; the caller answers all of these the same way (404), so nothing leaks.
 */
export function verifyFileUrl(
  secret: string,
  fileId: string,
  query: FileUrlQuery,
  tenantId: string,
  now: Date = new Date(),
): VerifiedFileUrl | null {
  const exp = single(query, 'exp');
  const sig = single(query, 'sig');
  const dl = single(query, 'dl');
  if (!exp || !/^\d{1,12}$/.test(exp) || !sig || !/^[A-Za-z0-9_-]{43}$/.test(sig)) return null;
  if (dl !== undefined && dl !== '1') return null;
  const expSeconds = Number(exp);
  if (expSeconds * 1000 <= now.getTime()) return null;
  const disposition: FileDisposition = dl === '1' ? 'attachment' : 'inline';
  const expected = Buffer.from(signature(secret, fileId, tenantId, expSeconds, disposition), 'base64url');
  const given = Buffer.from(sig, 'base64url');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { tenantId, disposition, expiresAt: new Date(expSeconds * 1000) };
}

/**
 * An expiry at least `ttlSeconds` away, rounded up to a step of a tenth of the TTL (at most
 * 5 minutes): the same file gets the same URL for a while, so browsers can cache it across
 * queries instead of downloading every image again on each refresh.
 */
export function fileUrlExpiry(ttlSeconds: number, now: Date = new Date()): Date {
  const step = Math.max(1, Math.min(300, Math.floor(ttlSeconds / 10)));
  const earliest = Math.ceil(now.getTime() / 1000) + ttlSeconds;
  return new Date(Math.ceil(earliest / step) * step * 1000);
}

function signature(secret: string, fileId: string, tenantId: string, exp: number, disposition: FileDisposition) {
  // A JSON array cannot be confused across fields (no separator an id could contain).
  const data = JSON.stringify(['parley-file-url-v1', fileId, tenantId, exp, disposition]);
  return createHmac('sha256', purposeKey(secret)).update(data).digest('base64url');
}

// Derived per purpose, so the same secret (JWT_SECRET) can sign tokens and file URLs without a
// signature made for one ever being valid for the other.
function purposeKey(secret: string): Buffer {
  return createHmac('sha256', secret).update('parley/file-url').digest();
}

// undefined when absent, null when present but not exactly one string (repeated, nested).
function single(query: FileUrlQuery, name: string): string | undefined | null {
  if (query instanceof URLSearchParams) {
    const values = query.getAll(name);
    return values.length === 0 ? undefined : values.length === 1 ? values[0]! : null;
  }
  const value = query[name];
  return value === undefined ? undefined : typeof value === 'string' ? value : null;
}
