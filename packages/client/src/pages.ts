/** A list procedure of the client, e.g. `admin.workflowRuns.list`: a query that takes a cursor and answers the next one. */
export interface CursorList<Input extends { cursor?: string | undefined }, Page extends { nextCursor: string | null }> {
  query(input: Input, options?: { signal?: AbortSignal }): Promise<Page>;
}

/**
 * Every page of a list, one request at a time, following `nextCursor` until the last page; the
 * next page is asked for only when the loop asks for it, so breaking out stops the walk.
 *
 * @example
 * for await (const { runs } of listPages(admin.workflowRuns.list, { status: 'failed', limit: 200 })) {
 *   for (const run of runs) console.log(run.id, run.error?.message);
 * }
 */
export async function* listPages<Input extends { cursor?: string | undefined }, Page extends { nextCursor: string | null }>(
  list: CursorList<Input, Page>,
  input: NoInfer<Input>,
  options: { signal?: AbortSignal } = {},
): AsyncGenerator<Page, void, undefined> {
  let cursor = input.cursor;
  for (;;) {
    const page: Page = await list.query({ ...input, cursor }, options.signal ? { signal: options.signal } : undefined);
    yield page;
    if (page.nextCursor === null) return;
    cursor = page.nextCursor;
  }
}
