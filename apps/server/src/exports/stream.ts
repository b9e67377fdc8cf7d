/** How an export's stream ended: every row sent, stopped by the client, or failed midway. */
export type ExportOutcome = 'complete' | 'aborted' | 'failed';

export interface ExportStreamOptions {
  /** The first page, already read, so that a failure before any row could still answer in the envelope. */
  first: readonly object[];
  /** The rest of the walk. */
  pages: AsyncGenerator<readonly object[], void, undefined>;
  preamble: string;
  /** A page as chunks of text (small ones: see `CHUNK_CHARS`). */
  encode(rows: readonly object[]): string[];
  /** Called once, when the walk has stopped for good: its outcome, the rows sent, and the error of a failure. */
  onEnd(outcome: ExportOutcome, rows: number, error?: unknown): void;
}

/**
 * The body of an export: one page is read from the database only when the client has taken the
 * one before (a pull stream: a page's chunks are queued, and the next page is read only once the
 * queue is empty; the HTTP server takes a chunk only once the socket drained), so memory stays at
 * about a page whatever the number of rows and however slow the client. When the client goes away the walk is stopped: the page being read (if any) finishes and
 * releases its connection, and no other is read. A failure midway errors the stream, so the client
 * sees a broken transfer rather than a file that looks complete.
 *
 * @example
 * return c.body(exportStream({ first, pages, preamble: '', encode, onEnd }), 200, headers);
 */
export function exportStream(options: ExportStreamOptions): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let sent = 0;
  let cancelled = false;
  let ended = false;
  const end = (outcome: ExportOutcome, error?: unknown) => {
    if (ended) return;
    ended = true;
    options.onEnd(outcome, sent, error);
  };
  let pending: readonly object[] | undefined = options.first;
  let preamble = options.preamble;

  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          for (;;) {
            let rows = pending;
            pending = undefined;
            if (rows === undefined) {
              const next = await options.pages.next();
              // The client went away while this page was read: it is dropped.
              if (cancelled) return;
              if (next.done) {
                controller.close();
                end('complete');
                return;
              }
              rows = next.value;
            }
            const chunks = options.encode(rows);
            if (preamble) chunks.unshift(preamble);
            preamble = '';
            sent += rows.length;
            // A page's chunks are queued together; the next page waits until the client took them all.
            for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
            // A stream takes no empty chunk: an empty page (nothing matched) pulls on to the end of the walk.
            if (chunks.length > 0) return;
          }
        } catch (error) {
          if (cancelled) return;
          end('failed', error);
          controller.error(error);
        }
      },
      async cancel() {
        cancelled = true;
        // Waits for the page being read, if any: once it resolves no query of this export runs again.
        await options.pages.return();
        end('aborted');
      },
    },
    // Pull again only when every chunk of the page before has been taken.
    { highWaterMark: 1 },
  );
}
