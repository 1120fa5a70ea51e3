/** The outcome of one item of a batch: its value, or the error that concerns it alone. */
export type Outcome<O> = { ok: true; value: O } | { ok: false; error: unknown };

export const succeeded = <O>(value: O): Outcome<O> => ({ ok: true, value });
export const failed = <O>(error: unknown): Outcome<O> => ({ ok: false, error });

/**
 * Gathers work that arrives concurrently into batches: the first item runs at once, and items that
 * arrive while a batch runs wait for the next one, which takes all of them (up to `maxBatch`). Under
 * load the batches grow by themselves; alone, an item waits for nothing. One batch runs at a time.
 *
 * `run` answers each item, in order; if it throws, every item of that batch fails with the error.
 */
export class Batcher<I, O> {
  private pending: { item: I; resolve: (value: O) => void; reject: (error: unknown) => void }[] = [];
  private running = false;

  constructor(
    private readonly run: (items: readonly I[]) => Promise<readonly Outcome<O>[]>,
    private readonly maxBatch = 500,
  ) {}

  submit(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (!this.running) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0, this.maxBatch);
        let outcomes: readonly Outcome<O>[];
        try {
          outcomes = await this.run(batch.map((b) => b.item));
        } catch (e) {
          outcomes = batch.map(() => failed<O>(e));
        }
        batch.forEach((b, i) => {
          const outcome = outcomes[i] ?? failed<O>(new Error('The batch gave no answer for this item'));
          if (outcome.ok) b.resolve(outcome.value);
          else b.reject(outcome.error);
        });
      }
    } finally {
      this.running = false;
    }
  }
}
