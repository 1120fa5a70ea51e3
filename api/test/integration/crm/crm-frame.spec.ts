import { createDecipheriv, createHash } from 'node:crypto';
import { DataScope, Page } from '../../../src/platform/auth/pages';
import { systemFork } from '../../../src/platform/database/tenant-filter';
import { Customer } from '../../../src/modules/customer/customer.entity';
import {
  createScopedRole,
  createRole,
  createTeam,
  createTenant,
  createUser,
  type TenantFixture,
  type UserFixture,
} from '../../factories';
import {
  CreateWidgetConfigDocument,
  CrmFrameDocument,
  CrmSettingsDocument,
  JoinConversationDocument,
  SendVisitorMessageDocument,
  StartVisitorSessionDocument,
  type TenantSettingsInput,
  UpdateCrmSettingsDocument,
} from '../../graphql/generated';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

const KEY = 'crm-shared-secret-0123456789';

/** What a CRM does with `p` (docs/crm-iframe.md), written here apart from the API's code. */
function open(p: string, tenantKey: string): Record<string, unknown> {
  const data = Buffer.from(p, 'base64url');
  const key = createHash('sha256').update(tenantKey, 'utf8').digest();
  const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12), { authTagLength: 16 });
  decipher.setAuthTag(data.subarray(data.length - 16));
  const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
  return JSON.parse(plain.toString('utf8')) as Record<string, unknown>;
}

describe('CRM panel (CNV-12)', () => {
  let t: TestApp;
  let a: TenantFixture;
  let b: TenantFixture;
  let agentOne: UserFixture;
  let agentTwo: UserFixture;
  let supervisorOne: UserFixture;
  let supervisorTwo: UserFixture;
  let noConversations: UserFixture;
  let conversationId: string;
  let customer: { id: string; externalId: string };

  const settings = (input: TenantSettingsInput, token = a.admin.token) =>
    t.gql(UpdateCrmSettingsDocument, { input }, token);
  const frame = async (token: string) => (await t.ok(CrmFrameDocument, { conversationId }, token)).crmFrame;

  beforeAll(async () => {
    t = await startTestApp();
    [a, b] = await Promise.all([createTenant(t), createTenant(t)]);
    const [teamOne, teamTwo] = await Promise.all([createTeam(t, a), createTeam(t, a)]);
    agentOne = await createUser(t, a, { teamIds: [teamOne], nickname: 'Amy 艾米' });
    agentTwo = await createUser(t, a, { teamIds: [teamTwo] });
    // Supervisors of their own team's ongoing conversations only.
    const teamSupervisor = await createScopedRole(t, a, [Page.AGENT_CONVERSATIONS, Page.ADMIN_MONITOR], {
      ongoingScope: DataScope.TEAM,
    });
    supervisorOne = await createUser(t, a, { roleId: teamSupervisor, teamIds: [teamOne] });
    supervisorTwo = await createUser(t, a, { roleId: teamSupervisor, teamIds: [teamTwo] });
    noConversations = await createUser(t, a, {
      roleId: await createRole(t, a, [Page.ADMIN_MONITOR, Page.AGENT_QUEUE]),
      teamIds: [teamOne],
    });

    const widget = await t.ok(
      CreateWidgetConfigDocument,
      { input: { name: 'Shop', entryTeamId: teamOne } },
      a.admin.token,
    );
    const session = (
      await t.ok(StartVisitorSessionDocument, { input: { widgetKey: widget.createWidgetConfig.publicKey } })
    ).startVisitorSession;
    customer = session.customer;
    await systemFork(t.orm.em).nativeUpdate(Customer, { id: customer.id }, { nickname: 'Lin Wei & co' });
    conversationId = (
      await t.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text: 'Where is my order?' } }, session.token)
    ).sendVisitorMessage.conversation;
    await t.ok(JoinConversationDocument, { id: conversationId }, agentOne.token);
  });
  afterAll(() => t.stop());

  it('is off until an admin configures it: no frame, and the settings say so', async () => {
    expect(await frame(agentOne.token)).toBeNull();
    const { tenant } = await t.ok(CrmSettingsDocument, {}, agentOne.token);
    expect(tenant.settings.crmFrame).toMatchObject({ enabled: false, url: null, encrypt: false, keySet: false });
  });

  it('passes the chosen values in clear as query parameters', async () => {
    const res = await settings({
      crmFrame: {
        enabled: true,
        url: 'https://crm.example.com/panel?source=parley',
        params: [
          'CUSTOMER_ID',
          'CUSTOMER_EXTERNAL_ID',
          'CUSTOMER_NICKNAME',
          'CONVERSATION_ID',
          'CHANNEL',
          'AGENT_ID',
          'AGENT_NICKNAME',
          'TENANT_ID',
        ],
        encrypt: false,
      },
    });
    expect(res.errors).toBeUndefined();
    const got = await frame(agentOne.token);
    expect(got?.encrypted).toBe(false);
    const url = new URL(got!.url);
    expect(url.origin + url.pathname).toBe('https://crm.example.com/panel');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      source: 'parley',
      customerId: customer.id,
      customerExternalId: customer.externalId,
      customerNickname: 'Lin Wei & co',
      conversationId,
      channel: 'WEB',
      agentId: agentOne.id,
      agentNickname: 'Amy 艾米',
      tenantId: a.tenantId,
    });
    // The agent is whoever opens the panel.
    const bySupervisor = new URL((await frame(supervisorOne.token))!.url);
    expect(bySupervisor.searchParams.get('agentId')).toBe(supervisorOne.id);
  });

  it('seals the values with the tenant key when encryption is on; the key is never returned', async () => {
    const res = await settings({
      crmFrame: { params: ['CUSTOMER_EXTERNAL_ID', 'CONVERSATION_ID', 'AGENT_ID'], encrypt: true, key: KEY },
    });
    expect(res.errors).toBeUndefined();
    expect(res.data!.updateTenantSettings.crmFrame).toMatchObject({ encrypt: true, keySet: true });
    expect(JSON.stringify(res)).not.toContain(KEY);

    const before = Math.floor(Date.now() / 1000);
    const got = await frame(agentOne.token);
    expect(got?.encrypted).toBe(true);
    const url = new URL(got!.url);
    expect([...url.searchParams.keys()]).toEqual(['source', 'p']);
    expect(got!.url).not.toContain(customer.externalId);
    const params = open(url.searchParams.get('p')!, KEY);
    expect(params).toEqual({
      v: 1,
      iat: expect.any(Number),
      customerExternalId: customer.externalId,
      conversationId,
      agentId: agentOne.id,
    });
    expect(params.iat).toBeGreaterThanOrEqual(before - 1);
    expect(params.iat).toBeLessThanOrEqual(Math.floor(Date.now() / 1000) + 1);
    expect(() => open(url.searchParams.get('p')!, 'another-tenant-key')).toThrow();

    // Every signed-in user reads the settings: only whether a key is set, never the key.
    for (const token of [agentOne.token, a.admin.token]) {
      const read = await t.gql(CrmSettingsDocument, {}, token);
      expect(read.data!.tenant.settings.crmFrame).toMatchObject({ encrypt: true, keySet: true });
      expect(JSON.stringify(read)).not.toContain(KEY);
    }
    const asked = await t.post(
      { query: '{ tenant { settings { crmFrame { key } } } }' },
      { authorization: `Bearer ${a.admin.token}` },
    );
    expect(JSON.stringify(asked.json)).not.toContain(KEY);
    expect((asked.json as { errors?: unknown[] }).errors).toHaveLength(1);
  });

  it('keeps the stored key when an update leaves it out', async () => {
    const res = await settings({ crmFrame: { url: 'https://crm.example.com/v2' } });
    expect(res.data!.updateTenantSettings.crmFrame).toMatchObject({ encrypt: true, keySet: true });
    const url = new URL((await frame(agentOne.token))!.url);
    expect(url.pathname).toBe('/v2');
    expect(open(url.searchParams.get('p')!, KEY)).toMatchObject({ conversationId });
  });

  it('refuses a short key, a page not on https and encryption without a key, naming the field; nothing changes', async () => {
    const cases: [TenantSettingsInput, string][] = [
      [{ welcomeMessage: 'Changed?', crmFrame: { key: 'short' } }, 'crmFrame.key'],
      [{ crmFrame: { key: 'k'.repeat(129) } }, 'crmFrame.key'],
      [{ welcomeMessage: 'Changed?', crmFrame: { url: 'http://crm.example.com/' } }, 'crmFrame.url'],
      [{ crmFrame: { url: 'javascript:alert(1)' } }, 'crmFrame.url'],
      [{ crmFrame: { url: 'https://user:pass@crm.example.com/' } }, 'crmFrame.url'],
      [{ welcomeMessage: 'Changed?', crmFrame: { key: null } }, 'crmFrame.key'],
      [{ crmFrame: { url: null } }, 'crmFrame.url'],
    ];
    for (const [input, field] of cases) {
      const res = await settings(input);
      expect({ input, code: codeOf(res), field: res.errors?.[0]?.extensions?.field }).toEqual({
        input,
        code: 'BAD_USER_INPUT',
        field,
      });
    }
    const { tenant } = await t.ok(CrmSettingsDocument, {}, a.admin.token);
    expect(tenant.settings.welcomeMessage).not.toBe('Changed?');
    expect(tenant.settings.crmFrame).toMatchObject({
      enabled: true,
      url: 'https://crm.example.com/v2',
      encrypt: true,
      keySet: true,
    });
    // A CRM on the same machine may be plain http.
    expect((await settings({ crmFrame: { url: 'http://localhost:8080/crm' } })).errors).toBeUndefined();
  });

  it('answers NOT_FOUND to staff who may not see the conversation, as for a missing one', async () => {
    // Another team's agent, and a supervisor whose TEAM scope does not reach the conversation's team.
    for (const user of [agentTwo, supervisorTwo]) {
      const res = await t.gql(CrmFrameDocument, { conversationId }, user.token);
      expect(codeOf(res)).toBe('NOT_FOUND');
      expect(res.data?.crmFrame ?? null).toBeNull();
    }
    expect(await frame(supervisorOne.token)).not.toBeNull();
  });

  it("answers NOT_FOUND to another tenant's users, configured there or not", async () => {
    expect(codeOf(await t.gql(CrmFrameDocument, { conversationId }, b.admin.token))).toBe('NOT_FOUND');
    const configured = await settings(
      { crmFrame: { enabled: true, url: 'https://crm.b.example.com/' } },
      b.admin.token,
    );
    expect(configured.errors).toBeUndefined();
    expect(codeOf(await t.gql(CrmFrameDocument, { conversationId }, b.admin.token))).toBe('NOT_FOUND');
  });

  it('needs the Conversations page; only admins with the settings page configure it', async () => {
    expect(codeOf(await t.gql(CrmFrameDocument, { conversationId }, noConversations.token))).toBe('FORBIDDEN');
    expect(codeOf(await t.gql(CrmFrameDocument, { conversationId }))).toBe('UNAUTHENTICATED');
    const res = await settings({ crmFrame: { encrypt: false, url: 'https://evil.example.com/' } }, agentOne.token);
    expect(codeOf(res)).toBe('FORBIDDEN');
    const { tenant } = await t.ok(CrmSettingsDocument, {}, agentOne.token);
    expect(tenant.settings.crmFrame.url).toBe('http://localhost:8080/crm');
  });

  it('serves a demo CRM page that lists its parameters as text and runs no script', async () => {
    const res = await fetch(
      `${t.url}/demo/crm?conversationId=c-1&customerNickname=${encodeURIComponent('<script>x</script>')}`,
    );
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'none'");
    const html = await res.text();
    expect(html).toContain('<th>conversationId</th><td>c-1</td>');
    expect(html).toContain('&lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('shows no frame once the panel is turned off', async () => {
    expect((await settings({ crmFrame: { enabled: false } })).errors).toBeUndefined();
    expect(await frame(agentOne.token)).toBeNull();
  });
});
