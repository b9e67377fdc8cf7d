import autocannon from 'autocannon';

export interface LoadSettings {
  connections: number;
  /** Seconds measured. */
  duration: number;
  /** Seconds of load before measuring, discarded: JIT, pool connections, caches. */
  warmup: number;
}

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
}

/** One POST request of a write: each one must change a row of its own (a retry of a distinct run). */
export interface WriteRequest {
  path: string;
  body: string;
}

/**
 * Where a write's requests come from: `prepare` readies at least `count` more distinct requests
 * (before a run starts, so preparing costs the measured server nothing), `next` hands out one.
 */
export interface WriteRequests {
  prepare(count: number): Promise<void>;
  next(): WriteRequest | undefined;
  /** How many prepared requests are left. */
  left(): number;
}

/** What one load hits: a GET of `url`, or with `write`, a POST to `url`'s origin per prepared request. */
export interface LoadTarget {
  url: string;
  headers: Record<string, string>;
  write?: WriteRequests;
}

/**
 * Requests per second a write's warm-up pool is sized for; the measured run's pool is sized from the
 * warm-up's rate, with room to spare.
 */
const WRITE_WARMUP_RATE = 4000;
const WRITE_POOL_MARGIN = 2;

/**
 * Loads one target with autocannon for `duration` seconds after a discarded warm-up (`afterWarmup` runs
 * between the two). A single non-2xx answer or connection error fails the bench: the figures of a
 * broken endpoint mean nothing. A write whose prepared requests run out before the run ends fails it too.
 */
export async function measureLoad(target: LoadTarget, settings: LoadSettings, afterWarmup: () => Promise<void>): Promise<LoadResult> {
  const { write } = target;
  if (write) await write.prepare(Math.ceil(settings.warmup * WRITE_WARMUP_RATE) + 2 * settings.connections);
  const warmup = await run(target, settings.connections, settings.warmup);
  if (write) {
    const rate = Math.max(warmup.requests.total / settings.warmup, warmup.requests.average);
    await write.prepare(Math.ceil(rate * WRITE_POOL_MARGIN * settings.duration) + 2 * settings.connections);
  }
  await afterWarmup();
  const result = await run(target, settings.connections, settings.duration);
  if (write && result.duration < settings.duration * 0.95) {
    throw new Error(`${target.url}: the write's prepared requests ran out after ${result.duration} s of ${settings.duration}`);
  }
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
  };
}

async function run(target: LoadTarget, connections: number, duration: number): Promise<autocannon.Result> {
  const { url, headers, write } = target;
  const result = await autocannon(
    write
      ? {
          url,
          headers: { ...headers, 'content-type': 'application/json' },
          method: 'POST',
          connections,
          duration,
          // Stop before the pool is empty: requests in flight on every connection are counted when they answer.
          maxOverallRequests: Math.max(connections, write.left() - connections),
          requests: [
            {
              setupRequest: (request) => {
                const next = write.next();
                if (!next) throw new Error(`${url}: the write's prepared requests ran out`);
                return { ...request, path: next.path, body: next.body };
              },
            },
          ],
        }
      : { url, headers, connections, duration },
  );
  if (result.non2xx > 0 || result.errors > 0 || result.requests.total === 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors in ${result.requests.total} requests`);
  }
  return result;
}
