import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../../platform/config/config';
import { burnPasswordCheck, verifyPassword } from '../../platform/auth/password';
import { type DataScope, type Page, ScopedArea } from '../../platform/auth/pages';
import {
  ANONYMOUS,
  type ApiKeyPrincipal,
  type Principal,
  type UserPrincipal,
  type VisitorPrincipal,
} from '../../platform/auth/principal';
import type { PrincipalCache } from '../../platform/auth/principal-cache';
import { type ServiceScope, userOf } from '../../platform/auth/scope';
import { hashSecret, TokenService } from '../../platform/auth/tokens';
import { systemFork } from '../../platform/database/tenant-filter';
import { isUniqueViolation } from '../../platform/database/db-errors';
import { raise } from '../../platform/errors/app-error';
import { type ConnectionArgs, type Page as ResultPage, pageWindow } from '../../platform/graphql/connection';
import { BuiltInRole } from '../role/role.entity';
import { ApiKeyService } from '../api-key/api-key.service';
import type { RoleService } from '../role/role.service';
import { Tenant } from '../tenant/tenant.entity';
import { TenantErrors } from '../tenant/tenant.errors';
import type { RegisterTenantInput } from '../tenant/tenant.inputs';
import { User } from '../user/user.entity';
import { UserErrors } from '../user/user.errors';
import { normaliseEmail, type UserService } from '../user/user.service';
import { LoginEvent, LoginFailure, LoginRecord } from './auth.entity';
import { AuthErrors } from './auth.errors';
import type { ChangePasswordInput, LoginInput } from './auth.inputs';
import type { AuthPayload } from './auth.types';
import type { SessionService, StartedSession } from './session.service';

export interface ClientInfo {
  ip: string;
  userAgent: string;
}

interface PrincipalRow {
  tenant_id: string;
  role_id: string;
  built_in: BuiltInRole | null;
  pages: Page[];
  customers_scope: DataScope;
  history_scope: DataScope;
  ongoing_scope: DataScope;
  team_ids: string[];
}

const VISITOR_TOKEN_CACHE = 50_000;

export class AuthService {
  private readonly visitorTokens = new Map<string, { principal: VisitorPrincipal; expiresAt: number }>();
  private readonly lastSessionListeners: ((tenantId: string, userId: string) => Promise<void>)[] = [];

  constructor(
    private readonly config: Config,
    private readonly tokens: TokenService,
    private readonly sessions: SessionService,
    private readonly users: UserService,
    private readonly roles: RoleService,
    private readonly apiKeys: ApiKeyService,
    private readonly principals: PrincipalCache,
  ) {}

  /** Creates a tenant with its built-in roles and first admin, and signs the admin in. */
  async registerTenant(rootEm: EntityManager, input: RegisterTenantInput, client: ClientInfo): Promise<AuthPayload> {
    if (!this.config.ALLOW_TENANT_REGISTRATION) throw raise(TenantErrors, 'REGISTRATION_DISABLED');
    const em = systemFork(rootEm);
    try {
      return await em.transactional(async (tx) => {
        const { tenant, admin } = await this.createTenant(tx, {
          name: input.tenantName,
          adminEmail: input.adminEmail,
          adminPassword: input.adminPassword,
          adminNickname: input.adminNickname,
        });
        return this.signIn(tx, admin, tenant.id, admin.role.id, client);
      });
    } catch (e) {
      if (isUniqueViolation(e, 'app_user_email_unique')) throw raise(AuthErrors, 'EMAIL_TAKEN');
      throw e;
    }
  }

  /** A tenant, its built-in roles and first admin, in the caller's transaction (also used for demo data). */
  async createTenant(
    em: EntityManager,
    args: { name: string; adminEmail: string; adminPassword: string; adminNickname: string; seats?: number },
  ): Promise<{ tenant: Tenant; admin: User; roles: ReturnType<RoleService['createBuiltIns']> }> {
    const tenant = em.create(Tenant, {
      name: args.name.trim(),
      seats: args.seats ?? this.config.DEFAULT_TENANT_SEATS,
      licenseExpiresAt: new Date(Date.now() + this.config.DEFAULT_LICENSE_DAYS * 24 * 3600 * 1000),
    });
    const roles = this.roles.createBuiltIns(em, tenant.id);
    const admin = await this.users.createFirstAdmin(em, {
      tenantId: tenant.id,
      role: roles.admin,
      email: args.adminEmail,
      password: args.adminPassword,
      nickname: args.adminNickname,
    });
    await em.flush();
    return { tenant, admin, roles };
  }

  async login(rootEm: EntityManager, input: LoginInput, client: ClientInfo): Promise<AuthPayload> {
    const em = systemFork(rootEm);
    const email = normaliseEmail(input.email);
    await this.assertNotThrottled(em, email, client.ip);
    const user = await this.users.findForLogin(em, email);
    if (!user) {
      await burnPasswordCheck(input.password);
      throw await this.failed(em, email, client.ip);
    }
    if (!(await verifyPassword(user.passwordHash, input.password))) throw await this.failed(em, email, client.ip);
    // Only after the password is proven do we say the account is disabled.
    if (!user.enabled) throw raise(AuthErrors, 'USER_DISABLED');
    await em.nativeDelete(LoginFailure, { email });
    return em.transactional((tx) => this.signIn(tx, user, user.tenant, user.role.id, client));
  }

  async refresh(rootEm: EntityManager, refreshToken: string): Promise<AuthPayload> {
    // Not one transaction: a detected reuse must revoke the session even though the call fails.
    const em = systemFork(rootEm);
    const started = await this.sessions.rotate(em, refreshToken);
    const user = await em.findOne(User, { id: started.session.user, deletedAt: null });
    if (!user || !user.enabled) throw raise(AuthErrors, 'INVALID_REFRESH_TOKEN');
    return this.payload(user, started);
  }

  /** Runs after a sign-out that ended the user's last live session (presence goes offline). */
  onLastSessionEnded(listener: (tenantId: string, userId: string) => Promise<void>): void {
    this.lastSessionListeners.push(listener);
  }

  async logout(scope: ServiceScope): Promise<boolean> {
    const me = userOf(scope);
    const last = await scope.em.transactional(async (em) => {
      await this.sessions.revoke(em, me.sessionId, 'LOGOUT');
      em.create(LoginRecord, {
        tenant: me.tenantId,
        user: me.userId,
        event: LoginEvent.LOGOUT,
        ip: scope.ip,
        userAgent: scope.userAgent,
      });
      await em.flush();
      return (await this.sessions.liveCount(em, me.userId)) === 0;
    });
    await this.sessions.announceRevoked(me.tenantId, me.userId, { sessionId: me.sessionId });
    if (last) {
      for (const listener of this.lastSessionListeners) {
        // The sign-out stands whatever a listener does.
        await listener(me.tenantId, me.userId).catch((e: unknown) =>
          scope.log.error({ err: e }, 'sign-out listener failed'),
        );
      }
    }
    return true;
  }

  async changePassword(scope: ServiceScope, input: ChangePasswordInput): Promise<boolean> {
    const me = userOf(scope);
    const user = await this.users.findForLogin(scope.em, (await this.users.me(scope)).email);
    if (!user || !(await verifyPassword(user.passwordHash, input.currentPassword))) {
      throw raise(UserErrors, 'WRONG_PASSWORD');
    }
    await scope.em.transactional(async (em) => {
      await this.users.setPassword(em, user, input.newPassword);
      // Other devices sign in again; this one keeps its session.
      await this.sessions.revokeAllForUser(em, me.userId, 'PASSWORD_CHANGED', me.sessionId);
    });
    await this.sessions.announceRevoked(me.tenantId, me.userId, { exceptSessionId: me.sessionId });
    return true;
  }

  async loginRecords(
    scope: ServiceScope,
    args: ConnectionArgs & { userId?: string },
  ): Promise<ResultPage<LoginRecord>> {
    const { offset, limit } = pageWindow(args);
    const [items, totalCount] = await scope.em.findAndCount(LoginRecord, args.userId ? { user: args.userId } : {}, {
      orderBy: { createdAt: 'desc', id: 'desc' },
      offset,
      limit,
    });
    return { items, totalCount, offset, limit };
  }

  /**
   * The Principal behind a bearer token: a user's access token (checked against its live session,
   * user and role in one query) or an API key. Anything else is refused.
   */
  async resolvePrincipal(rootEm: EntityManager, token: string | undefined): Promise<Principal> {
    if (!token) return ANONYMOUS;
    if (ApiKeyService.looksLikeKey(token)) {
      const key = `key:${hashSecret(token)}`;
      const cached = this.principals.get(key);
      if (cached) return cached;
      const found = await this.apiKeys.authenticate(systemFork(rootEm), token);
      if (!found) throw raise(AuthErrors, 'INVALID_TOKEN', undefined, 'The API key is invalid or revoked');
      const { apiKey, role } = found;
      const principal: ApiKeyPrincipal = {
        kind: 'apiKey',
        tenantId: apiKey.tenant,
        apiKeyId: apiKey.id,
        roleId: role.id,
        isAdmin: role.builtIn === BuiltInRole.ADMIN,
        pages: new Set(role.pages),
        scopes: {
          [ScopedArea.CUSTOMERS]: role.customersScope,
          [ScopedArea.HISTORY]: role.historyScope,
          [ScopedArea.ONGOING]: role.ongoingScope,
        },
        teamIds: [],
      };
      this.principals.set(key, principal);
      return principal;
    }
    // A visitor token is self-contained: bound to one customer, nothing to look up.
    if (TokenService.typeOf(token) === 'visitor') {
      // Self-contained and never revoked: a verified visitor token is remembered until it expires.
      const known = this.visitorTokens.get(token);
      if (known && known.expiresAt > Date.now()) return known.principal;
      const visitor = await this.tokens.verifyVisitor(token);
      if (!visitor) throw raise(AuthErrors, 'INVALID_TOKEN', undefined, 'The visitor token is invalid or expired');
      const { expiresAt, ...claims } = visitor;
      const principal: VisitorPrincipal = { kind: 'visitor', ...claims };
      if (this.visitorTokens.size >= VISITOR_TOKEN_CACHE) this.visitorTokens.clear();
      this.visitorTokens.set(token, { principal, expiresAt });
      return principal;
    }
    // The signature and expiry are checked on every request; the session behind them is cached briefly.
    const claims = await this.tokens.verifyAccess(token);
    if (!claims) throw raise(AuthErrors, 'INVALID_TOKEN');
    const key = `session:${claims.sessionId}:${claims.userId}`;
    const cached = this.principals.get(key);
    if (cached) return cached;
    const rows = await rootEm.getConnection().execute<PrincipalRow[]>(
      `select u.tenant_id, r.id as role_id, r.built_in, r.pages, r.customers_scope, r.history_scope, r.ongoing_scope,
              coalesce((select array_agg(tm.team_id) from team_member tm
                        where tm.tenant_id = u.tenant_id and tm.user_id = u.id), '{}') as team_ids
         from auth_session s
         join app_user u on u.id = s.user_id and u.tenant_id = s.tenant_id
         join role r on r.id = s.role_id and r.tenant_id = s.tenant_id
        where s.id = ? and s.user_id = ? and s.tenant_id = ?
          and s.revoked_at is null and s.expires_at > now()
          and u.enabled and u.deleted_at is null`,
      [claims.sessionId, claims.userId, claims.tenantId],
    );
    const row = rows[0];
    if (!row) throw raise(AuthErrors, 'INVALID_TOKEN', undefined, 'The session has ended; sign in again');
    const principal: UserPrincipal = {
      kind: 'user',
      tenantId: row.tenant_id,
      userId: claims.userId,
      sessionId: claims.sessionId,
      roleId: row.role_id,
      isAdmin: row.built_in === BuiltInRole.ADMIN,
      pages: new Set(row.pages),
      scopes: {
        [ScopedArea.CUSTOMERS]: row.customers_scope,
        [ScopedArea.HISTORY]: row.history_scope,
        [ScopedArea.ONGOING]: row.ongoing_scope,
      },
      teamIds: row.team_ids,
    };
    this.principals.set(key, principal);
    return principal;
  }

  private async signIn(
    em: EntityManager,
    user: User,
    tenantId: string,
    roleId: string,
    client: ClientInfo,
  ): Promise<AuthPayload> {
    const started = this.sessions.start(em, { tenantId, userId: user.id, roleId, ...client });
    em.create(LoginRecord, { tenant: tenantId, user: user.id, event: LoginEvent.LOGIN, ...client });
    user.lastLoginAt = new Date();
    await em.flush();
    return this.payload(user, started);
  }

  private async payload(user: User, started: StartedSession): Promise<AuthPayload> {
    const access = await this.tokens.signAccess({
      userId: user.id,
      tenantId: user.tenant,
      sessionId: started.session.id,
    });
    return {
      accessToken: access.token,
      accessTokenExpiresAt: access.expiresAt,
      refreshToken: started.refreshToken,
      refreshTokenExpiresAt: started.refreshTokenExpiresAt,
      user,
    };
  }

  private async assertNotThrottled(em: EntityManager, email: string, ip: string): Promise<void> {
    const since = new Date(Date.now() - this.config.LOGIN_FAILURE_WINDOW_SECONDS * 1000);
    const byEmail = await em.count(LoginFailure, { email, createdAt: { $gte: since } });
    const byIp = await em.count(LoginFailure, { ip, createdAt: { $gte: since } });
    if (byEmail >= this.config.LOGIN_MAX_FAILURES_PER_EMAIL || byIp >= this.config.LOGIN_MAX_FAILURES_PER_IP) {
      throw raise(AuthErrors, 'RATE_LIMITED', { retryAfterSeconds: this.config.LOGIN_FAILURE_WINDOW_SECONDS });
    }
  }

  private async failed(em: EntityManager, email: string, ip: string) {
    em.create(LoginFailure, { email, ip });
    await em.flush();
    return raise(AuthErrors, 'INVALID_CREDENTIALS');
  }
}
