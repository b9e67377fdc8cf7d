import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditPageQuery } from '../audit-log/queries.js';
import { ZListAuditInput } from '../audit-log/schemas.js';
import { databaseClock } from '../clock.js';
import { encodeCursor } from '../pagination.js';
import { createTestDatabase, type TestDatabase } from '../testing/index.js';
import { sendsPageQuery } from '../workflow-sends/queries.js';
import { ZListSendsInput } from '../workflow-sends/schemas.js';
import { runsPageQuery, stuckRunsQuery } from './queries.js';
import { ZListRunsInput, ZStuckRunsInput } from './schemas.js';

/**
 * The list and stuck queries on 100,000 runs must be index scans: a sequential scan of
 * `workflow_runs` would make every page cost the whole table. The plans come from the very
 * builders the procedures execute, with their inputs parsed by the procedures' own schemas.
 */
const RUNS = 100_000;
const SENDS = 30_000;
const PROJECTS = 100;

let testDb: TestDatabase;
let projectId: string;
let deepRun: { sort_key: string; id: string };
let deepSend: { sort_key: string; id: string };

beforeAll(async () => {
  testDb = await createTestDatabase();
  const { db } = testDb;
  await sql`insert into projects (name) select 'Plan project ' || g from generate_series(1, ${PROJECTS}::int) as g`.execute(db);
  // 1% stuck, 1% running on a live lease, 10% failed, 3% queued, the rest succeeded; newest first by g.
  await sql`
    insert into workflow_runs (project_id, action_id, status, idempotency_key, requested_at, started_at, lease_expires_at, attempts, error)
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
           case when g % 100 between 2 and 11 then '{"code":"PROVIDER_TIMEOUT","message":"timeout"}'::jsonb end
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
  await sql`analyze`.execute(db);

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
}, 120_000);
afterAll(() => testDb.destroy());

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

/** Any of the page builders: Kysely's `explain('json')` runs `explain (format json)` with the bound parameters. */
interface Explainable {
  explain(format: 'json'): Promise<Array<Record<string, unknown>>>;
}

async function planOf(query: Explainable): Promise<PlanNode> {
  const [row] = await query.explain('json');
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
    for (const [name, input] of cases) expectIndexed(name, await planOf(runsPageQuery(db, ZListRunsInput.parse(input))), 'workflow_runs');
  });

  it('the stuck list uses the partial index on running runs, with and without a project', async () => {
    const { db } = testDb;
    expectIndexed('stuck runs', await planOf(stuckRunsQuery(db, ZStuckRunsInput.parse({}), databaseClock)), 'workflow_runs');
    expectIndexed('stuck runs by project', await planOf(stuckRunsQuery(db, ZStuckRunsInput.parse({ projectId }), databaseClock)), 'workflow_runs');
    // The data really has stuck runs for the plan to find: 1% of 100,000, so a full page.
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

  it('the audit log uses an index by admin and by target', async () => {
    const { db } = testDb;
    const target = await db.selectFrom('admin_audit_log').select('target_id').limit(1).executeTakeFirstOrThrow();
    expectIndexed('audit by admin', await planOf(auditPageQuery(db, ZListAuditInput.parse({ adminId: 'ops-3' }))), 'admin_audit_log');
    expectIndexed('audit by target', await planOf(auditPageQuery(db, ZListAuditInput.parse({ targetId: target.target_id }))), 'admin_audit_log');
  });
});
