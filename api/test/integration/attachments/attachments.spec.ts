import { Attachment } from '../../../src/modules/attachment/attachment.entity';
import { systemFork } from '../../../src/platform/database/tenant-filter';
import { createTenant, createUser, type TenantFixture } from '../../factories';
import {
  CreateWidgetConfigDocument,
  SendVisitorMessageDocument,
  StartVisitorSessionDocument,
  VisitorAttachmentsDocument,
} from '../../graphql/generated';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

// A real 1×1 PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
// The start of a Windows executable.
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(510, 0x90)]);

interface Uploaded {
  id: string;
  filename: string;
  mime: string;
  kind: string;
  size: number;
  url: string;
}

describe('attachments (MSG-2)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  let widgetKey: string;

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
    widgetKey = (await t.ok(CreateWidgetConfigDocument, { input: { name: 'Site' } }, tenant.admin.token))
      .createWidgetConfig.publicKey;
  });
  afterAll(() => t.stop());

  const upload = async (token: string | undefined, content: Buffer, filename: string, kind: 'image' | 'file') => {
    const form = new FormData();
    form.append('kind', kind);
    form.append('file', new Blob([new Uint8Array(content)]), filename);
    const res = await fetch(`${t.url}/uploads`, {
      method: 'POST',
      body: form,
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    return {
      status: res.status,
      body: (await res.json()) as Uploaded & { errors?: { message: string; extensions: Record<string, string> }[] },
    };
  };
  // Links carry PUBLIC_URL; the test server listens on a port of its own.
  const local = (url: string) => {
    const u = new URL(url);
    return `${t.url}${u.pathname}${u.search}`;
  };
  const visitor = async () => (await t.ok(StartVisitorSessionDocument, { input: { widgetKey } })).startVisitorSession;

  it('stores an image typed by its content and serves it through a signed, expiring link', async () => {
    const v = await visitor();
    const { status, body } = await upload(v.token, PNG, 'photo.PNG', 'image');
    expect(status).toBe(201);
    expect(body).toMatchObject({ filename: 'photo.PNG', mime: 'image/png', kind: 'IMAGE', size: PNG.length });
    const file = await fetch(local(body.url));
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await file.arrayBuffer()).equals(PNG)).toBe(true);

    const tampered = body.url.replace(/sig=[^&]+/, 'sig=' + 'A'.repeat(43));
    expect((await fetch(local(tampered))).status).toBe(404);
    const expired = body.url.replace(/exp=\d+/, 'exp=1000');
    expect((await fetch(local(expired))).status).toBe(404);
  });

  it('refuses an executable renamed .png, and a file over 10 MB, keeping nothing', async () => {
    const v = await visitor();
    const before = await systemFork(t.orm.em).count(Attachment, {});
    const renamed = await upload(v.token, EXE, 'cat.png', 'image');
    expect(renamed.status).toBe(400);
    expect(renamed.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', reason: 'NOT_AN_IMAGE' });
    expect(renamed.body.errors?.[0]?.message).toMatch(/not a JPG, PNG or GIF image/);

    const asFile = await upload(v.token, EXE, 'tool.dat', 'file');
    expect(asFile.body.errors?.[0]?.extensions?.reason).toBe('EXECUTABLE_REFUSED');

    const big = Buffer.concat([PNG, Buffer.alloc(11 * 1024 * 1024)]);
    const tooBig = await upload(v.token, big, 'huge.png', 'image');
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.errors?.[0]?.extensions?.reason).toBe('FILE_TOO_LARGE');
    expect(tooBig.body.errors?.[0]?.message).toMatch(/10 MB/);
    expect(await systemFork(t.orm.em).count(Attachment, {})).toBe(before);
  });

  it('requires a signed-in caller', async () => {
    expect((await upload(undefined, PNG, 'a.png', 'image')).status).toBe(401);
  });

  it('sends an image message with an uploaded file; others cannot attach it', async () => {
    const v = await visitor();
    const { body } = await upload(v.token, PNG, 'receipt.png', 'image');
    await t.ok(SendVisitorMessageDocument, { input: { type: 'IMAGE', payload: { attachmentId: body.id } } }, v.token);
    const shown = await t.ok(VisitorAttachmentsDocument, {}, v.token);
    const image = shown.visitorMessages.find((m) => m.type === 'IMAGE')!;
    expect(image.attachment).toMatchObject({ id: body.id, mime: 'image/png', kind: 'IMAGE' });
    expect((await fetch(local(image.attachment!.downloadUrl))).headers.get('content-disposition')).toMatch(
      /^attachment;/,
    );

    const other = await visitor();
    const stolen = await t.gql(
      SendVisitorMessageDocument,
      { input: { type: 'IMAGE', payload: { attachmentId: body.id } } },
      other.token,
    );
    expect(codeOf(stolen)).toBe('NOT_FOUND');

    const pdfLike = await upload(v.token, Buffer.from('%PDF-1.4\n%âãÏÓ\n'), 'doc.pdf', 'file');
    const wrongKind = await t.gql(
      SendVisitorMessageDocument,
      { input: { type: 'IMAGE', payload: { attachmentId: pdfLike.body.id } } },
      v.token,
    );
    expect(codeOf(wrongKind)).toBe('BAD_USER_INPUT');

    const otherTenant = await createTenant(t);
    const agent = await createUser(t, tenant);
    expect(agent.token).toBeTruthy();
    const foreignWidget = (await t.ok(CreateWidgetConfigDocument, { input: { name: 'B' } }, otherTenant.admin.token))
      .createWidgetConfig;
    const foreignVisitor = (await t.ok(StartVisitorSessionDocument, { input: { widgetKey: foreignWidget.publicKey } }))
      .startVisitorSession;
    const crossTenant = await t.gql(
      SendVisitorMessageDocument,
      { input: { type: 'IMAGE', payload: { attachmentId: body.id } } },
      foreignVisitor.token,
    );
    expect(codeOf(crossTenant)).toBe('NOT_FOUND');
  });
});
