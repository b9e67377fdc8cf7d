import { randomBytes } from 'node:crypto';
import { SERVER_NODE_FLAGS } from '@runhub/server';
import { type Endpoint, pathsOf } from './endpoints.js';
import { type LoadResult, type LoadSettings, measureLoad } from './load.js';
import { startChildServer } from './servers.js';

/** `REST without metrics` is the same app with `metrics: false`: what the metrics cost the hot path. */
export const SERVERS = ['floor', 'REST', 'REST without metrics', 'tRPC'] as const;
export type ServerKind = (typeof SERVERS)[number];

export interface HttpMeasurement {
  endpoint: string;
  server: ServerKind;
  result: LoadResult;
  /**
   * CPU time the server process spent per request during the measured run. On a machine shared with
   * autocannon and PostgreSQL (and here, other work), this is the steadier figure of a layer's cost.
   */
  serverCpuMicrosPerRequest: number;
}

export interface HttpBenchResult {
  measurements: HttpMeasurement[];
  /** Peak RSS of the API server's process over its whole life, the HTTP runs included. */
  apiPeakRssBytes: number;
  floorPeakRssBytes: number;
}

/**
 * Starts the API (REST and /trpc in one process, as deployed), the same API without metrics, and
 * the floor in their own processes, checks that they answer the same rows for every endpoint, then
 * loads each endpoint on each server in turn, back to back, so a neighbour's load hits them alike;
 * REST with and without metrics swap places every round. Each round repeats every run; each keeps
 * its best round (highest requests/s), the one least disturbed by whatever else the machine was doing.
 */
export async function benchHttp(
  databaseUrl: string,
  endpoints: Endpoint[],
  settings: LoadSettings,
  rounds: number,
  log: (line: string) => void,
): Promise<HttpBenchResult> {
  const token = randomBytes(24).toString('hex');
  const env = { BENCH_CHILD_DATABASE_URL: databaseUrl, BENCH_CHILD_ADMIN_TOKEN: token };
  const [api, bare, floor] = await Promise.all([
    startChildServer('api-server.js', env, [...SERVER_NODE_FLAGS]),
    startChildServer('api-server.js', { ...env, BENCH_CHILD_METRICS: 'off' }, [...SERVER_NODE_FLAGS]),
    startChildServer('floor-server.js', env),
  ]);
  const childOf = { floor, REST: api, 'REST without metrics': bare, tRPC: api } satisfies Record<ServerKind, unknown>;
  try {
    const headers = { 'x-sheen-admin-token': token };
    const urlOf = (server: ServerKind, endpoint: Endpoint) => {
      const paths = pathsOf(endpoint);
      if (server === 'floor') return `${floor.baseUrl}${paths.floor}`;
      return `${childOf[server].baseUrl}${server === 'tRPC' ? paths.trpc : paths.rest}`;
    };
    for (const endpoint of endpoints) await checkSameAnswers(endpoint, (server) => urlOf(server, endpoint), headers);

    const best = new Map<string, HttpMeasurement>();
    for (let round = 1; round <= rounds; round++) {
      for (const endpoint of endpoints) {
        for (const server of orderOfRound(round)) {
          const child = childOf[server];
          let before = 0;
          const result = await measureLoad(urlOf(server, endpoint), server === 'floor' ? {} : headers, settings, async () => {
            before = (await child.usage()).cpuMicros;
          });
          const measurement = {
            endpoint: endpoint.label,
            server,
            result,
            serverCpuMicrosPerRequest: ((await child.usage()).cpuMicros - before) / result.requests,
          };
          const key = `${endpoint.label} ${server}`;
          if ((best.get(key)?.result.requestsPerSecond ?? -1) < result.requestsPerSecond) best.set(key, measurement);
          log(
            `round ${round}  ${endpoint.label.padEnd(40)} ${server.padEnd(20)} ${Math.round(result.requestsPerSecond).toString().padStart(7)} req/s` +
              `  p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  server CPU ${Math.round(measurement.serverCpuMicrosPerRequest)} µs/req`,
          );
        }
      }
    }
    const measurements = [...best.values()];
    return { measurements, apiPeakRssBytes: (await api.usage()).peakRssBytes, floorPeakRssBytes: (await floor.usage()).peakRssBytes };
  } finally {
    await Promise.all([api.stop(), bare.stop(), floor.stop()]);
  }
}

/** Every server once; REST with and without metrics trade places each round, so neither always runs first. */
function orderOfRound(round: number): readonly ServerKind[] {
  return round % 2 === 1 ? SERVERS : ['floor', 'REST without metrics', 'REST', 'tRPC'];
}

/** Fails unless REST, /trpc and the floor return the same rows, so the floor is known to do the API's work. */
async function checkSameAnswers(endpoint: Endpoint, urlOf: (server: ServerKind) => string, headers: Record<string, string>): Promise<void> {
  const rest = (await fetchJson(urlOf('REST'), headers)) as { ok: boolean; data: unknown };
  const bare = (await fetchJson(urlOf('REST without metrics'), headers)) as { ok: boolean; data: unknown };
  const trpc = (await fetchJson(urlOf('tRPC'), headers)) as { result: { data: unknown } };
  const floor = (await fetchJson(urlOf('floor'), {})) as Record<string, unknown>[];
  const expected = JSON.stringify(endpoint.floorFingerprint(floor));
  const answers = {
    REST: endpoint.fingerprint(rest.data),
    'REST without metrics': endpoint.fingerprint(bare.data),
    tRPC: endpoint.fingerprint(trpc.result.data),
  };
  for (const [server, fingerprint] of Object.entries(answers)) {
    if (fingerprint.length === 0) throw new Error(`${endpoint.label}: ${server} answered no rows; the data is too small to measure this endpoint`);
    if (JSON.stringify(fingerprint) !== expected) {
      throw new Error(
        `${endpoint.label}: ${server} and the floor answer different rows, so the floor SQL no longer matches the API's (bench/src/http/floor-sql.ts)`,
      );
    }
  }
}

async function fetchJson(url: string, headers: Record<string, string>): Promise<unknown> {
  const response = await fetch(url, { headers });
  const text = await response.text();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}: ${text.slice(0, 500)}`);
  return JSON.parse(text) as unknown;
}
