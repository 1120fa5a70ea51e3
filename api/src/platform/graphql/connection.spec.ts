import { AppError, ErrorCode } from '../errors/app-error';
import { DEFAULT_PAGE_SIZE, decodeCursor, pageWindow, toConnection } from './connection';

const letters = 'abcdefghij'.split('');

/** What a list resolver does: take the window asked for from a stable list. */
function fetchPage(all: string[], args: { first?: number; after?: string }) {
  const { offset, limit } = pageWindow(args);
  return toConnection({ items: all.slice(offset, offset + limit), totalCount: all.length, offset, limit });
}

function refusal(after: string): AppError {
  try {
    pageWindow({ after });
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected the cursor to be refused');
}

describe(pageWindow.name, () => {
  it('starts at the beginning with the default page size', () => {
    expect(pageWindow({})).toEqual({ offset: 0, limit: DEFAULT_PAGE_SIZE });
  });

  it('uses `first` as the page size', () => {
    expect(pageWindow({ first: 5 })).toEqual({ offset: 0, limit: 5 });
  });

  it.each([
    ['garbage', 'not a cursor'],
    ['a negative offset', Buffer.from('o:-1').toString('base64url')],
    ['a non-numeric offset', Buffer.from('o:abc').toString('base64url')],
    ['an offset of more than 9 digits', Buffer.from('o:1234567890').toString('base64url')],
    ['another prefix', Buffer.from('x:3').toString('base64url')],
  ])('refuses %s as `after` with BAD_USER_INPUT on the after field', (_label, after) => {
    const error = refusal(after);

    expect(error.code).toBe(ErrorCode.BAD_USER_INPUT);
    expect(error.extensions).toMatchObject({ field: 'after', reason: 'INVALID_CURSOR' });
    expect(error.message).toBe('The cursor is not valid for this list');
  });
});

describe(toConnection.name, () => {
  it('returns the first page with a next page and no previous page', () => {
    const page = fetchPage(letters, { first: 3 });

    expect(page.nodes).toEqual(['a', 'b', 'c']);
    expect(page.edges.map((e) => e.node)).toEqual(['a', 'b', 'c']);
    expect(page.totalCount).toBe(10);
    expect(page.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    expect(page.pageInfo.startCursor).toBe(page.edges[0]?.cursor);
    expect(page.pageInfo.endCursor).toBe(page.edges[2]?.cursor);
  });

  it('gives every edge a distinct cursor', () => {
    const cursors = fetchPage(letters, { first: 10 }).edges.map((e) => e.cursor);

    expect(new Set(cursors).size).toBe(10);
  });

  it('continues right after the endCursor, without gaps or repeats', () => {
    const first = fetchPage(letters, { first: 3 });
    const second = fetchPage(letters, { first: 3, after: first.pageInfo.endCursor ?? undefined });

    expect(second.nodes).toEqual(['d', 'e', 'f']);
    expect(second.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
  });

  it('continues right after any edge cursor', () => {
    const first = fetchPage(letters, { first: 5 });
    const after = first.edges[1]?.cursor;

    expect(fetchPage(letters, { first: 2, after }).nodes).toEqual(['c', 'd']);
  });

  it('walks the whole list page by page and stops on the last page', () => {
    const seen: string[] = [];
    let after: string | undefined;
    let pages = 0;
    for (;;) {
      const page = fetchPage(letters, { first: 4, after });
      seen.push(...page.nodes);
      pages += 1;
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor ?? undefined;
      if (pages > 10) throw new Error('pagination does not end');
    }

    expect(seen).toEqual(letters);
    expect(pages).toBe(3);
  });

  it('reports no next page when the last page is exactly full', () => {
    const first = fetchPage(letters, { first: 5 });
    const last = fetchPage(letters, { first: 5, after: first.pageInfo.endCursor ?? undefined });

    expect(last.nodes).toEqual(['f', 'g', 'h', 'i', 'j']);
    expect(last.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
  });

  it('returns null cursors and no next page for an empty list', () => {
    const page = fetchPage([], {});

    expect(page.edges).toEqual([]);
    expect(page.pageInfo).toEqual({
      hasNextPage: false,
      hasPreviousPage: false,
      startCursor: null,
      endCursor: null,
    });
  });

  it('encodes the absolute position in the list in its cursors', () => {
    const page = toConnection({ items: ['x', 'y'], totalCount: 50, offset: 40, limit: 2 });

    expect(page.edges.map((e) => decodeCursor(e.cursor))).toEqual([40, 41]);
    expect(pageWindow({ after: page.pageInfo.endCursor ?? undefined }).offset).toBe(42);
  });
});
