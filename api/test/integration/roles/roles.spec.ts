import { randomBytes, randomUUID } from 'node:crypto';
import { print } from 'graphql';
import { AGENT_PAGES, ALL_PAGES } from '../../../src/platform/auth/pages';
import { createTenant, createUser, type TenantFixture } from '../../factories';
import {
  CreateApiKeyDocument,
  CreateRoleDocument,
  CreateTeamDocument,
  CreateUserDocument,
  DeleteRoleDocument,
  DeleteUserDocument,
  MeDocument,
  type Page,
  RevokeApiKeyDocument,
  RoleDocument,
  RolesDocument,
  TeamsDocument,
  TenantDocument,
  UpdateRoleDocument,
  UpdateUserDocument,
  UsersDocument,
} from '../../graphql/generated';
import { codeOf, type GraphQLResponse, startTestApp, type TestApp } from '../../support/test-app';

const unique = () => randomBytes(4).toString('hex');

describe('roles (TEN-5)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let other: TenantFixture;
  let admin: string;

  beforeAll(async () => {
    t = await startTestApp();
    [tenant, other] = await Promise.all([createTenant(t), createTenant(t)]);
    admin = tenant.admin.token;
  });
  afterAll(() => t.stop());

  const newRole = async (pages: Page[] = [], name = `Role ${unique()}`) =>
    (await t.ok(CreateRoleDocument, { input: { name, pages } }, admin)).createRole;

  it('lists the built-in admin and agent roles first, with their pages and scopes', async () => {
    await newRole([], `Aardvarks ${unique()}`);
    const { roles } = await t.ok(RolesDocument, {}, admin);
    const [first, second, third] = roles.nodes;
    expect(first).toMatchObject({
      id: tenant.adminRoleId,
      name: 'Admin',
      builtIn: 'ADMIN',
      customersScope: 'TENANT',
      historyScope: 'TENANT',
      ongoingScope: 'TENANT',
    });
    expect([...(first?.pages ?? [])].sort()).toEqual([...ALL_PAGES].sort());
    expect(second).toMatchObject({
      id: tenant.agentRoleId,
      name: 'Agent',
      builtIn: 'AGENT',
      customersScope: 'TEAM',
      historyScope: 'TEAM',
      ongoingScope: 'TEAM',
    });
    expect([...(second?.pages ?? [])].sort()).toEqual([...AGENT_PAGES].sort());
    expect(third?.builtIn).toBeNull();
    expect(roles.totalCount).toBe(roles.nodes.length);
  });

  it('refuses to update or delete a built-in role (CONFLICT) and leaves it unchanged', async () => {
    for (const id of [tenant.adminRoleId, tenant.agentRoleId]) {
      const update = await t.gql(UpdateRoleDocument, { id, input: { name: 'Renamed', pages: [] } }, admin);
      expect(codeOf(update)).toBe('CONFLICT');
      expect(codeOf(await t.gql(DeleteRoleDocument, { id }, admin))).toBe('CONFLICT');
    }
    const agent = (await t.ok(RoleDocument, { id: tenant.agentRoleId }, admin)).role;
    expect(agent.name).toBe('Agent');
    expect(agent.pages).toHaveLength(AGENT_PAGES.length);
    // And the admin still has every page.
    await t.ok(RolesDocument, {}, admin);
  });

  it('creates, reads, updates and deletes a custom role; data scopes round-trip', async () => {
    const name = `Supervisor ${unique()}`;
    const created = await t.ok(
      CreateRoleDocument,
      {
        input: {
          name: `  ${name} `,
          pages: ['ADMIN_MONITOR', 'AGENT_CONVERSATIONS'],
          customersScope: 'TENANT',
          historyScope: 'TEAM',
          ongoingScope: 'TENANT',
        },
      },
      admin,
    );
    const id = created.createRole.id;
    expect(created.createRole).toMatchObject({
      name,
      builtIn: null,
      customersScope: 'TENANT',
      historyScope: 'TEAM',
      ongoingScope: 'TENANT',
    });
    expect([...created.createRole.pages].sort()).toEqual(['ADMIN_MONITOR', 'AGENT_CONVERSATIONS']);
    expect((await t.ok(RoleDocument, { id }, admin)).role).toEqual(created.createRole);

    const updated = await t.ok(
      UpdateRoleDocument,
      { id, input: { name: `${name} II`, pages: ['ADMIN_HISTORY'], historyScope: 'TENANT', customersScope: 'TEAM' } },
      admin,
    );
    expect(updated.updateRole).toMatchObject({
      id,
      name: `${name} II`,
      pages: ['ADMIN_HISTORY'],
      customersScope: 'TEAM',
      historyScope: 'TENANT',
      ongoingScope: 'TENANT',
    });
    expect((await t.ok(RoleDocument, { id }, admin)).role).toEqual(updated.updateRole);
    expect((await t.ok(RolesDocument, {}, admin)).roles.nodes.map((r) => r.id)).toContain(id);

    expect((await t.ok(DeleteRoleDocument, { id }, admin)).deleteRole).toBe(id);
    expect(codeOf(await t.gql(RoleDocument, { id }, admin))).toBe('NOT_FOUND');
    expect((await t.ok(RolesDocument, {}, admin)).roles.nodes.map((r) => r.id)).not.toContain(id);
  });

  it('defaults every data scope to TEAM', async () => {
    const role = await newRole(['AGENT_HISTORY']);
    expect(role).toMatchObject({ customersScope: 'TEAM', historyScope: 'TEAM', ongoingScope: 'TEAM' });
  });

  it('keeps role names unique per tenant (CONFLICT), built-in names included', async () => {
    const name = `Leads ${unique()}`;
    await newRole([], name);
    for (const taken of [name, 'Admin', 'Agent']) {
      const res = await t.gql(CreateRoleDocument, { input: { name: taken, pages: [] } }, admin);
      expect(codeOf(res)).toBe('CONFLICT');
      expect(res.errors?.[0]?.extensions?.field).toBe('name');
    }
    const second = await newRole();
    expect(codeOf(await t.gql(UpdateRoleDocument, { id: second.id, input: { name } }, admin))).toBe('CONFLICT');
    // Another tenant may use the name.
    await t.ok(CreateRoleDocument, { input: { name, pages: [] } }, other.admin.token);
  });

  it('refuses invalid input with BAD_USER_INPUT naming the field', async () => {
    const empty = await t.gql(CreateRoleDocument, { input: { name: '', pages: [] } }, admin);
    expect(codeOf(empty)).toBe('BAD_USER_INPUT');
    expect(empty.errors?.[0]?.extensions?.field).toBe('name');
    const twice = await t.gql(
      CreateRoleDocument,
      { input: { name: `R ${unique()}`, pages: ['ADMIN_TEAMS', 'ADMIN_TEAMS'] } },
      admin,
    );
    expect(codeOf(twice)).toBe('BAD_USER_INPUT');
    expect(twice.errors?.[0]?.extensions?.field).toBe('pages');
    // An unknown page, sent raw (the typed operation would not allow it).
    const unknownPage = await t.post(
      {
        query: print(CreateRoleDocument),
        variables: { input: { name: `R ${unique()}`, pages: ['ADMIN_EVERYTHING'] } },
      },
      { authorization: `Bearer ${admin}` },
    );
    expect(codeOf(unknownPage.json as GraphQLResponse<unknown>)).toBe('BAD_USER_INPUT');
  });

  // Regression: @Length(1, 60) checks the untrimmed value and the service trims afterwards, so "   " creates a role with an empty name.
  it('refuses a blank role name with BAD_USER_INPUT', async () => {
    const res = await t.gql(CreateRoleDocument, { input: { name: '   ', pages: [] } }, admin);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.field).toBe('name');
  });

  it('a custom role grants exactly its pages: with only Teams one can manage teams but not users or roles', async () => {
    const teamsRole = await newRole(['ADMIN_TEAMS']);
    const holder = await createUser(t, tenant, { roleId: teamsRole.id });

    await t.ok(TeamsDocument, {}, holder.token);
    await t.ok(CreateTeamDocument, { input: { name: `Team ${unique()}` } }, holder.token);
    const refused = await t.gql(
      CreateUserDocument,
      {
        input: {
          email: `x-${unique()}@test.example.com`,
          password: 'long-enough-pass',
          nickname: 'X',
          roleId: tenant.agentRoleId,
        },
      },
      holder.token,
    );
    expect(codeOf(refused)).toBe('FORBIDDEN');
    expect(refused.errors?.[0]?.message).toMatch(/ADMIN_USERS/);
    expect(codeOf(await t.gql(RolesDocument, {}, holder.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(CreateRoleDocument, { input: { name: 'Mine', pages: [] } }, holder.token))).toBe(
      'FORBIDDEN',
    );
    expect(
      codeOf(await t.gql(CreateApiKeyDocument, { input: { name: 'k', roleId: teamsRole.id } }, holder.token)),
    ).toBe('FORBIDDEN');
    // Signed-in basics need no page.
    await t.ok(MeDocument, {}, holder.token);
    await t.ok(TenantDocument, {}, holder.token);
  });

  it('a role without any page can still sign in and see itself, but nothing else', async () => {
    const holder = await createUser(t, tenant, { roleId: (await newRole([])).id });
    const me = await t.ok(MeDocument, {}, holder.token);
    expect(me.me.role.pages).toEqual([]);
    expect(codeOf(await t.gql(TeamsDocument, {}, holder.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(UsersDocument, {}, holder.token))).toBe('FORBIDDEN');
  });

  it('a role with the Roles page manages roles; one with the Users page may only read them', async () => {
    const rolesAdmin = await createUser(t, tenant, { roleId: (await newRole(['ADMIN_ROLES'])).id });
    const usersAdmin = await createUser(t, tenant, { roleId: (await newRole(['ADMIN_USERS'])).id });
    const made = await t.ok(
      CreateRoleDocument,
      { input: { name: `By roles ${unique()}`, pages: [] } },
      rolesAdmin.token,
    );
    await t.ok(RolesDocument, {}, usersAdmin.token);
    await t.ok(RoleDocument, { id: made.createRole.id }, usersAdmin.token);
    expect(
      codeOf(await t.gql(UpdateRoleDocument, { id: made.createRole.id, input: { name: 'x' } }, usersAdmin.token)),
    ).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(DeleteRoleDocument, { id: made.createRole.id }, usersAdmin.token))).toBe('FORBIDDEN');
    await t.ok(DeleteRoleDocument, { id: made.createRole.id }, rolesAdmin.token);
  });

  it("a change to a role's pages applies to its holders' next requests", async () => {
    const role = await newRole(['ADMIN_TEAMS']);
    const holder = await createUser(t, tenant, { roleId: role.id });
    await t.ok(TeamsDocument, {}, holder.token);
    await t.ok(UpdateRoleDocument, { id: role.id, input: { pages: ['AGENT_CONVERSATIONS'] } }, admin);
    expect(codeOf(await t.gql(TeamsDocument, {}, holder.token))).toBe('FORBIDDEN');
    await t.ok(UpdateRoleDocument, { id: role.id, input: { pages: ['ADMIN_TEAMS'] } }, admin);
    await t.ok(TeamsDocument, {}, holder.token);
  });

  it('does not delete a role while a user holds it; once nobody does, it can be deleted', async () => {
    const role = await newRole(['ADMIN_TEAMS']);
    const holder = await createUser(t, tenant, { roleId: role.id, signIn: false });
    const held = await t.gql(DeleteRoleDocument, { id: role.id }, admin);
    expect(held.errors).toHaveLength(1);
    expect((await t.ok(RoleDocument, { id: role.id }, admin)).role.id).toBe(role.id);

    await t.ok(UpdateUserDocument, { id: holder.id, input: { roleId: tenant.agentRoleId } }, admin);
    expect((await t.ok(DeleteRoleDocument, { id: role.id }, admin)).deleteRole).toBe(role.id);
  });

  // Regression: PostgreSQL 18 reports an ON DELETE RESTRICT violation with SQLSTATE 23001 (restrict_violation) instead of 23503; MikroORM does not map 23001 to ForeignKeyConstraintViolationException, so the answer is INTERNAL_SERVER_ERROR instead of CONFLICT.
  it('refuses to delete a role still held by a user or an API key with CONFLICT', async () => {
    const role = await newRole(['ADMIN_TEAMS']);
    const holder = await createUser(t, tenant, { roleId: role.id, signIn: false });
    const byUser = await t.gql(DeleteRoleDocument, { id: role.id }, admin);
    expect(codeOf(byUser)).toBe('CONFLICT');
    expect(byUser.errors?.[0]?.extensions?.reason).toBe('IN_USE');

    await t.ok(UpdateUserDocument, { id: holder.id, input: { roleId: tenant.agentRoleId } }, admin);
    await t.ok(CreateApiKeyDocument, { input: { name: 'CRM', roleId: role.id } }, admin);
    const byKey = await t.gql(DeleteRoleDocument, { id: role.id }, admin);
    expect(codeOf(byKey)).toBe('CONFLICT');
    expect((await t.ok(RoleDocument, { id: role.id }, admin)).role.id).toBe(role.id);
  });

  // Regression: a deleted user keeps its role reference (FK restrict), so a role whose only holder was deleted can never be deleted: the admin is told it is "still held by users" although no listed user holds it, and a deleted user cannot be edited.
  it('deletes a role whose only holder is a deleted user', async () => {
    const role = await newRole(['ADMIN_TEAMS']);
    const holder = await createUser(t, tenant, { roleId: role.id, signIn: false });
    await t.ok(DeleteUserDocument, { id: holder.id }, admin);
    expect((await t.ok(UsersDocument, { roleId: role.id }, admin)).users.totalCount).toBe(0);

    const res = await t.gql(DeleteRoleDocument, { id: role.id }, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data?.deleteRole).toBe(role.id);
  });

  // Regression: the same for a revoked API key; keys cannot be deleted or re-bound, so a role ever given to a key can never be deleted.
  it('deletes a role whose only holder is a revoked API key', async () => {
    const role = await newRole(['ADMIN_TEAMS']);
    const key = await t.ok(CreateApiKeyDocument, { input: { name: 'Old CRM', roleId: role.id } }, admin);
    await t.ok(RevokeApiKeyDocument, { id: key.createApiKey.apiKey.id }, admin);

    const res = await t.gql(DeleteRoleDocument, { id: role.id }, admin);
    expect(res.errors).toBeUndefined();
    expect(res.data?.deleteRole).toBe(role.id);
  });

  // Regression: @IsOptional() lets an explicit null through; assigning null to the NOT NULL pages/name/scope columns fails with INTERNAL_SERVER_ERROR.
  it('refuses null pages on update with BAD_USER_INPUT', async () => {
    const role = await newRole(['ADMIN_TEAMS']);
    const res = await t.gql(UpdateRoleDocument, { id: role.id, input: { pages: null } }, admin);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.field).toBe('pages');
  });

  it('an agent gets FORBIDDEN on roles', async () => {
    const agent = await createUser(t, tenant);
    const role = await newRole();
    expect(codeOf(await t.gql(RolesDocument, {}, agent.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(RoleDocument, { id: role.id }, agent.token))).toBe('FORBIDDEN');
    expect(
      codeOf(await t.gql(CreateRoleDocument, { input: { name: 'Mine', pages: ['ADMIN_USERS'] } }, agent.token)),
    ).toBe('FORBIDDEN');
    expect(
      codeOf(await t.gql(UpdateRoleDocument, { id: role.id, input: { pages: ['ADMIN_USERS'] } }, agent.token)),
    ).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(DeleteRoleDocument, { id: role.id }, agent.token))).toBe('FORBIDDEN');
  });

  it("another tenant's admin gets NOT_FOUND for this tenant's roles, exactly as for a missing id", async () => {
    const ours = await newRole(['ADMIN_TEAMS']);
    const token = other.admin.token;
    const missing = await t.gql(RoleDocument, { id: randomUUID() }, token);
    const foreign = await t.gql(RoleDocument, { id: ours.id }, token);
    expect(codeOf(foreign)).toBe('NOT_FOUND');
    expect(foreign.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);

    expect(codeOf(await t.gql(UpdateRoleDocument, { id: ours.id, input: { pages: ALL_PAGES.slice() } }, token))).toBe(
      'NOT_FOUND',
    );
    expect(codeOf(await t.gql(DeleteRoleDocument, { id: ours.id }, token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(DeleteRoleDocument, { id: tenant.adminRoleId }, token))).toBe('NOT_FOUND');
    // Nor can our roles be handed to their users or keys.
    expect(
      codeOf(await t.gql(UpdateUserDocument, { id: other.admin.id, input: { roleId: tenant.adminRoleId } }, token)),
    ).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(CreateApiKeyDocument, { input: { name: 'k', roleId: ours.id } }, token))).toBe(
      'NOT_FOUND',
    );
    const theirs = await t.ok(RolesDocument, {}, token);
    expect(theirs.roles.nodes.map((r) => r.id)).not.toContain(ours.id);
    expect(theirs.roles.nodes.map((r) => r.id)).not.toContain(tenant.adminRoleId);

    expect((await t.ok(RoleDocument, { id: ours.id }, admin)).role.pages).toEqual(['ADMIN_TEAMS']);
  });
});
