import { CsvSyntaxError, formatCsv, parseCsv, recordsByHeader } from './csv';

describe('parseCsv', () => {
  it('reads quoted fields, escaped quotes, line breaks in quotes, CRLF and a BOM, with line numbers', () => {
    const text = '\ufeffname,content\r\nA,"He said ""hi"""\r\n\r\nB,"two\nlines"\nC,plain\n';
    expect(parseCsv(text)).toEqual([
      { line: 1, cells: ['name', 'content'] },
      { line: 2, cells: ['A', 'He said "hi"'] },
      { line: 4, cells: ['B', 'two\nlines'] },
      { line: 6, cells: ['C', 'plain'] },
    ]);
  });

  it('keeps empty cells and Chinese text', () => {
    expect(parseCsv('一,,三\n,,')).toEqual([
      { line: 1, cells: ['一', '', '三'] },
      { line: 2, cells: ['', '', ''] },
    ]);
  });

  it('refuses a malformed file, naming the line', () => {
    expect(() => parseCsv('a,b\nc,"open\nd,e')).toThrow(new CsvSyntaxError(2, 'a quoted field is not closed'));
    expect(() => parseCsv('a,"b"x\n')).toThrow(CsvSyntaxError);
    expect(() => parseCsv('a,b"c\n')).toThrow('Line 1: a quote inside an unquoted field');
  });
});

describe('formatCsv', () => {
  it('round-trips through parseCsv and defuses formulas', () => {
    const text = formatCsv([
      ['name', 'content'],
      ['A', 'with, comma and "quote"\nand a line'],
      ['=SUM(A1)', 3],
      [null, new Date('2026-01-02T03:04:05Z')],
    ]);
    expect(text.startsWith('\ufeff')).toBe(true);
    expect(parseCsv(text).map((r) => r.cells)).toEqual([
      ['name', 'content'],
      ['A', 'with, comma and "quote"\nand a line'],
      ["'=SUM(A1)", '3'],
      ['', '2026-01-02T03:04:05.000Z'],
    ]);
  });
});

describe('recordsByHeader', () => {
  const columns = { content: { required: true, aliases: ['内容'] }, category: {} } as const;

  it('maps columns by name or alias, in any order', () => {
    expect(recordsByHeader(parseCsv('Category,内容\nGreetings, Hello \n'), columns)).toEqual([
      { line: 2, values: { content: 'Hello', category: 'Greetings' } },
    ]);
  });

  it('refuses a file without a required column', () => {
    expect(() => recordsByHeader(parseCsv('category\nx\n'), columns)).toThrow(
      'Line 1: the column "content" is missing',
    );
  });
});
