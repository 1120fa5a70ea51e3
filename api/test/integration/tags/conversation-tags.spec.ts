import { DataScope, Page } from '../../../src/platform/auth/pages';
import { systemFork } from '../../../src/platform/database/tenant-filter';
import { Role } from '../../../src/modules/role/role.entity';
import { createRole, createTenant, createUser, type TenantFixture } from '../../factories';
import {
  CloseTaggedConversationDocument,
  ConversationTagsDocument,
  CreateConversationTagDocument,
  DeleteConversationTagDocument,
  ExportConversationTagsDocument,
  ImportConversationTagsDocument,
  MoveConversationTagDocument,
  RenameConversationTagDocument,
  TagConversationDocument,
  TaggedConversationDocument,
  UpdateAutoTagSettingsDocument,
} from '../../graphql/generated';
import { codeOf, type GraphQLResponse, startTestApp, type TestApp } from '../../support/test-app';
import { tagSteps } from './tag-app';

const reasonOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.reason;

describe('conversation tags (CNV-3, CNV-6, SET-2)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let widgetKey: string;
  const steps = tagSteps(() => t);

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    widgetKey = await steps.widget(tenant);
  });
  afterAll(() => t.stop());

  const create = (name: string, parentId: string | null = null, token = tenant.admin.token) =>
    t.gql(CreateConversationTagDocument, { input: { name, parentId } }, token);
  const tag = async (name: string, parentId: string | null = null, token = tenant.admin.token) => {
    const res = await create(name, parentId, token);
    if (!res.data) throw new Error(JSON.stringify(res.errors));
    return res.data.createConversationTag;
  };
  /** A role with these pages and tenant-wide data scopes. */
  const tenantWideRole = async (pages: Page[]) => {
    const roleId = await createRole(t, tenant, pages);
    const scopes = { customersScope: DataScope.TENANT, historyScope: DataScope.TENANT, ongoingScope: DataScope.TENANT };
    await systemFork(t.orm.em).nativeUpdate(Role, { id: roleId }, scopes);
    return roleId;
  };
  const tree = async (token = tenant.admin.token) => (await t.ok(ConversationTagsDocument, {}, token)).conversationTags;

  it('builds, renames, moves and deletes a tree; staff read it depth first', async () => {
    const own = await createTenant(t);
    const token = own.admin.token;
    const sales = await tag('Sales', null, token);
    const support = await tag('Support', null, token);
    const refund = await tag('Refund', support.id, token);
    const late = await tag('Late delivery', refund.id, token);
    expect(late).toMatchObject({ parent: refund.id, depth: 3 });
    const dup = await create('Refund', support.id, token);
    expect([codeOf(dup), reasonOf(dup)]).toEqual(['CONFLICT', 'SIBLING_NAME_TAKEN']);

    const agent = await createUser(t, own);
    expect((await tree(agent.token)).map((x) => x.name)).toEqual(['Sales', 'Support', 'Refund', 'Late delivery']);

    await t.ok(RenameConversationTagDocument, { id: refund.id, name: 'Refunds' }, token);
    // Move the Refunds branch under Sales, first: the depths follow.
    await tag('Quote', sales.id, token);
    const moved = await t.ok(
      MoveConversationTagDocument,
      { id: refund.id, input: { parentId: sales.id, position: 0 } },
      token,
    );
    expect(moved.moveConversationTag).toMatchObject({ parent: sales.id, depth: 2, position: 0 });
    const after = await tree(token);
    expect(after.map((x) => [x.name, x.depth])).toEqual([
      ['Sales', 1],
      ['Refunds', 2],
      ['Late delivery', 3],
      ['Quote', 2],
      ['Support', 1],
    ]);
    const loop = await t.gql(MoveConversationTagDocument, { id: sales.id, input: { parentId: late.id } }, token);
    expect([codeOf(loop), reasonOf(loop)]).toEqual(['BAD_USER_INPUT', 'MOVE_INTO_ITSELF']);

    expect((await t.ok(DeleteConversationTagDocument, { id: sales.id }, token)).deleteConversationTag).toBe(sales.id);
    expect((await tree(token)).map((x) => x.name)).toEqual(['Support']);
  });

  it('refuses an 11th level, a 21st root and a 1,001st tag, naming the limit — also when created at once', async () => {
    const own = await createTenant(t);
    const token = own.admin.token;
    let parent: string | null = null;
    for (let level = 1; level <= 10; level++) parent = (await tag(`L${level}`, parent, token)).id;
    const deep = await create('L11', parent, token);
    expect([codeOf(deep), reasonOf(deep)]).toEqual(['BAD_USER_INPUT', 'TOO_DEEP']);
    expect(deep.errors![0]!.message).toMatch(/at most 10 levels/);
    // A branch that would end deeper than 10 levels cannot move either.
    const branch = await tag('B1', null, token);
    await tag('B2', branch.id, token);
    const tooDeep = await t.gql(MoveConversationTagDocument, { id: branch.id, input: { parentId: parent } }, token);
    expect(reasonOf(tooDeep)).toBe('TOO_DEEP');

    // 20 roots at most, even when many are created at the same moment (2 exist already).
    const attempts = await Promise.all(Array.from({ length: 25 }, (_, i) => create(`Root ${i}`, null, token)));
    expect(attempts.filter((r) => !r.errors).length).toBe(18);
    const refused = attempts.find((r) => r.errors)!;
    expect([codeOf(refused), reasonOf(refused)]).toEqual(['BAD_USER_INPUT', 'TOO_MANY_ROOTS']);
    expect(refused.errors![0]!.message).toMatch(/at most 20 root/);
    expect((await tree(token)).filter((x) => x.parent === null)).toHaveLength(20);

    // 1,000 tags at most: fill up through an import, the row past the limit is reported.
    const count = (await tree(token)).length;
    const rows = Array.from({ length: 1000 - count }, (_, i) => `B1,Topic ${i}`);
    const csv = ['level1,level2', ...rows, 'B1,One too many'].join('\n');
    const fileId = await steps.upload(token, csv);
    const report = (await t.ok(ImportConversationTagsDocument, { fileId }, token)).importConversationTags;
    expect(report).toEqual({
      imported: rows.length,
      skipped: 0,
      errors: [{ line: rows.length + 2, column: null, message: expect.stringMatching(/at most 1,000/) }],
    });
    expect((await tree(token)).length).toBe(1000);
    const full = await create('Extra', parent, token);
    expect(reasonOf(full)).toBe('TOO_MANY_TAGS');
  });

  it('imports and exports the tree as CSV (level1…level10), reporting bad rows; a malformed file imports nothing', async () => {
    const own = await createTenant(t);
    const token = own.admin.token;
    const support = await tag('Support', null, token);
    await tag('Refund', support.id, token);
    const csv = [
      'level1,level2,level3',
      'Support,Refund', // line 2: exists, skipped
      'Support,Refund,Partial', // line 3
      'Sales,Quote', // line 4: Sales is created with it
      ',Orphan', // line 5: no level1
      'Sales,,Gap', // line 6: gap
      `Sales,${'n'.repeat(61)}`, // line 7: too long
      'Sales', // line 8: exists by now, skipped
    ].join('\r\n');
    const report = (await t.ok(ImportConversationTagsDocument, { fileId: await steps.upload(token, csv) }, token))
      .importConversationTags;
    expect(report).toEqual({
      imported: 2,
      skipped: 2,
      errors: [
        { line: 5, column: 'level1', message: expect.any(String) },
        { line: 6, column: 'level2', message: expect.stringMatching(/level2 is empty but level3/) },
        { line: 7, column: 'level2', message: expect.stringMatching(/60/) },
      ],
    });
    const names = (await tree(token)).map((x) => `${x.depth}:${x.name}`);
    expect(names).toEqual(['1:Support', '2:Refund', '3:Partial', '1:Sales', '2:Quote']);

    const exported = (await t.ok(ExportConversationTagsDocument, {}, token)).exportConversationTags;
    expect(exported.count).toBe(5);
    const text = await steps.download(exported.url);
    expect(text.split('\r\n')[0]).toBe('level1,level2,level3,level4,level5,level6,level7,level8,level9,level10');
    expect(text).toContain('Support,Refund,Partial');

    // The export rebuilds the same tree elsewhere.
    const copy = await createTenant(t);
    const round = (
      await t.ok(
        ImportConversationTagsDocument,
        { fileId: await steps.upload(copy.admin.token, text) },
        copy.admin.token,
      )
    ).importConversationTags;
    expect(round).toEqual({ imported: 5, skipped: 0, errors: [] });
    expect((await tree(copy.admin.token)).map((x) => `${x.depth}:${x.name}`)).toEqual(names);

    const malformed = await t.gql(
      ImportConversationTagsDocument,
      { fileId: await steps.upload(token, 'level1\r\nNew root\r\n"Broken\r\n') },
      token,
    );
    expect(codeOf(malformed)).toBe('BAD_USER_INPUT');
    expect(malformed.errors![0]!.message).toMatch(/Line 3/);
    expect((await tree(token)).map((x) => x.name)).not.toContain('New root');
  });

  it('tags a conversation with a remark during it and after close, by those allowed to', async () => {
    const root = await tag('Billing');
    const child = await tag('Invoice', root.id);
    const { conversationId, agent } = await steps.served(tenant, widgetKey);
    const during = await t.ok(
      TagConversationDocument,
      { conversationId, tagIds: [child.id, root.id], remark: '  Wants a copy  ' },
      agent.token,
    );
    expect(during.tagConversation).toMatchObject({ state: 'ONGOING', tagRemark: 'Wants a copy' });
    expect(during.tagConversation.tags.map((x) => x.name)).toEqual(['Billing', 'Invoice']);
    const long = await t.gql(
      TagConversationDocument,
      { conversationId, tagIds: [], remark: 'r'.repeat(1001) },
      agent.token,
    );
    expect(codeOf(long)).toBe('BAD_USER_INPUT');
    const unknown = await t.gql(TagConversationDocument, { conversationId, tagIds: [agent.id] }, agent.token);
    expect(reasonOf(unknown)).toBe('CONVERSATION_TAG_NOT_FOUND');

    // Someone else's conversation: not visible to another agent; a supervisor may tag it.
    const other = await createUser(t, tenant);
    expect(codeOf(await t.gql(TagConversationDocument, { conversationId, tagIds: [] }, other.token))).toBe('NOT_FOUND');
    const supervisor = await createUser(t, tenant, { roleId: await tenantWideRole([Page.ADMIN_MONITOR]) });
    const supervised = await t.ok(TagConversationDocument, { conversationId, tagIds: [root.id] }, supervisor.token);
    expect(supervised.tagConversation).toMatchObject({ tagRemark: 'Wants a copy', tags: [{ name: 'Billing' }] });

    await t.ok(CloseTaggedConversationDocument, { id: conversationId }, agent.token);
    // After close: the agent who served it (History page), or ADMIN_HISTORY; the monitor page is not enough.
    const afterClose = await t.ok(
      TagConversationDocument,
      { conversationId, tagIds: [child.id], remark: 'Sent by mail' },
      agent.token,
    );
    expect(afterClose.tagConversation).toMatchObject({
      state: 'CLOSED',
      tagRemark: 'Sent by mail',
      tags: [{ name: 'Invoice' }],
    });
    expect(codeOf(await t.gql(TagConversationDocument, { conversationId, tagIds: [] }, supervisor.token))).toBe(
      'NOT_FOUND',
    );
    const historian = await createUser(t, tenant, { roleId: await tenantWideRole([Page.ADMIN_HISTORY]) });
    const cleared = await t.ok(TagConversationDocument, { conversationId, tagIds: [], remark: '' }, historian.token);
    expect(cleared.tagConversation).toMatchObject({ tags: [], tagRemark: null });

    // An agent whose role lost the History page may no longer tag what they served.
    const noHistory = await createRole(t, tenant, [Page.AGENT_CONVERSATIONS, Page.AGENT_QUEUE]);
    const limited = await createUser(t, tenant, { roleId: noHistory });
    const second = await steps.served(tenant, widgetKey, limited);
    await t.ok(CloseTaggedConversationDocument, { id: second.conversationId }, limited.token);
    const refused = await t.gql(
      TagConversationDocument,
      { conversationId: second.conversationId, tagIds: [] },
      limited.token,
    );
    expect([codeOf(refused), reasonOf(refused)]).toEqual(['FORBIDDEN', 'MAY_NOT_TAG']);
  });

  it('with "force conversation tag" on, refuses to close an untagged conversation', async () => {
    const own = await createTenant(t);
    const ownWidget = await steps.widget(own);
    const topic = await tag('Topic', null, own.admin.token);
    await t.ok(UpdateAutoTagSettingsDocument, { input: { forceConversationTag: true } }, own.admin.token);
    const { conversationId, agent } = await steps.served(own, ownWidget);
    const refused = await t.gql(CloseTaggedConversationDocument, { id: conversationId }, agent.token);
    expect([codeOf(refused), reasonOf(refused)]).toEqual(['CONFLICT', 'TAG_REQUIRED']);
    const byAdmin = await t.gql(CloseTaggedConversationDocument, { id: conversationId }, own.admin.token);
    expect(reasonOf(byAdmin)).toBe('TAG_REQUIRED');
    expect((await t.ok(TaggedConversationDocument, { id: conversationId }, own.admin.token)).conversation.state).toBe(
      'ONGOING',
    );
    await t.ok(TagConversationDocument, { conversationId, tagIds: [topic.id] }, agent.token);
    const closed = await t.ok(CloseTaggedConversationDocument, { id: conversationId }, agent.token);
    expect(closed.closeConversation.state).toBe('CLOSED');
  });

  it("gives another tenant nothing: NOT_FOUND on this tenant's tags and conversations", async () => {
    const other = await createTenant(t);
    const mine = await tag('Private');
    const { conversationId } = await steps.served(tenant, widgetKey);
    const token = other.admin.token;
    expect(codeOf(await t.gql(RenameConversationTagDocument, { id: mine.id, name: 'x' }, token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(DeleteConversationTagDocument, { id: mine.id }, token))).toBe('NOT_FOUND');
    expect(codeOf(await create('Child', mine.id, token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(TagConversationDocument, { conversationId, tagIds: [] }, token))).toBe('NOT_FOUND');
    const theirs = await steps.served(other, await steps.widget(other));
    const foreignTag = await t.gql(
      TagConversationDocument,
      { conversationId: theirs.conversationId, tagIds: [mine.id] },
      token,
    );
    expect(codeOf(foreignTag)).toBe('NOT_FOUND');
    expect(await tree(token)).toEqual([]);
  });

  it('refuses tree administration to a role without the settings page (FORBIDDEN)', async () => {
    const agent = await createUser(t, tenant);
    expect(codeOf(await create('Nope', null, agent.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(ExportConversationTagsDocument, {}, agent.token))).toBe('FORBIDDEN');
    const nobody = await createUser(t, tenant, { roleId: await createRole(t, tenant, []) });
    const { conversationId } = await steps.served(tenant, widgetKey);
    expect(codeOf(await t.gql(TagConversationDocument, { conversationId, tagIds: [] }, nobody.token))).toBe(
      'FORBIDDEN',
    );
  });
});
