import { type Database, WORKFLOW_RUN_STATUSES } from '@runhub/db';
import { TRPCError } from '@trpc/server';
import { type Kysely, sql } from 'kysely';
import { selectAuditEntries, toAuditEntry } from '../audit-log/queries.js';
import type { Clock } from '../clock.js';
import { isoTimestamp, toIso } from '../pagination.js';
import { shapedQuery } from '../statement-cache.js';
import {
  type ListRunsInput,
  type ListRunsOutput,
  RUNS_LIST,
  type RunChainLink,
  type RunCountsInput,
  type RunCountsOutput,
  type RunDetail,
  type RunFilter,
  type StuckRunsInput,
  type StuckRunsOutput,
  type WorkflowRunDto,
} from './schemas.js';
import { pushRunFilterParameters, runFilterShape, runsMatching } from './selection.js';

/**
 * The run columns every run answer shows, joined with the project's name, timestamps already as
 * wire text (`isoTimestamp`). Explicit: nothing else leaks.
 */
function selectRuns(db: Kysely<Database>, filter: RunFilter, clock: Clock) {
  return runsMatching(db, filter, clock)
    .innerJoin('projects as p', 'p.id', 'r.project_id')
    .select([
      'r.id',
      'r.project_id',
      'p.name as project_name',
      'r.action_id',
      'r.status',
      'r.idempotency_key',
      isoTimestamp('r.requested_at').as('requested_at'),
      isoTimestamp<string | null>('r.started_at').as('started_at'),
      isoTimestamp<string | null>('r.completed_at').as('completed_at'),
      isoTimestamp<string | null>('r.lease_expires_at').as('lease_expires_at'),
      'r.attempts',
      'r.max_attempts',
      'r.params',
      'r.result',
      'r.outcome',
      'r.error',
      'r.retry_of',
    ]);
}

type RunRow = Awaited<ReturnType<ReturnType<typeof selectRuns>['execute']>>[number];

export function toRunDto(row: RunRow): WorkflowRunDto {
  return {
    id: row.id,
    projectId: row.project_id,
    projectName: row.project_name,
    actionId: row.action_id,
    status: row.status,
    idempotencyKey: row.idempotency_key,
    requestedAt: row.requested_at,
    startedAt: row.started_at,
    completedAt: row.completed_at,
    leaseExpiresAt: row.lease_expires_at,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    params: row.params,
    result: row.result,
    outcome: row.outcome,
    error: row.error as WorkflowRunDto['error'],
    retryOf: row.retry_of,
  };
}

/**
 * Runs, newest `requested_at` first, keyset-paged on `(requested_at, id)`: each filter has an index
 * that starts with it, so any page reads only its own rows.
 */
export async function listRuns(db: Kysely<Database>, input: ListRunsInput, clock: Clock): Promise<ListRunsOutput> {
  const rows = await RUNS_PAGE.execute(db, { input, clock });
  const { page, nextCursor } = RUNS_LIST.toPage(rows, input.limit);
  return { runs: page.map(toRunDto), nextCursor };
}

/** The page query of `listRuns`, unexecuted, so its plan can be checked. */
export function runsPageQuery(db: Kysely<Database>, input: ListRunsInput, clock: Clock) {
  return RUNS_LIST.paginate(selectRuns(db, input, clock), input);
}

/** A statement's input and the clock that decides which leases have expired. */
interface ClockedInput<I> {
  input: I;
  clock: Clock;
}

/**
 * The runs page, compiled once per shape (which filters are set, the clock's kind, whether there is
 * a cursor); `statement-cache.test.ts` checks it against a fresh compile for every shape.
 */
export const RUNS_PAGE = shapedQuery({
  shapeOf: ({ input, clock }: ClockedInput<ListRunsInput>) => `${runFilterShape(input, clock)}${input.cursor ? 'C' : ''}`,
  build: (db, { input, clock }: ClockedInput<ListRunsInput>) => runsPageQuery(db, input, clock),
  parametersOf: ({ input, clock }: ClockedInput<ListRunsInput>) => {
    const parameters: unknown[] = [];
    pushRunFilterParameters(parameters, input, clock);
    if (input.cursor) parameters.push(input.cursor[0], input.cursor[1]);
    parameters.push(input.limit + 1);
    return parameters;
  },
});

/**
 * Stuck runs (running, lease expired), oldest lease first: the partial indexes on running runs
 * keep this cheap however many runs have finished.
 */
export async function listStuckRuns(db: Kysely<Database>, input: StuckRunsInput, clock: Clock): Promise<StuckRunsOutput> {
  const rows = await STUCK_RUNS.execute(db, { input, clock });
  return {
    runs: rows.map((row) => ({
      id: row.id,
      projectId: row.project_id,
      projectName: row.project_name,
      actionId: row.action_id,
      requestedAt: row.requested_at,
      leaseExpiresAt: row.lease_expires_at,
      attempts: row.attempts,
    })),
  };
}

/** The query of `listStuckRuns`, unexecuted, so its plan can be checked. */
export function stuckRunsQuery(db: Kysely<Database>, input: StuckRunsInput, clock: Clock) {
  return (
    runsMatching(db, { projectId: input.projectId, stuck: true }, clock)
      .innerJoin('projects as p', 'p.id', 'r.project_id')
      // Timestamps as wire text (`isoTimestamp`); the stuck condition rules out a null lease.
      .select([
        'r.id',
        'r.project_id',
        'p.name as project_name',
        'r.action_id',
        isoTimestamp('r.requested_at').as('requested_at'),
        isoTimestamp<string>('r.lease_expires_at').as('lease_expires_at'),
        'r.attempts',
      ])
      .orderBy('r.lease_expires_at', 'asc')
      .orderBy('r.id', 'asc')
      .limit(input.limit)
  );
}

/** The stuck runs, compiled once per shape (with or without a project, the clock's kind). */
export const STUCK_RUNS = shapedQuery({
  shapeOf: ({ input, clock }: ClockedInput<StuckRunsInput>) => `${input.projectId ? 'P' : '-'}${clock.kind}`,
  build: (db, { input, clock }: ClockedInput<StuckRunsInput>) => stuckRunsQuery(db, input, clock),
  parametersOf: ({ input, clock }: ClockedInput<StuckRunsInput>) => {
    const parameters: unknown[] = [];
    pushRunFilterParameters(parameters, { projectId: input.projectId, stuck: true }, clock);
    parameters.push(input.limit);
    return parameters;
  },
});

/**
 * The workflows page's tabs in one statement, so every count comes from one snapshot: one count
 * per status, each a range of an index that starts with the filter's equality columns and the
 * status, then `requested_at` (index-only where the visibility map allows), and the stuck runs
 * from the partial running-lease index.
 */
export function runCountsQuery(db: Kysely<Database>, input: RunCountsInput, clock: Clock) {
  const count = (extra: RunFilter) => runsMatching(db, { ...input, ...extra }, clock).select((eb) => eb.fn.countAll<number>().as('n'));
  return db.selectNoFrom([...WORKFLOW_RUN_STATUSES.map((status) => count({ status }).as(status)), count({ stuck: true }).as('stuck')]);
}

export async function countRuns(db: Kysely<Database>, input: RunCountsInput, clock: Clock): Promise<RunCountsOutput> {
  const row = await runCountsQuery(db, input, clock).executeTakeFirstOrThrow();
  const byStatus = { queued: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 };
  for (const status of WORKFLOW_RUN_STATUSES) byStatus[status] = Number(row[status] ?? 0);
  return { byStatus, stuck: Number(row.stuck ?? 0), total: Object.values(byStatus).reduce((total, n) => total + n, 0) };
}

type ChainRow = {
  id: string;
  status: RunChainLink['status'];
  requested_at: Date;
  completed_at: Date | null;
  retry_of: string | null;
  error: RunChainLink['error'];
};

/**
 * The run's retry chain in one recursive statement: up through `retry_of` (the primary key) to
 * the root, then down from the root through the unique `retry_of` index, each run once. The CYCLE
 * clauses end the walk if rows edited by hand ever formed a loop, which the API itself cannot make.
 */
export function runChainQuery(runId: string) {
  return sql<ChainRow>`
    with recursive ancestors as (
      select r.id, r.retry_of, 0 as depth from workflow_runs r where r.id = ${runId}
      union all
      select r.id, r.retry_of, a.depth + 1 from workflow_runs r join ancestors a on r.id = a.retry_of
    ) cycle id set looped using visited,
    chain as (
      select r.id, r.status, r.requested_at, r.completed_at, r.retry_of, r.error, 0 as position
      from workflow_runs r
      where r.id = (select a.id from ancestors a where not a.looped order by a.depth desc limit 1)
      union all
      select r.id, r.status, r.requested_at, r.completed_at, r.retry_of, r.error, c.position + 1
      from workflow_runs r join chain c on r.retry_of = c.id
    ) cycle id set looped using visited
    select id, status, requested_at, completed_at, retry_of, error from chain where not looped order by position`;
}

/** The run's sends counted by status, from the `run_id` index. */
export function runSendsQuery(db: Kysely<Database>, runId: string) {
  return db
    .selectFrom('workflow_sends')
    .select((eb) => ['status', eb.fn.countAll<number>().as('count')])
    .where('run_id', '=', runId)
    .groupBy('status');
}

export const RUN_AUDIT_LIMIT = 50;

/** The audit entries whose target is the run, newest first, from the target index. */
export function runAuditQuery(db: Kysely<Database>, runId: string) {
  return selectAuditEntries(db)
    .where('a.target_type', '=', 'workflow_run')
    .where('a.target_id', '=', runId)
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(RUN_AUDIT_LIMIT);
}

/**
 * One run with what an operator needs to decide (SPEC §7.3), read in one repeatable-read
 * transaction, so the run, its chain, its sends and its audit trail agree with each other even
 * while a retry or cancel commits.
 */
export async function getRunDetail(db: Kysely<Database>, runId: string, clock: Clock): Promise<RunDetail> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .setAccessMode('read only')
    .execute(async (trx) => {
      const run = await selectRuns(trx, {}, clock).where('r.id', '=', runId).executeTakeFirst();
      if (!run) throw new TRPCError({ code: 'NOT_FOUND', message: `No workflow run ${runId}` });
      const { rows: chain } = await runChainQuery(runId).execute(trx);
      const sends = await runSendsQuery(trx, runId).execute();
      const audit = await runAuditQuery(trx, runId).execute();

      const byStatus = { queued: 0, sent: 0, failed: 0, suppressed: 0 };
      for (const { status, count } of sends) byStatus[status] = count;
      return {
        run: toRunDto(run),
        chain: chain.map((link) => ({
          id: link.id,
          status: link.status,
          requestedAt: link.requested_at.toISOString(),
          completedAt: toIso(link.completed_at),
          retryOf: link.retry_of,
          error: link.error,
        })),
        sends: { total: sends.reduce((total, row) => total + row.count, 0), byStatus },
        audit: audit.map(toAuditEntry),
      };
    });
}
