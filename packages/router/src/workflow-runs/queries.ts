import type { Database } from '@runhub/db';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { toIso } from '../pagination.js';
import { type ListRunsInput, type ListRunsOutput, RUNS_LIST, type StuckRunsInput, type StuckRunsOutput, type WorkflowRunDto } from './schemas.js';

/** The run columns every run answer shows, joined with the project's name. Explicit: nothing else leaks. */
function selectRuns(db: Kysely<Database>) {
  return db
    .selectFrom('workflow_runs as r')
    .innerJoin('projects as p', 'p.id', 'r.project_id')
    .select([
      'r.id',
      'r.project_id',
      'p.name as project_name',
      'r.action_id',
      'r.status',
      'r.idempotency_key',
      'r.requested_at',
      'r.started_at',
      'r.completed_at',
      'r.lease_expires_at',
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
    requestedAt: row.requested_at.toISOString(),
    startedAt: toIso(row.started_at),
    completedAt: toIso(row.completed_at),
    leaseExpiresAt: toIso(row.lease_expires_at),
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
export async function listRuns(db: Kysely<Database>, input: ListRunsInput): Promise<ListRunsOutput> {
  const rows = await runsPageQuery(db, input).execute();
  const { page, nextCursor } = RUNS_LIST.toPage(rows, input.limit);
  return { runs: page.map(toRunDto), nextCursor };
}

/** The page query of `listRuns`, unexecuted, so its plan can be checked. */
export function runsPageQuery(db: Kysely<Database>, input: ListRunsInput) {
  let query = selectRuns(db);
  if (input.projectId) query = query.where('r.project_id', '=', input.projectId);
  if (input.status) query = query.where('r.status', '=', input.status);
  if (input.actionId) query = query.where('r.action_id', '=', input.actionId);
  return RUNS_LIST.paginate(query, input);
}

/**
 * Stuck runs (running, lease expired), oldest lease first: the partial indexes on running runs
 * keep this cheap however many runs have finished.
 */
export async function listStuckRuns(db: Kysely<Database>, input: StuckRunsInput, clock: Clock): Promise<StuckRunsOutput> {
  const rows = await stuckRunsQuery(db, input, clock).execute();
  return {
    runs: rows.map((row) => ({
      id: row.id,
      projectId: row.project_id,
      projectName: row.project_name,
      actionId: row.action_id,
      requestedAt: row.requested_at.toISOString(),
      leaseExpiresAt: row.lease_expires_at.toISOString(),
      attempts: row.attempts,
    })),
  };
}

/** The query of `listStuckRuns`, unexecuted, so its plan can be checked. */
export function stuckRunsQuery(db: Kysely<Database>, input: StuckRunsInput, clock: Clock) {
  let query = db
    .selectFrom('workflow_runs as r')
    .innerJoin('projects as p', 'p.id', 'r.project_id')
    .select(['r.id', 'r.project_id', 'p.name as project_name', 'r.action_id', 'r.requested_at', 'r.lease_expires_at', 'r.attempts'])
    .where('r.status', '=', 'running')
    .where('r.lease_expires_at', '<', clock.now())
    // The comparison above rules out a null lease.
    .$narrowType<{ lease_expires_at: Date }>();
  if (input.projectId) query = query.where('r.project_id', '=', input.projectId);
  return query.orderBy('r.lease_expires_at', 'asc').orderBy('r.id', 'asc').limit(input.limit);
}
