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

/**
 * Loads one URL with autocannon for `duration` seconds after a discarded warm-up (`afterWarmup` runs
 * between the two). A single non-2xx
 * answer or connection error fails the bench: the figures of a broken endpoint mean nothing.
 */
export async function measureLoad(url: string, headers: Record<string, string>, settings: LoadSettings, afterWarmup: () => Promise<void>): Promise<LoadResult> {
  await run(url, headers, settings.connections, settings.warmup);
  await afterWarmup();
  const result = await run(url, headers, settings.connections, settings.duration);
  return {
    requestsPerSecond: result.requests.average,
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    requests: result.requests.total,
  };
}

async function run(url: string, headers: Record<string, string>, connections: number, duration: number): Promise<autocannon.Result> {
  const result = await autocannon({ url, headers, connections, duration });
  if (result.non2xx > 0 || result.errors > 0 || result.requests.total === 0) {
    throw new Error(`${url}: ${result.non2xx} non-2xx answers and ${result.errors} errors in ${result.requests.total} requests`);
  }
  return result;
}
