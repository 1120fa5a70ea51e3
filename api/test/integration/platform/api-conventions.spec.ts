import { hashPassword } from '../../../src/platform/auth/password';
import { systemFork } from '../../../src/platform/database/tenant-filter';
import { Role } from '../../../src/modules/role/role.entity';
import { TeamMember } from '../../../src/modules/team/team.entity';
import { User } from '../../../src/modules/user/user.entity';
import { createTeam, createTenant, type TenantFixture } from '../../factories';
import { CreateUserDocument, MeDocument, UsersDocument, UsersWithTeamsDocument } from '../../graphql/generated';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

type Body = {
  data?: unknown;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
  extensions?: Record<string, unknown>;
};

describe('API conventions', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let auth: Record<string, string>;

  beforeAll(async () => {
    t = await startTestApp({
      GRAPHQL_MAX_DEPTH: '6',
      GRAPHQL_MAX_ALIASES: '5',
      GRAPHQL_MAX_COST: '3000',
      DEBUG_SQL_COUNT: 'true',
    });
    tenant = await createTenant(t);
    auth = { authorization: `Bearer ${tenant.admin.token}` };
  });
  afterAll(() => t.stop());

  const post = async (body: unknown, headers: Record<string, string> = auth) => {
    const res = await t.post(body, headers);
    expect(res.status).not.toBe(500);
    return { status: res.status, body: res.json as Body };
  };

  it('refuses a query deeper than the limit before running it', async () => {
    const { status, body } = await post({
      query: '{ teams { nodes { members { nodes { teams { members { nodes { id } } } } } } } }',
    });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'MAX_DEPTH' });
    expect(body.errors?.[0]?.message).toMatch(/depth 8 exceeds the limit of 6/);
    expect(body.data).toBeUndefined();
  });

  it('refuses a query over the cost budget, counting page sizes multiplied', async () => {
    const { status, body } = await post({
      query: '{ users(first: 100) { nodes { teams { members(first: 100) { nodes { id } } } } } }',
    });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'MAX_COST' });
  });

  it('reports the cost of an accepted query in extensions', async () => {
    const { body } = await post({ query: '{ users(first: 10) { nodes { id } } }' });
    expect(body.extensions?.cost).toEqual({ requested: expect.any(Number), limit: 3000 });
  });

  it('refuses a query with too many aliases', async () => {
    const query = `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: me { id }`).join(' ')} }`;
    const { status, body } = await post({ query });
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'MAX_ALIASES' });
  });

  it('limits aliases in introspection-only queries too (regression: they skipped every limit)', async () => {
    const query = `{ ${Array.from({ length: 6 }, (_, i) => `a${i}: __typename`).join(' ')} }`;
    const { status, body } = await post({ query }, {});
    expect(status).toBe(400);
    expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'MAX_ALIASES' });
    const reads = await post({
      query:
        '{ a: __schema { queryType { name } } b: __schema { queryType { name } } c: __type(name: "User") { name } }',
    });
    expect(reads.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'MAX_INTROSPECTION' });
  });

  it('refuses batched HTTP requests', async () => {
    const { status, body } = await post([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]);
    expect(status).toBe(400);
    expect(JSON.stringify(body)).not.toContain('"me"');
  });

  it('refuses CSRF-style simple requests: a GET without a preflight header and a text/plain POST', async () => {
    const get = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ __typename }')}`);
    expect(get.status).toBe(400);
    expect(await get.text()).toMatch(/CSRF/);
    const plain = await fetch(`${t.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ query: '{ __typename }' }),
    });
    expect(plain.status).toBe(400);
    const preflighted = await fetch(`${t.url}/graphql?query=${encodeURIComponent('{ __typename }')}`, {
      headers: { 'apollo-require-preflight': 'true' },
    });
    expect(preflighted.status).toBe(200);
  });

  it('answers malformed input with BAD_USER_INPUT naming the field', async () => {
    const res = await t.gql(
      CreateUserDocument,
      { input: { email: 'not-an-email', password: 'long-enough-password', nickname: 'X', roleId: tenant.agentRoleId } },
      tenant.admin.token,
    );
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors?.[0]?.extensions?.field).toBe('email');

    const page = await t.gql(UsersDocument, { first: 101 }, tenant.admin.token);
    expect(codeOf(page)).toBe('BAD_USER_INPUT');
    expect(page.errors?.[0]?.extensions?.field).toBe('first');

    const id = await post({ query: '{ user(id: "42") { id } }' });
    expect(id.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'id' });

    const wrongType = await post({
      query: 'query ($n: Int) { users(first: $n) { totalCount } }',
      variables: { n: 'ten' },
    });
    expect(wrongType.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const unknownField = await post({ query: '{ me { shoeSize } }' });
    expect(unknownField.status).toBe(400);
    expect(unknownField.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const badCursor = await post({ query: '{ users(after: "nonsense") { totalCount } }' });
    expect(badCursor.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('answers a body that is not JSON, or too large, with a JSON error', async () => {
    const bad = await t.post('{"query": ', {});
    expect(bad.status).toBe(400);
    expect(bad.json).toEqual({
      errors: [{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_USER_INPUT' } }],
    });
    const big = await t.post({ query: `{ me { id } } # ${'x'.repeat(1_100_000)}` }, {});
    expect(big.status).toBe(413);
    expect((big.json as Body).errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('never sends a stack trace', async () => {
    const { body } = await post({ query: '{ user(id: "00000000-0000-7000-8000-000000000000") { id } }' });
    expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(JSON.stringify(body)).not.toMatch(/stacktrace|\.ts:\d+/);
  });

  it('echoes a request id, or makes one', async () => {
    const given = await fetch(`${t.url}/healthz`, { headers: { 'x-request-id': 'abc-123' } });
    expect(given.headers.get('x-request-id')).toBe('abc-123');
    const made = await fetch(`${t.url}/healthz`);
    expect(made.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('reports alive and ready', async () => {
    expect(await (await fetch(`${t.url}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready' });
  });

  it('serves the playground page and its assets from this server', async () => {
    const page = await fetch(`${t.url}/graphql`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const assets = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!);
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      expect((await fetch(`${t.url}${asset}`)).status).toBe(200);
    }
  });

  it('loads a list with its relations in a constant number of SQL statements (no N+1)', async () => {
    const em = systemFork(t.orm.em);
    const passwordHash = await hashPassword('not-used-for-sign-in');
    const teams = [await createTeam(t, tenant), await createTeam(t, tenant)];
    for (let i = 0; i < 60; i++) {
      const user = em.create(User, {
        tenant: tenant.tenantId,
        email: `bulk-${i}-${tenant.tenantId}@test.example.com`,
        nickname: `Bulk ${i}`,
        passwordHash,
        role: em.getReference(Role, i % 2 ? tenant.agentRoleId : tenant.adminRoleId),
      });
      em.create(TeamMember, { tenant: tenant.tenantId, team: teams[i % 2]!, user: user.id });
    }
    await em.flush();
    const counts: number[] = [];
    for (const first of [5, 50]) {
      const res = await t.gql(UsersWithTeamsDocument, { first }, tenant.admin.token);
      expect(res.errors).toBeUndefined();
      expect(res.data?.users.nodes).toHaveLength(first);
      counts.push(res.extensions?.sqlStatements as number);
    }
    expect(counts[0]).toBeGreaterThan(0);
    expect(counts[1]).toBe(counts[0]);
  });
});

describe('introspection in production', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ NODE_ENV: 'production' });
  });
  afterAll(() => t.stop());

  it('is refused to anonymous callers and open to signed-in ones', async () => {
    const anonymous = await t.post({ query: '{ __schema { queryType { name } } }' });
    expect(anonymous.status).toBe(401);
    expect((anonymous.json as Body).errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    // Regression: introspection behind a fragment was not recognised as introspection.
    for (const query of [
      '{ ... on Query { __schema { queryType { name } } } }',
      '{ ...F } fragment F on Query { __type(name: "User") { name } }',
    ]) {
      const hidden = await t.post({ query });
      expect({ query, code: (hidden.json as Body).errors?.[0]?.extensions?.code }).toEqual({
        query,
        code: 'UNAUTHENTICATED',
      });
    }
    const tenant = await createTenant(t);
    const signedIn = await t.post(
      { query: '{ __schema { queryType { name } } }' },
      { authorization: `Bearer ${tenant.admin.token}` },
    );
    expect((signedIn.json as Body).data).toEqual({ __schema: { queryType: { name: 'Query' } } });
    await t.ok(MeDocument, {}, tenant.admin.token);
  });
});
