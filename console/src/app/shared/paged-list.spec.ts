import { PagedList, type PageOf } from './paged-list';

interface Call {
  first: number;
  after: string | null;
  resolve: (page: PageOf<number>) => void;
  reject: (e: unknown) => void;
}

/** A list whose reads the test answers by hand. */
function harness() {
  const calls: Call[] = [];
  const failures: unknown[] = [];
  const list = new PagedList<number, string>({
    size: 2,
    fetch: (page) => new Promise((resolve, reject) => calls.push({ ...page, resolve, reject })),
    map: (n) => `#${n}`,
    failed: (e) => failures.push(e),
  });
  const page = (nodes: number[], totalCount: number, endCursor: string | null): PageOf<number> => ({
    nodes,
    totalCount,
    pageInfo: { endCursor },
  });
  return { list, calls, failures, page };
}

describe('PagedList', () => {
  it('reads pages forward with the cursor the server gave, and back again', async () => {
    const { list, calls, page } = harness();
    const first = list.load();
    expect(list.loading()).toBe(true);
    calls[0]!.resolve(page([1, 2], 5, 'c2'));
    await first;
    expect(list.rows()).toEqual(['#1', '#2']);
    expect([list.total(), list.pages(), list.page(), list.loading()]).toEqual([5, 3, 0, false]);

    const second = list.go(1);
    expect(calls[1]).toMatchObject({ first: 2, after: 'c2' });
    calls[1]!.resolve(page([3, 4], 5, 'c4'));
    await second;
    expect(list.rows()).toEqual(['#3', '#4']);

    const back = list.go(-1);
    expect(calls[2]).toMatchObject({ after: null });
    calls[2]!.resolve(page([1, 2], 5, 'c2'));
    await back;
    expect(list.page()).toBe(0);
  });

  it('keeps only the newest answer when reads overlap', async () => {
    const { list, calls, page } = harness();
    const older = list.load();
    const newer = list.restart();
    calls[1]!.resolve(page([9], 1, null));
    await newer;
    calls[0]!.resolve(page([1, 2], 5, 'c2'));
    await older;
    expect(list.rows()).toEqual(['#9']);
    expect(list.total()).toBe(1);
    expect(list.loading()).toBe(false);
  });

  it('steps back when live changes emptied the page it was on', async () => {
    const { list, calls, page } = harness();
    const first = list.load();
    calls[0]!.resolve(page([1, 2], 3, 'c2'));
    await first;
    const next = list.go(1);
    calls[1]!.resolve(page([], 2, null));
    await Promise.resolve();
    await Promise.resolve();
    expect(calls[2]).toMatchObject({ after: null });
    calls[2]!.resolve(page([1, 2], 2, 'c2'));
    await next;
    expect([list.page(), list.rows()]).toEqual([0, ['#1', '#2']]);
  });

  it('reports a failed read and stops loading, keeping the rows it had', async () => {
    const { list, calls, failures, page } = harness();
    const first = list.load();
    calls[0]!.resolve(page([1], 1, null));
    await first;
    const again = list.load();
    calls[1]!.reject(new Error('offline'));
    await again;
    expect(failures).toEqual([new Error('offline')]);
    expect(list.rows()).toEqual(['#1']);
    expect(list.loading()).toBe(false);
  });
});
