import { randomUUID } from 'node:crypto';
import type { Client } from 'graphql-ws';
import { Note } from '../../../src/modules/note/note.entity';
import { parseCsv } from '../../../src/platform/csv/csv';
import { systemFork } from '../../../src/platform/database/tenant-filter';
import { Page } from '../../../src/platform/auth/pages';
import { createRole, createTenant, createUser, type TenantFixture, type UserFixture } from '../../factories';
import {
  AssignNoteDocument,
  CreateWidgetConfigDocument,
  ExportNotesDocument,
  LeaveNoteDocument,
  type LeaveNoteInput,
  NoteChangedDocument,
  NoteDetailDocument,
  NotesDocument,
  type NotesQueryVariables,
  NotificationsDocument,
  QueueDocument,
  SendVisitorMessageDocument,
  SetNoteStateDocument,
  SetUserEnabledDocument,
  StartVisitorSessionDocument,
  VisitorConversationDocument,
} from '../../graphql/generated';
import { connectWs, live } from '../../support/live';
import { codeOf, startTestApp, type TestApp } from '../../support/test-app';

describe('notes, the staff side (CNT-4)', () => {
  let t: TestApp;
  const clients: Client[] = [];

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.stop();
  });

  /** A tenant with a web widget and an app widget. */
  async function company() {
    const tenant = await createTenant(t);
    const widget = async (name: string, channel: 'WEB' | 'APP') =>
      (await t.ok(CreateWidgetConfigDocument, { input: { name, channel } }, tenant.admin.token)).createWidgetConfig
        .publicKey;
    return { tenant, web: await widget('Website', 'WEB'), app: await widget('App', 'APP') };
  }
  const webWidget = async (tenant: TenantFixture) =>
    (await t.ok(CreateWidgetConfigDocument, { input: { name: 'More', channel: 'WEB' } }, tenant.admin.token))
      .createWidgetConfig.publicKey;
  const visitor = async (widgetKey: string) =>
    (await t.ok(StartVisitorSessionDocument, { input: { widgetKey } })).startVisitorSession;
  const leave = async (widgetKey: string, input: LeaveNoteInput) => {
    const v = await visitor(widgetKey);
    return { v, note: (await t.ok(LeaveNoteDocument, { input }, v.token)).leaveNote };
  };
  // Links carry PUBLIC_URL; the test server listens on a port of its own.
  const download = (url: string) => {
    const u = new URL(url);
    return fetch(`${t.url}${u.pathname}${u.search}`);
  };
  const list = async (token: string, vars: NotesQueryVariables = {}) =>
    (await t.ok(NotesDocument, { first: 100, ...vars }, token)).notes;
  const numbers = async (token: string, vars: NotesQueryVariables = {}) =>
    (await list(token, vars)).nodes.map((n) => n.number);

  it('takes a note from a visitor with no conversation at all, with the widget’s channel, outside the queue', async () => {
    const { tenant, web, app } = await company();
    const fromWeb = await leave(web, { content: 'You were closed, call me', contactPhone: '555-0100' });
    const fromApp = await leave(app, { content: 'From the app' });
    expect(fromWeb.note).toMatchObject({ number: 1, conversation: null, channel: 'WEB', state: 'OPEN' });
    expect(fromApp.note).toMatchObject({ number: 2, conversation: null, channel: 'APP' });
    // Neither opened a conversation nor waits in the queue.
    expect((await t.ok(VisitorConversationDocument, {}, fromWeb.v.token)).visitorConversation).toBeNull();
    expect((await t.ok(QueueDocument, {}, tenant.admin.token)).queue.totalCount).toBe(0);

    const detail = (await t.ok(NoteDetailDocument, { id: fromWeb.note.id }, tenant.admin.token)).note;
    expect(detail).toMatchObject({
      number: 1,
      contactPhone: '555-0100',
      customerProfile: { id: fromWeb.v.customer.id, externalId: fromWeb.v.customer.externalId },
      assigneeUser: null,
    });
  });

  it('numbers notes 1, 2, 3… under concurrency, from the queue and without a conversation alike', async () => {
    const { tenant, web } = await company();
    const waiting = await Promise.all(Array.from({ length: 5 }, () => visitor(web)));
    await Promise.all(
      waiting.map((v) => t.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text: 'Anyone?' } }, v.token)),
    );
    const offline = await Promise.all(Array.from({ length: 7 }, () => visitor(web)));
    const results = await Promise.all(
      [...waiting, ...offline].map((v, i) => t.gql(LeaveNoteDocument, { input: { content: `note ${i}` } }, v.token)),
    );
    expect(results.map((r) => r.errors)).toEqual(results.map(() => undefined));
    expect(results.filter((r) => r.data!.leaveNote.conversation !== null)).toHaveLength(5);
    const all = await numbers(tenant.admin.token);
    expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    // The queue is empty again: the waiting conversations became notes.
    expect((await t.ok(QueueDocument, {}, tenant.admin.token)).queue.totalCount).toBe(0);
  });

  describe('with a tenant full of notes', () => {
    let tenant: TenantFixture;
    let agent: UserFixture;
    let colleague: UserFixture;
    const ids: Record<number, string> = {};

    beforeAll(async () => {
      const c = await company();
      tenant = c.tenant;
      [agent, colleague] = await Promise.all([createUser(t, tenant), createUser(t, tenant)]);
      const inputs: [string, LeaveNoteInput][] = [
        [c.web, { content: 'Refund for order 1001 please', contactEmail: 'ana@example.com' }],
        [c.web, { content: 'Where is my parcel?', contactName: 'Bo' }],
        [c.app, { content: 'App crashes at login', contactPhone: '+1 555 0199' }],
        [c.web, { content: 'Invoice needed', contactName: 'Cy', contactEmail: 'cy@shop.example' }],
        [c.app, { content: 'Cannot pay 50% off, "coupon" fails' }],
      ];
      for (const [key, input] of inputs) {
        const { note } = await leave(key, input);
        ids[note.number] = note.id;
      }
    });

    it('lists newest first with totalCount and pages', async () => {
      const all = await list(tenant.admin.token);
      expect(all.totalCount).toBe(5);
      expect(all.nodes.map((n) => n.number)).toEqual([5, 4, 3, 2, 1]);
      const first = await list(tenant.admin.token, { first: 2 });
      expect(first.nodes.map((n) => n.number)).toEqual([5, 4]);
      expect(first.pageInfo.hasNextPage).toBe(true);
      const next = await list(tenant.admin.token, { first: 2, after: first.pageInfo.endCursor });
      expect(next.nodes.map((n) => n.number)).toEqual([3, 2]);
      expect(next.totalCount).toBe(5);
    });

    it('filters by channel, keyword (content and contact) and date range', async () => {
      expect(await numbers(agent.token, { channel: 'APP' })).toEqual([5, 3]);
      expect(await numbers(agent.token, { keyword: 'ORDER' })).toEqual([1]);
      expect(await numbers(agent.token, { keyword: 'shop.example' })).toEqual([4]);
      expect(await numbers(agent.token, { keyword: '0199' })).toEqual([3]);
      expect(await numbers(agent.token, { keyword: 'bo' })).toEqual([2]);
      // LIKE wildcards are matched literally.
      expect(await numbers(agent.token, { keyword: '50%' })).toEqual([5]);
      expect(await numbers(agent.token, { keyword: '%' })).toEqual([5]);

      const em = systemFork(t.orm.em);
      await em.nativeUpdate(Note, { id: ids[1]! }, { createdAt: new Date('2025-01-10T10:00:00Z') });
      await em.nativeUpdate(Note, { id: ids[2]! }, { createdAt: new Date('2025-02-10T10:00:00Z') });
      await em.nativeUpdate(Note, { id: ids[3]! }, { createdAt: new Date('2025-03-10T10:00:00Z') });
      expect(
        await numbers(agent.token, { createdFrom: '2025-02-01T00:00:00Z', createdTo: '2025-03-10T10:00:00Z' }),
      ).toEqual([2]);
      expect(await numbers(agent.token, { createdTo: '2025-03-01T00:00:00Z' })).toEqual([2, 1]);
      expect(await numbers(agent.token, { createdFrom: '2025-03-01T00:00:00Z' })).toEqual([5, 4, 3]);
      const backwards = await t.gql(
        NotesDocument,
        { createdFrom: '2025-03-01T00:00:00Z', createdTo: '2025-02-01T00:00:00Z' },
        agent.token,
      );
      expect(codeOf(backwards)).toBe('BAD_USER_INPUT');
      expect(codeOf(await t.gql(NotesDocument, { keyword: 'k'.repeat(101) }, agent.token))).toBe('BAD_USER_INPUT');
    });

    it('moves a note between states, both ways, and filters by state', async () => {
      const pending = await t.ok(SetNoteStateDocument, { id: ids[4]!, state: 'PENDING' }, agent.token);
      expect(pending.setNoteState.state).toBe('PENDING');
      await t.ok(SetNoteStateDocument, { id: ids[5]!, state: 'SOLVED' }, agent.token);
      expect(await numbers(agent.token, { state: 'PENDING' })).toEqual([4]);
      expect(await numbers(agent.token, { state: 'SOLVED' })).toEqual([5]);
      expect(await numbers(agent.token, { state: 'OPEN' })).toEqual([3, 2, 1]);

      // And back: solved → open, pending → solved → pending.
      await t.ok(SetNoteStateDocument, { id: ids[5]!, state: 'OPEN' }, agent.token);
      await t.ok(SetNoteStateDocument, { id: ids[4]!, state: 'SOLVED' }, agent.token);
      await t.ok(SetNoteStateDocument, { id: ids[4]!, state: 'PENDING' }, agent.token);
      expect(await numbers(agent.token, { state: 'OPEN' })).toEqual([5, 3, 2, 1]);
      expect((await t.ok(NoteDetailDocument, { id: ids[4]! }, agent.token)).note.state).toBe('PENDING');
      expect(codeOf(await t.gql(SetNoteStateDocument, { id: randomUUID(), state: 'OPEN' }, agent.token))).toBe(
        'NOT_FOUND',
      );
    });

    it('assigns and unassigns; the assignee is notified with a link, unless they took it themselves', async () => {
      const assigned = await t.ok(AssignNoteDocument, { id: ids[1]!, userId: colleague.id }, agent.token);
      expect(assigned.assignNote).toMatchObject({ assignee: colleague.id, assigneeUser: { id: colleague.id } });
      const inbox = (await t.ok(NotificationsDocument, { first: 10 }, colleague.token)).notifications.nodes;
      expect(inbox).toHaveLength(1);
      expect(inbox[0]).toMatchObject({
        kind: 'SYSTEM',
        title: 'Note #1 was assigned to you',
        body: 'Refund for order 1001 please',
        subjectType: 'NOTE',
        subjectId: ids[1],
        link: `/notes/${ids[1]}`,
      });

      // Taking a note oneself notifies nobody.
      await t.ok(AssignNoteDocument, { id: ids[2]!, userId: agent.id }, agent.token);
      expect((await t.ok(NotificationsDocument, {}, agent.token)).notifications.totalCount).toBe(0);
      // Assigning again to the same user changes nothing and notifies nobody again.
      await t.ok(AssignNoteDocument, { id: ids[1]!, userId: colleague.id }, agent.token);
      expect((await t.ok(NotificationsDocument, {}, colleague.token)).notifications.totalCount).toBe(1);

      expect(await numbers(agent.token, { assignee: 'MINE' })).toEqual([2]);
      expect(await numbers(colleague.token, { assignee: 'MINE' })).toEqual([1]);
      expect(await numbers(agent.token, { assigneeId: colleague.id })).toEqual([1]);
      expect(await numbers(agent.token, { assignee: 'UNASSIGNED' })).toEqual([5, 4, 3]);
      expect(codeOf(await t.gql(NotesDocument, { assignee: 'MINE', assigneeId: agent.id }, agent.token))).toBe(
        'BAD_USER_INPUT',
      );

      const unassigned = await t.ok(AssignNoteDocument, { id: ids[2]!, userId: null }, agent.token);
      expect(unassigned.assignNote).toMatchObject({ assignee: null, assigneeUser: null });
      expect(await numbers(agent.token, { assignee: 'UNASSIGNED' })).toEqual([5, 4, 3, 2]);
    });

    it('refuses to assign to a disabled, missing or foreign user (NOT_FOUND), changing nothing', async () => {
      const leaver = await createUser(t, tenant);
      await t.ok(SetUserEnabledDocument, { id: leaver.id, enabled: false }, tenant.admin.token);
      const stranger = await createTenant(t);
      for (const userId of [leaver.id, randomUUID(), stranger.admin.id]) {
        const res = await t.gql(AssignNoteDocument, { id: ids[3]!, userId }, agent.token);
        expect(codeOf(res)).toBe('NOT_FOUND');
      }
      expect((await t.ok(NoteDetailDocument, { id: ids[3]! }, agent.token)).note.assignee).toBeNull();
      expect(codeOf(await t.gql(NotesDocument, { assigneeId: stranger.admin.id }, agent.token))).toBe('NOT_FOUND');
    });

    it('exports the filtered list as a CSV file to download', async () => {
      await t.ok(AssignNoteDocument, { id: ids[4]!, userId: colleague.id }, agent.token);
      const file = (await t.ok(ExportNotesDocument, {}, agent.token)).exportNotes;
      expect(file.count).toBe(5);
      expect(file.filename).toMatch(/^notes-.*\.csv$/);
      const res = await download(file.url);
      expect(res.status).toBe(200);
      const records = parseCsv(await res.text()).map((r) => r.cells);
      expect(records[0]).toEqual([
        'Number',
        'Created',
        'State',
        'Channel',
        'Customer ID',
        'Contact name',
        'Contact phone',
        'Contact email',
        'Content',
        'Assignee',
      ]);
      expect(records.slice(1).map((r) => r[0])).toEqual(['5', '4', '3', '2', '1']);
      const detail = (await t.ok(NoteDetailDocument, { id: ids[4]! }, agent.token)).note;
      expect(records[2]).toEqual([
        '4',
        detail.createdAt,
        'PENDING',
        'WEB',
        detail.customerProfile.externalId,
        'Cy',
        '',
        'cy@shop.example',
        'Invoice needed',
        detail.assigneeUser!.nickname,
      ]);
      // Quotes and commas survive the round trip; a leading '+' is defused for spreadsheets.
      expect(records[1]![8]).toBe('Cannot pay 50% off, "coupon" fails');
      expect(records[3]![6]).toBe("'+1 555 0199");

      const filtered = (await t.ok(ExportNotesDocument, { channel: 'APP', keyword: 'crash' }, agent.token)).exportNotes;
      expect(filtered.count).toBe(1);
      const rows = parseCsv(await (await download(filtered.url)).text());
      expect(rows.map((r) => r.cells[0])).toEqual(['Number', '3']);
    });

    it('streams new and changed notes to staff with the notes page', async () => {
      const client = connectWs(t, agent.token);
      clients.push(client);
      const sub = live(client, NoteChangedDocument, {});
      // Probe until live: the protocol does not acknowledge a subscribe.
      for (let i = 0; i < 20 && sub.received.length === 0; i++) {
        await t.ok(SetNoteStateDocument, { id: ids[3]!, state: i % 2 ? 'OPEN' : 'PENDING' }, agent.token);
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(sub.received.length).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 150));
      sub.received.splice(0);

      await t.ok(SetNoteStateDocument, { id: ids[1]!, state: 'SOLVED' }, colleague.token);
      const v = await visitor(await webWidget(tenant));
      const left = (await t.ok(LeaveNoteDocument, { input: { content: 'Live one' } }, v.token)).leaveNote;
      const events = await sub.waitFor(2);
      expect(events.map((e) => [e.noteChanged.kind, e.noteChanged.note.number, e.noteChanged.note.state])).toEqual([
        ['UPDATED', 1, 'SOLVED'],
        ['ADDED', left.number, 'OPEN'],
      ]);
      sub.stop();
    });

    it("keeps tenants apart: another tenant's admin gets NOT_FOUND and lists none of these notes", async () => {
      const other = await createTenant(t);
      const token = other.admin.token;
      expect(codeOf(await t.gql(NoteDetailDocument, { id: ids[1]! }, token))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(SetNoteStateDocument, { id: ids[1]!, state: 'PENDING' }, token))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(AssignNoteDocument, { id: ids[1]!, userId: other.admin.id }, token))).toBe('NOT_FOUND');
      expect(codeOf(await t.gql(NotesDocument, { assigneeId: colleague.id }, token))).toBe('NOT_FOUND');
      expect(await list(token)).toMatchObject({ totalCount: 0, nodes: [] });
      expect((await t.ok(ExportNotesDocument, {}, token)).exportNotes.count).toBe(0);
      expect((await t.ok(NoteDetailDocument, { id: ids[1]! }, agent.token)).note.state).not.toBe('PENDING');
    });

    it('is for roles with the notes page: others get FORBIDDEN, visitors too', async () => {
      const history = await createRole(t, tenant, [Page.ADMIN_HISTORY, Page.ADMIN_CUSTOMERS, Page.ADMIN_MONITOR]);
      const outsider = await createUser(t, tenant, { roleId: history });
      for (const res of [
        await t.gql(NotesDocument, {}, outsider.token),
        await t.gql(NoteDetailDocument, { id: ids[1]! }, outsider.token),
        await t.gql(SetNoteStateDocument, { id: ids[1]!, state: 'SOLVED' }, outsider.token),
        await t.gql(AssignNoteDocument, { id: ids[1]!, userId: outsider.id }, outsider.token),
        await t.gql(ExportNotesDocument, {}, outsider.token),
      ]) {
        expect(codeOf(res)).toBe('FORBIDDEN');
      }
      const onlyNotes = await createUser(t, tenant, { roleId: await createRole(t, tenant, [Page.AGENT_NOTES]) });
      expect((await list(onlyNotes.token)).totalCount).toBeGreaterThanOrEqual(5);
      const v = await visitor(await webWidget(tenant));
      expect(codeOf(await t.gql(NotesDocument, {}, v.token))).toBe('FORBIDDEN');
      expect(codeOf(await t.gql(NotesDocument, {}))).toBe('UNAUTHENTICATED');
    });
  });
});
