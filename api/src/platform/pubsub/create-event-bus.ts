import type { Logger } from 'pino';
import type { Config } from '../config/config';
import { type EventBus, InProcessEventBus } from './event-bus';
import { redact, RedisEventBus } from './redis-event-bus';

/** How long startup waits for Redis before giving up. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * The bus for this process: Redis when `REDIS_URL` is set (every process sees every event), in memory
 * otherwise (one process only). With Redis, resolves once both connections are ready.
 */
export async function createEventBus(config: Pick<Config, 'REDIS_URL'>, log?: Logger): Promise<EventBus> {
  if (!config.REDIS_URL) return new InProcessEventBus();
  const bus = new RedisEventBus(config.REDIS_URL, { log });
  try {
    await bus.ready(CONNECT_TIMEOUT_MS);
  } catch (e) {
    await bus.close();
    const reason = e instanceof Error && e.cause instanceof Error ? `: ${e.cause.message || e.cause.name}` : '';
    throw new Error(
      `REDIS_URL: cannot connect to Redis at ${redact(config.REDIS_URL)} within ${CONNECT_TIMEOUT_MS / 1000} s${reason}. ` +
        'Check that Redis is running and reachable, or unset REDIS_URL to run a single process without Redis.',
      { cause: e },
    );
  }
  return bus;
}
