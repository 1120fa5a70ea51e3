import { Page } from '../../../src/platform/auth/pages';
import { createRole, createTenant, createUser, type TenantFixture, type UserFixture } from '../../factories';
import {
  ArticleDocument,
  ArticlesDocument,
  CreateArticleDocument,
  CreateKnowledgeCategoryDocument,
  DeleteKnowledgeCategoryDocument,
  ExportArticlesDocument,
  ImportArticlesDocument,
  KnowledgeCategoriesDocument,
  PublishArticleDocument,
  UnpublishArticleDocument,
  UpdateArticleDocument,
} from '../../graphql/generated';
import { codeOf, type GraphQLResponse, startTestApp, type TestApp } from '../../support/test-app';

const reasonOf = (res: GraphQLResponse<unknown>) => res.errors?.[0]?.extensions?.reason;

describe('knowledge base (CNT-1)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let admin: UserFixture;
  let agent: UserFixture;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    admin = tenant.admin;
    agent = await createUser(t, tenant);
  });
  afterAll(() => t.stop());

  const upload = async (token: string, content: string | Buffer, filename: string) => {
    const form = new FormData();
    form.append('kind', 'file');
    form.append('file', new Blob([typeof content === 'string' ? content : new Uint8Array(content)]), filename);
    const res = await fetch(`${t.url}/uploads`, {
      method: 'POST',
      body: form,
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(201);
    return ((await res.json()) as { id: string }).id;
  };
  const local = (url: string) => {
    const u = new URL(url);
    return `${t.url}${u.pathname}${u.search}`;
  };
  const newCategory = async (name: string, parentId?: string) =>
    (await t.ok(CreateKnowledgeCategoryDocument, { input: { name, parentId } }, admin.token)).createKnowledgeCategory;
  const newArticle = async (
    title: string,
    body: string,
    extra: { categoryId?: string; attachmentIds?: string[] } = {},
  ) => (await t.ok(CreateArticleDocument, { input: { title, body, ...extra } }, admin.token)).createArticle;
  const titles = async (
    token: string,
    vars: { search?: string; categoryId?: string; state?: 'DRAFT' | 'PUBLISHED' } = {},
  ) => (await t.ok(ArticlesDocument, { first: 100, ...vars }, token)).articles.nodes.map((a) => a.title);

  it('keeps drafts from agents until published, and hides them again when unpublished', async () => {
    const draft = await newArticle('Return policy', '<p>Within 30 days.</p>');
    expect(draft).toMatchObject({ state: 'DRAFT', publishedAt: null, author: admin.id });
    expect(await titles(agent.token)).not.toContain('Return policy');
    expect(codeOf(await t.gql(ArticleDocument, { id: draft.id }, agent.token))).toBe('NOT_FOUND');
    expect(await titles(agent.token, { state: 'DRAFT' })).toEqual([]);
    expect(await titles(admin.token, { state: 'DRAFT' })).toContain('Return policy');

    await t.ok(PublishArticleDocument, { id: draft.id }, admin.token);
    expect((await t.ok(ArticleDocument, { id: draft.id }, agent.token)).article.body).toBe('<p>Within 30 days.</p>');
    await t.ok(UnpublishArticleDocument, { id: draft.id }, admin.token);
    expect(codeOf(await t.gql(ArticleDocument, { id: draft.id }, agent.token))).toBe('NOT_FOUND');
  });

  it('sanitises bodies: no <script>, event handlers or javascript: links; links open safely in a new tab', async () => {
    const article = await newArticle(
      'Unsafe',
      '<p onmouseover="steal()">Hi<script>alert(1)</script></p><img src="x.png" onerror="alert(1)">' +
        '<a href="javascript:alert(1)">click</a><a href="https://example.com/help">help</a>' +
        '<iframe src="https://evil.example"></iframe><div style="background:url(https://evil.example/x)">x</div>' +
        '<img src="https://cdn.example.com/ok.png" alt="ok"><table><tr><td>cell</td></tr></table>',
    );
    expect(article.body).not.toMatch(/script|onmouseover|onerror|javascript:|iframe|url\(/i);
    expect(article.body).toContain(
      '<a href="https://example.com/help" target="_blank" rel="noopener noreferrer">help</a>',
    );
    expect(article.body).toContain('<img src="https://cdn.example.com/ok.png" alt="ok" />');
    expect(article.body).toContain('<td>cell</td>');
    // The text is searchable, the markup is not.
    await t.ok(PublishArticleDocument, { id: article.id }, admin.token);
    expect(await titles(agent.token, { search: 'cell' })).toEqual(['Unsafe']);
    expect(await titles(agent.token, { search: 'onmouseover' })).toEqual([]);
  });

  it('searches published titles and text by substring (Chinese too), within a category tree', async () => {
    const top = await newCategory('售后');
    const sub = await newCategory('退款', top.id);
    const third = await newCategory('Level 3', sub.id);
    const fourth = await t.gql(
      CreateKnowledgeCategoryDocument,
      { input: { name: 'Level 4', parentId: third.id } },
      admin.token,
    );
    expect([codeOf(fourth), reasonOf(fourth)]).toEqual(['BAD_USER_INPUT', 'TOO_DEEP']);
    const a = await newArticle('退款流程', '<p>请在订单页面申请<b>退款</b>。</p>', { categoryId: sub.id });
    const b = await newArticle('Shipping FAQ', '<p>Parcels leave within 2 DAYS.</p>');
    for (const id of [a.id, b.id]) await t.ok(PublishArticleDocument, { id }, admin.token);
    expect(await titles(agent.token, { search: '订单页面' })).toEqual(['退款流程']);
    expect(await titles(agent.token, { search: 'days' })).toEqual(['Shipping FAQ']);
    expect(await titles(agent.token, { categoryId: top.id })).toEqual(['退款流程']);

    const blocked = await t.gql(DeleteKnowledgeCategoryDocument, { id: sub.id }, admin.token);
    expect([codeOf(blocked), reasonOf(blocked)]).toEqual(['CONFLICT', 'CATEGORY_NOT_EMPTY']);
    expect(await t.ok(DeleteKnowledgeCategoryDocument, { id: third.id }, admin.token)).toEqual({
      deleteKnowledgeCategory: third.id,
    });
  });

  it('refuses a title over 200 characters and a body over 200 KB', async () => {
    const title = await t.gql(CreateArticleDocument, { input: { title: 't'.repeat(201), body: '' } }, admin.token);
    expect([codeOf(title), reasonOf(title)]).toEqual(['BAD_USER_INPUT', 'TITLE_INVALID']);
    const body = await t.gql(
      CreateArticleDocument,
      { input: { title: 'Big', body: `<p>${'x'.repeat(200 * 1024)}</p>` } },
      admin.token,
    );
    expect([codeOf(body), reasonOf(body)]).toEqual(['BAD_USER_INPUT', 'BODY_TOO_LARGE']);
  });

  it('links staff uploads as attachments, read through signed links', async () => {
    const fileId = await upload(admin.token, 'Manual text', 'manual.txt');
    const article = await newArticle('With file', '<p>See the manual.</p>', { attachmentIds: [fileId] });
    expect(article.attachments).toMatchObject([{ id: fileId, filename: 'manual.txt' }]);
    await t.ok(PublishArticleDocument, { id: article.id }, admin.token);
    const read = (await t.ok(ArticleDocument, { id: article.id }, agent.token)).article;
    const res = await fetch(local(read.attachments[0]!.url));
    expect(await res.text()).toBe('Manual text');

    const cleared = await t.ok(UpdateArticleDocument, { id: article.id, input: { attachmentIds: [] } }, admin.token);
    expect(cleared.updateArticle.attachments).toEqual([]);
  });

  it('exports to CSV and imports it back (sanitising), reporting bad rows and refusing a malformed file', async () => {
    const other = await createTenant(t);
    const cat = await newCategory('Export');
    const sub = await newCategory('Sub', cat.id);
    const art = await newArticle('Exported, "quoted"', '<p>Line one\nline two</p>', { categoryId: sub.id });
    await t.ok(PublishArticleDocument, { id: art.id }, admin.token);
    const exported = (await t.ok(ExportArticlesDocument, {}, admin.token)).exportArticles;
    const csv = await (await fetch(local(exported.url))).text();

    const fileId = await upload(other.admin.token, csv, 'knowledge.csv');
    const report = (await t.ok(ImportArticlesDocument, { fileId }, other.admin.token)).importArticles;
    expect(report).toMatchObject({ imported: exported.count, errors: [] });
    const copy = (await t.ok(ArticlesDocument, { search: 'quoted' }, other.admin.token)).articles.nodes[0]!;
    expect(copy).toMatchObject({ title: 'Exported, "quoted"', body: '<p>Line one\nline two</p>', state: 'PUBLISHED' });
    const cats = (await t.ok(KnowledgeCategoriesDocument, {}, other.admin.token)).knowledgeCategories;
    const exportCat = cats.find((c) => c.name === 'Export')!;
    expect(cats.find((c) => c.id === copy.category)).toMatchObject({ name: 'Sub', parent: exportCat.id });

    const rows = [
      'category,title,body,state',
      'Imported,Good,"<p onclick=""x()"">ok</p><script>bad()</script>",',
      `Imported,${'t'.repeat(201)},<p>x</p>,DRAFT`,
      'Imported,Bad state,<p>x</p>,ARCHIVED',
      'A/B/C/D,Too deep,<p>x</p>,DRAFT',
    ];
    const mixed = await upload(other.admin.token, rows.join('\n'), 'articles.csv');
    const result = (await t.ok(ImportArticlesDocument, { fileId: mixed }, other.admin.token)).importArticles;
    expect(result.imported).toBe(1);
    expect(result.errors.map((e) => [e.line, e.column])).toEqual([
      [3, 'title'],
      [4, 'state'],
      [5, 'category'],
    ]);
    const good = (await t.ok(ArticlesDocument, { search: 'Good' }, other.admin.token)).articles.nodes[0]!;
    expect(good).toMatchObject({ body: '<p>ok</p>', state: 'DRAFT' });

    const before = (await t.ok(ArticlesDocument, {}, other.admin.token)).articles.totalCount;
    const broken = await upload(other.admin.token, 'title,body\n"Unclosed,<p>x</p>\n', 'broken.csv');
    const refused = await t.gql(ImportArticlesDocument, { fileId: broken }, other.admin.token);
    expect([codeOf(refused), reasonOf(refused)]).toEqual(['BAD_USER_INPUT', 'CSV_SYNTAX']);
    expect((await t.ok(ArticlesDocument, {}, other.admin.token)).articles.totalCount).toBe(before);
  });

  it("answers NOT_FOUND to another tenant's ids and lists nothing of it", async () => {
    const other = await createTenant(t);
    const article = await newArticle('Tenant A', '<p>a</p>');
    await t.ok(PublishArticleDocument, { id: article.id }, admin.token);
    const cat = await newCategory('A only');
    expect(codeOf(await t.gql(ArticleDocument, { id: article.id }, other.admin.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(PublishArticleDocument, { id: article.id }, other.admin.token))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(ArticlesDocument, { categoryId: cat.id }, other.admin.token))).toBe('NOT_FOUND');
    const foreignFile = await upload(admin.token, 'secret', 'a.txt');
    const linked = await t.gql(
      CreateArticleDocument,
      { input: { title: 'x', body: '', attachmentIds: [foreignFile] } },
      other.admin.token,
    );
    expect(codeOf(linked)).toBe('NOT_FOUND');
    expect((await t.ok(ArticlesDocument, {}, other.admin.token)).articles.totalCount).toBe(0);
    expect((await t.ok(KnowledgeCategoriesDocument, {}, other.admin.token)).knowledgeCategories).toEqual([]);
  });

  it('refuses readers without the pages and editing to agents (FORBIDDEN)', async () => {
    const nobody = await createUser(t, tenant, { roleId: await createRole(t, tenant, [Page.AGENT_QUEUE]) });
    expect(codeOf(await t.gql(ArticlesDocument, {}, nobody.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(CreateArticleDocument, { input: { title: 'x', body: '' } }, agent.token))).toBe(
      'FORBIDDEN',
    );
    const reader = await createUser(t, tenant, { roleId: await createRole(t, tenant, [Page.AGENT_KNOWLEDGE]) });
    expect((await t.ok(ArticlesDocument, {}, reader.token)).articles.totalCount).toBeGreaterThan(0);
  });
});
