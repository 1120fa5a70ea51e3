import type { EntityManager } from '@mikro-orm/postgresql';
import { v7 as uuidv7 } from 'uuid';
import { hashSecret, newOpaqueToken, parseOpaqueToken, secretMatches } from '../../platform/auth/tokens';
import type { PrincipalCache } from '../../platform/auth/principal-cache';
import { raise } from '../../platform/errors/app-error';
import { type AccessRevoked, type EventBus, topics } from '../../platform/pubsub/event-bus';
import { AuthSession, RefreshToken } from './auth.entity';
import { AuthErrors } from './auth.errors';

const REFRESH_PREFIX = 'prt';

export interface StartedSession {
  session: AuthSession;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
}

/** Sessions and their rotating refresh tokens. */
export class SessionService {
  constructor(
    private readonly refreshTtlDays: number,
    private readonly bus: EventBus,
    private readonly principals: PrincipalCache,
  ) {}

  /** After the revocation is committed: cached principals are dropped and open sockets close, on every process. */
  async announceRevoked(tenantId: string, userId: string, which: AccessRevoked = {}): Promise<void> {
    await this.principals.changed({ tenantId, userIds: [userId] });
    await this.bus.publish<AccessRevoked>(topics.userAccess(tenantId, userId), which);
  }

  start(
    em: EntityManager,
    args: { tenantId: string; userId: string; roleId: string; ip: string; userAgent: string },
  ): StartedSession {
    const expiresAt = this.expiry();
    const session = em.create(AuthSession, {
      tenant: args.tenantId,
      user: args.userId,
      role: args.roleId,
      expiresAt,
      ip: args.ip,
      userAgent: args.userAgent,
    });
    return { session, ...this.issue(em, session) };
  }

  /**
   * Exchanges a refresh token for a new one. A token that was already exchanged means it leaked
   * (or a client raced itself): the whole session is revoked. Call it outside a transaction, so
   * that the revocation stands although the call fails.
   */
  async rotate(em: EntityManager, token: string): Promise<StartedSession> {
    const parsed = parseOpaqueToken(REFRESH_PREFIX, token);
    if (!parsed) throw raise(AuthErrors, 'INVALID_REFRESH_TOKEN');
    const stored = await em.findOne(RefreshToken, { id: parsed.id });
    if (!stored || !secretMatches(parsed.secret, stored.tokenHash)) throw raise(AuthErrors, 'INVALID_REFRESH_TOKEN');
    const session = await em.findOneOrFail(AuthSession, { id: stored.session });
    if (session.revokedAt || session.expiresAt <= new Date() || stored.expiresAt <= new Date()) {
      throw raise(AuthErrors, 'INVALID_REFRESH_TOKEN');
    }
    // Claim the token atomically so that two concurrent uses cannot both succeed.
    const claimed = await em.nativeUpdate(RefreshToken, { id: stored.id, usedAt: null }, { usedAt: new Date() });
    if (claimed === 0) {
      await this.revoke(em, session.id, 'REFRESH_REUSE');
      await this.announceRevoked(session.tenant, session.user, { sessionId: session.id });
      throw raise(AuthErrors, 'REFRESH_TOKEN_REUSED');
    }
    const issued = this.issue(em, session);
    await em.flush();
    return { session, ...issued };
  }

  async revoke(em: EntityManager, sessionId: string, reason: string): Promise<void> {
    await em.nativeUpdate(
      AuthSession,
      { id: sessionId, revokedAt: null },
      { revokedAt: new Date(), revokedReason: reason },
    );
  }

  /** How many sessions of the user are still live (neither revoked nor expired). */
  liveCount(em: EntityManager, userId: string): Promise<number> {
    return em.count(AuthSession, { user: userId, revokedAt: null, expiresAt: { $gt: new Date() } });
  }

  /** Ends every session of a user (disabled, deleted, password reset), except `keep`. */
  async revokeAllForUser(em: EntityManager, userId: string, reason: string, keep?: string): Promise<number> {
    return em.nativeUpdate(
      AuthSession,
      { user: userId, revokedAt: null, ...(keep ? { id: { $ne: keep } } : {}) },
      { revokedAt: new Date(), revokedReason: reason },
    );
  }

  private issue(em: EntityManager, session: AuthSession): { refreshToken: string; refreshTokenExpiresAt: Date } {
    const { id, secret, token } = newOpaqueToken(REFRESH_PREFIX, uuidv7());
    const expiresAt = session.expiresAt;
    em.create(RefreshToken, {
      id,
      tenant: session.tenant,
      session: session.id,
      tokenHash: hashSecret(secret),
      expiresAt,
    });
    return { refreshToken: token, refreshTokenExpiresAt: expiresAt };
  }

  private expiry(): Date {
    return new Date(Date.now() + this.refreshTtlDays * 24 * 3600 * 1000);
  }
}
