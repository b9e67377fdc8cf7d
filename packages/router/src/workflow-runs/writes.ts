import type { Database } from '@runhub/db';
import { sql, type Transaction } from 'kysely';
import { auditedWrite, changed, unchanged } from '../audit.js';
import type { Clock } from '../clock.js';
import type { WriteContext } from '../context.js';
import { AppError } from '../errors.js';
import type { CancelRunOutput, RetryRunOutput, RunWriteInput } from './schemas.js';

/**
 * Retries a failed or stuck run (SPEC §3.2): a new queued run with the original's project, action,
 * params and max_attempts, `retry_of` pointing back; a stuck original is marked failed in the same
 * transaction, with the audit row.
 *
 * Concurrent retries queue on the original's row lock: the first creates the retry, every later
 * one then sees it and answers 409 naming it. The unique `retry_of` backs the lock up: an insert
 * that would make a second retry does nothing and answers the same 409.
 */
export async function retryRun(ctx: WriteContext, input: RunWriteInput): Promise<RetryRunOutput> {
  return auditedWrite(ctx, async (trx) => {
    const run = await lockRun(trx, input.id, ctx.clock);
    const existing = await findRetry(trx, run.id);
    if (existing) throw alreadyRetried(run.id, existing.id);
    if (run.status !== 'failed' && !run.stuck) {
      throw new AppError({
        code: 'CONFLICT',
        message: `Only failed or stuck runs can be retried; run ${run.id} is ${run.status}`,
        details: { status: run.status },
      });
    }

    // Copied in SQL, so params reach the new run exactly as stored (no JSON round trip through JS numbers).
    const created = await trx
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
            ctx.clock.now().as('requested_at'),
            sql<number>`0`.as('attempts'),
            'o.max_attempts',
            'o.params',
            'o.id as retry_of',
          ])
          .where('o.id', '=', run.id),
      )
      .onConflict((oc) => oc.doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!created) throw await insertConflict(trx, run.id);

    if (run.stuck) {
      await trx
        .updateTable('workflow_runs')
        .set({
          status: 'failed',
          completed_at: ctx.clock.now(),
          lease_expires_at: null,
          error: JSON.stringify({ code: 'LEASE_EXPIRED', message: `superseded by retry ${created.id}` }),
        })
        .where('id', '=', run.id)
        .execute();
    }
    return changed<RetryRunOutput>(
      { newRunId: created.id, status: 'queued' },
      {
        action: 'workflow_run.retry',
        targetType: 'workflow_run',
        targetId: run.id,
        reason: input.reason,
        details: { newRunId: created.id, previousStatus: run.status, wasStuck: run.stuck },
      },
    );
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
    if (run.status === 'cancelled') return unchanged<CancelRunOutput>({ status: 'cancelled' });
    if (run.status !== 'queued' && run.status !== 'running') {
      throw new AppError({
        code: 'CONFLICT',
        message: `Only queued or running runs can be cancelled; run ${run.id} is ${run.status}`,
        details: { status: run.status },
      });
    }
    await trx
      .updateTable('workflow_runs')
      .set({
        status: 'cancelled',
        completed_at: ctx.clock.now(),
        lease_expires_at: null,
        error: JSON.stringify({ code: 'CANCELLED', message: input.reason }),
      })
      .where('id', '=', run.id)
      .execute();
    return changed<CancelRunOutput>(
      { status: 'cancelled' },
      { action: 'workflow_run.cancel', targetType: 'workflow_run', targetId: run.id, reason: input.reason, details: { previousStatus: run.status } },
    );
  });
}

/** Locks the run for the rest of the transaction and tells whether it is stuck; 404 when there is none. */
async function lockRun(trx: Transaction<Database>, id: string, clock: Clock) {
  const run = await trx
    .selectFrom('workflow_runs')
    .select(['id', 'status'])
    .select(sql<boolean>`coalesce(status = 'running' and lease_expires_at < ${clock.now()}, false)`.as('stuck'))
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  if (!run) throw new AppError({ code: 'NOT_FOUND', message: `No workflow run ${id}` });
  return run;
}

function findRetry(trx: Transaction<Database>, runId: string) {
  return trx.selectFrom('workflow_runs').select('id').where('retry_of', '=', runId).executeTakeFirst();
}

function alreadyRetried(runId: string, retryRunId: string): AppError {
  return new AppError({
    code: 'CONFLICT',
    message: `Run ${runId} was already retried as ${retryRunId}`,
    details: { retryRunId },
  });
}

/** Why the retry's insert did nothing: a retry committed meanwhile, or its idempotency key is taken. */
async function insertConflict(trx: Transaction<Database>, runId: string): Promise<AppError> {
  const existing = await findRetry(trx, runId);
  if (existing) return alreadyRetried(runId, existing.id);
  return new AppError({
    code: 'CONFLICT',
    message: `Another run of this project already uses the retry's idempotency key; run ${runId} was not retried`,
  });
}
