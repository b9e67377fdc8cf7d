/**
 * Prints the query plans of the business-events endpoints at 1,000,000 events on real PostgreSQL,
 * and fails (exit 1) when one of them reads business_events without an index, when a stats call
 * is not an index-only scan, or when a deep page costs much more than the first page.
 *
 *   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres pnpm explain:events
 *
 * It creates a fresh database beside the one DATABASE_URL names, migrates it, fills it with
 * `insert … select … from generate_series`, and drops it at the end. The queries explained are
 * the endpoints' own (`listEventsQuery`, `eventStatsQuery`), not copies.
 */
import { randomBytes } from 'node:crypto';
import { createDatabase, type Database, migrateToLatest } from '@runhub/db';
import { databaseClock } from '@runhub/router';
import {
  type EventStatsInput,
  eventStatsQuery,
  eventsByDayQuery,
  type ListEventsInput,
  listEventsQuery,
  resolveStatsRange,
  statsFromCounts,
  ZEventStatsInput,
  ZListEventsInput,
} from '@runhub/router/queries';
import { type ExplainFormat, type Expression, type Kysely, sql } from 'kysely';

const EVENTS = Number(process.env.EXPLAIN_EVENTS ?? 1_000_000);
/** Each project's share of events, in percent: a few big shops, a long tail, one small one. */
const PROJECT_SHARES = [30, 22, 14, 14, 10, 9, 1];
const PAGE = 50;
/** Page 1,001: the page after following 1,000 cursors. */
const DEEP_OFFSET = 1_000 * PAGE;
const RUNS = 7;
/** A deep page may cost this many times the first page (plus a millisecond of noise) and still pass. */
const DEEP_PAGE_TOLERANCE = 3;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Heap Fetches'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

interface Explained {
  Plan: PlanNode;
  'Execution Time': number;
}

interface Case {
  name: string;
  kind: 'list-first' | 'list-deep' | 'stats';
  /**
   * Whether an index serves the filter: a Seq Scan of business_events then fails the run. Filters
   * SPEC names no index for (`source`, `actorType`, …) may scan, and the plan is only shown.
   */
  indexed?: boolean;
  /** For a deep page: the first page it is compared with. */
  comparedWith?: string;
  query: () => { explain(format: ExplainFormat, options: Expression<unknown>): Promise<Record<string, unknown>[]> };
}

interface Outcome {
  name: string;
  scans: string[];
  medianMs: number;
  buffers: number;
  problems: string[];
}

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL to a PostgreSQL server where a scratch database may be created');
  const name = `runhub_explain_${randomBytes(4).toString('hex')}`;
  const admin = createDatabase({ url, poolSize: 1 });
  await sql`create database ${sql.id(name)}`.execute(admin);
  const scratchUrl = new URL(url);
  scratchUrl.pathname = `/${name}`;
  const db = createDatabase({ url: scratchUrl.toString(), poolSize: 1 });
  try {
    await migrateToLatest(db);
    await fill(db);
    const entries = await cases(db);
    const outcomes: Outcome[] = [];
    for (const entry of entries) outcomes.push(await explainCase(entry));
    process.exitCode = summarise(outcomes, entries) ? 1 : 0;
  } finally {
    await db.destroy();
    await sql`drop database if exists ${sql.id(name)} with (force)`.execute(admin);
    await admin.destroy();
  }
}

/** Projects, then events spread over the last 365 days, ids rising with time as they would. */
async function fill(db: Kysely<Database>): Promise<void> {
  const started = Date.now();
  await sql`insert into projects (name) select 'Explain project ' || g from generate_series(1, ${PROJECT_SHARES.length}::int) as g`.execute(db);
  // Project of the g-th event: g % 100 falls into the project's share. Its type comes from g / 100,
  // so projects and types are independent.
  const buckets = PROJECT_SHARES.flatMap((share, index) => Array.from({ length: share }, () => index + 1));
  await sql`
    insert into business_events (project_id, event_type, occurred_at, received_at, source, actor_type, actor_id, session_id,
                                 entity_type, entity_id, anonymous_id, correlation_id, payload)
    select p.ids[(${buckets}::int[])[1 + g % 100]],
           (array['page_viewed', 'page_viewed', 'page_viewed', 'checkout_started', 'checkout_started',
                  'lead_created', 'lead_created', 'payment_succeeded', 'payment_failed', 'refund_issued'])[1 + (g / 100) % 10],
           t.at - random() * interval '10 minutes',
           t.at,
           'generator',
           case when g % 4 = 0 then null else 'user' end,
           case when g % 4 = 0 then null else 'user_' || g % 5000 end,
           'sess_' || g % 20000,
           case when g % 3 = 0 then 'order' end,
           case when g % 3 = 0 then 'ord_' || g % 50000 end,
           case when g % 2 = 0 then 'anon_' || g % 30000 end,
           'corr_' || g / 3,
           jsonb_build_object('amount', g % 10000, 'currency', (array['USD', 'EUR', 'GBP'])[1 + g % 3],
                              'customer', jsonb_build_object('email', 'c' || g % 7000 || '@example.com', 'tier', (array['gold', 'silver', 'bronze', 'none'])[1 + g % 4]))
    from generate_series(1, ${EVENTS}::int) as g
    cross join (select array_agg(id order by name) as ids from projects) as p
    cross join lateral (select now() - (${EVENTS}::int - g) * (interval '365 days' / ${EVENTS}::int) as at) as t
  `.execute(db);
  // Statistics for the planner, and the visibility map that lets stats skip the heap.
  await sql`vacuum (analyze) business_events`.execute(db);
  // The counts' backfill and compaction leave dead rows until a vacuum, as autovacuum soon does.
  await sql`vacuum (analyze) business_event_daily_counts`.execute(db);
  await sql`analyze projects`.execute(db);
  const { rows } = await sql<{ count: number; size: string }>`
    select count(*) as count, pg_size_pretty(pg_total_relation_size('business_events')) as size from business_events
  `.execute(db);
  console.log(
    `${rows[0]?.count} events in ${PROJECT_SHARES.length} projects (shares ${PROJECT_SHARES.join('/')} %) (${rows[0]?.size} with indexes), filled in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
  );
}

/** The position after following 1,000 cursors, found once with OFFSET, as a keyset cursor. */
async function deepCursor(db: Kysely<Database>, projectId?: string): Promise<ListEventsInput['cursor']> {
  const { rows } = await sql<{ sort_key: string; id: number }>`
    select to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as sort_key, id
    from business_events
    where ${projectId ? sql`project_id = ${projectId}` : sql`true`}
    order by occurred_at desc, id desc
    offset ${DEEP_OFFSET - 1} limit 1
  `.execute(db);
  const row = rows[0];
  if (!row) throw new Error(`fewer than ${DEEP_OFFSET} events to page through`);
  return [row.sort_key, row.id];
}

async function cases(db: Kysely<Database>): Promise<Case[]> {
  const projects = await db.selectFrom('projects').select('id').orderBy('name').execute();
  // The 10% project pages 1,000 pages deep; the 1% one shows a small project's first page.
  const project = projects[PROJECT_SHARES.indexOf(10)];
  const small = projects[PROJECT_SHARES.indexOf(1)];
  if (!project || !small) throw new Error('the projects were not created');
  // Inputs go through the endpoints' own schemas, as a query string's would.
  const list = (input: Record<string, unknown>, cursor?: ListEventsInput['cursor']) => {
    const parsed: ListEventsInput = { ...ZListEventsInput.parse({ limit: PAGE, ...input }), cursor };
    return () => listEventsQuery(db, parsed);
  };
  const statsOf = async (input: Record<string, unknown>) => resolveStatsRange(db, databaseClock, ZEventStatsInput.parse(input) as EventStatsInput);
  const week = await resolveStatsRange(db, databaseClock, {});
  const [deepAll, deepProject] = [await deepCursor(db), await deepCursor(db, project.id)];
  const statsCase = (name: string, input: Awaited<ReturnType<typeof statsOf>>, indexed = true): Case[] => {
    const from = statsFromCounts(input) ? 'daily counts' : 'events';
    const cases: Case[] = [{ name: `stats (${from}), ${name}`, kind: 'stats', indexed, query: () => eventStatsQuery(db, input) }];
    if (input.groupBy === 'day') {
      cases.push({ name: `stats byDay (${from}), ${name}`, kind: 'stats', indexed, query: () => explainable(db, eventsByDayQuery(db, input)) });
    }
    return cases;
  };
  return [
    { name: 'list, first page, all projects', kind: 'list-first', query: list({}) },
    { name: 'list, first page, projectId', kind: 'list-first', query: list({ projectId: project.id }) },
    { name: 'list, first page, projectId of a 1% project', kind: 'list-first', query: list({ projectId: small.id }) },
    { name: 'list, first page, eventType', kind: 'list-first', query: list({ eventType: 'payment_succeeded' }) },
    { name: 'list, first page, projectId + eventType', kind: 'list-first', query: list({ projectId: project.id, eventType: 'payment_succeeded' }) },
    {
      name: 'list, first page, projectId + 7 days',
      kind: 'list-first',
      query: list({ projectId: project.id, startDate: week.startDate, endDate: week.endDate }),
    },
    { name: 'list, page 1,001, all projects', kind: 'list-deep', comparedWith: 'list, first page, all projects', query: list({}, deepAll) },
    {
      name: 'list, page 1,001, projectId',
      kind: 'list-deep',
      comparedWith: 'list, first page, projectId',
      query: list({ projectId: project.id }, deepProject),
    },
    // SPEC §7.6's filters.
    { name: 'list, eventType prefix payment_*', kind: 'list-first', query: list({ eventType: 'payment_*' }) },
    { name: 'list, eventType refund_*,lead_created', kind: 'list-first', query: list({ eventType: 'refund_*,lead_created' }) },
    { name: 'list, projectId (1%) + eventType payment_*', kind: 'list-first', query: list({ projectId: small.id, eventType: 'payment_*' }) },
    { name: 'list, entityId', kind: 'list-first', query: list({ entityId: 'ord_4242' }) },
    { name: 'list, entityType + entityId', kind: 'list-first', query: list({ entityType: 'order', entityId: 'ord_4242' }) },
    { name: 'list, sessionId', kind: 'list-first', query: list({ sessionId: 'sess_4242' }) },
    { name: 'list, anonymousId', kind: 'list-first', query: list({ anonymousId: 'anon_4242' }) },
    { name: 'list, correlationId', kind: 'list-first', query: list({ correlationId: 'corr_4242' }) },
    { name: 'list, payload {"amount":4242}', kind: 'list-first', query: list({ payload: '{"amount":4242}' }) },
    {
      name: 'list, payload nested {"amount":4242,"customer":{"tier":"gold"}}',
      kind: 'list-first',
      query: list({ payload: '{"amount":4242,"customer":{"tier":"gold"}}' }),
    },
    { name: 'list, source (no index: the time index, filtered)', kind: 'list-first', indexed: false, query: list({ source: 'generator' }) },
    { name: 'list, actorId (no index)', kind: 'list-first', indexed: false, query: list({ actorId: 'user_4242' }) },
    ...statsCase(`7 days (${week.startDate}..${week.endDate}), all projects`, week),
    ...statsCase('7 days, projectId', await statsOf({ projectId: project.id })),
    ...statsCase('7 days, eventType payment_*', await statsOf({ eventType: 'payment_*' })),
    ...statsCase('366 days, all projects, groupBy=day', await statsOf({ startDate: daysAgo(365), endDate: daysAgo(0), groupBy: 'day' })),
    ...statsCase('7 days, sessionId', await statsOf({ sessionId: 'sess_4242' })),
    ...statsCase('7 days, correlationId, groupBy=day', await statsOf({ correlationId: 'corr_333000', groupBy: 'day' })),
    ...statsCase('7 days, payload {"amount":4242}', await statsOf({ payload: '{"amount":4242}' })),
  ];
}

/** `YYYY-MM-DD`, `days` before today in UTC. */
function daysAgo(days: number): string {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** A raw query (the byDay one) in the shape `explain` is called on. */
function explainable(db: Kysely<Database>, query: ReturnType<typeof eventsByDayQuery>) {
  return {
    async explain(format: ExplainFormat, options: Expression<unknown>): Promise<Record<string, unknown>[]> {
      const compiled = query.compile(db);
      const prefix = sql`explain (${options}, format ${sql.raw(format)}) `.compile(db);
      const { rows } = await db.executeQuery<Record<string, unknown>>({
        ...compiled,
        sql: `${prefix.sql}${compiled.sql}`,
        parameters: [...prefix.parameters, ...compiled.parameters],
      });
      return rows;
    },
  };
}

function walk(node: PlanNode, visit: (node: PlanNode) => void): void {
  visit(node);
  for (const child of node.Plans ?? []) walk(child, visit);
}

async function explainCase(entry: Case): Promise<Outcome> {
  await entry.query().explain('json', sql`analyze`); // warm the cache, so no case pays for the one before it
  const runs: Explained[] = [];
  for (let i = 0; i < RUNS; i++) {
    const [row] = await entry.query().explain('json', sql`analyze, buffers`);
    const [explained] = (row?.['QUERY PLAN'] ?? []) as Explained[];
    if (explained) runs.push(explained);
  }
  const textPlan = await entry.query().explain('text', sql`analyze, buffers`);
  const first = runs[0];
  if (!first) throw new Error(`no plan for ${entry.name}`);

  const scans: string[] = [];
  const problems: string[] = [];
  let buffers = 0;
  const fromCounts = entry.name.includes('(daily counts)');
  walk(first.Plan, (node) => {
    const relation = node['Relation Name'];
    if (relation !== 'business_events' && relation !== 'business_event_daily_counts') return;
    scans.push(`${node['Node Type']}${node['Index Name'] ? ` using ${node['Index Name']}` : ''} on ${relation}`);
    buffers += (node['Shared Hit Blocks'] ?? 0) + (node['Shared Read Blocks'] ?? 0);
    if (relation === 'business_event_daily_counts') return;
    if (fromCounts) problems.push('stats from the daily counts reads business_events');
    // Bitmap Heap Scans sit over a Bitmap Index Scan: both read through an index.
    const byIndex = node['Node Type'].startsWith('Index') || node['Node Type'].startsWith('Bitmap');
    if (!byIndex && entry.indexed !== false) problems.push(`reads business_events by ${node['Node Type']}`);
  });
  if (scans.length === 0) problems.push('neither business_events nor the daily counts are in the plan');
  if (fromCounts && !scans.some((scan) => scan.endsWith('business_event_daily_counts'))) problems.push('does not read the daily counts');

  const times = runs.map((run) => run['Execution Time']).sort((a, b) => a - b);
  const medianMs = times[Math.floor(times.length / 2)] ?? Number.NaN;
  console.log(`== ${entry.name}`);
  for (const line of textPlan) console.log(`   ${String(line['QUERY PLAN'])}`);
  console.log(`   -> ${scans.join(', ')}; median execution ${medianMs.toFixed(3)} ms over ${RUNS} runs; ${buffers} buffers\n`);
  return { name: entry.name, scans, medianMs, buffers, problems };
}

/** Prints the key figures and answers whether any check failed. */
function summarise(outcomes: Outcome[], entries: Case[]): boolean {
  const byName = new Map(outcomes.map((outcome) => [outcome.name, outcome]));
  for (const entry of entries) {
    const deep = byName.get(entry.name);
    const first = entry.comparedWith ? byName.get(entry.comparedWith) : undefined;
    if (!deep || !first) continue;
    if (deep.medianMs > first.medianMs * DEEP_PAGE_TOLERANCE + 1) {
      deep.problems.push(`costs ${deep.medianMs.toFixed(3)} ms against ${first.medianMs.toFixed(3)} ms for the first page`);
    }
  }
  console.log('Summary (median execution time, buffers touched in business_events):');
  for (const outcome of outcomes) {
    const verdict = outcome.problems.length === 0 ? 'ok' : `FAIL: ${outcome.problems.join('; ')}`;
    console.log(
      `  ${outcome.name.padEnd(72)} ${outcome.medianMs.toFixed(3).padStart(9)} ms ${String(outcome.buffers).padStart(6)} buf  ${outcome.scans.join(', ')}  ${verdict}`,
    );
  }
  return outcomes.some((outcome) => outcome.problems.length > 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
