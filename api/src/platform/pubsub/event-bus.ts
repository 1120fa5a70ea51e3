import { EventEmitter, on } from 'node:events';

/**
 * Subscription fan-out. Topics are keyed by tenant and target (see `topics`), so a subscriber
 * listens only to what concerns it. Publishing happens after the change is committed.
 */
export interface EventBus {
  publish<T>(topic: string, payload: T): Promise<void>;
  /** Listening starts when this is called; the iterator ends when `signal` aborts or the bus closes. */
  subscribe<T>(topic: string, signal?: AbortSignal): AsyncIterableIterator<T>;
  /**
   * After `subscribe(topic)`: settles once events published from now on will be delivered (Redis
   * confirms a subscription a round trip later). Callers that read stored state after subscribing
   * wait for it, so nothing falls between the two.
   */
  listening(topic: string): Promise<void>;
  close(): Promise<void>;
}

export const topics = {
  user: (tenantId: string, userId: string) => `tenant:${tenantId}:user:${userId}`,
  /** Access ended for a user's sessions: their open sockets close. */
  userAccess: (tenantId: string, userId: string) => `tenant:${tenantId}:user:${userId}:access`,
  apiKeyAccess: (tenantId: string, apiKeyId: string) => `tenant:${tenantId}:api-key:${apiKeyId}:access`,
  /** Internal: grants changed (sessions, roles, teams, keys); every process drops cached principals. */
  principalChanges: 'system:principal-changes',
  team: (tenantId: string, teamId: string) => `tenant:${tenantId}:team:${teamId}`,
  conversation: (tenantId: string, conversationId: string) => `tenant:${tenantId}:conversation:${conversationId}`,
};

/** Published when sessions end; `sessionId` narrows it to one session, `exceptSessionId` spares one. */
export interface AccessRevoked {
  sessionId?: string;
  exceptSessionId?: string;
}

/** One process: events stay in memory. */
export class InProcessEventBus implements EventBus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish<T>(topic: string, payload: T): Promise<void> {
    this.emitter.emit(topic, payload);
  }

  // Listening starts at the call, not at the first `next()`: a caller that subscribes and then reads
  // stored state misses nothing published in between.
  subscribe<T>(topic: string, signal?: AbortSignal): AsyncIterableIterator<T> {
    const events = on(this.emitter, topic, { signal });
    return (async function* () {
      try {
        for await (const [payload] of events) yield payload as T;
      } catch (e) {
        // Not `instanceof Error`: the abort error may come from another realm (e.g. a test VM).
        if ((e as { name?: unknown } | null)?.name !== 'AbortError') throw e;
      } finally {
        await events.return?.();
      }
    })();
  }

  async listening(): Promise<void> {
    // In memory, listening starts at subscribe().
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}
