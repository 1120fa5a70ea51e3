import { Batcher, failed, succeeded } from './batcher';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('Batcher', () => {
  it('runs a lone item at once, and gathers what arrives meanwhile into the next batch', async () => {
    const batches: number[][] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = new Batcher<number, number>(async (items) => {
      batches.push([...items]);
      if (batches.length === 1) await gate;
      return items.map((i) => succeeded(i * 10));
    });
    const first = batcher.submit(1);
    await tick();
    const rest = [2, 3, 4].map((i) => batcher.submit(i));
    await tick();
    expect(batches).toEqual([[1]]);
    release();
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 30, 40]);
    expect(batches).toEqual([[1], [2, 3, 4]]);
  });

  it('keeps batches within the maximum', async () => {
    const sizes: number[] = [];
    const batcher = new Batcher<number, number>(async (items) => {
      sizes.push(items.length);
      await tick();
      return items.map((i) => succeeded(i));
    }, 2);
    await Promise.all([1, 2, 3, 4, 5, 6].map((i) => batcher.submit(i)));
    expect(sizes).toEqual([1, 2, 2, 1]);
  });

  it('fails only the items the batch says failed, and every item when the batch throws', async () => {
    const batcher = new Batcher<number, number>(async (items) => {
      if (items.includes(99)) throw new Error('down');
      return items.map((i) => (i % 2 ? succeeded(i) : failed(new Error(`odd one out ${i}`))));
    });
    await expect(batcher.submit(1)).resolves.toBe(1);
    await expect(batcher.submit(2)).rejects.toThrow('odd one out 2');
    await expect(batcher.submit(99)).rejects.toThrow('down');
    // It keeps working after a failed batch.
    await expect(batcher.submit(3)).resolves.toBe(3);
  });
});
