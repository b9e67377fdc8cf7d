import type { Database } from '@runhub/db';
import { type Clock, databaseClock, type OperationalGauges, type RollupSettings, type RunOutcome, readOperationalGauges } from '@runhub/router';
import type { Kysely } from 'kysely';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

/** Request latencies from a millisecond cache hit to a slow export's first byte. */
const HTTP_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
/** Rollup runs, from an incremental run of a few projects to a first full rebuild of a large one. */
const ROLLUP_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600];
/** How long a scrape-time reading is reused: a storm of scrapes costs the database one query per period. */
export const DEFAULT_GAUGE_CACHE_MS = 5000;

/** Methods Node's HTTP parser passes that get their own label value; anything else is `OTHER`. */
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);

export interface ServerMetricsOptions {
  /** The database the scrape-time gauges read (the request pool). */
  db: Kysely<Database>;
  settings: RollupSettings;
  /** The database clock by default. */
  clock?: Clock | undefined;
  gaugeCacheMs?: number;
  /** Milliseconds on a monotonic clock, for the gauge cache; `performance.now` by default. */
  now?: () => number;
  /** Told when the gauges' query fails (the scrape still answers, without them). */
  onGaugeError?: (error: unknown) => void;
}

/** One process's metrics, in a registry of its own (never prom-client's global one). */
export interface ServerMetrics {
  readonly registry: Registry;
  /** One finished request; `route` is a template or `unmatched`, never a raw path. */
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  /** A rollup run this process executed: only the instance that ran it counts it. */
  recordRollupRun(outcome: RunOutcome): void;
  /** A beat of this process's rollup scheduler (the scheduler's `onBeat`). */
  recordSchedulerBeat(outcome: 'ok' | 'failed'): void;
}

/**
 * SPEC §10's metrics: the request histogram, the rollup's counter and duration, the stuck-runs and
 * KPI-project gauges (read at scrape time with one cached query), and the process's default
 * metrics, all in a registry created here, so two apps in one process never share or clash.
 *
 * @example
 * const metrics = createServerMetrics({ db, settings: rollup.settings });
 * const rollup = createRollupCoordinator(db, { onRunFinished: (run) => metrics.recordRollupRun(run) });
 */
export function createServerMetrics(options: ServerMetricsOptions): ServerMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const readings = cachedReadings(options);

  const requests = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP requests by method, route template (or unmatched) and status, until the response headers',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: HTTP_BUCKETS,
    registers: [registry],
  });
  const runs = new Counter({
    name: 'runhub_rollup_runs_total',
    help: 'KPI rollup runs this process executed, by outcome',
    labelNames: ['status'] as const,
    registers: [registry],
  });
  // Present at 0 from the start, so rate() and increase() see the first run.
  for (const status of ['succeeded', 'failed']) runs.inc({ status }, 0);
  const durations = new Histogram({
    name: 'runhub_rollup_duration_seconds',
    help: 'Duration of the KPI rollup runs this process executed, by mode',
    labelNames: ['mode'] as const,
    buckets: ROLLUP_BUCKETS,
    registers: [registry],
  });
  const beats = new Counter({
    name: 'runhub_rollup_scheduler_beats_total',
    help: "Beats of this process's rollup scheduler (each drains the shared queue and starts the scheduled run when due), by outcome",
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  for (const outcome of ['ok', 'failed']) beats.inc({ outcome }, 0);
  new Gauge({
    name: 'runhub_stuck_runs',
    help: 'Workflow runs still running whose lease expired (read at scrape time, shared by every instance)',
    registers: [registry],
    async collect() {
      const reading = await readings();
      if (reading) this.set(reading.stuckRuns);
      else this.remove();
    },
  });
  new Gauge({
    name: 'runhub_kpi_projects',
    help: 'Projects by KPI freshness: healthy, stale, no_data (read at scrape time, shared by every instance)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      const reading = await readings();
      this.reset();
      if (reading) for (const [status, count] of Object.entries(reading.projects)) this.set({ status }, count);
    },
  });
  new Gauge({
    name: 'runhub_database_up',
    help: "1 when the scrape-time gauges' query answered, 0 when it failed (runhub_stuck_runs and runhub_kpi_projects are then absent)",
    registers: [registry],
    async collect() {
      this.set((await readings()) ? 1 : 0);
    },
  });

  // One child per label set: prom-client would otherwise hash the labels on every observation.
  const children = new Map<string, Histogram.Internal<'method' | 'route' | 'status'>>();
  return {
    registry,
    observeRequest(method, route, status, seconds) {
      const key = `${method} ${status} ${route}`;
      let child = children.get(key);
      if (!child) {
        child = requests.labels({ method: METHODS.has(method) ? method : 'OTHER', route, status: String(status) });
        children.set(key, child);
      }
      child.observe(seconds);
    },
    recordRollupRun(outcome) {
      runs.inc({ status: outcome.status });
      durations.observe({ mode: outcome.mode }, outcome.durationMs / 1000);
    },
    recordSchedulerBeat(outcome) {
      beats.inc({ outcome });
    },
  };
}

/**
 * The gauges' reading, shared by every gauge of a scrape and reused for `gaugeCacheMs`: concurrent
 * scrapes wait for the one query in flight. A failed reading is cached too, so a scrape storm
 * against a database that is down costs one attempt per period.
 */
function cachedReadings(options: ServerMetricsOptions): () => Promise<OperationalGauges | null> {
  const cacheMs = options.gaugeCacheMs ?? DEFAULT_GAUGE_CACHE_MS;
  const now = options.now ?? (() => performance.now());
  const clock = options.clock ?? databaseClock;
  let cached: { at: number; reading: Promise<OperationalGauges | null> } | undefined;
  return () => {
    const at = now();
    if (!cached || at - cached.at >= cacheMs) {
      const reading = readOperationalGauges(options.db, clock, options.settings).catch((error: unknown) => {
        options.onGaugeError?.(error);
        return null;
      });
      cached = { at, reading };
    }
    return cached.reading;
  };
}
