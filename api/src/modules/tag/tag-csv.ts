import { CsvSyntaxError, parseCsv, recordsByHeader } from '../../platform/csv/csv';
import { badInput, raise } from '../../platform/errors/app-error';
import { TagErrors } from './tag.errors';

export const IMPORT_MAX_BYTES = 1024 * 1024;
export const IMPORT_MAX_ROWS = 5000;

type Columns<K extends string> = Readonly<Record<K, { aliases?: readonly string[]; required?: boolean }>>;

/** The rows of an import file under its header; a malformed or oversized file is refused whole. */
export function readCsv<K extends string>(
  text: string,
  columns: Columns<K>,
): { line: number; values: Record<K, string> }[] {
  let rows: { line: number; values: Record<K, string> }[];
  try {
    rows = recordsByHeader(parseCsv(text), columns);
  } catch (e) {
    if (e instanceof CsvSyntaxError) {
      throw badInput('fileId', `The file is not valid CSV: ${e.message}`, 'MALFORMED_CSV');
    }
    throw e;
  }
  if (rows.length > IMPORT_MAX_ROWS) {
    throw raise(TagErrors, 'TOO_MANY_ROWS', undefined, `The file has more than ${IMPORT_MAX_ROWS} rows`);
  }
  return rows;
}

// Exports prefix cells a spreadsheet would run as a formula with `'`; an import takes it off again.
export function unformula(cell: string): string {
  return /^'[=+\-@\t\r]/.test(cell) ? cell.slice(1) : cell;
}
