import { createClient } from 'graphql-ws';
import { print } from 'graphql';
import WebSocket from 'ws';
import { createTenant, createUser, type TenantFixture } from '../../factories';
import {
  ConversationMessagesDocument,
  type ConversationMessagesSubscription,
  CreateWidgetConfigDocument,
  JoinConversationDocument,
  SendVisitorMessageDocument,
  StartVisitorSessionDocument,
} from '../../graphql/generated';
import { type ApiProcess, startApiProcess } from '../../support/api-process';
import { startTestApp, type TestApp } from '../../support/test-app';

const REDIS_URL = process.env.REDIS_URL;
const SECRET = 'test-secret-that-is-long-enough-for-hs256-signing';

if (!REDIS_URL && process.env.CI === 'true') {
  describe('two API processes', () => {
    it('needs REDIS_URL', () => {
      throw new Error('CI=true but REDIS_URL is not set: the multi-process tests must run in CI');
    });
  });
}

(REDIS_URL ? describe : describe.skip)(
  `two API processes on one database and one Redis (MSG-9)${REDIS_URL ? '' : ' (skipped: REDIS_URL is not set)'}`,
  () => {
    let one: TestApp;
    let two: ApiProcess;
    let tenant: TenantFixture;
    let widgetKey: string;

    beforeAll(async () => {
      one = await startTestApp({ REDIS_URL: REDIS_URL!, JWT_SECRET: SECRET });
      two = await startApiProcess({ DATABASE_URL: one.databaseUrl, REDIS_URL: REDIS_URL!, JWT_SECRET: SECRET });
      tenant = await createTenant(one);
      widgetKey = (await one.ok(CreateWidgetConfigDocument, { input: { name: 'Site' } }, tenant.admin.token))
        .createWidgetConfig.publicKey;
    }, 60_000);
    afterAll(async () => {
      await two?.stop();
      await one?.stop();
    });

    /** An agent's feed on process two. */
    const feedOnTwo = (token: string, conversationId: string, afterSeq: number) => {
      const client = createClient({
        url: `${two.url.replace('http', 'ws')}/graphql`,
        webSocketImpl: WebSocket,
        connectionParams: { Authorization: `Bearer ${token}` },
        retryAttempts: 0,
      });
      const received: number[] = [];
      const texts: (string | null | undefined)[] = [];
      client.subscribe<ConversationMessagesSubscription>(
        { query: print(ConversationMessagesDocument), variables: { conversationId, afterSeq } },
        {
          next: (r) => {
            const m = r.data?.conversationMessages.message;
            if (m) {
              received.push(m.seq);
              texts.push(m.text);
            }
          },
          error: () => undefined,
          complete: () => undefined,
        },
      );
      const until = async (count: number) => {
        const deadline = Date.now() + 20_000;
        while (received.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        return received;
      };
      return { received, texts, until, close: () => client.dispose() };
    };

    it('delivers every message sent on one process to an agent subscribed on the other, exactly once and in order', async () => {
      const visitor = (await one.ok(StartVisitorSessionDocument, { input: { widgetKey } })).startVisitorSession;
      const say = (text: string) =>
        one.ok(SendVisitorMessageDocument, { input: { type: 'TEXT', text } }, visitor.token);
      const opened = (await say('hello')).sendVisitorMessage;
      const agent = await createUser(one, tenant);
      await one.ok(JoinConversationDocument, { id: opened.conversation }, agent.token);

      const feed = feedOnTwo(agent.token, opened.conversation, 0);
      expect(await feed.until(3)).toEqual([1, 2, 3]);
      for (let i = 0; i < 100; i++) await say(`m${i}`);
      const seqs = await feed.until(103);
      await new Promise((r) => setTimeout(r, 200));
      expect(feed.received).toEqual(Array.from({ length: 103 }, (_, i) => i + 1));
      expect(seqs.length).toBe(103);
      await feed.close();

      // Dropped while 200 more arrive on process one; resumed on process two with afterSeq.
      for (let i = 0; i < 200; i++) await say(`gap ${i}`);
      const resumed = feedOnTwo(agent.token, opened.conversation, 103);
      await resumed.until(200);
      await new Promise((r) => setTimeout(r, 200));
      expect(resumed.received).toEqual(Array.from({ length: 200 }, (_, i) => 104 + i));
      expect(resumed.texts).toEqual(Array.from({ length: 200 }, (_, i) => `gap ${i}`));
      await resumed.close();
    }, 60_000);
  },
);
