import { setFlagsFromString } from 'node:v8';

/**
 * How far V8 lets the old generation grow past what the last full collection kept, in percent.
 *
 * V8 chooses this factor itself, up to 4× when collections are cheap; on a server whose live heap
 * is ~20 MB that lets ~50 MB of garbage pile up before the next full collection. An export makes
 * garbage at the rate it streams: the rows of a page are still in use while young collections run
 * (about 40% of what the `pg` driver allocates for a page reaches the old generation, whatever the
 * page size), so with V8's own factor a 200,000-run export grew the process by ~80 MB; at 50% it
 * grows by ~35 MB, at the same speed (`pnpm bench:export`, docs/benchmarks.md). Every other
 * endpoint only sees full collections of a small heap come a little more often.
 */
export const HEAP_GROWING_PERCENT = 50;

/**
 * The Node flags the server is started with (`pnpm start`, and the bench's API process): V8's young
 * generation at 2 × 4 MB instead of up to 2 × 16 MB. Under 10 concurrent list requests the default lets
 * the young generation grow to 32 MB of mostly dead pages, which is most of what the process grows by
 * under load (peak RSS 126 → 101 MB on a 50-event page, at the same CPU per request within the
 * machine's noise: docs/benchmarks.md). A heap-size flag, so it must be given at start: setting it at run
 * time does nothing.
 */
export const SERVER_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];

/**
 * Bounds the server's heap growth (see `HEAP_GROWING_PERCENT`). Called once, first thing in the
 * server process. A V8 flag set at run time: this one is read afresh at every full collection, so
 * it takes effect, unlike the heap-size flags (`--max-semi-space-size` can still be given in
 * `NODE_OPTIONS` to shrink the young generation too).
 */
export function boundHeapGrowth(): void {
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
}
