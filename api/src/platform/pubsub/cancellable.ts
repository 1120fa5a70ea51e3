/**
 * Runs an event stream with an AbortSignal that fires as soon as the consumer stops (a client
 * unsubscribes). Without it, a stream waiting for its next event would hold its subscription
 * until that event arrived, possibly never.
 */
export function cancellable<T>(make: (signal: AbortSignal) => AsyncIterableIterator<T>): AsyncGenerator<T> {
  const controller = new AbortController();
  const inner = make(controller.signal);
  const stop = async (): Promise<IteratorResult<T>> => {
    controller.abort();
    await inner.return?.();
    return { done: true, value: undefined };
  };
  const outer: AsyncGenerator<T> = {
    next: () => inner.next(),
    return: stop,
    throw: async (error: unknown) => {
      await stop();
      throw error;
    },
    [Symbol.asyncIterator]: () => outer,
    [Symbol.asyncDispose]: async () => {
      await stop();
    },
  };
  return outer;
}
