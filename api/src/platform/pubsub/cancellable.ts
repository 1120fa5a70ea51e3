/**
 * Runs an async generator with an AbortSignal that fires as soon as the consumer stops (a client
 * unsubscribes). Without it, a generator waiting for the next event would hold its subscription
 * until that event arrived, possibly never.
 */
export function cancellable<T>(make: (signal: AbortSignal) => AsyncGenerator<T>): AsyncGenerator<T> {
  const controller = new AbortController();
  const inner = make(controller.signal);
  const outer: AsyncGenerator<T> = {
    next: (...args) => inner.next(...args),
    return: async (value) => {
      controller.abort();
      return inner.return(value);
    },
    throw: async (error) => {
      controller.abort();
      return inner.throw(error);
    },
    [Symbol.asyncIterator]: () => outer,
    [Symbol.asyncDispose]: async () => {
      controller.abort();
      await inner.return(undefined);
    },
  };
  return outer;
}
