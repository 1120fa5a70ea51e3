import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from 'pino';
import type { EventBus } from './event-bus';

export interface RedisEventBusOptions {
  /** Warnings only (connection lost and regained, malformed or overflowing messages); the bus logs nothing else. */
  log?: Logger;
  /**
   * How many undelivered events one local subscriber may hold. A subscriber that falls further behind
   * ends with an error (a GraphQL subscription fails; its client subscribes again and refetches) instead
   * of growing memory without bound.
   */
  maxQueued?: number;
  /** Shown by `CLIENT LIST` as `<name>:pub` and `<name>:sub`. */
  connectionName?: string;
  /** Passed to both ioredis connections (TLS, retry strategy, timeouts…). */
  redis?: RedisOptions;
}

/**
 * The event bus for several API processes: every event goes through Redis pub/sub, so a subscriber
 * on any process receives what any process publishes (the publishing one included, exactly once).
 *
 * - One connection publishes and one subscribes, per process. A Redis channel (named like the topic)
 *   is subscribed while at least one local subscriber listens to the topic, and unsubscribed when the
 *   last one leaves (its iterator returned or broken out of, its signal aborted, or `close()`).
 * - Payloads travel as JSON: publish plain data only. Dates arrive as ISO strings, class instances as
 *   plain objects, `undefined` fields disappear. `publish` resolves once Redis has accepted the message.
 * - Each local subscriber has its own queue, so a slow one delays nobody else. Events of one topic
 *   arrive in the order Redis received them.
 * - Reconnects: ioredis reconnects and re-subscribes on its own, and subscribe/unsubscribe commands
 *   issued while disconnected wait for the connection (they are never dropped); after a reconnect the
 *   bus also re-subscribes every topic that still has local subscribers. Local subscribers keep their
 *   iterators across a reconnect. Events published while the subscriber connection was down are lost
 *   (pub/sub is at-most-once; see "Realtime" in docs/architecture.md for how clients recover).
 */
export class RedisEventBus implements EventBus {
  private readonly publisher: Redis;
  private readonly subscriber: Redis;
  private readonly log: Logger | undefined;
  private readonly maxQueued: number;
  /** Local subscribers by topic; a topic is in the map exactly while its Redis channel should be subscribed. */
  private readonly topics = new Map<string, Set<LocalSubscriber>>();
  /** Per subscribed topic: settles when Redis has confirmed the subscription. */
  private readonly confirmed = new Map<string, Promise<void>>();
  private closing: Promise<void> | undefined;
  private subscriberWasReady = false;
  private readonly lastError = new Map<Redis, Error>();

  constructor(
    private readonly url: string,
    options: RedisEventBusOptions = {},
  ) {
    this.log = options.log;
    this.maxQueued = options.maxQueued ?? 10_000;
    const name = options.connectionName ?? 'parley-events';
    // Publishes issued in the same tick go out in one write (busy moments publish many at once).
    this.publisher = new Redis(url, { enableAutoPipelining: true, ...options.redis, connectionName: `${name}:pub` });
    // Subscribe and unsubscribe commands wait for a reconnect however long it takes (the default
    // gives up after 20 attempts, which would leave a topic silently unsubscribed).
    this.subscriber = new Redis(url, {
      ...options.redis,
      connectionName: `${name}:sub`,
      maxRetriesPerRequest: null,
      autoResubscribe: true,
    });
    for (const [role, connection] of [
      ['publisher', this.publisher],
      ['subscriber', this.subscriber],
    ] as const) {
      connection.on('error', (err: Error) => {
        // ioredis reports every failed reconnect attempt; warn once per outage.
        if (!this.lastError.has(connection) && !this.closing) {
          this.log?.warn({ err, connection: role, redis: redact(url) }, 'event bus: Redis connection error');
        }
        this.lastError.set(connection, err);
      });
      connection.on('ready', () => {
        if (this.lastError.delete(connection) && role === 'publisher') {
          this.log?.warn({ connection: role, redis: redact(url) }, 'event bus: Redis connection restored');
        }
      });
    }
    this.subscriber.on('ready', this.onSubscriberReady);
    this.subscriber.on('message', this.onMessage);
  }

  /** Resolves when both connections are ready; rejects (naming the last connection error) after `timeoutMs`. */
  async ready(timeoutMs = 5_000): Promise<void> {
    const cleanups: (() => void)[] = [];
    const readyOf = (connection: Redis) =>
      new Promise<void>((resolve) => {
        if (connection.status === 'ready') return resolve();
        const done = () => resolve();
        connection.once('ready', done);
        cleanups.push(() => connection.off('ready', done));
      });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const cause = this.lastError.get(this.publisher) ?? this.lastError.get(this.subscriber);
        reject(
          new Error(
            `Redis at ${redact(this.url)} was not ready within ${timeoutMs} ms` +
              (cause ? `: ${cause.message || cause.name}` : ''),
            { cause },
          ),
        );
      }, timeoutMs);
    });
    try {
      await Promise.race([Promise.all([readyOf(this.publisher), readyOf(this.subscriber)]), timeout]);
    } finally {
      clearTimeout(timer);
      for (const cleanup of cleanups) cleanup();
    }
  }

  async publish<T>(topic: string, payload: T): Promise<void> {
    if (this.closing) throw new Error('The event bus is closed');
    const message = JSON.stringify(payload);
    if (message === undefined) throw new TypeError(`Event for "${topic}" is not JSON-serialisable`);
    await this.publisher.publish(topic, message);
  }

  subscribe<T>(topic: string, signal?: AbortSignal): AsyncIterableIterator<T> {
    const subscriber = new LocalSubscriber(this.maxQueued, () => {
      signal?.removeEventListener('abort', onAbort);
      this.leave(topic, subscriber);
    });
    const onAbort = () => subscriber.end();
    if (this.closing || signal?.aborted) {
      subscriber.end();
    } else {
      this.join(topic, subscriber);
      signal?.addEventListener('abort', onAbort, { once: true });
    }
    return subscriber.iterator<T>();
  }

  /** Ends every local subscription (their iterators finish) and closes both connections. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const subscribers = [...this.topics.values()].flatMap((set) => [...set]);
      this.topics.clear();
      for (const subscriber of subscribers) subscriber.end();
      await Promise.all([quit(this.publisher), quit(this.subscriber)]);
    })();
    return this.closing;
  }

  async listening(topic: string): Promise<void> {
    await this.confirmed.get(topic);
  }

  private join(topic: string, subscriber: LocalSubscriber): void {
    let local = this.topics.get(topic);
    if (!local) {
      local = new Set();
      this.topics.set(topic, local);
      this.confirmed.set(
        topic,
        this.subscriber.subscribe(topic).then(
          () => undefined,
          (err: unknown) => this.commandFailed('subscribe', topic, err),
        ),
      );
    }
    local.add(subscriber);
  }

  private leave(topic: string, subscriber: LocalSubscriber): void {
    const local = this.topics.get(topic);
    if (!local?.delete(subscriber) || local.size > 0) return;
    this.topics.delete(topic);
    this.confirmed.delete(topic);
    if (!this.closing) {
      this.subscriber.unsubscribe(topic).catch((err: unknown) => this.commandFailed('unsubscribe', topic, err));
    }
  }

  private commandFailed(command: string, topic: string, err: unknown): void {
    if (this.closing) return;
    // A reconnect re-subscribes what is still wanted (see onSubscriberReady).
    this.log?.warn({ err, topic }, `event bus: Redis ${command} failed`);
  }

  private readonly onSubscriberReady = (): void => {
    if (!this.subscriberWasReady) {
      this.subscriberWasReady = true;
      return;
    }
    // ioredis re-subscribes the channels it had confirmed and resends what was in flight; subscribing
    // every topic that has local subscribers again is idempotent and covers anything in between.
    const wanted = [...this.topics.keys()];
    if (wanted.length) {
      this.subscriber
        .subscribe(...wanted)
        .catch((err: unknown) => this.commandFailed('subscribe', wanted.join(' '), err));
    }
    this.log?.warn(
      { connection: 'subscriber', redis: redact(this.url), topics: wanted.length },
      'event bus: Redis connection restored; events published while it was down were missed',
    );
  };

  private readonly onMessage = (topic: string, message: string): void => {
    const local = this.topics.get(topic);
    if (!local) return; // unsubscribing, or a stale channel
    let payload: unknown;
    try {
      payload = JSON.parse(message);
    } catch (err) {
      this.log?.warn({ err, topic }, 'event bus: dropped a message that is not JSON');
      return;
    }
    for (const subscriber of [...local]) {
      if (!subscriber.push(payload)) {
        this.log?.warn(
          { topic, maxQueued: this.maxQueued },
          'event bus: a subscriber fell too far behind and was ended',
        );
      }
    }
  };
}

/** One local subscription: its own queue, read through an async iterator. */
class LocalSubscriber {
  private queue: unknown[] = [];
  private head = 0;
  private readonly waiting: { resolve(result: IteratorResult<unknown>): void; reject(err: Error): void }[] = [];
  private ended = false;
  private failure: Error | undefined;

  constructor(
    private readonly maxQueued: number,
    private readonly onEnd: () => void,
  ) {}

  /** Delivers one event; false when the queue overflowed (the subscription then ends with an error). */
  push(payload: unknown): boolean {
    if (this.ended) return true;
    const waiter = this.waiting.shift();
    if (waiter) {
      waiter.resolve({ value: payload, done: false });
      return true;
    }
    if (this.queue.length - this.head >= this.maxQueued) {
      this.fail(new Error(`Event subscriber fell more than ${this.maxQueued} events behind; the subscription ended`));
      return false;
    }
    this.queue.push(payload);
    return true;
  }

  /** Finishes the iterator (pending and later `next` calls return done) and leaves the topic. */
  end(): void {
    if (this.ended) return;
    this.ended = true;
    this.queue = [];
    this.head = 0;
    for (const waiter of this.waiting.splice(0)) waiter.resolve({ value: undefined, done: true });
    this.onEnd();
  }

  private fail(err: Error): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter.reject(err);
    else this.failure = err;
    this.end();
  }

  private next(): Promise<IteratorResult<unknown>> {
    if (this.head < this.queue.length) {
      const value = this.queue[this.head];
      this.queue[this.head++] = undefined;
      // Compact now and then so that a long-lived queue does not keep a long array.
      if (this.head >= 1024 && this.head * 2 >= this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      return Promise.resolve({ value, done: false });
    }
    if (this.failure) {
      const err = this.failure;
      this.failure = undefined;
      return Promise.reject(err);
    }
    if (this.ended) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => this.waiting.push({ resolve, reject }));
  }

  iterator<T>(): AsyncIterableIterator<T> {
    const iterator: AsyncIterableIterator<T> = {
      next: () => this.next() as Promise<IteratorResult<T>>,
      return: (value?: unknown) => {
        this.end();
        return Promise.resolve({ value: value as T, done: true });
      },
      [Symbol.asyncIterator]: () => iterator,
    };
    return iterator;
  }
}

/** Closes a connection: gracefully (pending replies first) when it is up, at once otherwise. */
async function quit(connection: Redis): Promise<void> {
  if (connection.status === 'end') return;
  if (connection.status !== 'ready') {
    // Stops reconnect attempts too. (ioredis emits no 'end' for a connection that is between attempts.)
    connection.disconnect();
    return;
  }
  const ended = new Promise<void>((resolve) => connection.once('end', () => resolve()));
  try {
    await connection.quit();
  } catch {
    connection.disconnect();
  }
  await ended;
}

/** The URL without its password, for messages and logs. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(invalid URL)';
  }
}
