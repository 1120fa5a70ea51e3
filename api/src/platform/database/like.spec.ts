import { likeContains } from './like';

// One character as a regular expression that matches it literally.
const literal = (c: string): string => c.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/**
 * What PostgreSQL's LIKE does with a pattern and the default escape character `\`:
 * `%` is any run of characters, `_` any one character, `\x` the character x itself.
 */
function sqlLike(value: string, pattern: string): boolean {
  let source = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const c = pattern.charAt(i);
    if (c === '\\') {
      i += 1;
      source += literal(pattern.charAt(i));
    } else if (c === '%') source += '[\\s\\S]*';
    else if (c === '_') source += '[\\s\\S]';
    else source += literal(c);
  }
  return new RegExp(`^${source}$`).test(value);
}

describe(likeContains.name, () => {
  it('wraps plain text in % wildcards', () => {
    expect(likeContains('alice')).toBe('%alice%');
  });

  it('escapes %, _ and the escape character itself', () => {
    expect(likeContains('50%')).toBe('%50\\%%');
    expect(likeContains('a_b')).toBe('%a\\_b%');
    expect(likeContains('C:\\dir')).toBe('%C:\\\\dir%');
    expect(likeContains('%_\\')).toBe('%\\%\\_\\\\%');
  });

  it('matches an empty search against everything', () => {
    expect(likeContains('')).toBe('%%');
    expect(sqlLike('anything', likeContains(''))).toBe(true);
  });

  it.each([
    ['50%', 'save 50% today', true],
    ['50%', 'save 500 today', false],
    ['a_b', 'xa_by', true],
    ['a_b', 'axb', false],
    ['C:\\dir', 'path C:\\dir\\file', true],
    ['C:\\dir', 'C:dir', false],
    ['%', 'no percent sign', false],
    ['_', 'snake_case', true],
    ['_', 'camelCase', false],
  ])('searching %p in %p matches: %p', (search, value, expected) => {
    expect(sqlLike(value, likeContains(search))).toBe(expected);
  });
});
