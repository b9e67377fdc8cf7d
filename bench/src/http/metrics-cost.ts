import { randomUUID } from 'node:crypto';
import { createDatabase } from '@runhub/db';
import { createRollupCoordinator } from '@runhub/router';
import { createApp, createLogger } from '@runhub/server';

export interface MetricsCostResult {
  /** Per request kind: the app's CPU µs per request with and without metrics, in this process. */
  requests: { label: string; withMicros: number; withoutMicros: number }[];
  /** The most the metrics added to a request, in CPU µs (the costliest kind's median difference). */
  extraMicros: number;
}

const ROUNDS = 31;
const REQUESTS_PER_ROUND = 2000;

/**
 * What the metrics cost one request, apart from everything else on a shared machine: two apps in
 * this process, identical but for `metrics: false`, answer requests that reach no database
 * (`/healthz`, and a 401 on a `:id` route, the labeller's slowest case), in alternating rounds;
 * each keeps its median CPU time per request. The HTTP runs' REST with and without metrics carry
 * the same difference inside the noise of a loaded machine; this isolates it.
 */
export async function measureMetricsCost(databaseUrl: string): Promise<MetricsCostResult> {
  const db = createDatabase({ url: databaseUrl, poolSize: 1 });
  try {
    const rollup = createRollupCoordinator(db);
    const make = (metrics: boolean) =>
      createApp({
        db,
        rollup,
        auth: { adminTokens: [randomUUID()], sessionSecrets: [] },
        logger: createLogger('info', () => {}),
        ...(metrics ? {} : { metrics: false as const }),
      });
    const apps = { with: make(true), without: make(false) };
    const kinds = [
      { label: 'GET /healthz', path: '/healthz', init: {} },
      { label: 'POST /workflow-runs/:id/retry, 401', path: `/v1/admin/inhouse/workflow-runs/${randomUUID()}/retry`, init: { method: 'POST' } },
    ];
    const requests = [];
    for (const kind of kinds) {
      const micros = { with: [] as number[], without: [] as number[] };
      for (let round = 0; round < ROUNDS; round++) {
        for (const which of round % 2 === 0 ? (['with', 'without'] as const) : (['without', 'with'] as const)) {
          const before = process.cpuUsage();
          for (let i = 0; i < REQUESTS_PER_ROUND; i++) await apps[which].request(kind.path, kind.init);
          const used = process.cpuUsage(before);
          micros[which].push((used.user + used.system) / REQUESTS_PER_ROUND);
        }
      }
      requests.push({ label: kind.label, withMicros: median(micros.with), withoutMicros: median(micros.without) });
    }
    return { requests, extraMicros: Math.max(...requests.map((r) => r.withMicros - r.withoutMicros)) };
  } finally {
    await db.destroy();
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}
