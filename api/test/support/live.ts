import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { type Client, createClient } from 'graphql-ws';
import { print } from 'graphql';
import WebSocket from 'ws';
import type { TestApp } from './test-app';

export interface Live<T> {
  received: T[];
  /** The first error the server sent for this subscription, if any. */
  error: Promise<unknown>;
  /** Resolves once `count` results have arrived (or rejects after the timeout). */
  waitFor(count: number, timeoutMs?: number): Promise<T[]>;
  stop(): void;
}

export function connectWs(t: TestApp, token?: string): Client {
  return createClient({
    url: `${t.url.replace('http', 'ws')}/graphql`,
    webSocketImpl: WebSocket,
    connectionParams: token ? { Authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

/** Subscribes and collects every result's data. */
export function live<R, V extends Record<string, unknown>>(
  client: Client,
  doc: TypedDocumentNode<R, V>,
  variables: V,
): Live<R> {
  const received: R[] = [];
  let wake: () => void = () => undefined;
  let failed: (e: unknown) => void = () => undefined;
  const error = new Promise<unknown>((resolve) => (failed = resolve));
  const stop = client.subscribe<R>(
    { query: print(doc), variables },
    {
      next: (result) => {
        if (result.errors?.length) failed(result.errors);
        if (result.data) received.push(result.data as R);
        wake();
      },
      error: (e) => failed(e),
      complete: () => undefined,
    },
  );
  return {
    received,
    error,
    stop,
    waitFor: async (count, timeoutMs = 10_000) => {
      const deadline = Date.now() + timeoutMs;
      while (received.length < count) {
        if (Date.now() > deadline) throw new Error(`only ${received.length} of ${count} results arrived in time`);
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 50);
        });
      }
      return received;
    },
  };
}
