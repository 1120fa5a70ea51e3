import { randomBytes, randomUUID } from 'node:crypto';
import { Page } from '../../../src/platform/auth/pages';
import { systemFork } from '../../../src/platform/database/tenant-filter';
import { User, UserStatus } from '../../../src/modules/user/user.entity';
import { createRole, createTenant, createUser, PASSWORD, setSeats, signIn, type TenantFixture } from '../../factories';
import {
  CreateTeamDocument,
  CreateUserDocument,
  type CreateUserInput,
  DeleteUserDocument,
  LoginDocument,
  MeDocument,
  NotificationsDocument,
  SetUserEnabledDocument,
  TeamsDocument,
  TenantDocument,
  UpdateMyProfileDocument,
  UpdateUserDocument,
  UserDocument,
  UsersDocument,
  type UsersQueryVariables,
} from '../../graphql/generated';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

const unique = () => randomBytes(4).toString('hex');

describe('users (TEN-2, TEN-3, TEN-6)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let other: TenantFixture;

  beforeAll(async () => {
    t = await startTestApp();
    [tenant, other] = await Promise.all([createTenant(t), createTenant(t)]);
  });
  afterAll(() => t.stop());

  const newUserInput = (overrides: Partial<CreateUserInput> = {}): CreateUserInput => ({
    email: `new-${unique()}@test.example.com`,
    password: 'a-long-enough-password',
    nickname: `New ${unique()}`,
    roleId: tenant.agentRoleId,
    ...overrides,
  });

  const list = async (variables: UsersQueryVariables, token = tenant.admin.token) =>
    (await t.ok(UsersDocument, { first: 100, ...variables }, token)).users;

  describe('create', () => {
    it('creates a user with every field; the user can sign in with the email in any case', async () => {
      const email = `Lena.${unique()}@Test.Example.com`;
      const created = await t.ok(
        CreateUserDocument,
        {
          input: newUserInput({
            email,
            nickname: '  Lena  ',
            realName: 'Lena Park',
            phone: '+1 555 0100',
            employeeNo: 'E-100',
            maxConversations: 8,
            language: 'ZH_CN',
            greeting: 'Hello ##dear##',
          }),
        },
        tenant.admin.token,
      );
      expect(created.createUser).toMatchObject({
        email: email.toLowerCase(),
        nickname: 'Lena',
        realName: 'Lena Park',
        phone: '+1 555 0100',
        employeeNo: 'E-100',
        enabled: true,
        maxConversations: 8,
        language: 'ZH_CN',
        greeting: 'Hello ##dear##',
        status: 'OFFLINE',
        role: { id: tenant.agentRoleId, name: 'Agent' },
      });
      const read = await t.ok(UserDocument, { id: created.createUser.id }, tenant.admin.token);
      expect(read.user).toEqual(created.createUser);

      const session = await signIn(t, email.toUpperCase(), 'a-long-enough-password');
      const me = await t.ok(MeDocument, {}, session.token);
      expect(me.me.id).toBe(created.createUser.id);
    });

    it('refuses to enable users beyond the seats (CONFLICT naming the limit); a disabled user uses no seat', async () => {
      const small = await createTenant(t);
      await setSeats(t, small, 2);
      const input = (enabled: boolean) => ({
        input: { ...newUserInput({ enabled }), roleId: small.agentRoleId },
      });

      const second = await t.ok(CreateUserDocument, input(true), small.admin.token);
      const full = await t.gql(CreateUserDocument, input(true), small.admin.token);
      expect(codeOf(full)).toBe('CONFLICT');
      expect(full.errors?.[0]?.message).toMatch(/allows 2 enabled users/);
      expect(full.errors?.[0]?.extensions).toMatchObject({ reason: 'SEAT_LIMIT', seats: 2, seatsUsed: 2 });

      const disabled = await t.ok(CreateUserDocument, input(false), small.admin.token);
      expect(disabled.createUser.enabled).toBe(false);
      const license = async () => (await t.ok(TenantDocument, {}, small.admin.token)).tenant.license;
      expect(await license()).toMatchObject({ seats: 2, seatsUsed: 2, seatsRemaining: 0 });

      const enable = await t.gql(
        SetUserEnabledDocument,
        { id: disabled.createUser.id, enabled: true },
        small.admin.token,
      );
      expect(codeOf(enable)).toBe('CONFLICT');
      expect(enable.errors?.[0]?.message).toMatch(/allows 2 enabled users/);
      const stillDisabled = await t.ok(UserDocument, { id: disabled.createUser.id }, small.admin.token);
      expect(stillDisabled.user.enabled).toBe(false);

      // Freeing a seat lets the other user in.
      await t.ok(SetUserEnabledDocument, { id: second.createUser.id, enabled: false }, small.admin.token);
      await t.ok(SetUserEnabledDocument, { id: disabled.createUser.id, enabled: true }, small.admin.token);
      expect(await license()).toMatchObject({ seatsUsed: 2, seatsRemaining: 0 });
    });

    it('never enables more users than the seats, even for concurrent requests', async () => {
      const small = await createTenant(t);
      await setSeats(t, small, 2);
      const results = await Promise.all(
        [1, 2, 3].map(() =>
          t.gql(CreateUserDocument, { input: { ...newUserInput(), roleId: small.agentRoleId } }, small.admin.token),
        ),
      );
      expect(results.map(codeOf).sort()).toEqual(['CONFLICT', 'CONFLICT', undefined]);
      const license = (await t.ok(TenantDocument, {}, small.admin.token)).tenant.license;
      expect(license).toMatchObject({ seats: 2, seatsUsed: 2 });
    });

    it('refuses an email already taken (in any case, in any tenant) with CONFLICT on field email', async () => {
      const sameTenant = await t.gql(
        CreateUserDocument,
        { input: newUserInput({ email: tenant.admin.email.toUpperCase() }) },
        tenant.admin.token,
      );
      expect(codeOf(sameTenant)).toBe('CONFLICT');
      expect(sameTenant.errors?.[0]?.extensions?.field).toBe('email');

      // Sign-in is by email alone, so another tenant's address is taken too.
      const otherTenant = await t.gql(
        CreateUserDocument,
        { input: newUserInput({ email: other.admin.email }) },
        tenant.admin.token,
      );
      expect(codeOf(otherTenant)).toBe('CONFLICT');
      expect(otherTenant.errors?.[0]?.extensions?.field).toBe('email');

      const user = await createUser(t, tenant, { signIn: false });
      const update = await t.gql(
        UpdateUserDocument,
        { id: user.id, input: { email: tenant.admin.email.toUpperCase() } },
        tenant.admin.token,
      );
      expect(codeOf(update)).toBe('CONFLICT');
      expect(update.errors?.[0]?.extensions?.field).toBe('email');
      expect((await t.ok(UserDocument, { id: user.id }, tenant.admin.token)).user.email).toBe(user.email);
    });

    it.each([
      ['email', { email: 'not-an-email' }],
      ['password', { password: 'short' }],
      ['nickname', { nickname: '' }],
      ['maxConversations', { maxConversations: 101 }],
      ['maxConversations', { maxConversations: -1 }],
      ['avatarUrl', { avatarUrl: 'not a url' }],
      ['phone', { phone: 'x'.repeat(41) }],
    ] as const)('refuses invalid input with BAD_USER_INPUT naming the field (%s)', async (field, bad) => {
      const res = await t.gql(CreateUserDocument, { input: newUserInput(bad) }, tenant.admin.token);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.extensions?.field).toBe(field);
      expect(res.errors?.[0]?.message).toContain(field);
    });

    // Regression: @Length(1, 60) checks the untrimmed value and the service trims afterwards, so "   " is stored as an empty nickname.
    it('refuses a blank nickname with BAD_USER_INPUT', async () => {
      const res = await t.gql(CreateUserDocument, { input: newUserInput({ nickname: '   ' }) }, tenant.admin.token);
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.extensions?.field).toBe('nickname');
    });

    it('refuses a malformed or unknown role id', async () => {
      const malformed = await t.gql(CreateUserDocument, { input: newUserInput({ roleId: 'x' }) }, tenant.admin.token);
      expect(codeOf(malformed)).toBe('BAD_USER_INPUT');
      expect(String(malformed.errors?.[0]?.extensions?.field)).toMatch(/roleId$/);
      const unknown = await t.gql(
        CreateUserDocument,
        { input: newUserInput({ roleId: randomUUID() }) },
        tenant.admin.token,
      );
      expect(codeOf(unknown)).toBe('NOT_FOUND');
    });

    it('refuses invalid updates with BAD_USER_INPUT naming the field', async () => {
      const user = await createUser(t, tenant, { signIn: false });
      const res = await t.gql(
        UpdateUserDocument,
        { id: user.id, input: { maxConversations: 1000 } },
        tenant.admin.token,
      );
      expect(codeOf(res)).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.extensions?.field).toBe('maxConversations');
      const bad = await t.gql(UpdateUserDocument, { id: user.id, input: { email: 'nope' } }, tenant.admin.token);
      expect(bad.errors?.[0]?.extensions?.field).toBe('email');
    });
  });

  describe('edit, enable, delete', () => {
    it('edits a user: changed fields are saved, others kept, null clears an optional field', async () => {
      const user = await createUser(t, tenant, { signIn: false, realName: 'Old Name', phone: '111' });
      const res = await t.ok(
        UpdateUserDocument,
        {
          id: user.id,
          input: { nickname: 'Renamed', realName: null, employeeNo: 'E-7', language: 'ZH_CN', greeting: 'Hi' },
        },
        tenant.admin.token,
      );
      expect(res.updateUser).toMatchObject({
        nickname: 'Renamed',
        realName: null,
        phone: '111',
        employeeNo: 'E-7',
        language: 'ZH_CN',
        greeting: 'Hi',
        email: user.email,
      });
      const read = await t.ok(UserDocument, { id: user.id }, tenant.admin.token);
      expect(read.user).toEqual(res.updateUser);
    });

    it('a password set by an admin signs the user out everywhere; the new password works', async () => {
      const user = await createUser(t, tenant);
      await t.ok(UpdateUserDocument, { id: user.id, input: { password: 'set-by-the-admin' } }, tenant.admin.token);
      expect(codeOf(await t.gql(MeDocument, {}, user.token))).toBe('UNAUTHENTICATED');
      const old = await t.gql(LoginDocument, { input: { email: user.email, password: PASSWORD } });
      expect(codeOf(old)).toBe('UNAUTHENTICATED');
      await signIn(t, user.email, 'set-by-the-admin');
    });

    it('deletes a user: gone from lists and lookups, signed out, cannot sign in; the email is free again', async () => {
      const user = await createUser(t, tenant, { nickname: `Doomed ${unique()}` });
      const before = (await t.ok(TenantDocument, {}, tenant.admin.token)).tenant.license.seatsUsed;

      expect((await t.ok(DeleteUserDocument, { id: user.id }, tenant.admin.token)).deleteUser).toBe(user.id);

      expect((await list({ search: user.email })).totalCount).toBe(0);
      expect((await list({})).nodes.map((u) => u.id)).not.toContain(user.id);
      expect(codeOf(await t.gql(UserDocument, { id: user.id }, tenant.admin.token))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(MeDocument, {}, user.token))).toBe('UNAUTHENTICATED');
      const login = await t.gql(LoginDocument, { input: { email: user.email, password: PASSWORD } });
      expect(codeOf(login)).toBe('UNAUTHENTICATED');
      expect(login.errors?.[0]?.message).toBe('Wrong email or password');
      expect((await t.ok(TenantDocument, {}, tenant.admin.token)).tenant.license.seatsUsed).toBe(before - 1);
      // A second delete, or any edit, finds nothing.
      expect(codeOf(await t.gql(DeleteUserDocument, { id: user.id }, tenant.admin.token))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(SetUserEnabledDocument, { id: user.id, enabled: true }, tenant.admin.token))).toBe(
        'NOT_FOUND',
      );

      const again = await t.ok(CreateUserDocument, { input: newUserInput({ email: user.email }) }, tenant.admin.token);
      expect(again.createUser.id).not.toBe(user.id);
    });

    it('disables a user (who cannot sign in) and enables them again (who can)', async () => {
      const user = await createUser(t, tenant);
      const off = await t.ok(SetUserEnabledDocument, { id: user.id, enabled: false }, tenant.admin.token);
      expect(off.setUserEnabled).toEqual({ id: user.id, enabled: false });
      expect(codeOf(await t.gql(MeDocument, {}, user.token))).toBe('UNAUTHENTICATED');
      const refused = await t.gql(LoginDocument, { input: { email: user.email, password: PASSWORD } });
      expect(refused.errors?.[0]?.message).toMatch(/disabled/);
      // Disabling twice is a no-op.
      await t.ok(SetUserEnabledDocument, { id: user.id, enabled: false }, tenant.admin.token);

      const on = await t.ok(SetUserEnabledDocument, { id: user.id, enabled: true }, tenant.admin.token);
      expect(on.setUserEnabled.enabled).toBe(true);
      await signIn(t, user.email);
    });

    it('refuses to disable or delete oneself (CONFLICT)', async () => {
      const disable = await t.gql(SetUserEnabledDocument, { id: tenant.admin.id, enabled: false }, tenant.admin.token);
      expect(codeOf(disable)).toBe('CONFLICT');
      const del = await t.gql(DeleteUserDocument, { id: tenant.admin.id }, tenant.admin.token);
      expect(codeOf(del)).toBe('CONFLICT');
      await t.ok(MeDocument, {}, tenant.admin.token);
    });

    it('keeps the last enabled admin: disabling, deleting or demoting them is a CONFLICT', async () => {
      const own = await createTenant(t);
      const managerRole = await createRole(t, own, [Page.ADMIN_USERS]);
      const manager = await createUser(t, own, { roleId: managerRole });
      const adminId = own.admin.id;

      const disable = await t.gql(SetUserEnabledDocument, { id: adminId, enabled: false }, manager.token);
      expect(codeOf(disable)).toBe('CONFLICT');
      expect(disable.errors?.[0]?.extensions?.reason).toBe('LAST_ADMIN');
      const del = await t.gql(DeleteUserDocument, { id: adminId }, manager.token);
      expect(codeOf(del)).toBe('CONFLICT');
      const demote = await t.gql(
        UpdateUserDocument,
        { id: adminId, input: { roleId: own.agentRoleId, nickname: 'Demoted' } },
        manager.token,
      );
      expect(codeOf(demote)).toBe('CONFLICT');
      expect(demote.errors?.[0]?.extensions?.reason).toBe('LAST_ADMIN');

      // Nothing of the refused change stuck, and the admin was not told of a role change.
      const admin = await t.ok(UserDocument, { id: adminId }, manager.token);
      expect(admin.user).toMatchObject({ enabled: true, nickname: 'Admin', role: { id: own.adminRoleId } });
      const notes = await t.ok(NotificationsDocument, {}, own.admin.token);
      expect(notes.notifications.totalCount).toBe(0);

      // A disabled admin does not count as another admin.
      const second = await createUser(t, own, { roleId: own.adminRoleId, enabled: false });
      expect(
        codeOf(await t.gql(UpdateUserDocument, { id: adminId, input: { roleId: own.agentRoleId } }, manager.token)),
      ).toBe('CONFLICT');

      // With a second enabled admin the first may go.
      await t.ok(SetUserEnabledDocument, { id: second.id, enabled: true }, manager.token);
      const demoted = await t.ok(
        UpdateUserDocument,
        { id: adminId, input: { roleId: own.agentRoleId } },
        manager.token,
      );
      expect(demoted.updateUser.role.id).toBe(own.agentRoleId);
      // ...but now the second is the last one.
      expect(codeOf(await t.gql(DeleteUserDocument, { id: second.id }, manager.token))).toBe('CONFLICT');
    });

    // Regression: the "another enabled admin" check counts without a lock, so two admins disabling each other at the same time both succeed and the tenant has no admin left.
    it('keeps an enabled admin when two admins disable each other at the same time', async () => {
      // A race: several rounds so that it shows even on a loaded machine; the first bad round fails.
      for (let round = 0; round < 8; round++) {
        const own = await createTenant(t);
        const second = await createUser(t, own, { roleId: own.adminRoleId });
        const results = await Promise.all([
          t.gql(SetUserEnabledDocument, { id: second.id, enabled: false }, own.admin.token),
          t.gql(SetUserEnabledDocument, { id: own.admin.id, enabled: false }, second.token),
        ]);
        expect(results.map(codeOf)).toContain('CONFLICT');
      }
    });
  });

  describe('listing', () => {
    const prefix = `Lister${unique()}`;
    let customRole: string;
    const ids: Record<'ada' | 'bob' | 'cy' | 'dee', string> = { ada: '', bob: '', cy: '', dee: '' };
    let search: { id: string; email: string };

    beforeAll(async () => {
      customRole = await createRole(t, tenant, [Page.ADMIN_TEAMS]);
      const make = (nickname: string, maxConversations: number, roleId: string, enabled = true) =>
        createUser(t, tenant, { nickname: `${prefix} ${nickname}`, maxConversations, roleId, enabled, signIn: false });
      ids.ada = (await make('Ada', 3, tenant.agentRoleId)).id;
      ids.bob = (await make('Bob', 10, tenant.adminRoleId)).id;
      ids.cy = (await make('Cy', 0, customRole)).id;
      ids.dee = (await make('Dee', 7, tenant.agentRoleId, false)).id;
      search = await createUser(t, tenant, {
        nickname: 'Zephyrine Quill',
        email: `kumquat-${unique()}@test.example.com`,
        realName: 'Bartholomew Oyelaran',
        phone: '+44 7700 900123',
        employeeNo: 'EMP-4711x',
        signIn: false,
      });
    });

    const nicknames = async (variables: UsersQueryVariables) =>
      (await list({ search: prefix, ...variables })).nodes.map((u) => u.nickname.slice(prefix.length + 1));

    it.each([
      ['nickname', 'PHYRINE q'],
      ['email', 'KUMQUAT-'],
      ['real name', 'tholomew oye'],
      ['phone', '7700 900'],
      ['employee no.', 'emp-4711X'],
    ])('searches by %s (substring, case-insensitive)', async (_field, term) => {
      const found = await list({ search: term });
      expect(found.nodes.map((u) => u.id)).toEqual([search.id]);
      expect(found.totalCount).toBe(1);
    });

    it('treats % and _ in a search literally', async () => {
      expect((await list({ search: '%' })).totalCount).toBe(0);
      expect((await list({ search: '_' })).totalCount).toBe(0);
    });

    it('sorts by nickname by default', async () => {
      expect(await nicknames({})).toEqual(['Ada', 'Bob', 'Cy', 'Dee']);
    });

    it('sorts by capacity, both directions', async () => {
      const asc = await list({ search: prefix, orderBy: { field: 'CAPACITY', direction: 'ASC' } });
      expect(asc.nodes.map((u) => u.maxConversations)).toEqual([0, 3, 7, 10]);
      const desc = await list({ search: prefix, orderBy: { field: 'CAPACITY', direction: 'DESC' } });
      expect(desc.nodes.map((u) => u.maxConversations)).toEqual([10, 7, 3, 0]);
      // ASC is the default direction.
      expect(await nicknames({ orderBy: { field: 'CAPACITY' } })).toEqual(['Cy', 'Ada', 'Dee', 'Bob']);
    });

    it('sorts by role (name), both directions', async () => {
      const roleName = (await t.ok(UserDocument, { id: ids.cy }, tenant.admin.token)).user.role.name;
      const asc = await list({ search: prefix, orderBy: { field: 'ROLE', direction: 'ASC' } });
      expect(asc.nodes.map((u) => u.role.name)).toEqual(['Admin', 'Agent', 'Agent', roleName]);
      const desc = await list({ search: prefix, orderBy: { field: 'ROLE', direction: 'DESC' } });
      expect(desc.nodes.map((u) => u.role.name)).toEqual([roleName, 'Agent', 'Agent', 'Admin']);
    });

    it('filters by enabled, role and status, combined with search', async () => {
      expect(await nicknames({ enabled: false })).toEqual(['Dee']);
      expect(await nicknames({ enabled: true })).toEqual(['Ada', 'Bob', 'Cy']);
      expect(await nicknames({ roleId: tenant.agentRoleId })).toEqual(['Ada', 'Dee']);
      expect(await nicknames({ roleId: customRole })).toEqual(['Cy']);
      expect(await nicknames({ roleId: tenant.agentRoleId, enabled: true })).toEqual(['Ada']);

      await systemFork(t.orm.em).nativeUpdate(User, { id: ids.bob }, { status: UserStatus.ONLINE });
      expect(await nicknames({ status: 'ONLINE' })).toEqual(['Bob']);
      expect(await nicknames({ status: 'OFFLINE' })).toEqual(['Ada', 'Cy', 'Dee']);

      expect(codeOf(await t.gql(UsersDocument, { roleId: randomUUID() }, tenant.admin.token))).toBe('NOT_FOUND');
    });

    it('paginates with first/after, totalCount and hasNextPage', async () => {
      const page1 = await list({ search: prefix, first: 3 });
      expect(page1.totalCount).toBe(4);
      expect(page1.pageInfo.hasNextPage).toBe(true);
      expect(page1.nodes.map((u) => u.id)).toEqual([ids.ada, ids.bob, ids.cy]);

      const page2 = await list({ search: prefix, first: 3, after: page1.pageInfo.endCursor });
      expect(page2.totalCount).toBe(4);
      expect(page2.pageInfo.hasNextPage).toBe(false);
      expect(page2.nodes.map((u) => u.id)).toEqual([ids.dee]);

      const byTwo = await list({ search: prefix, first: 2, orderBy: { field: 'CAPACITY', direction: 'DESC' } });
      const rest = await list({
        search: prefix,
        first: 2,
        after: byTwo.pageInfo.endCursor,
        orderBy: { field: 'CAPACITY', direction: 'DESC' },
      });
      expect([...byTwo.nodes, ...rest.nodes].map((u) => u.id)).toEqual([ids.bob, ids.dee, ids.ada, ids.cy]);
      expect(rest.pageInfo.hasNextPage).toBe(false);

      const tooMany = await t.gql(UsersDocument, { first: 101 }, tenant.admin.token);
      expect(codeOf(tooMany)).toBe('BAD_USER_INPUT');
      const badCursor = await t.gql(UsersDocument, { after: 'garbage' }, tenant.admin.token);
      expect(codeOf(badCursor)).toBe('BAD_USER_INPUT');
      expect(badCursor.errors?.[0]?.extensions?.field).toBe('after');
    });
  });

  describe('role and capacity changes', () => {
    it('a role change notifies the user and applies at their next sign-in (gaining a page)', async () => {
      const teamsRole = await createRole(t, tenant, [Page.ADMIN_TEAMS]);
      const user = await createUser(t, tenant);
      expect(codeOf(await t.gql(TeamsDocument, {}, user.token))).toBe('FORBIDDEN');

      const changed = await t.ok(UpdateUserDocument, { id: user.id, input: { roleId: teamsRole } }, tenant.admin.token);
      expect(changed.updateUser.role.id).toBe(teamsRole);

      const notes = (await t.ok(NotificationsDocument, {}, user.token)).notifications.nodes;
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({
        kind: 'ROLE_CHANGED',
        subjectType: 'USER',
        subjectId: user.id,
        readAt: null,
      });
      expect(notes[0]?.body).toContain(changed.updateUser.role.name);

      // The current session keeps the role it signed in with...
      expect(codeOf(await t.gql(TeamsDocument, {}, user.token))).toBe('FORBIDDEN');
      // ...the next sign-in gets the new one, and only its pages.
      const fresh = await signIn(t, user.email);
      await t.ok(TeamsDocument, {}, fresh.token);
      await t.ok(CreateTeamDocument, { input: { name: `Team ${unique()}` } }, fresh.token);
      expect(codeOf(await t.gql(CreateUserDocument, { input: newUserInput() }, fresh.token))).toBe('FORBIDDEN');

      // Setting the same role again is not a change.
      await t.ok(UpdateUserDocument, { id: user.id, input: { roleId: teamsRole } }, tenant.admin.token);
      expect((await t.ok(NotificationsDocument, {}, fresh.token)).notifications.totalCount).toBe(1);
    });

    it('a role change applies at the next sign-in (losing a page)', async () => {
      const teamsRole = await createRole(t, tenant, [Page.ADMIN_TEAMS]);
      const user = await createUser(t, tenant, { roleId: teamsRole });
      await t.ok(TeamsDocument, {}, user.token);

      await t.ok(UpdateUserDocument, { id: user.id, input: { roleId: tenant.agentRoleId } }, tenant.admin.token);
      await t.ok(TeamsDocument, {}, user.token);
      const fresh = await signIn(t, user.email);
      expect(codeOf(await t.gql(TeamsDocument, {}, fresh.token))).toBe('FORBIDDEN');
      const notes = (await t.ok(NotificationsDocument, {}, fresh.token)).notifications.nodes;
      expect(notes.map((n) => n.kind)).toEqual(['ROLE_CHANGED']);
      expect(notes[0]?.body).toContain('Agent');
    });

    it("an admin changing someone's max conversations notifies them (CAPACITY_CHANGED)", async () => {
      const user = await createUser(t, tenant, { maxConversations: 5 });
      const res = await t.ok(UpdateUserDocument, { id: user.id, input: { maxConversations: 9 } }, tenant.admin.token);
      expect(res.updateUser.maxConversations).toBe(9);

      const notes = (await t.ok(NotificationsDocument, {}, user.token)).notifications.nodes;
      expect(notes).toHaveLength(1);
      expect(notes[0]).toMatchObject({ kind: 'CAPACITY_CHANGED', subjectType: 'USER', subjectId: user.id });
      expect(notes[0]?.body).toContain('9');

      // The same value again, or another field, is not a capacity change.
      await t.ok(
        UpdateUserDocument,
        { id: user.id, input: { maxConversations: 9, nickname: 'X' } },
        tenant.admin.token,
      );
      expect((await t.ok(NotificationsDocument, {}, user.token)).unreadNotificationCount).toBe(1);
    });
  });

  describe('personal info', () => {
    it('a user edits their own profile', async () => {
      const user = await createUser(t, tenant);
      const res = await t.ok(
        UpdateMyProfileDocument,
        {
          input: {
            nickname: '  Sunny  ',
            realName: 'Sun Li',
            phone: '+86 10 1234',
            employeeNo: 'A-1',
            avatarUrl: 'https://cdn.example.com/a.png',
            language: 'ZH_CN',
            sendKey: 'SHIFT_ENTER',
            greeting: 'Hi ##dear##, how can I help?',
          },
        },
        user.token,
      );
      expect(res.updateMyProfile).toMatchObject({
        id: user.id,
        nickname: 'Sunny',
        realName: 'Sun Li',
        phone: '+86 10 1234',
        employeeNo: 'A-1',
        language: 'ZH_CN',
        sendKey: 'SHIFT_ENTER',
        greeting: 'Hi ##dear##, how can I help?',
        email: user.email,
        role: { id: tenant.agentRoleId },
      });
      const me = await t.ok(MeDocument, {}, user.token);
      expect(me.me).toMatchObject({ nickname: 'Sunny', avatarUrl: 'https://cdn.example.com/a.png' });
      // An agent edits only themselves: no page needed, none granted.
      expect(codeOf(await t.gql(UpdateUserDocument, { id: user.id, input: { nickname: 'X' } }, user.token))).toBe(
        'FORBIDDEN',
      );
    });

    it('cannot change role, email or capacity through the profile', async () => {
      const user = await createUser(t, tenant);
      for (const extra of [
        { roleId: tenant.adminRoleId },
        { email: `mine-${unique()}@test.example.com` },
        { maxConversations: 50 },
        { enabled: false },
      ]) {
        // Not an object literal, so TypeScript lets the extra field through to the server.
        const input = { nickname: 'Sneaky', ...extra };
        const res = await t.gql(UpdateMyProfileDocument, { input }, user.token);
        expect(codeOf(res)).toBe('BAD_USER_INPUT');
      }
      const me = await t.ok(UserDocument, { id: user.id }, tenant.admin.token);
      expect(me.user).toMatchObject({ email: user.email, role: { id: tenant.agentRoleId }, enabled: true });
      expect(me.user.nickname).not.toBe('Sneaky');
      expect(codeOf(await t.gql(UpdateMyProfileDocument, { input: { nickname: '' } }, user.token))).toBe(
        'BAD_USER_INPUT',
      );
    });
    // Regression: the optional update fields use @IsOptional(), which also lets an explicit null through; assigning null to a NOT NULL column then fails with INTERNAL_SERVER_ERROR.
    it('refuses null for a required field with BAD_USER_INPUT naming the field', async () => {
      const user = await createUser(t, tenant);
      const profile = await t.gql(UpdateMyProfileDocument, { input: { nickname: null } }, user.token);
      expect(codeOf(profile)).toBe('BAD_USER_INPUT');
      expect(profile.errors?.[0]?.extensions?.field).toBe('nickname');
      const capacity = await t.gql(
        UpdateUserDocument,
        { id: user.id, input: { maxConversations: null } },
        tenant.admin.token,
      );
      expect(codeOf(capacity)).toBe('BAD_USER_INPUT');
      expect(capacity.errors?.[0]?.extensions?.field).toBe('maxConversations');
    });
  });

  describe('access', () => {
    it('an agent, or a role without the Users page, gets FORBIDDEN on user administration', async () => {
      const agent = await createUser(t, tenant);
      const teamsOnly = await createUser(t, tenant, { roleId: await createRole(t, tenant, [Page.ADMIN_TEAMS]) });
      for (const token of [agent.token, teamsOnly.token]) {
        expect(codeOf(await t.gql(CreateUserDocument, { input: newUserInput() }, token))).toBe('FORBIDDEN');
        expect(codeOf(await t.gql(UpdateUserDocument, { id: tenant.admin.id, input: { nickname: 'X' } }, token))).toBe(
          'FORBIDDEN',
        );
        expect(codeOf(await t.gql(SetUserEnabledDocument, { id: tenant.admin.id, enabled: false }, token))).toBe(
          'FORBIDDEN',
        );
        expect(codeOf(await t.gql(DeleteUserDocument, { id: tenant.admin.id }, token))).toBe('FORBIDDEN');
      }
      expect(codeOf(await t.gql(UsersDocument, {}, agent.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(UserDocument, { id: tenant.admin.id }, agent.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(UsersDocument, {}))).toBe('UNAUTHENTICATED');
    });

    it("another tenant's admin gets NOT_FOUND for this tenant's users, exactly as for a missing id", async () => {
      const victim = await createUser(t, tenant, { signIn: false });
      const missing = await t.gql(UserDocument, { id: randomUUID() }, other.admin.token);
      const foreign = await t.gql(UserDocument, { id: victim.id }, other.admin.token);
      expect(codeOf(foreign)).toBe('NOT_FOUND');
      expect(foreign.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
      expect(foreign.status).toBe(missing.status);

      const token = other.admin.token;
      expect(codeOf(await t.gql(UpdateUserDocument, { id: victim.id, input: { nickname: 'Pwned' } }, token))).toBe(
        'NOT_FOUND',
      );
      expect(codeOf(await t.gql(SetUserEnabledDocument, { id: victim.id, enabled: false }, token))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(DeleteUserDocument, { id: victim.id }, token))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(UsersDocument, { roleId: tenant.agentRoleId }, token))).toBe('NOT_FOUND');
      const withOurRole = await t.gql(
        CreateUserDocument,
        { input: newUserInput({ roleId: tenant.agentRoleId }) },
        token,
      );
      expect(codeOf(withOurRole)).toBe('NOT_FOUND');
      const theirs = await t.ok(UsersDocument, { first: 100 }, token);
      expect(theirs.users.nodes.map((u) => u.id)).toEqual([other.admin.id]);
      expect((await t.ok(UsersDocument, { search: victim.email }, token)).users.totalCount).toBe(0);

      const intact = await t.ok(UserDocument, { id: victim.id }, tenant.admin.token);
      expect(intact.user).toMatchObject({ enabled: true, email: victim.email });
      expect(intact.user.nickname).not.toBe('Pwned');
    });
  });
});
