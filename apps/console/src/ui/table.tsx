import type { ReactNode } from 'react';

export interface Column<T> {
  /** The column's name: its key, the narrow layout's cell label, and its heading unless `head` is given. */
  header: string;
  /** What the heading shows instead of `header` (a select-all checkbox). */
  head?: ReactNode;
  cell: (row: T) => ReactNode;
  /** `num` right-aligns figures; `wide` lets long text wrap; `actions` stays in view at the right while the table scrolls. */
  kind?: 'num' | 'wide' | 'actions';
}

/** A semantic table; on a narrow screen each row becomes a card of labelled cells (`data-label`), wider ones scroll sideways. */
export function Table<T>({ caption, columns, rows, rowKey }: { caption: string; columns: Column<T>[]; rows: readonly T[]; rowKey: (row: T) => string }) {
  return (
    // A scrolling region must be reachable by keyboard to be scrolled (axe: scrollable-region-focusable).
    // biome-ignore lint/a11y/noNoninteractiveTabindex: see above
    <section className="table-scroll" tabIndex={0} aria-label={caption}>
      <table>
        <caption className="visually-hidden">{caption}</caption>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column.header} scope="col" className={column.kind}>
                {column.head ?? column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={rowKey(row)}>
              {columns.map((column) => (
                <td key={column.header} className={column.kind} data-label={column.header}>
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
