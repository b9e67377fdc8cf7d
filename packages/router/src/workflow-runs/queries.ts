import type { Database } from '@runhub/db';
import { type Kysely, sql } from 'kysely';
import { encodeCursor, toIso, toPage } from '../pagination.js';
import type { ListRunsInput, ListRunsOutput, WorkflowRunDto } from './schemas.js';

const RUNS_CURSOR = 'workflow-runs';

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
  let query = selectRuns(db).select(sql<string>`r.requested_at::text`.as('sort_key'));
  if (input.projectId) query = query.where('r.project_id', '=', input.projectId);
  if (input.status) query = query.where('r.status', '=', input.status);
  if (input.actionId) query = query.where('r.action_id', '=', input.actionId);
  if (input.cursor) {
    const [requestedAt, id] = input.cursor;
    query = query.where(sql<boolean>`(r.requested_at, r.id) < (${requestedAt}::timestamptz, ${id}::uuid)`);
  }
  const rows = await query
    .orderBy('r.requested_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(input.limit + 1)
    .execute();
  const { page, nextCursor } = toPage(rows, input.limit, (row) => encodeCursor(RUNS_CURSOR, [row.sort_key, row.id]));
  return { runs: page.map(toRunDto), nextCursor };
}
