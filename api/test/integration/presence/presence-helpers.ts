import type { Client } from 'graphql-ws';
import { systemFork } from '../../../src/platform/database/tenant-filter';
import { StatusLog, UserConnection } from '../../../src/modules/presence/presence.entity';
import { User } from '../../../src/modules/user/user.entity';
import { PresenceChangesDocument, type PresenceChangesSubscription } from '../../graphql/generated';
import { connectWs, type Live, live } from '../../support/live';
import type { TestApp } from '../../support/test-app';

/** A console window: one live socket of a user, with the tenant's presence feed. */
export interface ConsoleWindow {
  client: Client;
  presence: Live<PresenceChangesSubscription>;
  close(): Promise<void>;
}

/**
 * Opens a socket as a console does; resolves once the server has acknowledged it and has recorded
 * the connection (which happens beside the handshake, not before the acknowledgement).
 */
export async function openConsole(t: TestApp, token: string): Promise<ConsoleWindow> {
  const client = connectWs(t, token);
  const acknowledged = new Promise<void>((resolve, reject) => {
    client.on('connected', () => resolve());
    client.on('closed', (event) =>
      reject(new Error(`the socket closed: ${String((event as { code?: number }).code)}`)),
    );
  });
  // The client is lazy: the first subscription opens the socket.
  const presence = live(client, PresenceChangesDocument, {});
  await acknowledged;
  await t.services.presence.settled();
  return {
    client,
    presence,
    close: async () => {
      presence.stop();
      await client.dispose();
    },
  };
}

/** The user's status as stored now. */
export async function statusOf(t: TestApp, userId: string): Promise<string> {
  return (await systemFork(t.orm.em).findOneOrFail(User, { id: userId })).status;
}

/** The user's live connections, on every process. */
export function connectionsOf(t: TestApp, userId: string): Promise<number> {
  return systemFork(t.orm.em).count(UserConnection, { user: userId });
}

/** The user's status changes, oldest first, as `FROM>TO:REASON`. */
export async function changesOf(t: TestApp, userId: string): Promise<string[]> {
  const logs = await systemFork(t.orm.em).find(
    StatusLog,
    { user: userId },
    { orderBy: { createdAt: 'asc', id: 'asc' } },
  );
  return logs.map((l) => `${l.fromStatus}>${l.toStatus}:${l.reason}`);
}

/** Polls until `check` holds (or fails after the timeout). */
export async function eventually(check: () => Promise<boolean>, timeoutMs = 10_000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await sleep(100);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
