import { randomBytes, randomUUID } from 'node:crypto';
import { Page } from '../../../src/platform/auth/pages';
import { systemFork } from '../../../src/platform/database/tenant-filter';
import { User, UserStatus } from '../../../src/modules/user/user.entity';
import { createRole, createTeam, createTenant, createUser, type TenantFixture } from '../../factories';
import {
  AddTeamMembersDocument,
  CreateTeamDocument,
  DeleteTeamDocument,
  DeleteUserDocument,
  RemoveTeamMembersDocument,
  TeamDocument,
  type TeamQueryVariables,
  TeamsDocument,
  UpdateTeamDocument,
  UsersDocument,
  UserWithTeamsDocument,
} from '../../graphql/generated';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

const unique = () => randomBytes(4).toString('hex');

describe('teams (TEN-4)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let other: TenantFixture;
  let admin: string;
  // Agents of the tenant, not signed in (they are only members here).
  let users: { id: string; email: string }[];

  beforeAll(async () => {
    t = await startTestApp();
    [tenant, other] = await Promise.all([createTenant(t), createTenant(t)]);
    admin = tenant.admin.token;
    users = await Promise.all(
      ['Marigold Chen', 'Oliver Twist', 'Priya Raman'].map((nickname) =>
        createUser(t, tenant, {
          nickname,
          email: `${nickname.split(' ')[0]!.toLowerCase()}-${unique()}@test.example.com`,
          signIn: false,
        }),
      ),
    );
  });
  afterAll(() => t.stop());

  const team = async (variables: TeamQueryVariables, token = admin) =>
    (await t.ok(TeamDocument, variables, token)).team;
  const memberIds = async (teamId: string, variables: Omit<TeamQueryVariables, 'id'> = {}) =>
    (await team({ id: teamId, ...variables })).members.nodes.map((m) => m.id);
  const newTeam = async (memberIds: string[] = [], name = `Team ${unique()}`) =>
    (await t.ok(CreateTeamDocument, { input: { name, memberIds } }, admin)).createTeam;

  it('creates, reads, renames and deletes a team', async () => {
    const name = `Support ${unique()}`;
    const created = await t.ok(
      CreateTeamDocument,
      { input: { name: `  ${name}  `, description: 'First line', greeting: 'Hello ##dear##' } },
      admin,
    );
    expect(created.createTeam).toMatchObject({
      name,
      description: 'First line',
      greeting: 'Hello ##dear##',
      memberCount: 0,
    });
    const id = created.createTeam.id;
    expect(await team({ id })).toMatchObject({ id, name, members: { totalCount: 0, nodes: [] } });

    const renamed = await t.ok(UpdateTeamDocument, { id, input: { name: `${name} EU`, description: null } }, admin);
    expect(renamed.updateTeam).toMatchObject({ id, name: `${name} EU`, description: null, greeting: 'Hello ##dear##' });
    const found = await t.ok(TeamsDocument, { search: `${name.toUpperCase()} eu` }, admin);
    expect(found.teams.nodes.map((n) => n.id)).toEqual([id]);

    expect((await t.ok(DeleteTeamDocument, { id }, admin)).deleteTeam).toBe(id);
    expect(codeOf(await t.gql(TeamDocument, { id }, admin))).toBe('NOT_FOUND');
    expect((await t.ok(TeamsDocument, { search: name }, admin)).teams.totalCount).toBe(0);
    expect(codeOf(await t.gql(DeleteTeamDocument, { id }, admin))).toBe('NOT_FOUND');
  });

  it('lists teams by name with a total count', async () => {
    const tag = unique();
    await Promise.all(['Bravo', 'Alpha', 'Charlie'].map((n) => createTeam(t, tenant, `${n} ${tag}`)));
    const res = await t.ok(TeamsDocument, { search: tag, first: 2 }, admin);
    expect(res.teams.totalCount).toBe(3);
    expect(res.teams.nodes.map((n) => n.name)).toEqual([`Alpha ${tag}`, `Bravo ${tag}`]);
  });

  it('keeps team names unique per tenant (CONFLICT), but another tenant may use the same name', async () => {
    const name = `Sales ${unique()}`;
    await newTeam([], name);
    const again = await t.gql(CreateTeamDocument, { input: { name: ` ${name} ` } }, admin);
    expect(codeOf(again)).toBe('CONFLICT');
    expect(again.errors?.[0]?.extensions?.field).toBe('name');

    const second = await newTeam();
    const rename = await t.gql(UpdateTeamDocument, { id: second.id, input: { name } }, admin);
    expect(codeOf(rename)).toBe('CONFLICT');
    expect((await team({ id: second.id })).name).toBe(second.name);

    const elsewhere = await t.ok(CreateTeamDocument, { input: { name } }, other.admin.token);
    expect(elsewhere.createTeam.name).toBe(name);
  });

  it('refuses invalid input with BAD_USER_INPUT naming the field', async () => {
    const empty = await t.gql(CreateTeamDocument, { input: { name: '' } }, admin);
    expect(codeOf(empty)).toBe('BAD_USER_INPUT');
    expect(empty.errors?.[0]?.extensions?.field).toBe('name');
    const long = await t.gql(CreateTeamDocument, { input: { name: 'x', greeting: 'g'.repeat(501) } }, admin);
    expect(long.errors?.[0]?.extensions?.field).toBe('greeting');
    const teamId = (await newTeam()).id;
    const none = await t.gql(AddTeamMembersDocument, { input: { teamId, userIds: [] } }, admin);
    expect(codeOf(none)).toBe('BAD_USER_INPUT');
    expect(none.errors?.[0]?.extensions?.field).toBe('userIds');
  });

  // Regression: @Length(1, 60) checks the untrimmed value and the service trims afterwards, so "   " creates a team with an empty name.
  it('refuses a blank team name with BAD_USER_INPUT', async () => {
    const res = await t.gql(CreateTeamDocument, { input: { name: '   ' } }, admin);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.field).toBe('name');
  });

  it('adds and removes members in batches; adding an existing member is a no-op', async () => {
    const [a, b, c] = users.map((u) => u.id) as [string, string, string];
    const created = await newTeam([a]);
    expect(created.memberCount).toBe(1);

    const added = await t.ok(AddTeamMembersDocument, { input: { teamId: created.id, userIds: [a, b, c] } }, admin);
    expect(added.addTeamMembers.memberCount).toBe(3);
    const again = await t.ok(AddTeamMembersDocument, { input: { teamId: created.id, userIds: [b] } }, admin);
    expect(again.addTeamMembers.memberCount).toBe(3);
    expect((await memberIds(created.id)).sort()).toEqual([a, b, c].sort());

    const removed = await t.ok(RemoveTeamMembersDocument, { input: { teamId: created.id, userIds: [a, c] } }, admin);
    expect(removed.removeTeamMembers.memberCount).toBe(1);
    expect(await memberIds(created.id)).toEqual([b]);
    // Removing someone who is not a member changes nothing.
    const noop = await t.ok(RemoveTeamMembersDocument, { input: { teamId: created.id, userIds: [a] } }, admin);
    expect(noop.removeTeamMembers.memberCount).toBe(1);
    expect((await t.ok(UserWithTeamsDocument, { id: a }, admin)).user.teams.map((x) => x.id)).not.toContain(created.id);
  });

  // Regression: "already a member" is read before inserting, so two concurrent adds of the same user both insert and the loser hits the (team, user) unique index: INTERNAL_SERVER_ERROR.
  it('adding the same member twice at the same time is still a no-op', async () => {
    const user = users[0]!.id;
    // A race: several rounds so that it shows even on a loaded machine; the first bad round fails.
    for (let round = 0; round < 10; round++) {
      const teamId = (await newTeam()).id;
      const results = await Promise.all(
        [1, 2, 3, 4].map(() => t.gql(AddTeamMembersDocument, { input: { teamId, userIds: [user] } }, admin)),
      );
      expect(results.map(codeOf)).toEqual([undefined, undefined, undefined, undefined]);
      expect((await team({ id: teamId })).memberCount).toBe(1);
    }
  });

  it('searches members by nickname or email (substring, case-insensitive)', async () => {
    const [marigold, oliver, priya] = users as [(typeof users)[0], (typeof users)[0], (typeof users)[0]];
    const id = (await newTeam([marigold.id, oliver.id, priya.id])).id;
    expect(await memberIds(id, { search: 'GOLD ch' })).toEqual([marigold.id]);
    expect(await memberIds(id, { search: oliver.email.slice(0, 12).toUpperCase() })).toEqual([oliver.id]);
    expect(await memberIds(id, { search: 'test.EXAMPLE' })).toEqual([marigold.id, oliver.id, priya.id]);
    const none = await team({ id, search: 'nobody-by-that-name' });
    expect(none.members).toEqual({ totalCount: 0, nodes: [] });
  });

  it('filters members by online status', async () => {
    const [a, b] = users.map((u) => u.id) as [string, string];
    const id = (await newTeam([a, b])).id;
    expect((await team({ id })).members.nodes.map((m) => m.status)).toEqual(['OFFLINE', 'OFFLINE']);
    await systemFork(t.orm.em).nativeUpdate(User, { id: b }, { status: UserStatus.ONLINE });
    try {
      expect(await memberIds(id, { status: 'ONLINE' })).toEqual([b]);
      expect(await memberIds(id, { status: 'OFFLINE' })).toEqual([a]);
      expect(await memberIds(id, { status: 'BUSY' })).toEqual([]);
      const online = await team({ id, status: 'ONLINE', search: 'oliver' });
      expect(online.members.totalCount).toBe(1);
    } finally {
      await systemFork(t.orm.em).nativeUpdate(User, { id: b }, { status: UserStatus.OFFLINE });
    }
  });

  it('lets a user be in several teams', async () => {
    const user = users[2]!.id;
    const tag = unique();
    const first = await newTeam([user], `A ${tag}`);
    const second = await newTeam([user], `B ${tag}`);
    const theirs = (await t.ok(UserWithTeamsDocument, { id: user }, admin)).user.teams.filter((x) =>
      x.name.endsWith(tag),
    );
    expect(theirs).toEqual([
      { id: first.id, name: first.name },
      { id: second.id, name: second.name },
    ]);
    expect(await memberIds(first.id)).toEqual([user]);
    expect(await memberIds(second.id)).toEqual([user]);

    // Leaving one team keeps the other.
    await t.ok(RemoveTeamMembersDocument, { input: { teamId: first.id, userIds: [user] } }, admin);
    const left = (await t.ok(UserWithTeamsDocument, { id: user }, admin)).user.teams.filter((x) =>
      x.name.endsWith(tag),
    );
    expect(left.map((x) => x.id)).toEqual([second.id]);
  });

  it('deleting a team keeps its users (and their other teams)', async () => {
    const [a, b] = users.map((u) => u.id) as [string, string];
    const doomed = await newTeam([a, b]);
    const kept = await newTeam([a]);
    await t.ok(DeleteTeamDocument, { id: doomed.id }, admin);

    const all = await t.ok(UsersDocument, { first: 100 }, admin);
    expect(all.users.nodes.map((u) => u.id)).toEqual(expect.arrayContaining([a, b]));
    const teamsOfA = (await t.ok(UserWithTeamsDocument, { id: a }, admin)).user.teams.map((x) => x.id);
    expect(teamsOfA).toContain(kept.id);
    expect(teamsOfA).not.toContain(doomed.id);
    expect((await team({ id: kept.id })).memberCount).toBe(1);
  });

  it('counts and lists only users that still exist', async () => {
    const gone = await createUser(t, tenant, { signIn: false });
    const id = (await newTeam([users[0]!.id, gone.id])).id;
    expect((await team({ id })).memberCount).toBe(2);
    await t.ok(DeleteUserDocument, { id: gone.id }, admin);
    const after = await team({ id });
    expect(after.memberCount).toBe(1);
    expect(after.members.nodes.map((m) => m.id)).toEqual([users[0]!.id]);
    // A deleted user cannot be added either.
    expect(codeOf(await t.gql(AddTeamMembersDocument, { input: { teamId: id, userIds: [gone.id] } }, admin))).toBe(
      'NOT_FOUND',
    );
  });

  it("refuses to add another tenant's user with NOT_FOUND, and adds no one of the batch", async () => {
    const stranger = await createUser(t, other, { signIn: false });
    const id = (await newTeam([users[0]!.id])).id;
    const res = await t.gql(
      AddTeamMembersDocument,
      { input: { teamId: id, userIds: [users[1]!.id, stranger.id] } },
      admin,
    );
    expect(codeOf(res)).toBe('NOT_FOUND');
    expect(res.errors?.[0]?.extensions?.field).toBe('userIds');
    expect(await memberIds(id)).toEqual([users[0]!.id]);

    const name = `With stranger ${unique()}`;
    const create = await t.gql(CreateTeamDocument, { input: { name, memberIds: [stranger.id] } }, admin);
    expect(codeOf(create)).toBe('NOT_FOUND');
    expect((await t.ok(TeamsDocument, { search: name }, admin)).teams.totalCount).toBe(0);
  });

  it("another tenant's admin gets NOT_FOUND for this tenant's teams, exactly as for a missing id", async () => {
    const ours = await newTeam([users[0]!.id]);
    const token = other.admin.token;
    const missing = await t.gql(TeamDocument, { id: randomUUID() }, token);
    const foreign = await t.gql(TeamDocument, { id: ours.id }, token);
    expect(codeOf(foreign)).toBe('NOT_FOUND');
    expect(foreign.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);

    expect(codeOf(await t.gql(UpdateTeamDocument, { id: ours.id, input: { name: 'Taken over' } }, token))).toBe(
      'NOT_FOUND',
    );
    expect(codeOf(await t.gql(DeleteTeamDocument, { id: ours.id }, token))).toBe('NOT_FOUND');
    const stranger = await createUser(t, other, { signIn: false });
    expect(
      codeOf(await t.gql(AddTeamMembersDocument, { input: { teamId: ours.id, userIds: [stranger.id] } }, token)),
    ).toBe('NOT_FOUND');
    expect(
      codeOf(await t.gql(RemoveTeamMembersDocument, { input: { teamId: ours.id, userIds: [users[0]!.id] } }, token)),
    ).toBe('NOT_FOUND');
    const theirs = await t.ok(TeamsDocument, { first: 100 }, token);
    expect(theirs.teams.nodes.map((n) => n.id)).not.toContain(ours.id);

    expect(await team({ id: ours.id })).toMatchObject({ name: ours.name, memberCount: 1 });
  });

  it('an agent gets FORBIDDEN; a role with only the Users page may read teams but not change them', async () => {
    const agent = await createUser(t, tenant);
    const reader = await createUser(t, tenant, { roleId: await createRole(t, tenant, [Page.ADMIN_USERS]) });
    const teamId = (await newTeam()).id;

    expect(codeOf(await t.gql(TeamsDocument, {}, agent.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(TeamDocument, { id: teamId }, agent.token))).toBe('FORBIDDEN');
    await t.ok(TeamsDocument, {}, reader.token);
    await t.ok(TeamDocument, { id: teamId }, reader.token);
    for (const token of [agent.token, reader.token]) {
      expect(codeOf(await t.gql(CreateTeamDocument, { input: { name: `No ${unique()}` } }, token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(UpdateTeamDocument, { id: teamId, input: { name: 'No' } }, token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(DeleteTeamDocument, { id: teamId }, token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(AddTeamMembersDocument, { input: { teamId, userIds: [users[0]!.id] } }, token))).toBe(
        'FORBIDDEN',
      );
    }
    expect((await team({ id: teamId })).memberCount).toBe(0);
  });

  // Regression: @IsOptional() lets an explicit null through, and assigning null to the NOT NULL name column fails with INTERNAL_SERVER_ERROR.
  it('refuses a null name on update with BAD_USER_INPUT', async () => {
    const { id } = await newTeam();
    const res = await t.gql(UpdateTeamDocument, { id, input: { name: null } }, admin);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.field).toBe('name');
  });
});
