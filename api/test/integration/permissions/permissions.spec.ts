import { getNamedType, isNonNullType, isObjectType, type GraphQLSchema } from 'graphql';
import { v7 as uuidv7 } from 'uuid';
import { undeclaredRootFields } from '../../../src/platform/graphql/access';
import { systemFork } from '../../../src/platform/database/tenant-filter';
import { Notification, NotificationKind } from '../../../src/modules/notification/notification.entity';
import { ApiKey } from '../../../src/modules/api-key/api-key.entity';
import { Role } from '../../../src/modules/role/role.entity';
import { Page } from '../../../src/platform/auth/pages';
import { createRole, createTeam, createTenant, createUser, type TenantFixture } from '../../factories';
import { CreateWidgetConfigDocument, StartVisitorSessionDocument } from '../../graphql/generated';
import { callOf, rootFields, takesIds } from '../../support/schema-calls';
import { startTestApp, type TestApp } from '../../support/test-app';

describe('permission layer', () => {
  let t: TestApp;
  let schema: GraphQLSchema;
  let a: TenantFixture;
  let b: TenantFixture;
  let visitorOfB: string;
  const idsOfA: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp();
    schema = t.app.schema;
    a = await createTenant(t);
    b = await createTenant(t);
    const widgetOfB = (await t.ok(CreateWidgetConfigDocument, { input: { name: 'Site' } }, b.admin.token))
      .createWidgetConfig;
    visitorOfB = (await t.ok(StartVisitorSessionDocument, { input: { widgetKey: widgetOfB.publicKey } }))
      .startVisitorSession.token;
    const teamId = await createTeam(t, a);
    const agent = await createUser(t, a, { teamIds: [teamId], signIn: false });
    const roleId = await createRole(t, a, [Page.ADMIN_TEAMS]);
    const em = systemFork(t.orm.em);
    const apiKey = em.create(ApiKey, {
      tenant: a.tenantId,
      name: 'CRM',
      role: em.getReference(Role, roleId),
      tokenHash: '0'.repeat(64),
      hint: 'abcd',
    });
    const notification = em.create(Notification, {
      tenant: a.tenantId,
      recipient: agent.id,
      kind: NotificationKind.SYSTEM,
      title: 'Hello',
      body: 'Body',
    });
    await em.flush();
    Object.assign(idsOfA, {
      admin: a.admin.id,
      agent: agent.id,
      team: teamId,
      customRole: roleId,
      agentRole: a.agentRoleId,
      adminRole: a.adminRoleId,
      apiKey: apiKey.id,
      notification: notification.id,
      tenant: a.tenantId,
    });
  });
  afterAll(() => t.stop());

  it('declares a permission (or an explicit public marker) on every root field of the built schema', () => {
    expect(undeclaredRootFields(schema)).toEqual([]);
  });

  it("answers NOT_FOUND to every operation given another tenant's ids, exactly as for missing ids", async () => {
    const fields = rootFields(schema).filter((f) => takesIds(f.field));
    expect(fields.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const root of fields) {
      // Operations only visitors may call are tried by a visitor of tenant B, the others by B's admin.
      const visitorOnly = root.rule?.type === 'signedIn' && !root.rule.kinds.includes('user');
      const token = visitorOnly ? visitorOfB : b.admin.token;
      for (const [kind, id] of Object.entries({ ...idsOfA, missing: uuidv7() })) {
        const { query, variables } = callOf(root, id);
        const res = await t.post({ query, variables }, { authorization: `Bearer ${token}` });
        const body = res.json as { errors?: { extensions?: { code?: string } }[] };
        const code = body.errors?.[0]?.extensions?.code;
        if (code !== 'NOT_FOUND')
          failures.push(`${root.operation} ${root.name} with ${kind} id → ${JSON.stringify(body)}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it('lists nothing of another tenant in any list query', async () => {
    const lists = rootFields(schema).filter(
      (f) =>
        f.operation === 'query' &&
        f.field.args.every((arg) => !isNonNullType(arg.type) || arg.defaultValue !== undefined) &&
        isObjectType(getNamedType(f.field.type)) &&
        'nodes' in (getNamedType(f.field.type) as { getFields(): object }).getFields(),
    );
    expect(lists.map((l) => l.name)).toEqual(
      expect.arrayContaining(['users', 'teams', 'roles', 'apiKeys', 'loginRecords', 'notifications']),
    );
    const foreign = new Set(Object.values(idsOfA));
    for (const list of lists) {
      const res = await t.post(
        { query: `query { ${list.name}(first: 100) { totalCount nodes { id } } }` },
        { authorization: `Bearer ${b.admin.token}` },
      );
      const data = (res.json as { data: Record<string, { nodes: { id: string }[] }> }).data;
      const ids = data[list.name]!.nodes.map((n) => n.id);
      // B's own rows are there: the list works, and it holds nothing of A.
      if (['users', 'roles', 'loginRecords'].includes(list.name))
        expect({ [list.name]: ids.length > 0 }).toEqual({ [list.name]: true });
      expect({ list: list.name, leaked: ids.filter((id) => foreign.has(id)) }).toEqual({ list: list.name, leaked: [] });
    }
  });

  it('refuses every page-guarded operation to a role that grants no page (FORBIDDEN)', async () => {
    const roleId = await createRole(t, b, []);
    const nobody = await createUser(t, b, { roleId });
    const guarded = rootFields(schema).filter((f) => f.rule?.type === 'page');
    expect(guarded.length).toBeGreaterThan(10);
    const failures: string[] = [];
    for (const root of guarded) {
      const { query, variables } = callOf(root, uuidv7());
      const res = await t.post({ query, variables }, { authorization: `Bearer ${nobody.token}` });
      const code = (res.json as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;
      if (code !== 'FORBIDDEN') failures.push(`${root.operation} ${root.name} → ${JSON.stringify(res.json)}`);
    }
    expect(failures).toEqual([]);
  });

  it('refuses every non-public operation to an anonymous caller (UNAUTHENTICATED)', async () => {
    const failures: string[] = [];
    for (const root of rootFields(schema).filter((f) => f.rule?.type !== 'public')) {
      const { query, variables } = callOf(root, uuidv7());
      const res = await t.post({ query, variables });
      const code = (res.json as { errors?: { extensions?: { code?: string } }[] }).errors?.[0]?.extensions?.code;
      if (code !== 'UNAUTHENTICATED') failures.push(`${root.operation} ${root.name} → ${JSON.stringify(res.json)}`);
    }
    expect(failures).toEqual([]);
  });
});
