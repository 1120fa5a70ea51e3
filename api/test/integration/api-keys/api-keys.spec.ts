import { randomBytes, randomUUID } from 'node:crypto';
import { Page } from '../../../src/platform/auth/pages';
import { createRole, createTeam, createTenant, createUser, type TenantFixture } from '../../factories';
import {
  ApiKeysDocument,
  CreateApiKeyDocument,
  CreateTeamDocument,
  CreateUserDocument,
  MarkNotificationsReadDocument,
  MeDocument,
  NotificationsDocument,
  RevokeApiKeyDocument,
  RolesDocument,
  TeamDocument,
  TeamsDocument,
  TenantDocument,
  UpdateMyProfileDocument,
  UserDocument,
} from '../../graphql/generated';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

const unique = () => randomBytes(4).toString('hex');

interface ApiKeyRow {
  id: string;
  tenant_id: string;
  name: string;
  token_hash: string;
  hint: string;
  [column: string]: unknown;
}

describe('API keys (TEN-7)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let other: TenantFixture;
  let admin: string;
  let teamsRole: string;
  let ourTeam: string;
  let theirTeam: string;

  beforeAll(async () => {
    t = await startTestApp();
    [tenant, other] = await Promise.all([createTenant(t), createTenant(t)]);
    admin = tenant.admin.token;
    teamsRole = await createRole(t, tenant, [Page.ADMIN_TEAMS]);
    [ourTeam, theirTeam] = await Promise.all([
      createTeam(t, tenant, `Ours ${unique()}`),
      createTeam(t, other, `Theirs ${unique()}`),
    ]);
  });
  afterAll(() => t.stop());

  const newKey = async (roleId = teamsRole, name = `CRM ${unique()}`) =>
    (await t.ok(CreateApiKeyDocument, { input: { name, roleId } }, admin)).createApiKey;

  it('is created by an admin; the secret is shown once, later listings show only its hint', async () => {
    const created = await newKey(teamsRole, '  Salesforce  ');
    expect(created.secret).toMatch(/^pk_/);
    expect(created.apiKey).toMatchObject({ name: 'Salesforce', hint: created.secret.slice(-4) });

    const listing = await t.gql(ApiKeysDocument, {}, admin);
    const node = listing.data?.apiKeys.nodes.find((k) => k.id === created.apiKey.id);
    expect(node).toMatchObject({
      name: 'Salesforce',
      hint: created.secret.slice(-4),
      revokedAt: null,
      lastUsedAt: null,
      role: { name: expect.stringMatching(/^Role /) },
    });
    const secretPart = created.secret.split('_').at(-1)!;
    expect(JSON.stringify(listing)).not.toContain(secretPart);
  });

  it('stores only a hash of the secret', async () => {
    const { apiKey, secret } = await newKey();
    const rows = await t.orm.em.getConnection().execute<ApiKeyRow[]>('select * from api_key where id = ?', [apiKey.id]);
    const row = rows[0]!;
    expect(row.token_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.token_hash).not.toBe(secret);
    // pk_<uuid>_<secret>; the secret itself may contain "_" (base64url).
    const secretPart = secret.slice('pk_'.length + 36 + 1);
    expect(secretPart.length).toBeGreaterThanOrEqual(40);
    for (const value of Object.values(row)) {
      expect(String(value)).not.toContain(secretPart);
    }
  });

  it('works as a bearer token and acts with its role: Teams yes, Users administration no', async () => {
    const { apiKey, secret } = await newKey();
    const teams = await t.ok(TeamsDocument, { first: 100 }, secret);
    expect(teams.teams.nodes.map((n) => n.id)).toContain(ourTeam);
    const made = await t.ok(CreateTeamDocument, { input: { name: `By key ${unique()}` } }, secret);
    expect(made.createTeam.memberCount).toBe(0);

    const createUser = await t.gql(
      CreateUserDocument,
      {
        input: {
          email: `k-${unique()}@test.example.com`,
          password: 'long-enough-pass',
          nickname: 'K',
          roleId: tenant.agentRoleId,
        },
      },
      secret,
    );
    expect(codeOf(createUser)).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(RolesDocument, {}, secret))).toBe('FORBIDDEN');
    // A key cannot mint more keys unless its role has the Access page.
    expect(codeOf(await t.gql(CreateApiKeyDocument, { input: { name: 'x', roleId: teamsRole } }, secret))).toBe(
      'FORBIDDEN',
    );
    // It sees its own tenant.
    expect((await t.ok(TenantDocument, {}, secret)).tenant.id).toBe(tenant.tenantId);

    const listed = (await t.ok(ApiKeysDocument, {}, admin)).apiKeys.nodes.find((k) => k.id === apiKey.id);
    expect(listed?.lastUsedAt).not.toBeNull();
  });

  it('is refused for what only a signed-in user can do: me, notifications, profile (FORBIDDEN)', async () => {
    const { secret } = await newKey(tenant.adminRoleId);
    expect(codeOf(await t.gql(MeDocument, {}, secret))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(NotificationsDocument, {}, secret))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(MarkNotificationsReadDocument, {}, secret))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(UpdateMyProfileDocument, { input: { nickname: 'Bot' } }, secret))).toBe('FORBIDDEN');
  });

  it('stops working at once when revoked (UNAUTHENTICATED, 401); revoking again changes nothing', async () => {
    const { apiKey, secret } = await newKey();
    await t.ok(TeamsDocument, {}, secret);
    const revoked = await t.ok(RevokeApiKeyDocument, { id: apiKey.id }, admin);
    expect(revoked.revokeApiKey.revokedAt).not.toBeNull();

    const res = await t.gql(TeamsDocument, {}, secret);
    expect(res.status).toBe(401);
    expect(codeOf(res)).toBe('UNAUTHENTICATED');
    expect(res.data ?? null).toBeNull();

    const again = await t.ok(RevokeApiKeyDocument, { id: apiKey.id }, admin);
    expect(again.revokeApiKey.revokedAt).toBe(revoked.revokeApiKey.revokedAt);
    const listed = (await t.ok(ApiKeysDocument, {}, admin)).apiKeys.nodes.find((k) => k.id === apiKey.id);
    expect(listed?.revokedAt).toBe(revoked.revokeApiKey.revokedAt);
  });

  it('refuses a tampered or unknown key with UNAUTHENTICATED (401)', async () => {
    const { secret } = await newKey();
    const last = secret.at(-1) === 'A' ? 'B' : 'A';
    for (const token of [`${secret.slice(0, -1)}${last}`, `pk_${randomUUID()}_${'x'.repeat(43)}`, 'pk_garbage']) {
      const res = await t.gql(TeamsDocument, {}, token);
      expect(res.status).toBe(401);
      expect(codeOf(res)).toBe('UNAUTHENTICATED');
    }
  });

  it("never sees another tenant's data", async () => {
    const { secret } = await newKey(tenant.adminRoleId);
    const teams = await t.ok(TeamsDocument, { first: 100 }, secret);
    expect(teams.teams.nodes.map((n) => n.id)).not.toContain(theirTeam);
    const missing = await t.gql(TeamDocument, { id: randomUUID() }, secret);
    const foreign = await t.gql(TeamDocument, { id: theirTeam }, secret);
    expect(codeOf(foreign)).toBe('NOT_FOUND');
    expect(foreign.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
    expect(codeOf(await t.gql(UserDocument, { id: other.admin.id }, secret))).toBe('NOT_FOUND');
    const keys = await t.ok(ApiKeysDocument, {}, secret);
    expect(keys.apiKeys.nodes.length).toBeGreaterThan(0);
    expect((await t.ok(ApiKeysDocument, {}, other.admin.token)).apiKeys.totalCount).toBe(0);
  });

  it("another tenant's admin gets NOT_FOUND for this tenant's keys and roles, exactly as for a missing id", async () => {
    const { apiKey, secret } = await newKey();
    const token = other.admin.token;
    const missing = await t.gql(RevokeApiKeyDocument, { id: randomUUID() }, token);
    const foreign = await t.gql(RevokeApiKeyDocument, { id: apiKey.id }, token);
    expect(codeOf(foreign)).toBe('NOT_FOUND');
    expect(foreign.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
    expect(codeOf(await t.gql(CreateApiKeyDocument, { input: { name: 'x', roleId: teamsRole } }, token))).toBe(
      'NOT_FOUND',
    );
    const theirs = await t.ok(ApiKeysDocument, {}, token);
    expect(theirs.apiKeys.nodes.map((k) => k.id)).not.toContain(apiKey.id);
    // The key still works.
    await t.ok(TeamsDocument, {}, secret);
  });

  it('an agent, or a role without the Access page, gets FORBIDDEN on keys', async () => {
    const { apiKey } = await newKey();
    const agent = await createUser(t, tenant);
    const teamsAdmin = await createUser(t, tenant, { roleId: teamsRole });
    for (const token of [agent.token, teamsAdmin.token]) {
      expect(codeOf(await t.gql(ApiKeysDocument, {}, token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(CreateApiKeyDocument, { input: { name: 'x', roleId: teamsRole } }, token))).toBe(
        'FORBIDDEN',
      );
      expect(codeOf(await t.gql(RevokeApiKeyDocument, { id: apiKey.id }, token))).toBe('FORBIDDEN');
    }
    // A role with the Access page may manage keys.
    const accessAdmin = await createUser(t, tenant, { roleId: await createRole(t, tenant, [Page.ADMIN_ACCESS]) });
    await t.ok(RevokeApiKeyDocument, { id: apiKey.id }, accessAdmin.token);
  });

  it('refuses invalid input with BAD_USER_INPUT naming the field', async () => {
    const empty = await t.gql(CreateApiKeyDocument, { input: { name: '', roleId: teamsRole } }, admin);
    expect(codeOf(empty)).toBe('BAD_USER_INPUT');
    expect(empty.errors?.[0]?.extensions?.field).toBe('name');
    const unknownRole = await t.gql(CreateApiKeyDocument, { input: { name: 'x', roleId: randomUUID() } }, admin);
    expect(codeOf(unknownRole)).toBe('NOT_FOUND');
  });
});
