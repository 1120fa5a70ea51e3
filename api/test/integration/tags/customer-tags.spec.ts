import { Page } from '../../../src/platform/auth/pages';
import { createRole, createTenant, createUser, type TenantFixture } from '../../factories';
import {
  CreateCustomerTagDocument,
  CustomerTagsDocument,
  CustomerTagTemplateDocument,
  DeleteCustomerTagDocument,
  ExportCustomerTagsDocument,
  ImportCustomerTagsDocument,
  QueueWithTagsDocument,
  SetCustomerTagsDocument,
  StartVisitorSessionDocument,
  SendVisitorMessageDocument,
  UpdateCustomerTagDocument,
} from '../../graphql/generated';
import { codeOf, type GraphQLResponse, startTestApp, type TestApp } from '../../support/test-app';
import { tagSteps } from './tag-app';

const reasonOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.reason;

describe('customer tags (CNV-2, SET-2)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let widgetKey: string;
  const steps = tagSteps(() => t);

  beforeAll(async () => {
    t = await startTestApp({ DEBUG_SQL_COUNT: 'true' });
    tenant = await createTenant(t);
    widgetKey = await steps.widget(tenant);
  });
  afterAll(() => t.stop());

  const tag = async (name: string, color: string | null = null, token = tenant.admin.token) =>
    (await t.ok(CreateCustomerTagDocument, { input: { name, color } }, token)).createCustomerTag;
  const names = async (token = tenant.admin.token) =>
    (await t.ok(CustomerTagsDocument, { first: 100 }, token)).customerTags.nodes.map((n) => n.name);

  it('lets admins create, rename and delete tags; names are unique; staff list and search them', async () => {
    const vip = await tag('Big spender', '#ff0000');
    expect(vip).toMatchObject({ name: 'Big spender', color: '#ff0000' });
    const dup = await t.gql(CreateCustomerTagDocument, { input: { name: 'Big spender' } }, tenant.admin.token);
    expect([codeOf(dup), reasonOf(dup)]).toEqual(['CONFLICT', 'CUSTOMER_TAG_NAME_TAKEN']);
    const badColor = await t.gql(
      CreateCustomerTagDocument,
      { input: { name: 'Red', color: 'red' } },
      tenant.admin.token,
    );
    expect(codeOf(badColor)).toBe('BAD_USER_INPUT');
    const tooLong = await t.gql(CreateCustomerTagDocument, { input: { name: 'x'.repeat(41) } }, tenant.admin.token);
    expect(codeOf(tooLong)).toBe('BAD_USER_INPUT');

    const renamed = await t.ok(UpdateCustomerTagDocument, { id: vip.id, input: { name: 'Whale' } }, tenant.admin.token);
    expect(renamed.updateCustomerTag).toMatchObject({ name: 'Whale', color: null });
    const agent = await createUser(t, tenant);
    const found = await t.ok(CustomerTagsDocument, { search: 'WHA' }, agent.token);
    expect(found.customerTags.nodes.map((n) => n.id)).toEqual([vip.id]);

    await t.ok(DeleteCustomerTagDocument, { id: vip.id }, tenant.admin.token);
    expect(await names()).not.toContain('Whale');
  });

  it('lets the serving agent set a customer’s tags; the queue reads them without a query per row', async () => {
    const a = await tag('Returning');
    const b = await tag('Complaint');
    const { customerId, agent } = await steps.served(tenant, widgetKey);
    const set = await t.ok(SetCustomerTagsDocument, { customerId, tagIds: [a.id, b.id, a.id] }, agent.token);
    expect(set.setCustomerTags.tags.map((x) => x.name).sort()).toEqual(['Complaint', 'Returning']);
    const reduced = await t.ok(SetCustomerTagsDocument, { customerId, tagIds: [b.id] }, agent.token);
    expect(reduced.setCustomerTags.tags.map((x) => x.name)).toEqual(['Complaint']);

    const stranger = await createUser(t, tenant);
    expect(codeOf(await t.gql(SetCustomerTagsDocument, { customerId, tagIds: [a.id] }, stranger.token))).toBe(
      'NOT_FOUND',
    );
    const missing = await t.gql(SetCustomerTagsDocument, { customerId, tagIds: [customerId] }, agent.token);
    expect([codeOf(missing), reasonOf(missing)]).toEqual(['NOT_FOUND', 'CUSTOMER_TAG_NOT_FOUND']);

    // Queued conversations of tagged customers: the statement count does not grow with the rows.
    const queued = async (n: number) => {
      for (let i = 0; i < n; i++) {
        const v = (await t.ok(StartVisitorSessionDocument, { input: { widgetKey } })).startVisitorSession;
        await t.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text: 'hi' } }, v.token);
        await t.ok(SetCustomerTagsDocument, { customerId: v.customer.id, tagIds: [a.id] }, tenant.admin.token);
      }
      const res = await t.gql(QueueWithTagsDocument, { first: 100 }, tenant.admin.token);
      expect(res.errors).toBeUndefined();
      expect(res.data!.queue.nodes.every((c) => c.customer.tags.some((x) => x.name === 'Returning'))).toBe(true);
      return { rows: res.data!.queue.nodes.length, statements: res.extensions?.sqlStatements };
    };
    const few = await queued(2);
    const more = await queued(4);
    expect(more.rows).toBeGreaterThan(few.rows);
    expect(more.statements).toBe(few.statements);
  });

  it('imports only new tags from CSV: existing names skipped, bad rows reported by line; exports round-trip', async () => {
    const own = await createTenant(t);
    const token = own.admin.token;
    await tag('Existing', null, token);
    const template = (await t.ok(CustomerTagTemplateDocument, {}, token)).customerTagTemplate;
    expect((await steps.download(template.url)).trim()).toBe('name,color');

    const csv = [
      'name,color',
      'Existing,#000000', // line 2: skipped
      'Fresh,#00ff00', // line 3
      ',#123456', // line 4: no name
      'Painted,blue', // line 5: bad colour
      'Fresh,', // line 6: twice in the file, skipped
      '"Quoted, with comma",', // line 7
      'x'.repeat(41), // line 8: too long
    ].join('\r\n');
    const report = (await t.ok(ImportCustomerTagsDocument, { fileId: await steps.upload(token, csv) }, token))
      .importCustomerTags;
    expect(report).toEqual({
      imported: 2,
      skipped: 2,
      errors: [
        { line: 4, column: 'name', message: expect.stringMatching(/empty/) },
        { line: 5, column: 'color', message: expect.stringMatching(/#/) },
        { line: 8, column: 'name', message: expect.stringMatching(/40/) },
      ],
    });
    expect((await names(token)).sort()).toEqual(['Existing', 'Fresh', 'Quoted, with comma']);

    const exported = (await t.ok(ExportCustomerTagsDocument, {}, token)).exportCustomerTags;
    expect(exported.count).toBe(3);
    const text = await steps.download(exported.url);
    expect(text).toContain('"Quoted, with comma"');
    // Importing the export again adds nothing.
    const again = (await t.ok(ImportCustomerTagsDocument, { fileId: await steps.upload(token, text) }, token))
      .importCustomerTags;
    expect(again).toEqual({ imported: 0, skipped: 3, errors: [] });
  });

  it('refuses a malformed file as a whole, importing nothing', async () => {
    const own = await createTenant(t);
    const token = own.admin.token;
    const csv = 'name,color\r\nGood one,\r\n"Unclosed,#fff000\r\nAnother,\r\n';
    const res = await t.gql(ImportCustomerTagsDocument, { fileId: await steps.upload(token, csv) }, token);
    expect(codeOf(res)).toBe('BAD_USER_INPUT');
    expect(res.errors![0]!.message).toMatch(/Line 3/);
    const noHeader = await t.gql(
      ImportCustomerTagsDocument,
      { fileId: await steps.upload(token, 'label\r\nX\r\n') },
      token,
    );
    expect(codeOf(noHeader)).toBe('BAD_USER_INPUT');
    expect(await names(token)).toEqual([]);
  });

  it("gives another tenant nothing: NOT_FOUND on this tenant's tags, customers and files", async () => {
    const other = await createTenant(t);
    const mine = await tag('Ours');
    const { customerId } = await steps.served(tenant, widgetKey);
    const fileId = await steps.upload(tenant.admin.token, 'name\r\nSneaky\r\n');
    const token = other.admin.token;
    expect(codeOf(await t.gql(UpdateCustomerTagDocument, { id: mine.id, input: { name: 'x' } }, token))).toBe(
      'NOT_FOUND',
    );
    expect(codeOf(await t.gql(DeleteCustomerTagDocument, { id: mine.id }, token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(SetCustomerTagsDocument, { customerId, tagIds: [] }, token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(ImportCustomerTagsDocument, { fileId }, token))).toBe('NOT_FOUND');
    expect(await names(token)).toEqual([]);
    // Their own customers cannot carry this tenant's tags.
    const theirWidget = await steps.widget(other);
    const theirs = await steps.served(other, theirWidget);
    const res = await t.gql(SetCustomerTagsDocument, { customerId: theirs.customerId, tagIds: [mine.id] }, token);
    expect(codeOf(res)).toBe('NOT_FOUND');
  });

  it('refuses tag administration to a role without the settings page (FORBIDDEN)', async () => {
    const roleId = await createRole(t, tenant, [Page.AGENT_CONVERSATIONS]);
    const agent = await createUser(t, tenant, { roleId });
    expect(codeOf(await t.gql(CreateCustomerTagDocument, { input: { name: 'Nope' } }, agent.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(ExportCustomerTagsDocument, {}, agent.token))).toBe('FORBIDDEN');
    const fileId = await steps.upload(agent.token, 'name\r\nNope\r\n');
    expect(codeOf(await t.gql(ImportCustomerTagsDocument, { fileId }, agent.token))).toBe('FORBIDDEN');
    expect(await names(agent.token)).not.toContain('Nope');
  });
});
