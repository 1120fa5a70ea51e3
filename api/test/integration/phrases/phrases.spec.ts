import { Customer } from '../../../src/modules/customer/customer.entity';
import { Phrase } from '../../../src/modules/phrase/phrase.entity';
import { Page } from '../../../src/platform/auth/pages';
import { systemFork } from '../../../src/platform/database/tenant-filter';
import { createRole, createTenant, createUser, type TenantFixture, type UserFixture } from '../../factories';
import {
  CreatePhraseCategoryDocument,
  CreatePhraseDocument,
  CreateWidgetConfigDocument,
  DeletePhraseCategoryDocument,
  DeletePhrasesDocument,
  ExportPhrasesDocument,
  ImportPhrasesDocument,
  JoinConversationDocument,
  MovePhrasesDocument,
  PhraseCategoriesDocument,
  PhraseDecideApprovalDocument,
  PhraseDefaultAddressDocument,
  PhraseImportTemplateDocument,
  PhraseMyNotificationsDocument,
  PhrasesDocument,
  RenamePhraseCategoryDocument,
  RenderPhraseDocument,
  ReorderPhrasesDocument,
  RequestPublicPhraseDocument,
  SendVisitorMessageDocument,
  StartVisitorSessionDocument,
  UpdatePhraseDocument,
} from '../../graphql/generated';
import { codeOf, type GraphQLResponse, startTestApp, type TestApp } from '../../support/test-app';

const reasonOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.reason;

describe('phrases (CNT-2, CNT-3, TEN-6)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let admin: UserFixture;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    admin = tenant.admin;
  });
  afterAll(() => t.stop());

  const category = async (token: string, scope: 'PUBLIC' | 'PERSONAL', name: string, parentId?: string) =>
    (await t.ok(CreatePhraseCategoryDocument, { input: { scope, name, parentId } }, token)).createPhraseCategory;
  const phrase = async (token: string, scope: 'PUBLIC' | 'PERSONAL', content: string, categoryId?: string) =>
    (await t.ok(CreatePhraseDocument, { input: { scope, content, categoryId } }, token)).createPhrase;
  const contents = async (token: string, vars: Parameters<typeof listVars>[0] = {}) =>
    (await t.ok(PhrasesDocument, listVars(vars), token)).phrases.nodes.map((p) => p.content);
  const listVars = (v: { scope?: 'PUBLIC' | 'PERSONAL'; categoryId?: string; search?: string; first?: number }) => ({
    first: 100,
    ...v,
  });
  const upload = async (token: string, text: string, filename = 'phrases.csv') => {
    const form = new FormData();
    form.append('kind', 'file');
    form.append('file', new Blob([text]), filename);
    const res = await fetch(`${t.url}/uploads`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const download = async (url: string) => {
    const u = new URL(url);
    return (await fetch(`${t.url}${u.pathname}${u.search}`)).text();
  };

  it('keeps personal phrases to their owner: others neither see nor change them (NOT_FOUND)', async () => {
    const amy = await createUser(t, tenant);
    const ben = await createUser(t, tenant);
    const cat = await category(amy.token, 'PERSONAL', 'Mine');
    const own = await phrase(amy.token, 'PERSONAL', 'Amy says hi', cat.id);
    expect(own).toMatchObject({ scope: 'PERSONAL', owner: amy.id, category: cat.id });

    expect(await contents(amy.token, { scope: 'PERSONAL' })).toEqual(['Amy says hi']);
    expect(await contents(ben.token)).not.toContain('Amy says hi');
    expect((await t.ok(PhraseCategoriesDocument, { scope: 'PERSONAL' }, ben.token)).phraseCategories).toEqual([]);
    expect(await contents(admin.token)).not.toContain('Amy says hi');

    expect(codeOf(await t.gql(UpdatePhraseDocument, { id: own.id, content: 'x' }, ben.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(DeletePhrasesDocument, { ids: [own.id] }, ben.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(MovePhrasesDocument, { ids: [own.id] }, ben.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(RenamePhraseCategoryDocument, { id: cat.id, name: 'x' }, ben.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(PhrasesDocument, { categoryId: cat.id }, ben.token))).toBe('NOT_FOUND');
    const intoHers = await t.gql(
      CreatePhraseDocument,
      { input: { scope: 'PERSONAL', content: 'x', categoryId: cat.id } },
      ben.token,
    );
    expect(codeOf(intoHers)).toBe('NOT_FOUND');
    expect(await contents(amy.token, { scope: 'PERSONAL' })).toEqual(['Amy says hi']);
  });

  it('lets admins manage two public levels that agents read; agents cannot change them', async () => {
    const agent = await createUser(t, tenant);
    const top = await category(admin.token, 'PUBLIC', 'Orders');
    const sub = await category(admin.token, 'PUBLIC', 'Refunds', top.id);
    expect(sub).toMatchObject({ scope: 'PUBLIC', owner: null, parent: top.id });
    const third = await t.gql(
      CreatePhraseCategoryDocument,
      { input: { scope: 'PUBLIC', name: 'Deep', parentId: sub.id } },
      admin.token,
    );
    expect([codeOf(third), reasonOf(third)]).toEqual(['BAD_USER_INPUT', 'TOO_DEEP']);
    const agentCat = await category(agent.token, 'PERSONAL', 'Top');
    const nested = await t.gql(
      CreatePhraseCategoryDocument,
      { input: { scope: 'PERSONAL', name: 'Sub', parentId: agentCat.id } },
      agent.token,
    );
    expect(reasonOf(nested)).toBe('TOO_DEEP');
    await phrase(admin.token, 'PUBLIC', 'Your refund is on its way.', sub.id);

    const names = (await t.ok(PhraseCategoriesDocument, { scope: 'PUBLIC' }, agent.token)).phraseCategories.map(
      (c) => c.name,
    );
    expect(names).toEqual(expect.arrayContaining(['Orders', 'Refunds']));
    expect(await contents(agent.token, { categoryId: top.id })).toEqual(['Your refund is on its way.']);

    const asAgent = await t.gql(CreatePhraseDocument, { input: { scope: 'PUBLIC', content: 'Nope' } }, agent.token);
    expect([codeOf(asAgent), reasonOf(asAgent)]).toEqual(['FORBIDDEN', 'PUBLIC_NEEDS_ADMIN']);
    const pub = (await t.ok(PhrasesDocument, { categoryId: sub.id }, agent.token)).phrases.nodes[0]!;
    expect(codeOf(await t.gql(UpdatePhraseDocument, { id: pub.id, content: 'Changed' }, agent.token))).toBe(
      'FORBIDDEN',
    );
    expect(codeOf(await t.gql(DeletePhraseCategoryDocument, { id: top.id }, agent.token))).toBe('FORBIDDEN');
  });

  it('refuses over-long content and names, blanks and duplicate names with clear errors', async () => {
    const agent = await createUser(t, tenant);
    const long = await t.gql(
      CreatePhraseDocument,
      { input: { scope: 'PERSONAL', content: 'x'.repeat(2001) } },
      agent.token,
    );
    expect([codeOf(long), reasonOf(long), long.errors?.[0]?.extensions?.field]).toEqual([
      'BAD_USER_INPUT',
      'CONTENT_TOO_LONG',
      'content',
    ]);
    expect((await phrase(agent.token, 'PERSONAL', 'y'.repeat(2000))).content).toHaveLength(2000);
    const blank = await t.gql(CreatePhraseDocument, { input: { scope: 'PERSONAL', content: '   ' } }, agent.token);
    expect(reasonOf(blank)).toBe('CONTENT_EMPTY');
    const name = await t.gql(
      CreatePhraseCategoryDocument,
      { input: { scope: 'PERSONAL', name: 'n'.repeat(61) } },
      agent.token,
    );
    expect([codeOf(name), reasonOf(name)]).toEqual(['BAD_USER_INPUT', 'NAME_TOO_LONG']);
    await category(agent.token, 'PERSONAL', 'Billing');
    const dup = await t.gql(
      CreatePhraseCategoryDocument,
      { input: { scope: 'PERSONAL', name: ' billing ' } },
      agent.token,
    );
    expect(codeOf(dup)).toBe('CONFLICT');
  });

  it('caps each set at 5,000 phrases', async () => {
    const agent = await createUser(t, tenant);
    const em = systemFork(t.orm.em);
    for (let i = 0; i < 5000; i++)
      em.create(Phrase, { tenant: tenant.tenantId, owner: agent.id, content: `p${i}`, position: i });
    await em.flush();
    const res = await t.gql(
      CreatePhraseDocument,
      { input: { scope: 'PERSONAL', content: 'One too many' } },
      agent.token,
    );
    expect([codeOf(res), reasonOf(res)]).toEqual(['CONFLICT', 'TOO_MANY_PHRASES']);
  });

  it('reorders, moves between categories, and deletes only empty categories', async () => {
    const agent = await createUser(t, tenant);
    const a = await category(agent.token, 'PERSONAL', 'A');
    const b = await category(agent.token, 'PERSONAL', 'B');
    const [one, two, three] = [
      await phrase(agent.token, 'PERSONAL', 'one', a.id),
      await phrase(agent.token, 'PERSONAL', 'two', a.id),
      await phrase(agent.token, 'PERSONAL', 'three', a.id),
    ];
    await t.ok(ReorderPhrasesDocument, { ids: [three.id, one.id, two.id] }, agent.token);
    expect(await contents(agent.token, { categoryId: a.id })).toEqual(['three', 'one', 'two']);
    const partial = await t.gql(ReorderPhrasesDocument, { ids: [three.id, one.id] }, agent.token);
    expect(reasonOf(partial)).toBe('REORDER_INCOMPLETE');

    const blocked = await t.gql(DeletePhraseCategoryDocument, { id: a.id }, agent.token);
    expect([codeOf(blocked), reasonOf(blocked)]).toEqual(['CONFLICT', 'CATEGORY_NOT_EMPTY']);
    await t.ok(MovePhrasesDocument, { ids: [one.id, two.id], categoryId: b.id }, agent.token);
    await t.ok(MovePhrasesDocument, { ids: [three.id] }, agent.token);
    expect(await contents(agent.token, { categoryId: b.id })).toEqual(['one', 'two']);
    expect(
      (await t.ok(PhrasesDocument, { scope: 'PERSONAL', uncategorised: true }, agent.token)).phrases.nodes.map(
        (p) => p.content,
      ),
    ).toEqual(['three']);
    expect(await t.ok(DeletePhraseCategoryDocument, { id: a.id }, agent.token)).toEqual({ deletePhraseCategory: a.id });
    expect(await t.ok(DeletePhrasesDocument, { ids: [one.id, three.id] }, agent.token)).toEqual({ deletePhrases: 2 });
    expect(await contents(agent.token, { scope: 'PERSONAL' })).toEqual(['two']);
  });

  it('searches public and own phrases by substring, any case, Chinese too, with wildcards taken literally', async () => {
    const agent = await createUser(t, tenant);
    const other = await createUser(t, tenant);
    const cat = await category(admin.token, 'PUBLIC', 'Search test');
    await phrase(admin.token, 'PUBLIC', '您好，退货请提供订单号', cat.id);
    await phrase(admin.token, 'PUBLIC', 'SHIPPING takes 3 days');
    await phrase(agent.token, 'PERSONAL', 'Free shipping over 50%');
    await phrase(other.token, 'PERSONAL', 'shipping (other agent)');
    expect(await contents(agent.token, { search: '退货' })).toEqual(['您好，退货请提供订单号']);
    expect((await contents(agent.token, { search: 'shipping' })).sort()).toEqual([
      'Free shipping over 50%',
      'SHIPPING takes 3 days',
    ]);
    expect(await contents(agent.token, { search: '50%' })).toEqual(['Free shipping over 50%']);
    expect(await contents(agent.token, { search: '%' })).toEqual(['Free shipping over 50%']);
    expect(await contents(agent.token, { search: 'shipping', scope: 'PUBLIC' })).toEqual(['SHIPPING takes 3 days']);
    expect(await contents(agent.token, { search: '订单', categoryId: cat.id })).toEqual(['您好，退货请提供订单号']);
    const page = await t.ok(PhrasesDocument, { search: 'i', first: 1 }, agent.token);
    expect(page.phrases.nodes).toHaveLength(1);
    expect(page.phrases.pageInfo.hasNextPage).toBe(true);
  });

  it("renders ##dear## with the customer's nickname, else the tenant's default address (TEN-6)", async () => {
    const widgetKey = (await t.ok(CreateWidgetConfigDocument, { input: { name: 'Site' } }, admin.token))
      .createWidgetConfig.publicKey;
    const agent = await createUser(t, tenant);
    const served = async () => {
      const session = (await t.ok(StartVisitorSessionDocument, { input: { widgetKey } })).startVisitorSession;
      const conversationId = (
        await t.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text: 'Hi' } }, session.token)
      ).sendVisitorMessage.conversation;
      await t.ok(JoinConversationDocument, { id: conversationId }, agent.token);
      return { customerId: session.customer.id, conversationId };
    };
    const p = await phrase(agent.token, 'PERSONAL', 'Hello ##dear##, thanks ##dear##!');
    const named = await served();
    await systemFork(t.orm.em).nativeUpdate(Customer, { id: named.customerId }, { nickname: '小明' });
    expect(
      (await t.ok(RenderPhraseDocument, { phraseId: p.id, conversationId: named.conversationId }, agent.token))
        .renderPhrase,
    ).toBe('Hello 小明, thanks 小明!');

    const anonymous = await served();
    const render = async () =>
      (await t.ok(RenderPhraseDocument, { phraseId: p.id, conversationId: anonymous.conversationId }, agent.token))
        .renderPhrase;
    expect(await render()).toBe('Hello Customer, thanks Customer!');
    await t.ok(PhraseDefaultAddressDocument, { defaultAddress: 'dear guest' }, admin.token);
    expect(await render()).toBe('Hello dear guest, thanks dear guest!');
    const tooLong = await t.gql(PhraseDefaultAddressDocument, { defaultAddress: 'x'.repeat(21) }, admin.token);
    expect(codeOf(tooLong)).toBe('BAD_USER_INPUT');

    // A conversation the agent does not serve reads as missing.
    const stranger = await createUser(t, tenant);
    const res = await t.gql(
      RenderPhraseDocument,
      { phraseId: p.id, conversationId: anonymous.conversationId },
      stranger.token,
    );
    expect(codeOf(res)).toBe('NOT_FOUND');
    await t.ok(PhraseDefaultAddressDocument, { defaultAddress: 'Customer' }, admin.token);
  });

  it('offers a CSV template and imports 100 rows with 3 bad ones: 97 kept, the 3 reported by line', async () => {
    const agent = await createUser(t, tenant);
    const template = (await t.ok(PhraseImportTemplateDocument, { scope: 'PUBLIC' }, admin.token)).phraseImportTemplate;
    expect(template.count).toBe(1);
    const lines = (await download(template.url))
      .replace(/^\ufeff/, '')
      .trim()
      .split(/\r\n/);
    expect(lines).toEqual(['category,subcategory,content', 'Greetings,Opening,"Hello ##dear##, how can I help you?"']);

    const rows = ['category,content'];
    for (let i = 1; i <= 100; i++) {
      // File lines: the header is line 1, row i is line i + 1.
      if (i === 10) rows.push('Imported,');
      else if (i === 50) rows.push(`Imported,${'x'.repeat(2001)}`);
      else if (i === 77) rows.push(`${'c'.repeat(61)},Too long a category`);
      else rows.push(`${i % 2 ? 'Imported' : '导入'},"Row ${i}, 第${i}行"`);
    }
    const fileId = await upload(agent.token, rows.join('\n'));
    const report = (await t.ok(ImportPhrasesDocument, { scope: 'PERSONAL', fileId }, agent.token)).importPhrases;
    expect(report.imported).toBe(97);
    expect(report.errors.map((e) => [e.line, e.column])).toEqual([
      [11, 'content'],
      [51, 'content'],
      [78, 'category'],
    ]);
    expect(report.errors[1]!.message).toMatch(/2001 characters; at most 2000/);
    const cats = (await t.ok(PhraseCategoriesDocument, { scope: 'PERSONAL' }, agent.token)).phraseCategories;
    expect(cats.map((c) => c.name).sort()).toEqual(['Imported', '导入']);
    expect(
      (await t.ok(PhrasesDocument, { scope: 'PERSONAL', search: '第42行' }, agent.token)).phrases.nodes[0],
    ).toMatchObject({
      content: 'Row 42, 第42行',
      category: cats.find((c) => c.name === '导入')!.id,
    });

    // Importing the export again changes nothing: every row repeats a phrase of its category.
    const exported = (await t.ok(ExportPhrasesDocument, { scope: 'PERSONAL' }, agent.token)).exportPhrases;
    expect(exported.count).toBe(97);
    const again = await upload(agent.token, await download(exported.url));
    expect(
      (await t.ok(ImportPhrasesDocument, { scope: 'PERSONAL', fileId: again }, agent.token)).importPhrases,
    ).toMatchObject({
      imported: 0,
      skipped: 97,
      errors: [],
    });
  });

  it('imports public phrases into two levels, and refuses a malformed file whole', async () => {
    const fileId = await upload(
      admin.token,
      'category,subcategory,content\nStore,Hours,We open at 9.\n,,No category\n',
    );
    const report = (await t.ok(ImportPhrasesDocument, { scope: 'PUBLIC', fileId }, admin.token)).importPhrases;
    expect(report).toMatchObject({ imported: 2, errors: [] });
    const cats = (await t.ok(PhraseCategoriesDocument, { scope: 'PUBLIC' }, admin.token)).phraseCategories;
    const store = cats.find((c) => c.name === 'Store')!;
    expect(cats.find((c) => c.name === 'Hours')).toMatchObject({ parent: store.id });

    const before = (await t.ok(PhrasesDocument, { scope: 'PUBLIC' }, admin.token)).phrases.totalCount;
    const bad = await upload(admin.token, 'category,content\nA,fine\nB,"never closed\n');
    const res = await t.gql(ImportPhrasesDocument, { scope: 'PUBLIC', fileId: bad }, admin.token);
    expect([codeOf(res), reasonOf(res)]).toEqual(['BAD_USER_INPUT', 'CSV_SYNTAX']);
    expect(res.errors?.[0]?.message).toMatch(/Line 3/);
    expect((await t.ok(PhrasesDocument, { scope: 'PUBLIC' }, admin.token)).phrases.totalCount).toBe(before);

    const agent = await createUser(t, tenant);
    const asAgent = await t.gql(ImportPhrasesDocument, { scope: 'PUBLIC', fileId }, agent.token);
    expect(codeOf(asAgent)).toBe('FORBIDDEN');
  });

  it('adds an approved public phrase request to the chosen category and tells the requester (CNT-3)', async () => {
    const agent = await createUser(t, tenant);
    const target = await category(admin.token, 'PUBLIC', 'Proposals');
    const mine = await phrase(agent.token, 'PERSONAL', 'A great answer for ##dear##');
    const request = (
      await t.ok(
        RequestPublicPhraseDocument,
        { input: { phraseId: mine.id, categoryId: target.id, reason: 'Useful' } },
        agent.token,
      )
    ).requestPublicPhrase;
    expect(request).toMatchObject({ kind: 'PUBLIC_PHRASE', state: 'PENDING', requester: agent.id });
    expect(await contents(agent.token, { categoryId: target.id })).toEqual([]);

    await t.ok(PhraseDecideApprovalDocument, { id: request.id, approve: true }, admin.token);
    expect((await t.ok(PhrasesDocument, { categoryId: target.id }, agent.token)).phrases.nodes).toMatchObject([
      { content: 'A great answer for ##dear##', scope: 'PUBLIC', owner: null },
    ]);
    const notes = (await t.ok(PhraseMyNotificationsDocument, {}, agent.token)).notifications.nodes;
    expect(notes[0]).toMatchObject({ title: 'Request approved' });

    // A text proposal whose category is gone by the decision lands uncategorised; a rejection adds nothing.
    const gone = await category(admin.token, 'PUBLIC', 'Soon gone');
    const text = (
      await t.ok(RequestPublicPhraseDocument, { input: { content: 'Proposed text', categoryId: gone.id } }, agent.token)
    ).requestPublicPhrase;
    const rejected = (await t.ok(RequestPublicPhraseDocument, { input: { content: 'Rejected text' } }, agent.token))
      .requestPublicPhrase;
    await t.ok(DeletePhraseCategoryDocument, { id: gone.id }, admin.token);
    await t.ok(PhraseDecideApprovalDocument, { id: text.id, approve: true }, admin.token);
    await t.ok(PhraseDecideApprovalDocument, { id: rejected.id, approve: false }, admin.token);
    const uncategorised = await t.ok(
      PhrasesDocument,
      { scope: 'PUBLIC', uncategorised: true, first: 100 },
      admin.token,
    );
    const texts = uncategorised.phrases.nodes.map((n) => n.content);
    expect(texts).toContain('Proposed text');
    expect(texts).not.toContain('Rejected text');

    const both = await t.gql(
      RequestPublicPhraseDocument,
      { input: { phraseId: mine.id, content: 'and text' } },
      agent.token,
    );
    expect(reasonOf(both)).toBe('PROPOSAL_SOURCE');
  });

  it("answers NOT_FOUND to another tenant's ids and lists nothing of it", async () => {
    const other = await createTenant(t);
    const pub = await phrase(admin.token, 'PUBLIC', 'Tenant A only');
    const cat = await category(admin.token, 'PUBLIC', 'A only');
    expect(codeOf(await t.gql(UpdatePhraseDocument, { id: pub.id, content: 'x' }, other.admin.token))).toBe(
      'NOT_FOUND',
    );
    expect(codeOf(await t.gql(DeletePhrasesDocument, { ids: [pub.id] }, other.admin.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(PhrasesDocument, { categoryId: cat.id }, other.admin.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(DeletePhraseCategoryDocument, { id: cat.id }, other.admin.token))).toBe('NOT_FOUND');
    expect((await t.ok(PhrasesDocument, { first: 100 }, other.admin.token)).phrases.totalCount).toBe(0);
    expect((await t.ok(PhraseCategoriesDocument, { scope: 'PUBLIC' }, other.admin.token)).phraseCategories).toEqual([]);
  });

  it('refuses a role without the pages (FORBIDDEN), and personal phrases to a role without AGENT_PHRASES', async () => {
    const nobody = await createUser(t, tenant, { roleId: await createRole(t, tenant, [Page.AGENT_QUEUE]) });
    expect(codeOf(await t.gql(PhrasesDocument, {}, nobody.token))).toBe('FORBIDDEN');
    expect(
      codeOf(await t.gql(CreatePhraseDocument, { input: { scope: 'PERSONAL', content: 'x' } }, nobody.token)),
    ).toBe('FORBIDDEN');
    const chatOnly = await createUser(t, tenant, { roleId: await createRole(t, tenant, [Page.AGENT_CONVERSATIONS]) });
    expect((await t.ok(PhrasesDocument, { scope: 'PUBLIC' }, chatOnly.token)).phrases.totalCount).toBeGreaterThan(0);
    expect(
      codeOf(await t.gql(CreatePhraseDocument, { input: { scope: 'PERSONAL', content: 'x' } }, chatOnly.token)),
    ).toBe('FORBIDDEN');
  });
});
