import { stringify } from 'csv-stringify/sync';

export const EXPORT_FORMATS = ['ndjson', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** How rows become bytes: the content type, the file extension and the text of each page. */
export interface ExportEncoding {
  contentType: string;
  extension: string;
  /** Text before the first row (CSV's header), also sent when no row matches. */
  preamble: string;
  page(rows: readonly object[]): string;
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
 * csv.preamble + csv.page([{ id: 'r1', status: '=1+1' }]); // "id,status\r\nr1,'=1+1\r\n"
 */
export function exportEncoding(format: ExportFormat, fields: readonly string[]): ExportEncoding {
  if (format === 'ndjson') {
    return {
      contentType: 'application/x-ndjson',
      extension: 'ndjson',
      preamble: '',
      page: (rows) => {
        let text = '';
        for (const row of rows) text += `${JSON.stringify(row)}\n`;
        return text;
      },
    };
  }
  return {
    contentType: 'text/csv; charset=utf-8',
    extension: 'csv',
    preamble: stringify([[...fields]], CSV_OPTIONS),
    page: (rows) =>
      rows.length === 0
        ? ''
        : stringify(
            rows.map((row) => fields.map((field) => cellText((row as Record<string, unknown>)[field]))),
            CSV_OPTIONS,
          ),
  };
}
