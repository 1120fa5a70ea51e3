import { createTenant } from '../../factories';
import {
  CreateWidgetConfigDocument,
  SendVisitorMessageDocument,
  StartVisitorSessionDocument,
  TimedConversationDocument,
  UpdateTimerSettingsDocument,
} from '../../graphql/generated';
import { startTestApp, type TestApp } from '../../support/test-app';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('conversation timers across restarts', () => {
  const apps: TestApp[] = [];
  // The app that created the database drops it: it stops last.
  afterAll(async () => {
    for (const app of apps.reverse()) await app.stop();
  });

  it('closes a conversation on time even though the process that armed its timer is gone', async () => {
    const home = await startTestApp();
    apps.push(home);
    const tenant = await createTenant(home);
    const { publicKey } = (
      await home.ok(CreateWidgetConfigDocument, { input: { name: 'Website' } }, tenant.admin.token)
    ).createWidgetConfig;
    await home.ok(
      UpdateTimerSettingsDocument,
      { input: { inactivity: { enabled: true, afterSeconds: 3, closeText: 'Closed while we were away.' } } },
      tenant.admin.token,
    );
    // This process keeps the database and answers queries, but runs no jobs from now on.
    await home.services.jobs.stop();

    // A second process opens the conversation (and arms its timer), then goes away.
    const first = await startTestApp({}, { shareDatabaseOf: home });
    const v = (await first.ok(StartVisitorSessionDocument, { input: { widgetKey: publicKey } })).startVisitorSession;
    const conversationId = (
      await first.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text: 'Hi' } }, v.token)
    ).sendVisitorMessage.conversation;
    await first.stop();

    // The timeout passes while no process runs jobs: nothing can close it.
    await sleep(4000);
    const read = async () =>
      (await home.ok(TimedConversationDocument, { id: conversationId }, tenant.admin.token)).conversation;
    expect((await read()).state).toBe('QUEUED');

    // A new process starts over the same database and finds the timer there.
    apps.push(await startTestApp({}, { shareDatabaseOf: home }));
    const deadline = Date.now() + 10_000;
    let c = await read();
    while (c.state !== 'CLOSED' && Date.now() < deadline) {
      await sleep(200);
      c = await read();
    }
    expect(c).toMatchObject({ state: 'CLOSED', closedBy: 'SYSTEM', closeReason: 'INACTIVE' });
    expect(c.messages.slice(-2).map((m) => m.text)).toEqual([
      'Closed while we were away.',
      'The conversation has ended.',
    ]);
  });
});
