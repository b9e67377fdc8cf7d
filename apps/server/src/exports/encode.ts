import { stringify } from 'csv-stringify/sync';

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** How rows become bytes: the content type, the file extension and the text of each page. */
export interface ExportEncoding {
  contentType: string;
  extension: string;
  /** Text before the first row (CSV's header), also sent when no row matches. */
  preamble: string;
  /** A page as chunks of text, each of about `CHUNK_CHARS` at most (a longer row is a chunk of its own). */
  page(rows: readonly object[]): string[];
}

/**
 * Text per chunk. V8 puts every string over 128 KB in its large-object space, which only a full
 * collection frees: a page of 1,000 runs as one 500 KB string would leave one such string behind
 * per page and let the heap grow by tens of MB before a full collection came. Chunks of at most
 * 32,000 characters (64 KB even in two-byte strings) die young instead.
 */
export const CHUNK_CHARS = 32_000;

/** Rows per CSV chunk: a few hundred bytes each, so a chunk stays far below `CHUNK_CHARS`' bound. */
const CSV_SLICE_ROWS = 50;

/** Joins the rows' texts into chunks of at most `CHUNK_CHARS` characters. */
function chunked(rows: readonly object[], text: (row: object) => string): string[] {
  const chunks: string[] = [];
  let chunk = '';
  for (const row of rows) {
    const line = text(row);
    if (chunk.length > 0 && chunk.length + line.length > CHUNK_CHARS) {
      chunks.push(chunk);
      chunk = '';
    }
    chunk += line;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}

/**
 * CSV as RFC 4180 writes it (CRLF, quotes where a cell holds a quote, comma or line break), with
 * csv-stringify's `escape_formulas`: a cell starting with `=`, `+`, `-`, `@`, tab or carriage
 * return (or their full-width forms) is prefixed with `'`, so a spreadsheet shows it as text and
 * never runs it. Every cell is handed over as text, so the rule applies to numbers too.
 */
// `quote_record_delimiter` must be said: with a record delimiter set, csv-stringify would otherwise
// quote only cells holding the whole CRLF, and a lone line feed inside a cell would split its row.
const CSV_OPTIONS = { escape_formulas: true, record_delimiter: 'windows', quote_record_delimiter: true, eof: true } as const;

/** A cell as the export writes it: null empty, nested values as JSON text. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return JSON.stringify(value);
}

/**
 * The encoding of a format for rows with these fields (the list's field names, in its order).
 *
 * @example
 * const csv = exportEncoding('csv', ['id', 'status']);
 * csv.preamble + csv.page([{ id: 'r1', status: '=1+1' }]).join(''); // "id,status\r\nr1,'=1+1\r\n"
 */
export function exportEncoding(format: ExportFormat, fields: readonly string[]): ExportEncoding {
  if (format === 'ndjson') {
    return {
      contentType: 'application/x-ndjson',
      extension: 'ndjson',
      preamble: '',
      page: (rows) => chunked(rows, (row) => `${JSON.stringify(row)}\n`),
    };
  }
  return {
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
    preamble: stringify([[...fields]], CSV_OPTIONS),
    page: (rows) => {
      // csv-stringify settles its options on every call, so rows go in slices rather than one by one.
      const chunks: string[] = [];
      for (let start = 0; start < rows.length; start += CSV_SLICE_ROWS) {
        const slice = rows.slice(start, start + CSV_SLICE_ROWS);
        chunks.push(
          stringify(
            slice.map((row) => fields.map((field) => cellText((row as Record<string, unknown>)[field]))),
            CSV_OPTIONS,
          ),
        );
      }
      return chunks;
    },
  };
}
