import { randomUUID } from 'node:crypto';
import { type Client, createClient } from 'graphql-ws';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { Page } from '../../../src/platform/auth/pages';
import { createEventBus } from '../../../src/platform/pubsub/create-event-bus';
import { InProcessEventBus } from '../../../src/platform/pubsub/event-bus';
import { RedisEventBus } from '../../../src/platform/pubsub/redis-event-bus';
import { createRole, createTenant, createUser, type TenantFixture } from '../../factories';
import {
  type NotificationsQuery,
  NotificationsDocument,
  SetUserEnabledDocument,
  UpdateUserDocument,
} from '../../graphql/generated';
import { startTestApp, type TestApp } from '../../support/test-app';

const REDIS_URL = process.env.REDIS_URL;

// CI runs with Redis: a missing REDIS_URL there is a broken setup, not a reason to skip.
if (!REDIS_URL && process.env.CI === 'true') {
  describe('RedisEventBus', () => {
    it('needs REDIS_URL', () => {
      throw new Error('CI=true but REDIS_URL is not set: the Redis event bus tests must run in CI (.ci/run sets it)');
    });
  });
}

const describeWithRedis = REDIS_URL ? describe : describe.skip;
const skipped = REDIS_URL ? '' : ' (skipped: REDIS_URL is not set)';

/** A topic no other test (or test file sharing this Redis) uses. */
const topicName = (label = 'topic') => `test:${randomUUID()}:${label}`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => Promise<boolean>, what: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

/** Reads `count` events, failing after `timeoutMs`. */
async function take<T>(events: AsyncIterator<T>, count: number, timeoutMs = 5000): Promise<T[]> {
  const out: T[] = [];
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`received ${out.length} of ${count} events in time`)), timeoutMs);
  });
  try {
    while (out.length < count) {
      const r = await Promise.race([events.next(), timeout]);
      if (r.done) throw new Error(`the iterator finished after ${out.length} of ${count} events`);
      out.push(r.value);
    }
  } finally {
    clearTimeout(timer);
  }
  return out;
}

/** What `next()` gives within `ms`: an event, done, or 'nothing'. */
async function peek<T>(events: AsyncIterator<T>, ms = 150): Promise<IteratorResult<T> | 'nothing'> {
  let timer: NodeJS.Timeout | undefined;
  const quiet = new Promise<'nothing'>((resolve) => (timer = setTimeout(() => resolve('nothing'), ms)));
  try {
    return await Promise.race([events.next(), quiet]);
  } finally {
    clearTimeout(timer);
  }
}

describeWithRedis(`RedisEventBus${skipped}`, () => {
  // A third client that looks at the server's state, as an operator would.
  let admin: Redis;
  const buses: RedisEventBus[] = [];

  const newBus = async (options: ConstructorParameters<typeof RedisEventBus>[1] = {}) => {
    const bus = new RedisEventBus(REDIS_URL!, options);
    buses.push(bus);
    await bus.ready();
    return bus;
  };
  /** How many connections (processes) subscribe to the topic's channel. */
  const subscribers = async (topic: string) => Number((await admin.pubsub('NUMSUB', topic))[1]);
  const untilSubscribers = (topic: string, n: number) =>
    until(async () => (await subscribers(topic)) === n, `${n} Redis subscriber(s) of ${topic}`);
  const channels = (topic: string) => admin.pubsub('CHANNELS', topic) as Promise<string[]>;

  beforeAll(async () => {
    admin = new Redis(REDIS_URL!);
  });
  afterAll(async () => {
    await Promise.all(buses.map((b) => b.close()));
    await admin.quit();
  });

  describe('between two processes', () => {
    let a: RedisEventBus;
    let b: RedisEventBus;
    beforeAll(async () => {
      [a, b] = await Promise.all([newBus(), newBus()]);
    });

    it('delivers what either publishes to the subscribers of both, in order, exactly once each', async () => {
      const topic = topicName();
      const [a1, a2, b1] = [
        a.subscribe<{ n: number }>(topic),
        a.subscribe<{ n: number }>(topic),
        b.subscribe<{ n: number }>(topic),
      ];
      await untilSubscribers(topic, 2); // one Redis subscription per process, however many local subscribers

      for (let n = 1; n <= 10; n++) await a.publish(topic, { n });
      for (let n = 11; n <= 20; n++) await b.publish(topic, { n });

      const expected = Array.from({ length: 20 }, (_, i) => ({ n: i + 1 }));
      for (const events of [a1, a2, b1]) {
        expect(await take(events, 20)).toEqual(expected);
        expect(await peek(events)).toBe('nothing'); // no duplicates
        await events.return!();
      }
      await untilSubscribers(topic, 0);
    });

    it('keeps topics apart', async () => {
      const [red, blue] = [topicName('red'), topicName('blue')];
      const reds = a.subscribe<string>(red);
      const blues = b.subscribe<string>(blue);
      const bothRed = b.subscribe<string>(red);
      await untilSubscribers(red, 2);
      await untilSubscribers(blue, 1);

      await a.publish(blue, 'b1');
      await b.publish(red, 'r1');
      await a.publish(blue, 'b2');

      expect(await take(reds, 1)).toEqual(['r1']);
      expect(await take(bothRed, 1)).toEqual(['r1']);
      expect(await take(blues, 2)).toEqual(['b1', 'b2']);
      expect(await peek(reds)).toBe('nothing');
      expect(await peek(bothRed)).toBe('nothing');
      await Promise.all([reds.return!(), blues.return!(), bothRed.return!()]);
    });

    it('delivers a burst of 1,000 events complete and in order', async () => {
      const topic = topicName('burst');
      const here = a.subscribe<number>(topic);
      const there = b.subscribe<number>(topic);
      await untilSubscribers(topic, 2);

      const sent = Array.from({ length: 1000 }, (_, i) => i);
      await Promise.all(sent.map((n) => a.publish(topic, n)));

      const [gotHere, gotThere] = await Promise.all([take(here, 1000), take(there, 1000)]);
      expect(gotHere).toEqual(sent);
      expect(gotThere).toEqual(sent);
      await Promise.all([here.return!(), there.return!()]);
    });

    it('publishes JSON: dates arrive as ISO strings', async () => {
      const topic = topicName();
      const events = b.subscribe<unknown>(topic);
      await untilSubscribers(topic, 1);
      const at = new Date('2026-03-04T05:06:07.089Z');
      await a.publish(topic, { at, nested: { list: [1, 'two', null] }, gone: undefined });
      expect(await take(events, 1)).toEqual([{ at: '2026-03-04T05:06:07.089Z', nested: { list: [1, 'two', null] } }]);
      await events.return!();
    });
  });

  describe('Redis subscriptions follow the local subscribers', () => {
    let bus: RedisEventBus;
    beforeAll(async () => {
      bus = await newBus();
    });

    it('unsubscribes when the last local subscriber’s signal aborts', async () => {
      const topic = topicName();
      const first = new AbortController();
      const second = new AbortController();
      const one = bus.subscribe<number>(topic, first.signal);
      const two = bus.subscribe<number>(topic, second.signal);
      await untilSubscribers(topic, 1);
      expect(await channels(topic)).toEqual([topic]);

      first.abort();
      expect(await one.next()).toEqual({ value: undefined, done: true });
      // The other local subscriber still listens: the channel stays.
      await sleep(100);
      expect(await channels(topic)).toEqual([topic]);
      await bus.publish(topic, 1);
      expect(await take(two, 1)).toEqual([1]);

      second.abort();
      expect(await two.next()).toEqual({ value: undefined, done: true });
      await until(async () => (await channels(topic)).length === 0, 'the channel to go');
    });

    it('unsubscribes when a for-await loop breaks out', async () => {
      const topic = topicName();
      const received: number[] = [];
      const loop = (async () => {
        for await (const n of bus.subscribe<number>(topic)) {
          received.push(n);
          if (n === 2) break;
        }
      })();
      await untilSubscribers(topic, 1);
      for (const n of [1, 2, 3]) await bus.publish(topic, n);
      await loop;
      expect(received).toEqual([1, 2]);
      await until(async () => (await channels(topic)).length === 0, 'the channel to go');
    });

    it('does not subscribe for a signal that has already aborted', async () => {
      const topic = topicName();
      const events = bus.subscribe<number>(topic, AbortSignal.abort());
      expect(await events.next()).toEqual({ value: undefined, done: true });
      await sleep(50);
      expect(await subscribers(topic)).toBe(0);
    });

    it('subscribes again after the last subscriber left and a new one came', async () => {
      const topic = topicName();
      const first = bus.subscribe<number>(topic);
      await untilSubscribers(topic, 1);
      await first.return!();
      const second = bus.subscribe<number>(topic); // unsubscribe and subscribe are in flight together
      await sleep(100);
      expect(await subscribers(topic)).toBe(1);
      await bus.publish(topic, 7);
      expect(await take(second, 1)).toEqual([7]);
      await second.return!();
    });
  });

  it('a slow subscriber delays nobody; one that falls too far behind ends with an error', async () => {
    const bus = await newBus({ maxQueued: 5 });
    const topic = topicName();
    const slow = bus.subscribe<number>(topic);
    const fast = bus.subscribe<number>(topic);
    await untilSubscribers(topic, 1);

    for (let n = 1; n <= 3; n++) await bus.publish(topic, n);
    expect(await take(fast, 3)).toEqual([1, 2, 3]);
    // `slow` has not read anything yet; it still gets its queue, in order.
    expect(await take(slow, 3)).toEqual([1, 2, 3]);

    // `fast` keeps reading while `slow` reads nothing more.
    const fastGets = take(fast, 9);
    for (let n = 4; n <= 12; n++) await bus.publish(topic, n);
    expect(await fastGets).toEqual([4, 5, 6, 7, 8, 9, 10, 11, 12]);
    await expect(slow.next()).rejects.toThrow('fell more than 5 events behind');
    expect(await slow.next()).toEqual({ value: undefined, done: true });
    // The fast one is unaffected and the channel stays for it.
    await bus.publish(topic, 13);
    expect(await take(fast, 1)).toEqual([13]);
    expect(await subscribers(topic)).toBe(1);
    await fast.return!();
  });

  it('close() finishes every iterator, unsubscribes, and refuses later publishes', async () => {
    const bus = await newBus();
    const [t1, t2] = [topicName(), topicName()];
    const pending = bus.subscribe<number>(t1);
    const finished: number[] = [];
    const loop = (async () => {
      for await (const n of bus.subscribe<number>(t2)) finished.push(n);
      return 'loop ended';
    })();
    await untilSubscribers(t1, 1);
    await untilSubscribers(t2, 1);
    const waiting = pending.next();

    await bus.close();
    expect(await waiting).toEqual({ value: undefined, done: true });
    expect(await loop).toBe('loop ended');
    expect(await subscribers(t1)).toBe(0);
    expect(await subscribers(t2)).toBe(0);
    await expect(bus.publish(t1, 1)).rejects.toThrow('closed');
    expect(await bus.subscribe(t1).next()).toEqual({ value: undefined, done: true });
    await bus.close(); // twice is fine
  });

  describe('reconnects', () => {
    /** Kills the bus's subscriber connection on the server, as a Redis restart or network cut would. */
    const killSubscriberConnection = async (name: string): Promise<string> => {
      const list = (await admin.client('LIST')) as string;
      const line = list.split('\n').find((l) => l.includes(` name=${name}:sub `));
      const id = line?.match(/^id=(\d+) /)?.[1];
      if (!id) throw new Error(`no subscriber connection named ${name}:sub`);
      await admin.client('KILL', 'ID', id);
      return id;
    };
    const untilReconnected = (name: string, oldId: string) =>
      until(async () => {
        const list = (await admin.client('LIST')) as string;
        return list.split('\n').some((l) => l.includes(` name=${name}:sub `) && !l.startsWith(`id=${oldId} `));
      }, 'the subscriber connection to come back');

    it('keeps local subscribers across a reconnect and subscribes exactly what is still wanted', async () => {
      const name = `parley-test-${randomUUID()}`;
      const bus = await newBus({ connectionName: name });
      const [kept, dropped, added] = [topicName('kept'), topicName('dropped'), topicName('added')];
      const keptEvents = bus.subscribe<string>(kept);
      const leaving = new AbortController();
      bus.subscribe<string>(dropped, leaving.signal);
      await untilSubscribers(kept, 1);
      await untilSubscribers(dropped, 1);

      const oldId = await killSubscriberConnection(name);
      // Changes while the connection is down wait for it.
      leaving.abort();
      const addedEvents = bus.subscribe<string>(added);
      await untilReconnected(name, oldId);
      await untilSubscribers(kept, 1);
      await untilSubscribers(added, 1);
      await untilSubscribers(dropped, 0);

      await bus.publish(kept, 'after');
      await bus.publish(added, 'new');
      expect(await take(keptEvents, 1)).toEqual(['after']);
      expect(await take(addedEvents, 1)).toEqual(['new']);
      await sleep(100);
      expect(await subscribers(dropped)).toBe(0);
      await Promise.all([keptEvents.return!(), addedEvents.return!()]);
    });
  });

  describe('createEventBus', () => {
    it('uses Redis when REDIS_URL is set, memory otherwise', async () => {
      const redis = await createEventBus({ REDIS_URL });
      expect(redis).toBeInstanceOf(RedisEventBus);
      await redis.close();
      const memory = await createEventBus({ REDIS_URL: undefined });
      expect(memory).toBeInstanceOf(InProcessEventBus);
      await memory.close();
    });

    it('fails with an error naming REDIS_URL when Redis cannot be reached', async () => {
      const started = Date.now();
      await expect(createEventBus({ REDIS_URL: 'redis://:secret@127.0.0.1:1' })).rejects.toThrow(
        /^REDIS_URL: cannot connect to Redis at redis:\/\/:\*\*\*@127\.0\.0\.1:1 within 5 s/,
      );
      expect(Date.now() - started).toBeLessThan(8000);
    });
  });
});

type Added = NotificationsQuery['notifications']['nodes'][number];

// Every field the list has (the generated subscription document selects only a few): dates included,
// since they are what JSON changes on the way through Redis.
const NOTIFICATION_ADDED = `subscription {
  notificationAdded { id kind title body subjectType subjectId link readAt createdAt }
}`;

describeWithRedis(`two API processes over Redis${skipped}`, () => {
  let one: TestApp;
  let two: TestApp;
  let tenant: TenantFixture;
  const clients: Client[] = [];

  beforeAll(async () => {
    one = await startTestApp({ REDIS_URL: REDIS_URL! });
    two = await startTestApp({ REDIS_URL: REDIS_URL! }, { shareDatabaseOf: one });
    tenant = await createTenant(one);
  });
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.dispose()));
    // The sharing app first: the other one drops the database.
    await two?.stop();
    await one?.stop();
  });

  /** A `notificationAdded` subscription on `app`, recording what arrives and how the socket closed. */
  const subscribe = (app: TestApp, token: string) => {
    const received: Added[] = [];
    let closed: (code: number) => void = () => undefined;
    const closedWith = new Promise<number>((resolve) => (closed = resolve));
    const client = createClient({
      url: `${app.url.replace('http', 'ws')}/graphql`,
      webSocketImpl: WebSocket,
      connectionParams: { Authorization: `Bearer ${token}` },
      retryAttempts: 0,
      on: { closed: (event) => closed((event as { code: number }).code) },
    });
    clients.push(client);
    client.subscribe<{ notificationAdded: Added }>(
      { query: NOTIFICATION_ADDED },
      {
        next: (result) => {
          if (result.data) received.push(result.data.notificationAdded);
        },
        error: () => undefined,
        complete: () => undefined,
      },
    );
    return { received, closedWith };
  };

  /** The protocol does not acknowledge a subscribe: probe (capacity changes through app one) until one arrives. */
  const untilLive = async (received: Added[], userId: string) => {
    for (let attempt = 1; attempt <= 30; attempt++) {
      await one.ok(UpdateUserDocument, { id: userId, input: { maxConversations: attempt } }, tenant.admin.token);
      try {
        await until(async () => received.length > 0, 'a probe', 150);
        await sleep(50);
        received.splice(0);
        return;
      } catch {
        // not yet
      }
    }
    throw new Error('the subscription never became live');
  };

  it("a role change made through one process notifies the user's socket on the other", async () => {
    const user = await createUser(two, tenant);
    const live = subscribe(two, user.token);
    await untilLive(live.received, user.id);

    const role = await createRole(one, tenant, [Page.ADMIN_TEAMS]);
    await one.ok(UpdateUserDocument, { id: user.id, input: { roleId: role } }, tenant.admin.token);
    await until(async () => live.received.length > 0, 'the notification on process two');

    const [pushed] = live.received;
    expect(pushed).toMatchObject({ kind: 'ROLE_CHANGED', title: 'Your role has changed', readAt: null });
    // It is the stored notification, dates and all, although it crossed Redis as JSON.
    const stored = (await two.ok(NotificationsDocument, { first: 1 }, user.token)).notifications.nodes[0]!;
    expect(pushed).toEqual(stored);
    await sleep(100);
    expect(live.received).toHaveLength(1); // exactly once
  });

  it("disabling a user through one process closes the user's socket on the other (4401)", async () => {
    const user = await createUser(one, tenant);
    const live = subscribe(two, user.token);
    await untilLive(live.received, user.id);

    await one.ok(SetUserEnabledDocument, { id: user.id, enabled: false }, tenant.admin.token);
    expect(await Promise.race([live.closedWith, sleep(3000).then(() => 'still open')])).toBe(4401);
  });
});
