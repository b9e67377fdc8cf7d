import { STATS_LABEL } from './http/endpoints.js';
import type { HttpBenchResult, HttpMeasurement, ServerKind } from './http/http-bench.js';
import { SERVERS } from './http/http-bench.js';
import type { LoadSettings } from './http/load.js';
import type { MetricsCostResult } from './http/metrics-cost.js';
import type { DataShape } from './load-data.js';
import type { MachineInfo } from './machine.js';
import { NEW_EVENTS, type RollupBenchResult } from './rollup-bench.js';

export interface BenchReport {
  date: Date;
  machine: MachineInfo;
  command: string;
  shape: DataShape;
  loadSeconds: number;
  load: LoadSettings;
  rounds: number;
  /** The labels of the two business-events pages the deep-page target compares. */
  firstPage: string;
  deepPage: string;
  http: HttpBenchResult;
  metricsCost: MetricsCostResult;
  rollup: RollupBenchResult;
}

export const TARGETS = {
  restVsFloor: 0.9,
  trpcVsFloor: 0.85,
  cpuVsFloor: 1.2,
  deepVsFirst: 1.2,
  incrementalShare: 0.05,
  fullVsFloor: 1.5,
  rssBytes: 110e6,
  statsVsPlainCount: 10,
  metricsOverhead: 0.03,
} as const;

interface Target {
  name: string;
  measured: string;
  met: boolean;
  /** When missed: by how much, in the target's own unit. */
  by: string;
}

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const times = (value: number) => `${value.toFixed(2)}×`;
const megabytes = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

/** The Markdown of `bench/RESULTS.md`: machine and versions, every figure and ratio, and the targets met or missed. */
export function renderReport(report: BenchReport): string {
  const targets = evaluateTargets(report);
  const missed = targets.filter((target) => !target.met).length;
  return [
    '# Benchmark results',
    '',
    `Written by \`${report.command}\` on ${report.date.toISOString()}. How to read and rerun it: docs/benchmarks.md.`,
    '',
    ...machineSection(report),
    '',
    '## HTTP: requests per second and latency',
    '',
    `Each row is ${report.load.connections} connections for ${report.load.duration} s after a ${report.load.warmup} s warm-up, the best of ${report.rounds} rounds (highest requests/s). *floor* is a bare Hono route running the same SQL through \`pg\` and answering \`JSON.stringify(rows)\`, except on *${STATS_LABEL}*, whose floor is the plain \`count(*) … group by event_type\` that the daily counts replace (the answers are compared all the same); *REST* and *tRPC* are the real app (auth, validation, tRPC, Kysely, DTO mapping, envelope, request log, metrics); *REST without metrics* is the same app without its metrics. *× floor* is requests/s divided by the floor's. *server CPU* is the CPU time the server's process spent per request: autocannon, PostgreSQL and the server share the machine's cores, so it is the steadier measure of what the layers cost.`,
    '',
    '| endpoint | server | req/s | p50 ms | p99 ms | × floor | server CPU µs/req |',
    '|---|---|---:|---:|---:|---:|---:|',
    ...httpRows(report.http.measurements),
    '',
    ...metricsSection(report),
    '## KPI rollup',
    '',
    `Each time is the best of ${report.rounds} rounds. The new events arrive now; most happened in the last hour, one in twenty up to three days earlier.`,
    '',
    `| run | time | ratio |`,
    '|---|---:|---:|',
    `| full rebuild, every project (the engine, \`runRollupNow\`) | ${int(report.rollup.fullMs)} ms | ${times(report.rollup.fullMs / report.rollup.floorMs)} the floor |`,
    `| floor: one hand-written \`insert … select … group by\` | ${int(report.rollup.floorMs)} ms | 1.00× |`,
    `| incremental, after ${int(NEW_EVENTS)} new events | ${int(report.rollup.incrementalMs)} ms | ${((report.rollup.incrementalMs / report.rollup.fullMs) * 100).toFixed(1)}% of the full rebuild |`,
    '',
    report.rollup.floorDifferences === 0
      ? 'The floor wrote exactly the rows the engine wrote (compared after every full rebuild).'
      : `**The floor and the engine disagree on ${int(report.rollup.floorDifferences)} rows**: the comparison is not like for like.`,
    '',
    '## Memory',
    '',
    '| process | peak RSS |',
    '|---|---:|',
    `| API server (REST and /trpc), over its life including every HTTP run | ${megabytes(report.http.apiPeakRssBytes)} |`,
    `| floor server | ${megabytes(report.http.floorPeakRssBytes)} |`,
    '',
    '## Targets',
    '',
    '| target | measured | |',
    '|---|---:|---|',
    ...targets.map((target) => `| ${target.name} | ${target.measured} | ${target.met ? 'met' : `**missed** by ${target.by}`} |`),
    '',
    missed === 0
      ? 'Every target met.'
      : `${missed} of ${targets.length} targets missed; what the profile shows is left, per target: docs/benchmarks.md, "Left per target".`,
    '',
  ].join('\n');
}

function machineSection(report: BenchReport): string[] {
  const { machine, shape } = report;
  const packages = Object.entries(machine.packages)
    .map(([name, version]) => `${name} ${version}`)
    .join(', ');
  return [
    '| | |',
    '|---|---|',
    `| machine | ${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB; ${machine.os} |`,
    `| software | Node ${machine.node}, PostgreSQL ${machine.postgres}; ${packages} |`,
    `| commit | ${machine.commit} |`,
    `| data | ${int(shape.events)} business events (50 projects, 90 days), ${int(shape.runs)} workflow runs, ${int(shape.sends)} sends; loaded and vacuumed in ${report.loadSeconds.toFixed(0)} s |`,
    '| setup | autocannon, the API server, the floor server and PostgreSQL on one machine, over loopback; the servers each in their own process |',
  ];
}

function httpRows(measurements: HttpMeasurement[]): string[] {
  const lines: string[] = [];
  for (const endpoint of new Set(measurements.map((m) => m.endpoint))) {
    const floor = find(measurements, endpoint, 'floor');
    for (const server of SERVERS) {
      const { result, serverCpuMicrosPerRequest } = find(measurements, endpoint, server);
      const ratio = times(result.requestsPerSecond / floor.result.requestsPerSecond);
      lines.push(
        `| ${server === 'floor' ? endpoint : ''} | ${server} | ${int(result.requestsPerSecond)} | ${result.p50Ms} | ${result.p99Ms} | ${ratio} | ${int(serverCpuMicrosPerRequest)} |`,
      );
    }
  }
  return lines;
}

interface MetricsCost {
  endpoint: string;
  /** 1 − requests/s with metrics ÷ requests/s without. */
  throughputCost: number;
  /** CPU µs per request with metrics ÷ without, less 1. */
  cpuCost: number;
  with: HttpMeasurement;
  without: HttpMeasurement;
}

/** Per endpoint, what the metrics (request timing, `/metrics` registered) cost REST over HTTP; and over all endpoints, the geometric mean. */
function metricsCosts(measurements: HttpMeasurement[]): { endpoints: MetricsCost[]; throughputCost: number; cpuCost: number } {
  const endpoints = [...new Set(measurements.map((m) => m.endpoint))].map((endpoint) => {
    const withMetrics = find(measurements, endpoint, 'REST');
    const without = find(measurements, endpoint, 'REST without metrics');
    return {
      endpoint,
      throughputCost: 1 - withMetrics.result.requestsPerSecond / without.result.requestsPerSecond,
      cpuCost: withMetrics.serverCpuMicrosPerRequest / without.serverCpuMicrosPerRequest - 1,
      with: withMetrics,
      without,
    };
  });
  const geometricMean = (values: number[]) => Math.exp(values.reduce((sum, v) => sum + Math.log(v), 0) / values.length);
  return {
    endpoints,
    throughputCost: 1 - geometricMean(endpoints.map((e) => 1 - e.throughputCost)),
    cpuCost: geometricMean(endpoints.map((e) => 1 + e.cpuCost)) - 1,
  };
}

/** The metrics' CPU per request (in-process) against REST's server CPU per request on its cheapest endpoint: their largest share of any request. */
function metricsShare(report: BenchReport): { share: number; cheapest: HttpMeasurement } {
  const bare = report.http.measurements.filter((m) => m.server === 'REST without metrics');
  const cheapest = bare.reduce((a, b) => (b.serverCpuMicrosPerRequest < a.serverCpuMicrosPerRequest ? b : a));
  return { share: report.metricsCost.extraMicros / cheapest.serverCpuMicrosPerRequest, cheapest };
}

function metricsSection(report: BenchReport): string[] {
  const costs = metricsCosts(report.http.measurements);
  const { share, cheapest } = metricsShare(report);
  return [
    '## Metrics on the hot path',
    '',
    `In-process, two apps identical but for \`metrics: false\`, on requests that reach no database, ${report.metricsCost.requests.length} kinds, the median of alternating rounds of CPU time:`,
    '',
    '| request | CPU µs with metrics | without | difference |',
    '|---|---:|---:|---:|',
    ...report.metricsCost.requests.map(
      (r) => `| ${r.label} | ${r.withMicros.toFixed(1)} | ${r.withoutMicros.toFixed(1)} | ${(r.withMicros - r.withoutMicros).toFixed(1)} |`,
    ),
    '',
    `The larger difference, ${report.metricsCost.extraMicros.toFixed(1)} µs, is ${percent(share)} of the ${int(cheapest.serverCpuMicrosPerRequest)} µs of server CPU that REST without metrics spends on its cheapest endpoint (${cheapest.endpoint}).`,
    '',
    'Over HTTP, *REST* is the app as deployed, metrics included; *REST without metrics* the same app with `metrics: false`, each its own process, loaded back to back. On a shared machine their difference is within the noise (a negative cost is noise):',
    '',
    '| endpoint | req/s with | req/s without | throughput cost | server CPU µs/req with | without | CPU cost |',
    '|---|---:|---:|---:|---:|---:|---:|',
    ...costs.endpoints.map(
      (e) =>
        `| ${e.endpoint} | ${int(e.with.result.requestsPerSecond)} | ${int(e.without.result.requestsPerSecond)} | ${percent(e.throughputCost)} | ${int(e.with.serverCpuMicrosPerRequest)} | ${int(e.without.serverCpuMicrosPerRequest)} | ${percent(e.cpuCost)} |`,
    ),
    `| **all (geometric mean)** | | | **${percent(costs.throughputCost)}** | | | **${percent(costs.cpuCost)}** |`,
    '',
  ];
}

function find(measurements: HttpMeasurement[], endpoint: string, server: ServerKind): HttpMeasurement {
  const found = measurements.find((m) => m.endpoint === endpoint && m.server === server);
  if (!found) throw new Error(`no measurement of ${endpoint} on ${server}`);
  return found;
}

export function evaluateTargets(report: BenchReport): Target[] {
  const { measurements } = report.http;
  const targets: Target[] = [];
  for (const endpoint of new Set(measurements.map((m) => m.endpoint))) {
    const ratio = find(measurements, endpoint, 'REST').result.requestsPerSecond / find(measurements, endpoint, 'floor').result.requestsPerSecond;
    targets.push({
      name: `REST ≥ ${TARGETS.restVsFloor}× floor: ${endpoint}`,
      measured: times(ratio),
      met: ratio >= TARGETS.restVsFloor,
      by: times(TARGETS.restVsFloor - ratio),
    });
  }
  for (const endpoint of new Set(measurements.map((m) => m.endpoint))) {
    const ratio = find(measurements, endpoint, 'tRPC').result.requestsPerSecond / find(measurements, endpoint, 'floor').result.requestsPerSecond;
    targets.push({
      name: `/trpc ≥ ${TARGETS.trpcVsFloor}× floor: ${endpoint}`,
      measured: times(ratio),
      met: ratio >= TARGETS.trpcVsFloor,
      by: times(TARGETS.trpcVsFloor - ratio),
    });
  }
  for (const endpoint of new Set(measurements.map((m) => m.endpoint))) {
    const ratio = find(measurements, endpoint, 'REST').serverCpuMicrosPerRequest / find(measurements, endpoint, 'floor').serverCpuMicrosPerRequest;
    targets.push({
      name: `REST server CPU per request ≤ ${TARGETS.cpuVsFloor}× the floor's: ${endpoint}`,
      measured: times(ratio),
      met: ratio <= TARGETS.cpuVsFloor,
      by: times(ratio - TARGETS.cpuVsFloor),
    });
  }
  if (measurements.some((m) => m.endpoint === STATS_LABEL)) {
    const ratio = find(measurements, STATS_LABEL, 'REST').result.requestsPerSecond / find(measurements, STATS_LABEL, 'floor').result.requestsPerSecond;
    targets.push({
      name: `all-projects 7-day stats (REST) ≥ ${TARGETS.statsVsPlainCount}× the plain count's requests/s`,
      measured: times(ratio),
      met: ratio >= TARGETS.statsVsPlainCount,
      by: times(TARGETS.statsVsPlainCount - ratio),
    });
  }
  const first = find(measurements, report.firstPage, 'REST').result;
  const deep = find(measurements, report.deepPage, 'REST').result;
  const deepCost = first.requestsPerSecond / deep.requestsPerSecond;
  targets.push({
    name: `deep page within ${TARGETS.deepVsFirst}× the first (REST, time per request)`,
    measured: `${times(deepCost)} (p50 ${deep.p50Ms} vs ${first.p50Ms} ms)`,
    met: deepCost <= TARGETS.deepVsFirst,
    by: times(deepCost - TARGETS.deepVsFirst),
  });
  const share = report.rollup.incrementalMs / report.rollup.fullMs;
  targets.push({
    name: `incremental rollup ≤ ${TARGETS.incrementalShare * 100}% of the full rebuild`,
    measured: `${(share * 100).toFixed(1)}%`,
    met: share <= TARGETS.incrementalShare,
    by: `${((share - TARGETS.incrementalShare) * 100).toFixed(1)} points`,
  });
  const overFloor = report.rollup.fullMs / report.rollup.floorMs;
  targets.push({
    name: `full rebuild ≤ ${TARGETS.fullVsFloor}× the hand-written floor`,
    measured: times(overFloor),
    met: overFloor <= TARGETS.fullVsFloor,
    by: times(overFloor - TARGETS.fullVsFloor),
  });
  const metrics = metricsShare(report).share;
  const overHttp = metricsCosts(measurements);
  targets.push({
    name: `metrics cost a REST request ≤ ${percent(TARGETS.metricsOverhead)} (their CPU, against the cheapest endpoint's)`,
    measured: `${percent(metrics)} (over HTTP: requests/s ${percent(overHttp.throughputCost)}, server CPU ${percent(overHttp.cpuCost)})`,
    met: metrics <= TARGETS.metricsOverhead,
    by: `${((metrics - TARGETS.metricsOverhead) * 100).toFixed(1)} points`,
  });
  targets.push({
    name: `API server peak RSS ≤ ${megabytes(TARGETS.rssBytes)}`,
    measured: megabytes(report.http.apiPeakRssBytes),
    met: report.http.apiPeakRssBytes <= TARGETS.rssBytes,
    by: megabytes(report.http.apiPeakRssBytes - TARGETS.rssBytes),
  });
  return targets;
}
