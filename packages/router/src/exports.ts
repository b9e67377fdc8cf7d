import type { Context } from './context.js';
import type { KeysetList, TimeKey } from './pagination.js';

/** Rows per page of an export's walk: large enough that per-page costs vanish, small enough to bound memory. */
export const EXPORT_PAGE_SIZE = 1000;

/**
 * A list's export (SPEC §7.5), declared in the list procedure's meta beside its REST route: the
 * server's export route and its OpenAPI entry are derived from it, and its filters are the list's
 * own input schema, so a filter added to the list is exported with no further change.
 */
export interface ListExport {
  /** The full path, e.g. `/v1/admin/inhouse/workflow-runs/export`. */
  path: string;
  /** One line for the OpenAPI document. */
  summary: string;
  /** The download's base name: `workflow-runs` becomes `workflow-runs-20260130T100000Z.ndjson`. */
  fileName: string;
  /** The key of the list's output that holds its rows (`runs`): the row schema and the CSV header come from it. */
  rows: string;
  /**
   * Every row the list's parsed input selects, in the list's order, a page at a time: the list's own
   * query with `pageSize` rows per page, each page after the last row of the one before (keyset), so
   * no connection or snapshot is held between pages and a stopped walk costs nothing more.
   */
  pages(ctx: Context, input: unknown, pageSize?: number): AsyncGenerator<readonly object[], void, undefined>;
}

/**
 * Declares a list's export from its keyset list and its page function.
 *
 * @example
 * list: readProcedure.meta({
 *   rest: { method: 'GET', path: RUNS_PATH, summary: 'List workflow runs' },
 *   export: listExport({ path: `${RUNS_PATH}/export`, summary: '…', fileName: 'workflow-runs', rows: 'runs', list: RUNS_LIST, page: (ctx, input) => listRuns(ctx.db, input, ctx.clock) }),
 * })
 */
export function listExport<
  Id extends string | number,
  Input extends { limit: number; cursor?: TimeKey<Id> | undefined },
  Rows extends string,
  Output extends { nextCursor: string | null } & Record<Rows, readonly object[]>,
>(spec: {
  path: string;
  summary: string;
  fileName: string;
  rows: Rows;
  list: KeysetList<Id>;
  page: (ctx: Context, input: Input) => Promise<Output>;
}): ListExport {
  return {
    path: spec.path,
    summary: spec.summary,
    fileName: spec.fileName,
    rows: spec.rows,
    async *pages(ctx, input, pageSize = EXPORT_PAGE_SIZE) {
      let cursor: TimeKey<Id> | undefined;
      for (;;) {
        // The input was parsed by the list's own schema; only the page position changes.
        const output = await spec.page(ctx, { ...(input as Input), limit: pageSize, cursor });
        yield output[spec.rows];
        if (output.nextCursor === null) return;
        cursor = spec.list.cursor.parse(output.nextCursor);
      }
    },
  };
}
