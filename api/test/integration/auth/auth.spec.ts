import { systemFork } from '../../../src/platform/database/tenant-filter';
import { AuthSession, LoginRecord } from '../../../src/modules/auth/auth.entity';
import { User } from '../../../src/modules/user/user.entity';
import { createTenant, createUser, PASSWORD, type TenantFixture } from '../../factories';
import {
  ChangePasswordDocument,
  LoginDocument,
  LoginRecordsDocument,
  LogoutDocument,
  MeDocument,
  RefreshSessionDocument,
  RegisterTenantDocument,
  SetUserEnabledDocument,
} from '../../graphql/generated';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

describe('sign-in', () => {
  let t: TestApp;
  let tenant: TenantFixture;

  beforeAll(async () => {
    t = await startTestApp({ LOGIN_MAX_FAILURES_PER_EMAIL: '3', LOGIN_MAX_FAILURES_PER_IP: '50' });
    tenant = await createTenant(t);
  });
  afterAll(() => t.stop());

  it('registers a tenant whose first admin is signed in and sees the tenant', async () => {
    const data = await t.ok(RegisterTenantDocument, {
      input: {
        tenantName: 'Acme',
        adminEmail: 'Owner@Acme.example.com',
        adminPassword: 'a-long-password',
        adminNickname: 'Owner',
      },
    });
    expect(data.registerTenant.user.email).toBe('owner@acme.example.com');
    expect(data.registerTenant.user.role.builtIn).toBe('ADMIN');
    const me = await t.ok(MeDocument, {}, data.registerTenant.accessToken);
    expect(me.me.email).toBe('owner@acme.example.com');
  });

  it('refuses a second registration with an email already in use', async () => {
    const res = await t.gql(RegisterTenantDocument, {
      input: {
        tenantName: 'Other',
        adminEmail: tenant.admin.email,
        adminPassword: 'a-long-password',
        adminNickname: 'X',
      },
    });
    expect(codeOf(res)).toBe('CONFLICT');
  });

  it('signs in with email and password and answers me', async () => {
    const user = await createUser(t, tenant, { nickname: 'Mia' });
    const data = await t.ok(LoginDocument, { input: { email: user.email.toUpperCase(), password: PASSWORD } });
    expect(data.login.accessToken).toBeTruthy();
    expect(data.login.user.role.builtIn).toBe('AGENT');
    const me = await t.ok(MeDocument, {}, data.login.accessToken);
    expect(me.me.nickname).toBe('Mia');
  });

  it('refuses a wrong password and an unknown email with the same answer', async () => {
    const user = await createUser(t, tenant, { signIn: false });
    const wrong = await t.gql(LoginDocument, { input: { email: user.email, password: 'not-the-password' } });
    const unknown = await t.gql(LoginDocument, {
      input: { email: 'nobody@test.example.com', password: 'whatever-pass' },
    });
    expect(codeOf(wrong)).toBe('UNAUTHENTICATED');
    expect(wrong.errors?.[0]?.message).toBe(unknown.errors?.[0]?.message);
  });

  it('throttles repeated failures for one email with RATE_LIMITED, even with the right password', async () => {
    const user = await createUser(t, tenant, { signIn: false });
    for (let i = 0; i < 3; i++) {
      await t.gql(LoginDocument, { input: { email: user.email, password: 'not-the-password' } });
    }
    const res = await t.gql(LoginDocument, { input: { email: user.email, password: PASSWORD } });
    expect(codeOf(res)).toBe('RATE_LIMITED');
    expect(res.status).toBe(200);
  });

  it('records every sign-in and sign-out with time and IP', async () => {
    const user = await createUser(t, tenant);
    await t.ok(LogoutDocument, {}, user.token);
    const records = await t.ok(LoginRecordsDocument, { userId: user.id }, tenant.admin.token);
    expect(records.loginRecords.nodes.map((r) => r.event)).toEqual(['LOGOUT', 'LOGIN']);
    for (const r of records.loginRecords.nodes) {
      expect(r.ip).toMatch(/127\.0\.0\.1/);
      expect(new Date(r.createdAt).getTime()).toBeGreaterThan(Date.now() - 60_000);
    }
  });

  it('rotates refresh tokens, and reusing a rotated one ends the whole session', async () => {
    const user = await createUser(t, tenant, { signIn: false });
    const first = (await t.ok(LoginDocument, { input: { email: user.email, password: PASSWORD } })).login;
    const second = (await t.ok(RefreshSessionDocument, { refreshToken: first.refreshToken })).refreshSession;
    expect(second.refreshToken).not.toBe(first.refreshToken);
    await t.ok(MeDocument, {}, second.accessToken);

    const reuse = await t.gql(RefreshSessionDocument, { refreshToken: first.refreshToken });
    expect(codeOf(reuse)).toBe('UNAUTHENTICATED');
    // The family is revoked: the newest refresh token and the session's access tokens stop working.
    expect(codeOf(await t.gql(RefreshSessionDocument, { refreshToken: second.refreshToken }))).toBe('UNAUTHENTICATED');
    const me = await t.gql(MeDocument, {}, second.accessToken);
    expect(codeOf(me)).toBe('UNAUTHENTICATED');
    expect(me.status).toBe(401);
  });

  it('ends the session on logout: the access token and refresh token stop working', async () => {
    const user = await createUser(t, tenant, { signIn: false });
    const session = (await t.ok(LoginDocument, { input: { email: user.email, password: PASSWORD } })).login;
    await t.ok(LogoutDocument, {}, session.accessToken);
    expect(codeOf(await t.gql(MeDocument, {}, session.accessToken))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(RefreshSessionDocument, { refreshToken: session.refreshToken }))).toBe('UNAUTHENTICATED');
  });

  it('disabling a user ends their sessions at once and blocks sign-in', async () => {
    const user = await createUser(t, tenant, { signIn: false });
    const session = (await t.ok(LoginDocument, { input: { email: user.email, password: PASSWORD } })).login;
    await t.ok(SetUserEnabledDocument, { id: user.id, enabled: false }, tenant.admin.token);

    expect(codeOf(await t.gql(MeDocument, {}, session.accessToken))).toBe('UNAUTHENTICATED');
    expect(codeOf(await t.gql(RefreshSessionDocument, { refreshToken: session.refreshToken }))).toBe('UNAUTHENTICATED');
    const login = await t.gql(LoginDocument, { input: { email: user.email, password: PASSWORD } });
    expect(codeOf(login)).toBe('UNAUTHENTICATED');
    expect(login.errors?.[0]?.message).toMatch(/disabled/);
    const sessions = await systemFork(t.orm.em).find(AuthSession, { user: user.id });
    expect(sessions.every((s) => s.revokedAt !== null)).toBe(true);
  });

  it('changes the password with the current one; other sessions end, this one stays', async () => {
    const user = await createUser(t, tenant, { signIn: false });
    const here = (await t.ok(LoginDocument, { input: { email: user.email, password: PASSWORD } })).login;
    const elsewhere = (await t.ok(LoginDocument, { input: { email: user.email, password: PASSWORD } })).login;

    const wrong = await t.gql(
      ChangePasswordDocument,
      { input: { currentPassword: 'nope-nope-nope', newPassword: 'brand-new-password' } },
      here.accessToken,
    );
    expect(codeOf(wrong)).toBe('BAD_USER_INPUT');
    expect(wrong.errors?.[0]?.extensions?.field).toBe('currentPassword');

    await t.ok(
      ChangePasswordDocument,
      { input: { currentPassword: PASSWORD, newPassword: 'brand-new-password' } },
      here.accessToken,
    );
    await t.ok(MeDocument, {}, here.accessToken);
    expect(codeOf(await t.gql(MeDocument, {}, elsewhere.accessToken))).toBe('UNAUTHENTICATED');
    await t.ok(LoginDocument, { input: { email: user.email, password: 'brand-new-password' } });
  });

  it('stores passwords as argon2id hashes', async () => {
    const user = await systemFork(t.orm.em).findOneOrFail(
      User,
      { email: tenant.admin.email },
      { populate: ['passwordHash'] as never },
    );
    expect(user.passwordHash).toMatch(/^\$argon2id\$/);
  });

  it('refuses a garbage bearer token with UNAUTHENTICATED (401), not an error page', async () => {
    const res = await t.gql(MeDocument, {}, 'not-a-token');
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
  });

  it('lets only admins read sign-in records (wrong role gets FORBIDDEN)', async () => {
    const agent = await createUser(t, tenant);
    expect(codeOf(await t.gql(LoginRecordsDocument, {}, agent.token))).toBe('FORBIDDEN');
  });

  it('never shows another tenant its sign-in records', async () => {
    const other = await createTenant(t);
    const mine = await t.ok(LoginRecordsDocument, { first: 100 }, other.admin.token);
    const users = new Set(mine.loginRecords.nodes.map((r) => r.user));
    expect(users).toEqual(new Set([other.admin.id]));
    expect(codeOf(await t.gql(LoginRecordsDocument, { userId: tenant.admin.id }, other.admin.token))).toBe('NOT_FOUND');
    expect(await systemFork(t.orm.em).count(LoginRecord, { tenant: other.tenantId })).toBe(1);
  });
});

describe('registration switched off', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ ALLOW_TENANT_REGISTRATION: 'false' });
  });
  afterAll(() => t.stop());

  it('refuses registerTenant with FORBIDDEN', async () => {
    const res = await t.gql(RegisterTenantDocument, {
      input: {
        tenantName: 'Acme',
        adminEmail: 'a@acme.example.com',
        adminPassword: 'a-long-password',
        adminNickname: 'A',
      },
    });
    expect(codeOf(res)).toBe('FORBIDDEN');
  });
});
