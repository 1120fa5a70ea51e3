/**
 * CSV as spreadsheets write it (RFC 4180): comma-separated, fields optionally in double quotes,
 * `""` for a quote inside one, line breaks inside quoted fields, CRLF or LF between records, and
 * an optional UTF-8 byte-order mark. Used by every import and export.
 */

export interface CsvRecord {
  /** The 1-based line of the file the record starts on (what a user sees in an editor). */
  line: number;
  cells: string[];
}

export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(`Line ${line}: ${message}`);
    this.name = 'CsvSyntaxError';
  }
}

/**
 * Every record of the text, blank lines skipped. A malformed file (an unclosed quote, text after
 * a closing quote) throws `CsvSyntaxError` naming the line: importers refuse the whole file then,
 * so nothing partial is kept.
 */
export function parseCsv(text: string): CsvRecord[] {
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const records: CsvRecord[] = [];
  let line = 1;
  let i = 0;
  while (i < src.length) {
    const start = line;
    const cells: string[] = [];
    for (;;) {
      let cell = '';
      if (src[i] === '"') {
        const openedOn = line;
        i++;
        for (;;) {
          if (i >= src.length) throw new CsvSyntaxError(openedOn, 'a quoted field is not closed');
          const ch = src[i];
          if (ch === '"') {
            if (src[i + 1] === '"') {
              cell += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (ch === '\n') line++;
          cell += ch;
          i++;
        }
        if (i < src.length && src[i] !== ',' && src[i] !== '\n' && src[i] !== '\r') {
          throw new CsvSyntaxError(line, 'unexpected text after a closing quote');
        }
      } else {
        while (i < src.length && src[i] !== ',' && src[i] !== '\n' && src[i] !== '\r') {
          if (src[i] === '"') throw new CsvSyntaxError(line, 'a quote inside an unquoted field');
          cell += src[i++];
        }
      }
      cells.push(cell);
      if (src[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (src[i] === '\r') i++;
    if (src[i] === '\n') i++;
    if (i <= src.length) line++;
    if (!(cells.length === 1 && cells[0].trim() === '')) records.push({ line: start, cells });
  }
  return records;
}

export type CsvValue = string | number | boolean | Date | null | undefined;

/**
 * A CSV file that Excel opens as UTF-8 (byte-order mark, CRLF). Cells that a spreadsheet would
 * run as a formula (starting with =, +, -, @, tab or CR) are prefixed with `'`.
 */
export function formatCsv(rows: readonly (readonly CsvValue[])[]): string {
  return '\ufeff' + rows.map((row) => row.map(formatCell).join(',')).join('\r\n') + '\r\n';
}

function formatCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  let text = value instanceof Date ? value.toISOString() : String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The records under a header row, as objects keyed by the known column names (matched
 * case-insensitively, also by their localised aliases). Unknown columns are ignored; a missing
 * required column throws `CsvSyntaxError` on the header's line.
 */
export function recordsByHeader<K extends string>(
  records: CsvRecord[],
  columns: Readonly<Record<K, { aliases?: readonly string[]; required?: boolean }>>,
): { line: number; values: Record<K, string> }[] {
  if (records.length === 0) throw new CsvSyntaxError(1, 'the file is empty');
  const [header, ...body] = records;
  const index = new Map<K, number>();
  const names = header.cells.map((c) => c.trim().toLowerCase());
  for (const key of Object.keys(columns) as K[]) {
    const accepted = [key, ...(columns[key].aliases ?? [])].map((n) => n.toLowerCase());
    const at = names.findIndex((n) => accepted.includes(n));
    if (at >= 0) index.set(key, at);
    else if (columns[key].required) throw new CsvSyntaxError(header.line, `the column "${key}" is missing`);
  }
  return body.map((r) => {
    const values = {} as Record<K, string>;
    for (const key of Object.keys(columns) as K[]) {
      const at = index.get(key);
      values[key] = at === undefined ? '' : (r.cells[at] ?? '').trim();
    }
    return { line: r.line, values };
  });
}
