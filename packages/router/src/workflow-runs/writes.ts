import type { Database, WorkflowRunStatus } from '@runhub/db';
import { sql, type Transaction } from 'kysely';
import { type AuditEntry, auditedWrite, changed, unchanged } from '../audit.js';
import type { Clock } from '../clock.js';
import type { WriteContext } from '../context.js';
import { AppError } from '../errors.js';
import { cursorTime } from '../pagination.js';
import { shapedQuery } from '../statement-cache.js';
import type { CancelRunOutput, RetryRunOutput, RunWriteInput } from './schemas.js';
import { isStuck, runsMatching } from './selection.js';

/**
 * A run as a retry or cancel decides on it. Read under the run's row lock (or, in a dry run,
 * without one); `retryId` comes from a statement issued after the lock was granted, so it sees a
 * retry committed by whoever held the lock before.
 */
export interface RunState {
  id: string;
  status: WorkflowRunStatus;
  stuck: boolean;
  /** `requested_at` as exact text (microseconds), the key bulk operations order and resume by. */
  requestedAt: string;
  retryId: string | null;
}

/** A run and the retry just created for it. */
export interface Retried {
  run: RunState;
  newRunId: string;
}

/** What keeps a run from being retried now (SPEC §3.2, §7.4); "already retried" is checked first. */
export function retryBlocker(run: RunState): 'already_retried' | 'not_eligible' | null {
  if (run.retryId) return 'already_retried';
  return run.status === 'failed' || run.stuck ? null : 'not_eligible';
}

/** What keeps a run from being cancelled now. */
export function cancelBlocker(run: RunState): 'already_cancelled' | 'not_eligible' | null {
  if (run.status === 'cancelled') return 'already_cancelled';
  return run.status === 'queued' || run.status === 'running' ? null : 'not_eligible';
}

/** The state columns of a selection of runs, for a lock or a plain read. */
export function selectRunStates(runs: ReturnType<typeof runsMatching>, clock: Clock) {
  return runs.select((eb) => [
    'r.id',
    'r.status',
    sql<boolean>`coalesce(${isStuck(eb, clock)}, false)`.as('stuck'),
    cursorTime(sql.ref('r.requested_at')).as('requestedAt'),
  ]);
}

/** The retries of a run: the statement of a single retry or cancel, compiled once. */
export const RETRIES_OF = shapedQuery({
  shapeOf: (runIds: readonly string[]) => (runIds.length === 1 ? 'one' : undefined),
  build: (db, runIds: readonly string[]) => db.selectFrom('workflow_runs').select(['id', 'retry_of']).where('retry_of', 'in', runIds),
  parametersOf: (runIds: readonly string[]) => runIds,
});

/** The retries of `runIds`, read in their own statement: after a lock wait, the locking statement's snapshot predates them. */
export async function withRetries(trx: Transaction<Database>, rows: readonly Omit<RunState, 'retryId'>[]): Promise<RunState[]> {
  if (rows.length === 0) return [];
  const retries = await RETRIES_OF.execute(
    trx,
    rows.map((row) => row.id),
  );
  const retryOf = new Map(retries.map((retry) => [retry.retry_of, retry.id]));
  return rows.map((row) => ({ ...row, retryId: retryOf.get(row.id) ?? null }));
}

interface RunStatesInput {
  ids: readonly string[];
  lock: boolean;
  clock: Clock;
}

/** The runs `ids` names as a write decides on them; compiled once for one run (a single retry or cancel) per kind of read and clock. */
export const RUN_STATES = shapedQuery({
  shapeOf: ({ ids, lock, clock }: RunStatesInput) => (ids.length === 1 ? `${lock ? 'lock' : 'read'}${clock.kind}` : undefined),
  build: (db, { ids, lock, clock }: RunStatesInput) => {
    const query = selectRunStates(runsMatching(db, {}, clock), clock)
      .where('r.id', 'in', ids)
      .orderBy('r.requested_at')
      .orderBy('r.id');
    return lock ? query.forUpdate() : query;
  },
  // The stuck flag's two values come first: it is in the select list.
  parametersOf: ({ ids, clock }: RunStatesInput) => ['running', ...clock.parameters(), ...ids],
});

/**
 * Reads the runs `ids` names, oldest `requested_at` first, then id. With `lock`, each is locked
 * for the rest of the transaction in that order, so two writers of overlapping sets queue instead
 * of deadlocking; ids that name no run are simply absent.
 */
export async function readRuns(trx: Transaction<Database>, ids: readonly string[], clock: Clock, options: { lock: boolean }): Promise<RunState[]> {
  if (ids.length === 0) return [];
  return withRetries(trx, await RUN_STATES.execute(trx, { ids, lock: options.lock, clock }));
}

interface CreateRetriesInput {
  ids: readonly string[];
  clock: Clock;
}

/** The retries of locked runs in one statement; compiled once for one run (a single retry) per kind of clock. */
export const CREATE_RETRIES = shapedQuery({
  shapeOf: ({ ids, clock }: CreateRetriesInput) => (ids.length === 1 ? `one${clock.kind}` : undefined),
  build: (db, { ids, clock }: CreateRetriesInput) =>
    // Copied in SQL, so params reach the new run exactly as stored (no JSON round trip through JS numbers).
    db
      .insertInto('workflow_runs')
      .columns(['project_id', 'action_id', 'status', 'idempotency_key', 'requested_at', 'attempts', 'max_attempts', 'params', 'retry_of'])
      .expression((eb) =>
        eb
          .selectFrom('workflow_runs as o')
          .select([
            'o.project_id',
            'o.action_id',
            sql<'queued'>`'queued'`.as('status'),
            // Unique per project: the original's id is in it, and a run has at most one retry.
            sql<string>`o.idempotency_key || ':retry:' || o.id::text`.as('idempotency_key'),
            clock.now().as('requested_at'),
            sql<number>`0`.as('attempts'),
            'o.max_attempts',
            'o.params',
            'o.id as retry_of',
          ])
          .where('o.id', 'in', ids),
      )
      .onConflict((oc) => oc.doNothing())
      .returning(['id', 'retry_of']),
  // The clock is in the select list, the ids in its where clause.
  parametersOf: ({ ids, clock }: CreateRetriesInput) => [...clock.parameters(), ...ids],
});

/**
 * Creates one retry per run (SPEC §3.2), in one statement: a queued run with the original's
 * project, action, params and max_attempts, `retry_of` pointing back; stuck originals are marked
 * failed, naming their retry. The runs must be locked and free to retry. Answers each run with
 * its new run's id, in the order of `runs`. If any insert is refused (its idempotency key is taken,
 * or a retry appeared), it throws a 409 naming that run, and the caller's transaction loses everything.
 */
export async function createRetries<T extends readonly RunState[]>(trx: Transaction<Database>, clock: Clock, runs: T): Promise<{ [K in keyof T]: Retried }> {
  const ids = runs.map((run) => run.id);
  if (ids.length === 0) return [] as unknown as { [K in keyof T]: Retried };
  const created = await CREATE_RETRIES.execute(trx, { ids, clock });
  const newRunIds = new Map(created.map((row) => [row.retry_of ?? '', row.id]));
  const refused = ids.find((id) => !newRunIds.has(id));
  if (refused) throw await insertConflict(trx, refused);

  const stuck = runs.filter((run) => run.stuck).map((run) => run.id);
  if (stuck.length > 0) {
    await trx
      .updateTable('workflow_runs as o')
      .from('workflow_runs as n')
      .set({
        status: 'failed',
        completed_at: clock.now(),
        lease_expires_at: null,
        error: sql`jsonb_build_object('code', 'LEASE_EXPIRED', 'message', 'superseded by retry ' || n.id::text)`,
      })
      .whereRef('n.retry_of', '=', 'o.id')
      .where('o.id', 'in', stuck)
      .execute();
  }
  return runs.map((run) => ({ run, newRunId: newRunIds.get(run.id) })) as { [K in keyof T]: Retried };
}

/** Cancels locked queued or running runs (SPEC §3.2): cancelled now, lease cleared, the reason as the error's message. */
export async function cancelRuns(trx: Transaction<Database>, clock: Clock, runIds: readonly string[], reason: string): Promise<void> {
  if (runIds.length === 0) return;
  await trx
    .updateTable('workflow_runs')
    .set({
      status: 'cancelled',
      completed_at: clock.now(),
      lease_expires_at: null,
      error: JSON.stringify({ code: 'CANCELLED', message: reason }),
    })
    .where('id', 'in', runIds)
    .execute();
}

/** The audit row of one retry; a bulk operation's rows also name it. */
export function retryAudit(run: RunState, newRunId: string, reason: string, bulkOperationId?: string): AuditEntry {
  return {
    action: 'workflow_run.retry',
    targetType: 'workflow_run',
    targetId: run.id,
    reason,
    details: { newRunId, previousStatus: run.status, wasStuck: run.stuck, ...(bulkOperationId ? { bulkOperationId } : {}) },
  };
}

/** The audit row of one cancel. */
export function cancelAudit(run: RunState, reason: string, bulkOperationId?: string): AuditEntry {
  return {
    action: 'workflow_run.cancel',
    targetType: 'workflow_run',
    targetId: run.id,
    reason,
    details: { previousStatus: run.status, ...(bulkOperationId ? { bulkOperationId } : {}) },
  };
}

/**
 * Retries a failed or stuck run (SPEC §3.2). Concurrent retries queue on the original's row lock:
 * the first creates the retry, every later one then sees it and answers 409 naming it. The unique
 * `retry_of` backs the lock up: an insert that would make a second retry does nothing and answers
 * the same 409.
 */
export async function retryRun(ctx: WriteContext, input: RunWriteInput): Promise<RetryRunOutput> {
  return auditedWrite(ctx, async (trx) => {
    const run = await lockRun(trx, input.id, ctx.clock);
    const blocker = retryBlocker(run);
    if (blocker === 'already_retried' && run.retryId) throw alreadyRetried(run.id, run.retryId);
    if (blocker) {
      throw new AppError({
        code: 'CONFLICT',
        message: `Only failed or stuck runs can be retried; run ${run.id} is ${run.status}`,
        details: { status: run.status },
      });
    }
    const [{ newRunId }] = await createRetries(trx, ctx.clock, [run] as const);
    return changed<RetryRunOutput>({ newRunId, status: 'queued' }, retryAudit(run, newRunId, input.reason));
  });
}

/**
 * Cancels a queued or running run (SPEC §3.2). Cancelling a cancelled run changes nothing and
 * writes no audit row. The row lock orders a cancel against a concurrent retry: whichever locks
 * second sees the other's outcome and answers 409.
 */
export async function cancelRun(ctx: WriteContext, input: RunWriteInput): Promise<CancelRunOutput> {
  return auditedWrite(ctx, async (trx) => {
    const run = await lockRun(trx, input.id, ctx.clock);
    const blocker = cancelBlocker(run);
    if (blocker === 'already_cancelled') return unchanged<CancelRunOutput>({ status: 'cancelled' });
    if (blocker) {
      throw new AppError({
        code: 'CONFLICT',
        message: `Only queued or running runs can be cancelled; run ${run.id} is ${run.status}`,
        details: { status: run.status },
      });
    }
    await cancelRuns(trx, ctx.clock, [run.id], input.reason);
    return changed<CancelRunOutput>({ status: 'cancelled' }, cancelAudit(run, input.reason));
  });
}

/** Locks one run for the rest of the transaction; 404 when there is none. */
async function lockRun(trx: Transaction<Database>, id: string, clock: Clock): Promise<RunState> {
  const [run] = await readRuns(trx, [id], clock, { lock: true });
  if (!run) throw new AppError({ code: 'NOT_FOUND', message: `No workflow run ${id}` });
  return run;
}

function alreadyRetried(runId: string, retryRunId: string): AppError {
  return new AppError({
    code: 'CONFLICT',
    message: `Run ${runId} was already retried as ${retryRunId}`,
    details: { retryRunId },
  });
}

/** Why a retry's insert did nothing: a retry committed meanwhile, or its idempotency key is taken. */
async function insertConflict(trx: Transaction<Database>, runId: string): Promise<AppError> {
  const existing = await trx.selectFrom('workflow_runs').select('id').where('retry_of', '=', runId).executeTakeFirst();
  if (existing) return alreadyRetried(runId, existing.id);
  return new AppError({
    code: 'CONFLICT',
    message: `Another run of this project already uses the retry's idempotency key; run ${runId} was not retried`,
    details: { runId },
  });
}
