import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createDatabase, migrateToLatest } from '@runhub/db';
import { seedDemoData } from '@runhub/demo';
import { sql } from 'kysely';

/**
 * `pnpm soak`: the real server on a fresh PostgreSQL database, under mixed reads and writes.
 * It first probes for the highest request rate that keeps p99 under the target, then holds that
 * rate for the soak duration and reports the rate held, latencies, 5xx count and the server's RSS
 * at the start and end. It exits non-zero on any 5xx.
 */
const { values: args } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    probe: { type: 'string', default: '5' },
    'p99-target': { type: 'string', default: '100' },
    'max-rate': { type: 'string', default: '3200' },
    events: { type: 'string', default: '50000' },
  },
});
const DURATION_S = Number(args.duration);
const PROBE_S = Number(args.probe);
const P99_TARGET_MS = Number(args['p99-target']);
const MAX_RATE = Number(args['max-rate']);
const EVENTS = Number(args.events);
const ADMIN_URL = process.env.SOAK_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const TOKEN = 'soak-admin-token-0123456789abcdef';
// The server's entry point, beside its package's index: the real production start.
const MAIN = fileURLToPath(new URL('./main.js', import.meta.resolve('@runhub/server')));

interface Sample {
  ms: number;
  status: number;
  path: string;
}

interface Run {
  samples: Sample[];
  /** From the first request sent to the last answer received. */
  seconds: number;
}

async function main(): Promise<void> {
  const name = `runhub_soak_${Date.now().toString(36)}`;
  const admin = createDatabase({ url: ADMIN_URL, poolSize: 1 });
  await sql`create database ${sql.id(name)}`.execute(admin);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  const db = createDatabase({ url: url.toString() });
  let server: ChildProcess | undefined;
  try {
    await migrateToLatest(db);
    log('seeding demo data');
    await seedDemoData(db, { runsPerProject: Math.ceil(EVENTS / 25), events: EVENTS });
    const projects = await db.selectFrom('projects').select('id').execute();
    const started = await startServer(url.toString());
    server = started.child;
    const target = new Targets(
      started.base,
      projects.map((p) => p.id),
      db,
    );
    await target.refill();

    await drive(target, 20, 2); // warm-up: connections, JIT, caches
    let rate = 50;
    let best = 0;
    while (rate <= MAX_RATE) {
      const probe = await drive(target, rate, PROBE_S);
      const s = summarise(probe);
      log(`probe ${rate}/s: ${s.achieved.toFixed(0)}/s achieved, p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, 5xx ${s.errors5xx}`);
      if (s.p99 >= P99_TARGET_MS || s.errors5xx > 0 || s.achieved < rate * 0.9) {
        log(`  slowest: ${slowest(probe)}`);
        break;
      }
      best = rate;
      rate *= 2;
    }
    const held = Math.max(best, 25);
    log(`soaking at ${held}/s for ${DURATION_S} s`);
    const rss: number[] = [];
    const pid = server.pid ?? 0;
    const sampler = setInterval(() => rss.push(readRssMb(pid)), 1000);
    rss.push(readRssMb(pid));
    const soak = await drive(target, held, DURATION_S);
    clearInterval(sampler);
    rss.push(readRssMb(pid));
    const s = summarise(soak);
    const quarter = Math.max(1, Math.floor(rss.length / 4));
    const avg = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const report = [
      '| rate held | achieved | requests | writes | p50 | p99 | 5xx | RSS start | RSS end | RSS first ¼ avg | RSS last ¼ avg |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      `| ${held}/s | ${s.achieved.toFixed(0)}/s | ${soak.samples.length} | ${target.writes} | ${s.p50.toFixed(1)} ms | ${s.p99.toFixed(1)} ms | ${s.errors5xx} | ${rss[0]?.toFixed(0)} MB | ${rss.at(-1)?.toFixed(0)} MB | ${avg(rss.slice(0, quarter)).toFixed(0)} MB | ${avg(rss.slice(-quarter)).toFixed(0)} MB |`,
    ].join('\n');
    process.stdout.write(`\n${report}\n`);
    if (s.errors5xx > 0) process.exitCode = 1;
  } finally {
    server?.kill('SIGTERM');
    await db.destroy();
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
    await admin.destroy();
  }
}

/** What to ask for: reads of every list, and writes on runs that allow them. */
class Targets {
  writes = 0;
  private failed: string[] = [];
  private queued: string[] = [];
  private i = 0;

  constructor(
    readonly base: string,
    private readonly projects: string[],
    private readonly db: ReturnType<typeof createDatabase>,
  ) {}

  async refill(): Promise<void> {
    const rows = await this.db
      .selectFrom('workflow_runs')
      .select(['id', 'status'])
      .where('status', 'in', ['failed', 'queued'])
      .where('retry_of', 'is', null)
      .limit(20_000)
      .execute();
    this.failed = rows.filter((r) => r.status === 'failed').map((r) => r.id);
    this.queued = rows.filter((r) => r.status === 'queued').map((r) => r.id);
  }

  next(): { path: string; init?: RequestInit } {
    const i = this.i++;
    const project = this.projects[i % this.projects.length] ?? '';
    const write = (id: string | undefined, action: 'retry' | 'cancel') => {
      if (!id) return null;
      this.writes++;
      return {
        path: `/v1/admin/inhouse/workflow-runs/${id}/${action}`,
        init: { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ reason: 'soak test' }) },
      };
    };
    switch (i % 10) {
      case 0:
        return write(this.failed.pop(), 'retry') ?? { path: '/v1/admin/inhouse/workflow-runs/stuck' };
      case 1:
        return write(this.queued.pop(), 'cancel') ?? { path: '/v1/admin/inhouse/audit-log' };
      case 2:
        return { path: `/v1/admin/inhouse/workflow-runs?projectId=${project}` };
      case 3:
        return { path: '/v1/admin/inhouse/workflow-runs?status=failed' };
      case 4:
        return { path: `/v1/admin/inhouse/business-events?projectId=${project}` };
      case 5:
        return { path: '/v1/admin/inhouse/business-events/stats' };
      case 6:
        return { path: `/v1/admin/inhouse/workflow-sends?projectId=${project}` };
      case 7:
        return { path: '/v1/admin/inhouse/kpi-health/projects' };
      case 8:
        return { path: '/v1/admin/inhouse/kpi-health/summary' };
      default:
        return { path: '/v1/admin/inhouse/workflow-runs/stuck' };
    }
  }
}

/** Open loop: sends at `rate` per second for `seconds`, whatever the answers' speed. */
async function drive(targets: Targets, rate: number, seconds: number): Promise<Run> {
  const samples: Sample[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  const total = Math.round(rate * seconds);
  for (let n = 0; n < total; n++) {
    const due = start + (n * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const { path, init } = targets.next();
    const sent = performance.now();
    pending.push(
      fetch(`${targets.base}${path}`, { ...init, headers: { 'x-sheen-admin-token': TOKEN, ...(init?.headers ?? {}) } })
        .then(async (response) => {
          await response.arrayBuffer();
          samples.push({ ms: performance.now() - sent, status: response.status, path });
        })
        .catch(() => {
          samples.push({ ms: performance.now() - sent, status: 599, path });
        }),
    );
  }
  await Promise.all(pending);
  return { samples, seconds: (performance.now() - start) / 1000 };
}

function summarise(run: Run) {
  const sorted = run.samples.map((s) => s.ms).sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    p50: at(0.5),
    p99: at(0.99),
    errors5xx: run.samples.filter((s) => s.status >= 500).length,
    achieved: run.samples.length / Math.max(0.001, run.seconds),
  };
}

/** The three endpoints with the worst p99, to say what limits the rate. */
function slowest(run: Run): string {
  const byRoute = new Map<string, number[]>();
  for (const sample of run.samples) {
    const route = sample.path.split('?')[0]?.replace(/[0-9a-f-]{36}/g, ':id') ?? '';
    byRoute.set(route, [...(byRoute.get(route) ?? []), sample.ms]);
  }
  return [...byRoute]
    .map(([route, ms]) => [route, summarise({ samples: ms.map((m) => ({ ms: m, status: 200, path: route })), seconds: 1 }).p99] as const)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([route, p99]) => `${route} p99 ${p99.toFixed(0)} ms`)
    .join(', ');
}

function readRssMb(pid: number): number {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    return kb / 1024;
  } catch {
    return 0;
  }
}

function startServer(databaseUrl: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', DATABASE_URL: databaseUrl, ADMIN_TOKEN: TOKEN, LOG_LEVEL: 'warn', ROLLUP_INTERVAL_MINUTES: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) resolve({ child, base: match[1] });
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${output}`)));
  });
}

function log(message: string): void {
  process.stdout.write(`[soak] ${message}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`soak failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
