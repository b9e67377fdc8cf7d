import { type RawBuilder, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPageQuery } from '../audit-log/queries.js';
import { ZListAuditInput } from '../audit-log/schemas.js';
import { databaseClock } from '../clock.js';
import { encodeCursor } from '../pagination.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { sendsPageQuery } from '../workflow-sends/queries.js';
import { ZListSendsInput } from '../workflow-sends/schemas.js';
import { runAuditQuery, runChainQuery, runCountsQuery, runSendsQuery, runsPageQuery, stuckRunsQuery } from './queries.js';
import { ZListRunsInput, ZRunCountsInput, ZStuckRunsInput } from './schemas.js';

/**
 * The runs queries on 200,000 runs must be index scans: a sequential scan of `workflow_runs`
 * would make every page, count or detail cost the whole table. The plans come from the very
 * builders the procedures execute, with their inputs parsed by the procedures' own schemas.
 */
const RUNS = 200_000;
const SENDS = 30_000;
const PROJECTS = 100;
const BULK_OPERATIONS = 10;

let testDb: TestDatabase;
let projectId: string;
let deepRun: { sort_key: string; id: string };
let deepSend: { sort_key: string; id: string };

beforeAll(async () => {
  testDb = await createTestDatabase();
  const { db } = testDb;
  await sql`insert into projects (name) select 'Plan project ' || g from generate_series(1, ${PROJECTS}::int) as g`.execute(db);
  // 1% stuck, 1% running on a live lease, 10% failed, 3% queued, the rest succeeded; newest first by g.
  // Rows carry params, result and outcome shaped like the seed's, so the heap is as wide as a real
  // one and the planner weighs an index-only count against a table of realistic size.
  await sql`
    insert into workflow_runs (project_id, action_id, status, idempotency_key, requested_at, started_at, lease_expires_at, attempts, error, params, result, outcome)
    select p.ids[1 + g % ${PROJECTS}::int],
           (array['recover_abandoned', 'send_promo', 'winback_lapsed', 'post_purchase_review', 'lead_nurture'])[1 + (g / 7) % 5],
           case when g % 100 in (0, 1) then 'running' when g % 100 between 2 and 11 then 'failed'
                when g % 100 between 12 and 14 then 'queued' else 'succeeded' end,
           'plan-' || g,
           now() - g * interval '30 seconds',
           now() - g * interval '30 seconds' + interval '5 seconds',
           case when g % 100 = 0 then now() - g * interval '30 seconds' + interval '30 minutes'
                when g % 100 = 1 then now() + interval '20 minutes' end,
           1,
           case when g % 100 between 2 and 11 then '{"code":"PROVIDER_TIMEOUT","message":"timeout"}'::jsonb end,
           '{"locale":"en","segment":"lapsed-30-days","windowHours":48,"campaignId":"cmp_2026_spring"}'::jsonb,
           case when g % 100 >= 15 then '{"totalRecipients":25,"successful":24,"failed":1}'::jsonb end,
           case when g % 100 >= 15 then '{"model":"email_exact","windowHours":48,"conversions":3,"revenueCents":15000,"currency":"USD","confidence":"high","matchedBy":"email_exact"}'::jsonb end
    from generate_series(1, ${RUNS}::int) as g,
         (select array_agg(id order by name) as ids from projects) as p`.execute(db);
  await sql`
    insert into workflow_sends (project_id, run_id, action_id, recipient_email, status, sent_at, created_at)
    select r.project_id, r.id, r.action_id, 'user' || (r.n % 5000) || '@example.com',
           case when r.n % 10 = 0 then 'failed' else 'sent' end,
           case when r.n % 10 = 0 then null else r.requested_at + interval '10 seconds' end,
           r.requested_at
    from (select id, project_id, action_id, requested_at, row_number() over (order by id) as n
          from workflow_runs where status = 'succeeded' limit ${SENDS}::int) as r`.execute(db);
  await sql`
    insert into admin_audit_log (admin_id, action, target_type, target_id, reason, created_at)
    select 'ops-' || (g % 20), case when g % 2 = 0 then 'workflow_run.retry' else 'workflow_run.cancel' end,
           'workflow_run', r.id::text, 'plan', now() - g * interval '1 minute'
    from generate_series(1, 5000) as g
    join lateral (select id from workflow_runs where idempotency_key = 'plan-' || g) as r on true`.execute(db);
  // Retry chains: one failed run in ten has a retry, and one of those retries a retry of its own.
  for (const generation of [1, 2]) {
    await sql`
      insert into workflow_runs (project_id, action_id, status, idempotency_key, requested_at, retry_of)
      select o.project_id, o.action_id, case when ${generation}::int = 1 then 'failed' else 'queued' end,
             o.idempotency_key || ':retry:' || o.id, o.requested_at + interval '1 minute', o.id
      from workflow_runs o
      where o.status = 'failed' and not exists (select 1 from workflow_runs c where c.retry_of = o.id)
        and (o.retry_of is null) = (${generation}::int = 1)
        and abs(hashtext(o.id::text)) % 10 = 0`.execute(db);
  }
  // Bulk operations: a summary and 50 run rows each, every one naming the operation.
  await sql`
    insert into admin_audit_log (admin_id, action, target_type, target_id, reason, details, created_at)
    select 'ops-bulk', case when n = 0 then 'workflow_run.bulk_cancel' else 'workflow_run.cancel' end,
           case when n = 0 then 'bulk_operation' else 'workflow_run' end,
           case when n = 0 then op::text else gen_random_uuid()::text end, 'plan',
           jsonb_build_object('bulkOperationId', op::text), now() - b * interval '1 hour'
    from generate_series(1, ${BULK_OPERATIONS}::int) as b
    cross join lateral (select md5('bulk operation ' || b)::uuid as op) as o
    cross join generate_series(0, 50) as n`.execute(db);
  // VACUUM as autovacuum would: the counts are index-only scans where the visibility map allows.
  await sql`vacuum analyze`.execute(db);

  const project = await db.selectFrom('projects').select('id').orderBy('name').executeTakeFirstOrThrow();
  projectId = project.id;
  deepRun = await db
    .selectFrom('workflow_runs')
    .select([sql<string>`requested_at::text`.as('sort_key'), 'id'])
    .orderBy('requested_at', 'desc')
    .orderBy('id', 'desc')
    .offset(RUNS - 100)
    .limit(1)
    .executeTakeFirstOrThrow();
  deepSend = await db
    .selectFrom('workflow_sends')
    .select([sql<string>`coalesce(sent_at, created_at)::text`.as('sort_key'), 'id'])
    .orderBy(sql`coalesce(sent_at, created_at)`, 'desc')
    .orderBy('id', 'desc')
    .offset(SENDS - 100)
    .limit(1)
    .executeTakeFirstOrThrow();
}, 240_000);
afterAll(() => testDb.destroy());

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Plans?: PlanNode[];
}

/** Any of the page builders: Kysely's `explain('json')` runs `explain (format json)` with the bound parameters. */
interface Explainable {
  explain(format: 'json'): Promise<Array<Record<string, unknown>>>;
}

async function planOf(query: Explainable | RawBuilder<unknown>): Promise<PlanNode> {
  const [row] = 'explain' in query ? await query.explain('json') : (await sql<Record<string, unknown>>`explain (format json) ${query}`.execute(testDb.db)).rows;
  const raw = row?.['QUERY PLAN'];
  const parsed = (typeof raw === 'string' ? JSON.parse(raw) : raw) as Array<{ Plan: PlanNode }>;
  const plan = parsed[0]?.Plan;
  if (!plan) throw new Error('EXPLAIN answered no plan');
  return plan;
}

function nodesOf(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
}

function describePlan(plan: PlanNode): string {
  return nodesOf(plan)
    .map((n) => [n['Node Type'], n['Relation Name'], n['Index Name'] && `(${n['Index Name']})`].filter(Boolean).join(' '))
    .join(' > ');
}

/** A Bitmap Heap Scan reads only the rows its Bitmap Index Scans found. */
const INDEXED_READS = new Set(['Index Scan', 'Index Only Scan', 'Bitmap Heap Scan']);

function expectIndexed(name: string, plan: PlanNode, table: string): void {
  const nodes = nodesOf(plan);
  console.log(`${name}: ${describePlan(plan)}`);
  expect(
    nodes.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === table),
    `${name} scans ${table} sequentially`,
  ).toEqual([]);
  const indexed = nodes.some((n) => n['Relation Name'] === table && INDEXED_READS.has(n['Node Type']));
  expect(indexed, `${name} reads ${table} by an index`).toBe(true);
}

/** The index that reads `table` takes one of `columns` as an Index Cond: a range of the index, not a filter of every row. */
function expectBoundBy(name: string, plan: PlanNode, table: string, columns: readonly string[]): void {
  const conditions = nodesOf(plan)
    .filter((n) => n['Relation Name'] === table || n['Node Type'] === 'Bitmap Index Scan')
    .map((n) => n['Index Cond'] ?? '');
  expect(
    conditions.some((condition) => columns.some((column) => condition.includes(column))),
    `${name} bounds the index by ${columns.join(' or ')}`,
  ).toBe(true);
}

describe(`query plans on ${RUNS.toLocaleString('en')} runs`, () => {
  it('workflow run lists use an index: by project, project and status, status, action, unfiltered, and deep pages', async () => {
    const { db } = testDb;
    const cases: Array<[string, Record<string, unknown>]> = [
      ['runs by project', { projectId }],
      ['runs by project and status', { projectId, status: 'failed' }],
      ['runs by status', { status: 'queued' }],
      ['runs by action', { actionId: 'send_promo' }],
      ['runs unfiltered', {}],
      ['runs deep page', { cursor: encodeCursor('workflow-runs', [deepRun.sort_key, deepRun.id]) }],
      ['runs by project, deep page', { projectId, cursor: encodeCursor('workflow-runs', [deepRun.sort_key, deepRun.id]) }],
    ];
    for (const [name, input] of cases) expectIndexed(name, await planOf(runsPageQuery(db, ZListRunsInput.parse(input), databaseClock)), 'workflow_runs');
  });

  it('every combination of the list filters with requestedFrom, requestedTo and stuck reads an index, the time range as its bound', async () => {
    const { db } = testDb;
    const now = Date.now();
    const bases: Array<[string, Record<string, unknown>]> = [
      ['unfiltered', {}],
      ['project', { projectId }],
      ['status', { status: 'failed' }],
      ['action', { actionId: 'send_promo' }],
      ['project and status', { projectId, status: 'running' }],
      ['action and status', { actionId: 'send_promo', status: 'failed' }],
    ];
    const ranges: Array<[string, Record<string, unknown>]> = [
      ['', {}],
      [', from', { requestedFrom: new Date(now - 3 * 86_400_000).toISOString() }],
      [', to', { requestedTo: new Date(now - 30 * 86_400_000).toISOString() }],
      [', a day', { requestedFrom: new Date(now - 20 * 86_400_000).toISOString(), requestedTo: new Date(now - 19 * 86_400_000).toISOString() }],
    ];
    const stuckness: Array<[string, Record<string, unknown>]> = [
      ['', {}],
      [', stuck', { stuck: true }],
      [', not stuck', { stuck: false }],
    ];
    for (const [baseName, base] of bases) {
      for (const [rangeName, range] of ranges) {
        for (const [stuckName, stuck] of stuckness) {
          const name = `runs ${baseName}${rangeName}${stuckName}`;
          const plan = await planOf(runsPageQuery(db, ZListRunsInput.parse({ ...base, ...range, ...stuck }), databaseClock));
          if (stuck.stuck && base.status && base.status !== 'running') {
            // Stuck runs are running: the planner sees the contradiction and reads nothing at all.
            expect(
              nodesOf(plan).filter((n) => n['Relation Name'] === 'workflow_runs'),
              `${name} reads nothing`,
            ).toEqual([]);
            continue;
          }
          expectIndexed(name, plan, 'workflow_runs');
          // The range bounds the index read, unless the stuck runs' own (smaller) lease range does.
          if (Object.keys(range).length > 0) expectBoundBy(name, plan, 'workflow_runs', stuck.stuck ? ['requested_at', 'lease_expires_at'] : ['requested_at']);
        }
      }
    }
  });

  it('the counts read an index for every filter: each status, and the stuck runs', async () => {
    const { db } = testDb;
    const day = { requestedFrom: new Date(Date.now() - 20 * 86_400_000).toISOString(), requestedTo: new Date(Date.now() - 19 * 86_400_000).toISOString() };
    const cases: Array<[string, Record<string, unknown>]> = [
      ['counts unfiltered', {}],
      ['counts by project', { projectId }],
      ['counts by action', { actionId: 'send_promo' }],
      ['counts by project and action', { projectId, actionId: 'send_promo' }],
      ['counts over a day', day],
      ['counts by project over a day', { projectId, ...day }],
      ['counts by action over a day', { actionId: 'send_promo', ...day }],
    ];
    for (const [name, input] of cases) expectIndexed(name, await planOf(runCountsQuery(db, ZRunCountsInput.parse(input), databaseClock)), 'workflow_runs');
  });

  it("a run's detail reads indexes only: its retry chain (one recursive statement), its sends and its audit trail", async () => {
    const { db } = testDb;
    const chained = await db
      .selectFrom('workflow_runs as r')
      .select('r.id')
      .where('r.retry_of', 'is not', null)
      .where('r.status', '=', 'queued')
      .executeTakeFirstOrThrow();
    expect((await runChainQuery(chained.id).execute(db)).rows).toHaveLength(3);
    expectIndexed('run chain', await planOf(runChainQuery(chained.id)), 'workflow_runs');
    const sent = await db.selectFrom('workflow_sends').select('run_id').executeTakeFirstOrThrow();
    expectIndexed('run sends', await planOf(runSendsQuery(db, sent.run_id)), 'workflow_sends');
    const audited = await db.selectFrom('admin_audit_log').select('target_id').where('target_type', '=', 'workflow_run').executeTakeFirstOrThrow();
    expectIndexed('run audit trail', await planOf(runAuditQuery(db, audited.target_id ?? '')), 'admin_audit_log');
  });

  it('the stuck list uses the partial index on running runs, with and without a project', async () => {
    const { db } = testDb;
    expectIndexed('stuck runs', await planOf(stuckRunsQuery(db, ZStuckRunsInput.parse({}), databaseClock)), 'workflow_runs');
    expectIndexed('stuck runs by project', await planOf(stuckRunsQuery(db, ZStuckRunsInput.parse({ projectId }), databaseClock)), 'workflow_runs');
    // The data really has stuck runs for the plan to find: 1% of 200,000, so a full page.
    expect(await stuckRunsQuery(db, ZStuckRunsInput.parse({ limit: 200 }), databaseClock).execute()).toHaveLength(200);
  });

  it('the sends list uses an index: by project, by email, unfiltered, and a deep page', async () => {
    const { db } = testDb;
    const cases: Array<[string, Record<string, unknown>]> = [
      ['sends by project', { projectId }],
      ['sends by email', { email: 'USER42@example.com' }],
      ['sends unfiltered', {}],
      ['sends deep page', { cursor: encodeCursor('workflow-sends', [deepSend.sort_key, deepSend.id]) }],
    ];
    for (const [name, input] of cases) expectIndexed(name, await planOf(sendsPageQuery(db, ZListSendsInput.parse(input))), 'workflow_sends');
  });

  it('the audit log uses an index by admin, target, target type and bulk operation', async () => {
    const { db } = testDb;
    const target = await db.selectFrom('admin_audit_log').select('target_id').limit(1).executeTakeFirstOrThrow();
    const operation = await db.selectFrom('admin_audit_log').select('target_id').where('target_type', '=', 'bulk_operation').executeTakeFirstOrThrow();
    expectIndexed('audit by admin', await planOf(auditPageQuery(db, ZListAuditInput.parse({ adminId: 'ops-3' }))), 'admin_audit_log');
    expectIndexed('audit by target', await planOf(auditPageQuery(db, ZListAuditInput.parse({ targetId: target.target_id }))), 'admin_audit_log');
    expectIndexed('audit by target type', await planOf(auditPageQuery(db, ZListAuditInput.parse({ targetType: 'bulk_operation' }))), 'admin_audit_log');
    const byOperation = ZListAuditInput.parse({ bulkOperationId: operation.target_id });
    expectIndexed('audit by bulk operation', await planOf(auditPageQuery(db, byOperation)), 'admin_audit_log');
    expect(await auditPageQuery(db, { ...byOperation, limit: 100 }).execute()).toHaveLength(51);
  });
});
