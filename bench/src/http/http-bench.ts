import { randomBytes } from 'node:crypto';
import { SERVER_NODE_FLAGS } from '@runhub/server';
import pg from 'pg';
import { type Endpoint, pathsOf } from './endpoints.js';
import { type LoadResult, type LoadSettings, measureLoad } from './load.js';
import { startChildServer } from './servers.js';
import { RETRY_LABEL, RetryPool, type RetryServer, retryFingerprint } from './write-bench.js';

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
 * Each round ends with the write: retries of prepared failed runs, a distinct run per request
 * (`RetryPool`), removed again after each load so the next reads see the data as loaded.
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
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const retries = new RetryPool(client);
  try {
    const headers = { 'x-sheen-admin-token': token };
    const headersOf = (server: ServerKind): Record<string, string> => (server === 'floor' ? {} : headers);
    const urlOf = (server: ServerKind, endpoint: Endpoint) => {
      const paths = pathsOf(endpoint);
      if (server === 'floor') return `${floor.baseUrl}${paths.floor}`;
      return `${childOf[server].baseUrl}${server === 'tRPC' ? paths.trpc : paths.rest}`;
    };
    for (const endpoint of endpoints) await checkSameAnswers(endpoint, (server) => urlOf(server, endpoint), headers);
    await checkSameRetries(client, retries, (server) => childOf[server].baseUrl, headers);

    const best = new Map<string, HttpMeasurement>();
    for (let round = 1; round <= rounds; round++) {
      const loads = [
        ...endpoints.map((endpoint) => ({
          label: endpoint.label,
          target: (server: ServerKind) => ({ url: urlOf(server, endpoint), headers: headersOf(server) }),
        })),
        {
          label: RETRY_LABEL,
          target: (server: ServerKind) => ({ url: childOf[server].baseUrl, headers: headersOf(server), write: retries.requestsFor(retryServer(server)) }),
        },
      ];
      for (const load of loads) {
        for (const server of orderOfRound(round)) {
          const child = childOf[server];
          let before = 0;
          const result = await measureLoad(load.target(server), settings, async () => {
            before = (await child.usage()).cpuMicros;
          }).finally(() => retries.clear());
          const measurement = {
            endpoint: load.label,
            server,
            result,
            serverCpuMicrosPerRequest: ((await child.usage()).cpuMicros - before) / result.requests,
          };
          const key = `${load.label} ${server}`;
          if ((best.get(key)?.result.requestsPerSecond ?? -1) < result.requestsPerSecond) best.set(key, measurement);
          log(
            `round ${round}  ${load.label.padEnd(40)} ${server.padEnd(20)} ${Math.round(result.requestsPerSecond).toString().padStart(7)} req/s` +
              `  p50 ${result.p50Ms} ms  p99 ${result.p99Ms} ms  server CPU ${Math.round(measurement.serverCpuMicrosPerRequest)} µs/req`,
          );
        }
      }
    }
    const measurements = [...best.values()];
    return { measurements, apiPeakRssBytes: (await api.usage()).peakRssBytes, floorPeakRssBytes: (await floor.usage()).peakRssBytes };
  } finally {
    await retries.clear().catch(() => undefined);
    await client.end().catch(() => undefined);
    await Promise.all([api.stop(), bare.stop(), floor.stop()]);
  }
}

/** REST with or without metrics takes the same path. */
export function retryServer(server: ServerKind): RetryServer {
  return server === 'REST without metrics' ? 'REST' : server;
}

/**
 * Fails unless a retry through every server leaves the same rows as the floor's transaction (the new
 * run and its audit row, see `retryFingerprint`), so the floor is known to do the API's write.
 */
export async function checkSameRetries(
  client: pg.Client,
  pool: RetryPool,
  baseUrlOf: (server: ServerKind) => string,
  headers: Record<string, string>,
): Promise<void> {
  try {
    const fingerprints = new Map<ServerKind, string>();
    for (const server of SERVERS) {
      const id = await pool.take();
      const request = pool.request(retryServer(server), id);
      const response = await fetch(`${baseUrlOf(server)}${request.path}`, {
        method: 'POST',
        headers: { ...(server === 'floor' ? {} : headers), 'content-type': 'application/json' },
        body: request.body,
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${RETRY_LABEL} on ${server} answered ${response.status}: ${text.slice(0, 500)}`);
      const answer = JSON.parse(text) as { newRunId?: string; data?: { newRunId: string }; result?: { data: { newRunId: string } } };
      const newRunId = answer.data?.newRunId ?? answer.result?.data.newRunId ?? answer.newRunId ?? '';
      fingerprints.set(server, await retryFingerprint(client, id, newRunId));
    }
    const expected = fingerprints.get('floor');
    if (!expected || expected === '[]') throw new Error(`${RETRY_LABEL}: the floor's retry left no new run and audit row`);
    for (const [server, fingerprint] of fingerprints) {
      if (fingerprint !== expected) {
        throw new Error(`${RETRY_LABEL}: ${server} and the floor leave different rows (${fingerprint} against ${expected}); see bench/src/http/floor-sql.ts`);
      }
    }
  } finally {
    await pool.clear();
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
