import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { decodeJwt, errors as joseErrors, jwtVerify, SignJWT } from 'jose';

const ISSUER = 'parley';

export interface AccessClaims {
  userId: string;
  tenantId: string;
  sessionId: string;
}

export interface VisitorClaims {
  customerId: string;
  tenantId: string;
  widgetId: string;
}

export interface VerifiedVisitor extends VisitorClaims {
  /** When the token expires, in ms since the epoch. */
  expiresAt: number;
}

/** Signs and checks short-lived access tokens and visitor tokens (HS256). */
export class TokenService {
  private readonly key: Uint8Array;

  constructor(
    secret: string,
    readonly accessTtlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async signAccess(claims: AccessClaims): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + this.accessTtlSeconds * 1000);
    const token = await new SignJWT({ tid: claims.tenantId, sid: claims.sessionId, typ: 'access' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }

  /** What a JWT says it is (unverified: only to pick the check to run). */
  static typeOf(token: string): string | null {
    try {
      const typ = decodeJwt(token).typ;
      return typeof typ === 'string' ? typ : null;
    } catch {
      return null;
    }
  }

  /** A visitor's token: bound to one customer of one tenant, issued by the widget entry point. */
  async signVisitor(claims: VisitorClaims, ttlSeconds: number): Promise<{ token: string; expiresAt: Date }> {
    const expiresAt = new Date(Date.now() + ttlSeconds * 1000);
    const token = await new SignJWT({ tid: claims.tenantId, wid: claims.widgetId, typ: 'visitor' })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(claims.customerId)
      .setIssuer(ISSUER)
      .setIssuedAt()
      .setExpirationTime(Math.floor(expiresAt.getTime() / 1000))
      .sign(this.key);
    return { token, expiresAt };
  }

  async verifyVisitor(token: string): Promise<VerifiedVisitor | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      if (payload.typ !== 'visitor' || typeof payload.sub !== 'string') return null;
      if (typeof payload.tid !== 'string' || typeof payload.wid !== 'string') return null;
      return {
        customerId: payload.sub,
        tenantId: payload.tid,
        widgetId: payload.wid,
        expiresAt: (payload.exp ?? 0) * 1000,
      };
    } catch (e) {
      if (e instanceof joseErrors.JOSEError) return null;
      throw e;
    }
  }

  /** The claims of a valid access token, or null for anything else (expired, forged, other kind). */
  async verifyAccess(token: string): Promise<AccessClaims | null> {
    try {
      const { payload } = await jwtVerify(token, this.key, { issuer: ISSUER, algorithms: ['HS256'] });
      if (payload.typ !== 'access' || typeof payload.sub !== 'string') return null;
      if (typeof payload.tid !== 'string' || typeof payload.sid !== 'string') return null;
      return { userId: payload.sub, tenantId: payload.tid, sessionId: payload.sid };
    } catch (e) {
      if (e instanceof joseErrors.JOSEError) return null;
      throw e;
    }
  }
}

/** An opaque secret as `<prefix>_<id>_<secret>`; only a hash of the secret is stored. */
export interface OpaqueToken {
  id: string;
  secret: string;
  token: string;
}

export function newOpaqueToken(prefix: string, id: string): OpaqueToken {
  const secret = randomBytes(32).toString('base64url');
  return { id, secret, token: `${prefix}_${id}_${secret}` };
}

export function parseOpaqueToken(prefix: string, token: string): { id: string; secret: string } | null {
  const m = new RegExp(`^${prefix}_([0-9a-f-]{36})_([A-Za-z0-9_-]{20,})$`).exec(token);
  return m ? { id: m[1]!, secret: m[2]! } : null;
}

// The secrets are 256 random bits, so a fast hash is enough (no dictionary to guess from).
export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

export function secretMatches(secret: string, storedHash: string): boolean {
  const a = Buffer.from(hashSecret(secret), 'hex');
  const b = Buffer.from(storedHash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}
