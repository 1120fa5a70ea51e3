import type { Client } from 'graphql-ws';
import { createTenant, createUser, type TenantFixture, type UserFixture } from '../../factories';
import {
  CreateWidgetConfigDocument,
  JoinConversationDocument,
  SendMessageDocument,
  SendVisitorMessageDocument,
  StartVisitorSessionDocument,
  TimedConversationDocument,
  type TimedConversationQuery,
  type TenantSettingsInput,
  UpdateTimerSettingsDocument,
} from '../../graphql/generated';
import { connectWs } from '../../support/live';
import { startTestApp, type TestApp } from '../../support/test-app';

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export type Timed = TimedConversationQuery['conversation'];

// Every rule is off unless a test turns it on (inactivity is on by default, after 24 hours).
const QUIET: TenantSettingsInput = {
  noReply: { enabled: false },
  customerNoReply: { enabled: false },
  inactivity: { enabled: false },
  queueReminder: { enabled: false },
};

export const systemTexts = (c: Timed) => c.messages.filter((m) => m.senderKind === 'SYSTEM').map((m) => m.text);
export const closed = (c: Timed) => c.state === 'CLOSED';

/** A test app for one spec file, with the steps the timer specs share. */
export function timerApp() {
  let t: TestApp;
  const clients: Client[] = [];
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    await t.stop();
  });

  const say = (token: string, text: string) =>
    t.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text } }, token);
  const read = async (tenant: TenantFixture, id: string): Promise<Timed> =>
    (await t.ok(TimedConversationDocument, { id }, tenant.admin.token)).conversation;

  const steps = {
    get t(): TestApp {
      return t;
    },
    ws(token: string): Client {
      const client = connectWs(t, token);
      clients.push(client);
      return client;
    },
    /** A tenant of its own (settings are per tenant), with a widget and only the given timer rules on. */
    async company(input: TenantSettingsInput) {
      const tenant = await createTenant(t);
      const widgetKey = (await t.ok(CreateWidgetConfigDocument, { input: { name: 'Website' } }, tenant.admin.token))
        .createWidgetConfig.publicKey;
      await t.ok(UpdateTimerSettingsDocument, { input: { ...QUIET, ...input } }, tenant.admin.token);
      return { tenant, widgetKey };
    },
    settings: (tenant: TenantFixture, input: TenantSettingsInput) =>
      t.ok(UpdateTimerSettingsDocument, { input }, tenant.admin.token),
    /** A visitor whose first message opened a conversation (QUEUED: no agent is online). */
    async opened(widgetKey: string, text = 'Hello?') {
      const v = (await t.ok(StartVisitorSessionDocument, { input: { widgetKey } })).startVisitorSession;
      const conversationId = (await say(v.token, text)).sendVisitorMessage.conversation;
      return { v, conversationId };
    },
    say,
    reply: (agent: UserFixture, conversationId: string, text: string) =>
      t.ok(SendMessageDocument, { conversationId, input: { type: 'TEXT', text } }, agent.token),
    /** An open conversation a new agent has joined. */
    async served(tenant: TenantFixture, widgetKey: string) {
      const { v, conversationId } = await steps.opened(widgetKey);
      const agent = await createUser(t, tenant);
      await t.ok(JoinConversationDocument, { id: conversationId }, agent.token);
      return { v, conversationId, agent };
    },
    read,
    /** Polls until the conversation satisfies `check`, or fails with its last state. */
    async until(tenant: TenantFixture, id: string, check: (c: Timed) => boolean, timeoutMs = 10_000): Promise<Timed> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const c = await read(tenant, id);
        if (check(c)) return c;
        if (Date.now() > deadline) throw new Error(`condition not met in time; last: ${JSON.stringify(c)}`);
        await sleep(200);
      }
    },
  };
  return steps;
}
