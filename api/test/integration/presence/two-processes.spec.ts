import { systemFork } from '../../../src/platform/database/tenant-filter';
import { UserConnection } from '../../../src/modules/presence/presence.entity';
import { createTenant, createUser, type TenantFixture } from '../../factories';
import { SetMyStatusDocument } from '../../graphql/generated';
import { startTestApp, type TestApp } from '../../support/test-app';
import { changesOf, connectionsOf, eventually, openConsole, sleep, statusOf } from './presence-helpers';

const REDIS_URL = process.env.REDIS_URL;
const GRACE_MS = 2000;

if (!REDIS_URL && process.env.CI === 'true') {
  describe('presence across two API processes', () => {
    it('needs REDIS_URL', () => {
      throw new Error('CI=true but REDIS_URL is not set: the multi-process tests must run in CI');
    });
  });
}

// Connections are rows in the shared database, so presence itself needs no Redis; the live presence
// feed across processes does.
(REDIS_URL ? describe : describe.skip)(
  `presence across two API processes on one database and one Redis (PRE-1)${REDIS_URL ? '' : ' (skipped: REDIS_URL is not set)'}`,
  () => {
    let one: TestApp;
    let two: TestApp;
    let tenant: TenantFixture;

    beforeAll(async () => {
      const env = { REDIS_URL: REDIS_URL!, PRESENCE_GRACE_SECONDS: String(GRACE_MS / 1000) };
      one = await startTestApp(env);
      two = await startTestApp(env, { shareDatabaseOf: one });
      tenant = await createTenant(one);
    }, 60_000);
    afterAll(async () => {
      await two?.stop();
      await one?.stop();
    });

    it("a socket on process two keeps the user ONLINE when process one's socket closes", async () => {
      const agent = await createUser(one, tenant);
      const onOne = await openConsole(one, agent.token);
      const onTwo = await openConsole(two, agent.token);
      expect(await connectionsOf(one, agent.id)).toBe(2);

      await onOne.close();
      await eventually(async () => (await connectionsOf(one, agent.id)) === 1, 5000, 'the release on process one');
      await sleep(GRACE_MS + 1500);
      expect(await statusOf(one, agent.id)).toBe('ONLINE');

      // The last socket closes on the other process: offline after the grace, whichever process runs the timer.
      await onTwo.close();
      await eventually(async () => (await statusOf(one, agent.id)) === 'OFFLINE', 10_000, 'going offline');
      expect(await changesOf(one, agent.id)).toEqual(['OFFLINE>ONLINE:CONNECTED', 'ONLINE>OFFLINE:DISCONNECTED']);
    });

    it('a reconnect to the other process within the grace keeps the user ONLINE', async () => {
      const agent = await createUser(one, tenant);
      const onOne = await openConsole(one, agent.token);
      await onOne.close();
      await eventually(async () => (await connectionsOf(one, agent.id)) === 0, 5000, 'the release on process one');
      const onTwo = await openConsole(two, agent.token);
      await sleep(GRACE_MS + 1500);
      expect(await statusOf(two, agent.id)).toBe('ONLINE');
      expect(await changesOf(one, agent.id)).toEqual(['OFFLINE>ONLINE:CONNECTED']);
      await onTwo.close();
    });

    it("when process two stops beating, process one's heartbeat sweeps its connections and the user goes OFFLINE", async () => {
      const agent = await createUser(one, tenant);
      const onOne = await openConsole(one, agent.token);
      const onTwo = await openConsole(two, agent.token);
      await onOne.close();
      await eventually(async () => (await connectionsOf(one, agent.id)) === 1, 5000, 'the release on process one');
      // Process two is as good as dead: its heartbeat stopped and its rows were last seen two minutes ago.
      two.services.presence.close();
      await systemFork(one.orm.em).nativeUpdate(
        UserConnection,
        { processId: two.services.presence.processId },
        { seenAt: new Date(Date.now() - 120_000) },
      );
      await one.services.presence.tick();
      expect(await connectionsOf(one, agent.id)).toBe(0);
      expect(await statusOf(one, agent.id)).toBe('OFFLINE');
      await onTwo.close();
    });

    it('colleagues watching on one process see status changes made through the other', async () => {
      const watcher = await openConsole(one, tenant.admin.token);
      const agent = await createUser(one, tenant);
      const onTwo = await openConsole(two, agent.token);
      await two.ok(SetMyStatusDocument, { status: 'INVISIBLE' }, agent.token);
      const seen = () => watcher.presence.received.map((r) => r.presenceChanges).filter((c) => c.userId === agent.id);
      await eventually(async () => seen().length >= 2, 5000, 'two presence events');
      expect(seen().map((c) => c.status)).toEqual(['ONLINE', 'INVISIBLE']);
      await onTwo.close();
      await watcher.close();
    });
  },
);
