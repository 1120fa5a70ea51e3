import { randomBytes, randomUUID } from 'node:crypto';
import { Page } from '../../../src/platform/auth/pages';
import { systemFork } from '../../../src/platform/database/tenant-filter';
import { Tenant } from '../../../src/modules/tenant/tenant.entity';
import { createRole, createTenant, createUser, setSeats, signIn, type TenantFixture } from '../../factories';
import {
  CreateApiKeyDocument,
  DeleteUserDocument,
  MeDocument,
  SetUserEnabledDocument,
  TenantDocument,
  UpdateTenantDocument,
} from '../../graphql/generated';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

const unique = () => randomBytes(4).toString('hex');
const DAY = 24 * 3600 * 1000;

describe('tenant and licence (TEN-1, TEN-8)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let other: TenantFixture;
  let admin: string;
  const name = `Acme ${unique()}`;

  beforeAll(async () => {
    t = await startTestApp();
    [tenant, other] = await Promise.all([createTenant(t, { seats: 10, name }), createTenant(t, { seats: 3 })]);
    admin = tenant.admin.token;
  });
  afterAll(() => t.stop());

  const license = async (token = admin) => (await t.ok(TenantDocument, {}, token)).tenant.license;

  it('shows the tenant and its licence to its users', async () => {
    const { tenant: mine } = await t.ok(TenantDocument, {}, admin);
    expect(mine).toMatchObject({
      id: tenant.tenantId,
      name,
      seats: 10,
      phone: null,
      address: null,
      description: null,
      logoUrl: null,
      license: { seats: 10, expired: false },
    });
    const expires = new Date(mine.licenseExpiresAt).getTime();
    expect(expires).toBeGreaterThan(Date.now() + 29 * DAY);
    expect(expires).toBeLessThan(Date.now() + 31 * DAY);
    expect(mine.license.seatsUsed + mine.license.seatsRemaining).toBe(10);

    // Agents see it too (the expiry banner), as do API keys.
    const agent = await createUser(t, tenant);
    expect((await t.ok(TenantDocument, {}, agent.token)).tenant.id).toBe(tenant.tenantId);
    const key = await t.ok(CreateApiKeyDocument, { input: { name: 'CRM', roleId: tenant.agentRoleId } }, admin);
    expect((await t.ok(TenantDocument, {}, key.createApiKey.secret)).tenant.id).toBe(tenant.tenantId);
    expect(codeOf(await t.gql(TenantDocument, {}))).toBe('UNAUTHENTICATED');
  });

  it('counts enabled, non-deleted users as seats used', async () => {
    const start = await license();
    const enabled = await createUser(t, tenant, { signIn: false });
    expect(await license()).toMatchObject({
      seatsUsed: start.seatsUsed + 1,
      seatsRemaining: start.seatsRemaining - 1,
    });

    const disabled = await createUser(t, tenant, { enabled: false });
    expect((await license()).seatsUsed).toBe(start.seatsUsed + 1);

    await t.ok(SetUserEnabledDocument, { id: enabled.id, enabled: false }, admin);
    expect((await license()).seatsUsed).toBe(start.seatsUsed);
    await t.ok(SetUserEnabledDocument, { id: disabled.id, enabled: true }, admin);
    expect((await license()).seatsUsed).toBe(start.seatsUsed + 1);
    await t.ok(DeleteUserDocument, { id: disabled.id }, admin);
    expect(await license()).toMatchObject({ seatsUsed: start.seatsUsed, seatsRemaining: 10 - start.seatsUsed });
    // Deleting a disabled user frees nothing more.
    await t.ok(DeleteUserDocument, { id: enabled.id }, admin);
    expect((await license()).seatsUsed).toBe(start.seatsUsed);
  });

  it('never shows negative seats remaining when the seats drop below those in use', async () => {
    const own = await createTenant(t, { seats: 3 });
    await createUser(t, own, { signIn: false });
    await createUser(t, own, { signIn: false });
    await setSeats(t, own, 1);
    expect(await license(own.admin.token)).toMatchObject({ seats: 1, seatsUsed: 3, seatsRemaining: 0 });
  });

  it('reports an expired licence, and its users can still sign in', async () => {
    const own = await createTenant(t);
    await systemFork(t.orm.em).nativeUpdate(
      Tenant,
      { id: own.tenantId },
      { licenseExpiresAt: new Date(Date.now() - DAY) },
    );
    const { tenant: expired } = await t.ok(TenantDocument, {}, own.admin.token);
    expect(expired.license.expired).toBe(true);
    const again = await signIn(t, own.admin.email);
    await t.ok(MeDocument, {}, again.token);
  });

  it('an admin updates the tenant profile', async () => {
    const own = await createTenant(t);
    const res = await t.ok(
      UpdateTenantDocument,
      {
        input: {
          name: '  Globex Ltd  ',
          phone: '+49 30 1234',
          address: '1 Main St, Springfield',
          description: 'We sell everything.',
          logoUrl: 'https://cdn.example.com/logo.png',
        },
      },
      own.admin.token,
    );
    expect(res.updateTenant).toEqual({
      id: own.tenantId,
      name: 'Globex Ltd',
      phone: '+49 30 1234',
      address: '1 Main St, Springfield',
      description: 'We sell everything.',
    });
    const read = (await t.ok(TenantDocument, {}, own.admin.token)).tenant;
    expect(read).toMatchObject({ ...res.updateTenant, logoUrl: 'https://cdn.example.com/logo.png' });

    // Only what is given changes; null clears an optional field.
    await t.ok(UpdateTenantDocument, { input: { phone: null } }, own.admin.token);
    expect((await t.ok(TenantDocument, {}, own.admin.token)).tenant).toMatchObject({
      name: 'Globex Ltd',
      phone: null,
      address: '1 Main St, Springfield',
    });
  });

  it('refuses invalid input with BAD_USER_INPUT naming the field; the licence is not editable here', async () => {
    for (const [field, input] of [
      ['name', { name: '' }],
      ['logoUrl', { logoUrl: 'not a url' }],
      ['phone', { phone: '1'.repeat(41) }],
      ['description', { description: 'd'.repeat(2001) }],
    ] as const) {
      const res = await t.gql(UpdateTenantDocument, { input }, admin);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.extensions?.field).toBe(field);
    }
    // Not an object literal, so TypeScript lets the extra field through to the server.
    const seats = { name: 'More seats please', seats: 1000 };
    expect(codeOf(await t.gql(UpdateTenantDocument, { input: seats }, admin))).toBe('BAD_USER_INPUT');
    expect((await t.ok(TenantDocument, {}, admin)).tenant).toMatchObject({ name, seats: 10 });
  });

  it('an agent, or a role without the Account page, gets FORBIDDEN on updateTenant', async () => {
    const agent = await createUser(t, tenant);
    const usersAdmin = await createUser(t, tenant, { roleId: await createRole(t, tenant, [Page.ADMIN_USERS]) });
    for (const token of [agent.token, usersAdmin.token]) {
      const res = await t.gql(UpdateTenantDocument, { input: { name: 'Hijacked' } }, token);
      expect(codeOf(res)).toBe('FORBIDDEN');
    }
    expect((await t.ok(TenantDocument, {}, admin)).tenant.name).toBe(name);
    // A role with the Account page may.
    const account = await createUser(t, tenant, { roleId: await createRole(t, tenant, [Page.ADMIN_ACCOUNT]) });
    await t.ok(UpdateTenantDocument, { input: { description: 'Edited by accounts' } }, account.token);
    expect((await t.ok(TenantDocument, {}, admin)).tenant.description).toBe('Edited by accounts');
  });

  it('another tenant sees and updates only its own tenant', async () => {
    const { tenant: theirs } = await t.ok(TenantDocument, {}, other.admin.token);
    expect(theirs.id).toBe(other.tenantId);
    expect(theirs.name).not.toBe(name);
    expect(theirs.license).toMatchObject({ seats: 3, seatsUsed: 1, seatsRemaining: 2 });

    await t.ok(UpdateTenantDocument, { input: { name: 'Other Corp', address: 'Elsewhere' } }, other.admin.token);
    const mine = (await t.ok(TenantDocument, {}, admin)).tenant;
    expect(mine.name).toBe(name);
    expect(mine.address).toBeNull();
  });

  it("another tenant's admin cannot touch this tenant's seats: NOT_FOUND, exactly as for a missing id", async () => {
    const parked = await createUser(t, tenant, { enabled: false });
    const active = await createUser(t, tenant, { signIn: false });
    const before = await license();
    const token = other.admin.token;

    const missing = await t.gql(SetUserEnabledDocument, { id: randomUUID(), enabled: true }, token);
    const foreign = await t.gql(SetUserEnabledDocument, { id: parked.id, enabled: true }, token);
    expect(codeOf(foreign)).toBe('NOT_FOUND');
    expect(foreign.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
    expect(codeOf(await t.gql(SetUserEnabledDocument, { id: active.id, enabled: false }, token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(DeleteUserDocument, { id: active.id }, token))).toBe('NOT_FOUND');

    expect(await license()).toEqual(before);
    expect(await license(token)).toMatchObject({ seats: 3, seatsUsed: 1 });
  });

  // Regression: @IsOptional() lets an explicit null through, and assigning null to the NOT NULL name column fails with INTERNAL_SERVER_ERROR.
  it('refuses a null name with BAD_USER_INPUT', async () => {
    const res = await t.gql(UpdateTenantDocument, { input: { name: null } }, admin);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.field).toBe('name');
  });

  // Regression: @Length(1, 120) checks the untrimmed value and the service trims afterwards, so "   " leaves the tenant with an empty name.
  it('refuses a blank name with BAD_USER_INPUT', async () => {
    const own = await createTenant(t);
    const res = await t.gql(UpdateTenantDocument, { input: { name: '   ' } }, own.admin.token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.field).toBe('name');
  });
});
