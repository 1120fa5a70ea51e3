import { CursorPages } from './cursor-pages';

describe('CursorPages', () => {
  it('walks forward and back with the cursors the server gave', () => {
    const pages = new CursorPages();
    expect(pages.after).toBeNull();
    pages.ended('c1');
    pages.move(1);
    expect(pages.after).toBe('c1');
    pages.ended('c2');
    pages.move(1);
    expect(pages.after).toBe('c2');
    pages.move(-1);
    expect(pages.after).toBe('c1');
    pages.move(-5);
    expect(pages.page).toBe(0);
    expect(pages.after).toBeNull();
    pages.move(1);
    pages.reset();
    expect(pages.page).toBe(0);
    // The cursors are forgotten too: the next page starts from the beginning again.
    pages.move(1);
    expect(pages.after).toBeNull();
  });

  it('counts pages, at least one', () => {
    expect(CursorPages.count(0, 20)).toBe(1);
    expect(CursorPages.count(41, 20)).toBe(3);
  });
});
