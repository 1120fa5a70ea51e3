import type { Client } from 'graphql-ws';
import { Page } from '../../../src/platform/auth/pages';
import { createRole, createTeam, createTenant, createUser, type TenantFixture } from '../../factories';
import {
  ColleagueMessageAddedDocument,
  ColleaguesDocument,
  ColleagueThreadDocument,
  MarkColleagueMessagesReadDocument,
  SendColleagueMessageDocument,
  SetUserEnabledDocument,
} from '../../graphql/generated';
import { connectWs, live } from '../../support/live';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

describe('colleague chat (MSG-5)', () => {
  let t: TestApp;
  let tenant: TenantFixture;
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await startTestApp();
    tenant = await createTenant(t);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.stop();
  });

  const send = (token: string, toUserId: string, text: string, clientMessageId?: string) =>
    t.gql(SendColleagueMessageDocument, { input: { toUserId, text, clientMessageId } }, token);

  it('delivers live to an online colleague and keeps messages for one who is away', async () => {
    const amy = await createUser(t, tenant);
    const ben = await createUser(t, tenant);
    const client = connectWs(t, ben.token);
    clients.push(client);
    const feed = live(client, ColleagueMessageAddedDocument, {});
    // The first message may race the subscribe; the thread has it either way.
    for (let i = 0; i < 20 && feed.received.length === 0; i++) {
      await send(amy.token, ben.id, `ping ${i}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(feed.received[0]?.colleagueMessageAdded).toMatchObject({ sender: amy.id, recipient: ben.id });
    feed.stop();

    const dara = await createUser(t, tenant, { signIn: false });
    await t.ok(SendColleagueMessageDocument, { input: { toUserId: dara.id, text: 'for later' } }, amy.token);
  });

  it('counts unread per colleague, marks them read, and pages the thread', async () => {
    const amy = await createUser(t, tenant);
    const ben = await createUser(t, tenant);
    for (let i = 0; i < 5; i++)
      await t.ok(SendColleagueMessageDocument, { input: { toUserId: ben.id, text: `m${i}` } }, amy.token);
    const thread = await t.ok(ColleagueThreadDocument, { userId: amy.id, first: 3 }, ben.token);
    expect(thread.colleagueMessages.map((m) => m.text)).toEqual(['m2', 'm3', 'm4']);
    expect(thread.colleagueUnread).toEqual([{ userId: amy.id, count: 5 }]);
    const older = await t.ok(
      ColleagueThreadDocument,
      { userId: amy.id, before: thread.colleagueMessages[0]!.id, first: 10 },
      ben.token,
    );
    expect(older.colleagueMessages.map((m) => m.text)).toEqual(['m0', 'm1']);
    expect(
      (await t.ok(MarkColleagueMessagesReadDocument, { userId: amy.id }, ben.token)).markColleagueMessagesRead,
    ).toBe(5);
    expect((await t.ok(ColleagueThreadDocument, { userId: amy.id }, ben.token)).colleagueUnread).toEqual([]);
  });

  it('makes a retried clientMessageId a no-op and refuses messages to oneself', async () => {
    const amy = await createUser(t, tenant);
    const ben = await createUser(t, tenant);
    const first = await send(amy.token, ben.id, 'once', 'dm-1');
    const again = await send(amy.token, ben.id, 'once', 'dm-1');
    expect(again.data?.sendColleagueMessage.id).toBe(first.data?.sendColleagueMessage.id);
    expect(codeOf(await send(amy.token, amy.id, 'me'))).toBe('BAD_USER_INPUT');
  });

  it("refuses another tenant's users (NOT_FOUND) and roles without the conversations page (FORBIDDEN)", async () => {
    const amy = await createUser(t, tenant);
    const other = await createTenant(t);
    expect(codeOf(await send(other.admin.token, amy.id, 'hello'))).toBe('NOT_FOUND');
    expect(codeOf(await t.gql(ColleagueThreadDocument, { userId: amy.id }, other.admin.token))).toBe('NOT_FOUND');
    const roleId = await createRole(t, tenant, [Page.ADMIN_TEAMS]);
    const limited = await createUser(t, tenant, { roleId });
    expect(codeOf(await send(limited.token, amy.id, 'hello'))).toBe('FORBIDDEN');
  });

  it('ends a disabled user’s live feed at once', async () => {
    const amy = await createUser(t, tenant);
    const ben = await createUser(t, tenant);
    const client = connectWs(t, ben.token);
    clients.push(client);
    const closed = new Promise<number>((resolve) => client.on('closed', (e) => resolve((e as { code: number }).code)));
    live(client, ColleagueMessageAddedDocument, {});
    await send(amy.token, ben.id, 'warm up');
    await new Promise((r) => setTimeout(r, 100));
    await t.ok(SetUserEnabledDocument, { id: ben.id, enabled: false }, tenant.admin.token);
    expect(await closed).toBe(4401);
  });

  it('lists enabled colleagues and teams for the transfer dialog, within the tenant and for the conversations page only', async () => {
    const nickname = `Amy ${Date.now()}`;
    const amy = await createUser(t, tenant, { nickname });
    const ben = await createUser(t, tenant);
    await t.ok(SetUserEnabledDocument, { id: ben.id, enabled: false }, tenant.admin.token);
    const team = await createTeam(t, tenant);
    const other = await createTenant(t);
    const stranger = await createUser(t, other);

    const seen = (await t.ok(ColleaguesDocument, {}, amy.token)).colleagues.nodes.map((u) => u.id);
    expect(seen).toContain(amy.id);
    expect(seen).not.toContain(ben.id);
    expect(seen).not.toContain(stranger.id);
    const found = await t.ok(ColleaguesDocument, { search: nickname }, amy.token);
    expect(found.colleagues.nodes.map((u) => u.id)).toContain(amy.id);
    expect(found.transferTeams.nodes.map((x) => x.id)).toContain(team);
    // The Colleague tab and transfers leave the caller out, in the list and in the count.
    const others = await t.ok(ColleaguesDocument, { excludeSelf: true }, amy.token);
    expect(others.colleagues.nodes.map((u) => u.id)).not.toContain(amy.id);
    expect(others.colleagues.totalCount).toBe(
      (await t.ok(ColleaguesDocument, {}, amy.token)).colleagues.totalCount - 1,
    );
    // Agents see who a colleague is, not their contact details or role (those are for the Users page).
    const contact = await t.post(
      { query: 'query { colleagues(first: 5) { nodes { email phone } } }' },
      { authorization: `Bearer ${amy.token}` },
    );
    const refused = (contact.json as { errors?: { message: string }[] }).errors?.map((e) => e.message);
    expect(refused).toContain('Cannot query field "email" on type "Colleague".');
    const online = await t.ok(ColleaguesDocument, { status: 'ONLINE' }, amy.token);
    expect(online.colleagues.nodes.every((u) => u.status === 'ONLINE')).toBe(true);

    const noPage = await createUser(t, tenant, { roleId: await createRole(t, tenant, [Page.AGENT_HISTORY]) });
    expect(codeOf(await t.gql(ColleaguesDocument, {}, noPage.token))).toBe('FORBIDDEN');
  });
});
