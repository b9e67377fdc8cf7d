import { randomUUID } from 'node:crypto';
import type { Database, JsonValue } from '@runhub/db';
import { type Expression, type ExpressionBuilder, type SqlBool, sql, type Transaction } from 'kysely';
import { type AuditEntry, auditedWrite, changed, unchanged } from '../audit.js';
import type { Clock } from '../clock.js';
import type { WriteContext } from '../context.js';
import type { BulkRunsInput, BulkRunsOutput, BulkSkipReason, RunFilter } from './schemas.js';
import { isStuck, runsMatching } from './selection.js';
import {
  cancelAudit,
  cancelBlocker,
  cancelRuns,
  createRetries,
  type RunState,
  readRuns,
  retryAudit,
  retryBlocker,
  selectRunStates,
  withRetries,
} from './writes.js';

type RunsExpressions = ExpressionBuilder<Database & { r: Database['workflow_runs'] }, 'r'>;

/** What differs between a bulk retry and a bulk cancel; the change itself is the single write's own. */
interface BulkChange {
  action: 'workflow_run.bulk_retry' | 'workflow_run.bulk_cancel';
  blocker(run: RunState): BulkSkipReason | null;
  /** The runs the change may apply to now, in SQL: `blocker` returns null for exactly these. */
  eligible(eb: RunsExpressions, clock: Clock): Expression<SqlBool>;
  /** Applies the change to locked, eligible runs: the new run ids (retry) and one audit row per run. */
  apply(
    trx: Transaction<Database>,
    clock: Clock,
    runs: readonly RunState[],
    reason: string,
    bulkOperationId: string,
  ): Promise<{ newRunIds: string[]; audit: AuditEntry[] }>;
}

const RETRY: BulkChange = {
  action: 'workflow_run.bulk_retry',
  blocker: retryBlocker,
  eligible: (eb, clock) =>
    eb.and([
      eb.or([eb('r.status', '=', 'failed'), isStuck(eb, clock)]),
      eb.not(eb.exists(eb.selectFrom('workflow_runs as c').select('c.id').whereRef('c.retry_of', '=', 'r.id'))),
    ]),
  async apply(trx, clock, runs, reason, bulkOperationId) {
    const retried = await createRetries(trx, clock, runs);
    return {
      newRunIds: retried.map(({ newRunId }) => newRunId),
      audit: retried.map(({ run, newRunId }) => retryAudit(run, newRunId, reason, bulkOperationId)),
    };
  },
};

const CANCEL: BulkChange = {
  action: 'workflow_run.bulk_cancel',
  blocker: cancelBlocker,
  eligible: (eb) => eb('r.status', 'in', ['queued', 'running']),
  async apply(trx, clock, runs, reason, bulkOperationId) {
    await cancelRuns(
      trx,
      clock,
      runs.map((run) => run.id),
      reason,
    );
    return { newRunIds: [], audit: runs.map((run) => cancelAudit(run, reason, bulkOperationId)) };
  },
};

/** SPEC §7.4: retries the first `limit` failed or stuck runs without a retry among `ids` or `filter`, oldest first. */
export function bulkRetryRuns(ctx: WriteContext, input: BulkRunsInput): Promise<BulkRunsOutput> {
  return bulkChange(ctx, input, RETRY);
}

/** SPEC §7.4: cancels the first `limit` queued or running runs among `ids` or `filter`, oldest first. */
export function bulkCancelRuns(ctx: WriteContext, input: BulkRunsInput): Promise<BulkRunsOutput> {
  return bulkChange(ctx, input, CANCEL);
}

interface BulkPlan {
  matched: number;
  eligible: number;
  /** Oldest `requested_at` first, then id; locked unless this is a dry run. */
  chosen: RunState[];
  skipped: BulkRunsOutput['skipped'];
}

/**
 * One transaction: the chosen runs are locked, rechecked, changed and audited together (a row per
 * change, with `details.bulkOperationId`, and a summary row), or nothing is. A dry run takes no
 * lock and writes nothing; it chooses the runs the real call would.
 */
async function bulkChange(ctx: WriteContext, input: BulkRunsInput, change: BulkChange): Promise<BulkRunsOutput> {
  return auditedWrite(ctx, async (trx) => {
    const lock = !input.dryRun;
    const plan = input.ids
      ? await planByIds(trx, ctx.clock, input.ids, input.limit, change, lock)
      : await planByFilter(trx, ctx.clock, input.filter ?? {}, input.limit, change, lock);
    const runIds = plan.chosen.map((run) => run.id);
    const counts = { matched: plan.matched, eligible: plan.eligible, remaining: plan.eligible - runIds.length };
    if (input.dryRun) return unchanged<BulkRunsOutput>({ dryRun: true, bulkOperationId: null, ...counts, runIds, newRunIds: [], skipped: plan.skipped });

    const bulkOperationId = randomUUID();
    const { newRunIds, audit } = await change.apply(trx, ctx.clock, plan.chosen, input.reason, bulkOperationId);
    const summary: AuditEntry = {
      action: change.action,
      targetType: 'bulk_operation',
      targetId: bulkOperationId,
      reason: input.reason,
      details: {
        bulkOperationId,
        ...(input.ids ? { ids: input.ids } : { filter: definedFields(input.filter ?? {}) }),
        limit: input.limit,
        ...counts,
        changed: runIds.length,
        skipped: plan.skipped.length,
      },
    };
    return changed<BulkRunsOutput>({ dryRun: false, bulkOperationId, ...counts, runIds, newRunIds, skipped: plan.skipped }, [summary, ...audit]);
  });
}

/**
 * `ids` mode: every given run is read (and locked, in `requested_at, id` order, waiting for any
 * single write that holds one, so its outcome is seen), then classified; each id not changed is
 * reported with its reason, in the order given.
 */
async function planByIds(
  trx: Transaction<Database>,
  clock: Clock,
  ids: readonly string[],
  limit: number,
  change: BulkChange,
  lock: boolean,
): Promise<BulkPlan> {
  const runs = await readRuns(trx, ids, clock, { lock });
  const eligible = runs.filter((run) => change.blocker(run) === null);
  const chosen = eligible.slice(0, limit);
  const chosenIds = new Set(chosen.map((run) => run.id));
  const byId = new Map(runs.map((run) => [run.id, run]));
  const skipped = ids
    .filter((id) => !chosenIds.has(id))
    .map((id) => {
      const run = byId.get(id);
      return { id, reason: run ? (change.blocker(run) ?? 'over_limit') : 'not_found' };
    });
  return { matched: runs.length, eligible: eligible.length, chosen, skipped };
}

/**
 * `filter` mode: the first `limit` eligible runs, oldest first, locked in that order (so it never
 * deadlocks with another bulk operation or a single write: each locks upwards in `(requested_at, id)`).
 * A lock may wait for another writer of the run; the recheck then drops what that writer changed,
 * and the walk goes on past it, keyset by `(requested_at, id)`, until `limit` runs are held or none
 * is left. So two identical operations started together take, between them, every eligible run:
 * the second waits for the first, skips what it changed and takes the next ones. `skip locked`
 * would not wait, but would pass over a run that a single write holds only to fail with a 409.
 */
async function planByFilter(trx: Transaction<Database>, clock: Clock, filter: RunFilter, limit: number, change: BulkChange, lock: boolean): Promise<BulkPlan> {
  const chosen: RunState[] = [];
  let after: RunState | undefined;
  while (chosen.length < limit) {
    const wanted = limit - chosen.length;
    let query = selectRunStates(
      runsMatching(trx, filter, clock).where((eb) => change.eligible(eb, clock)),
      clock,
    );
    if (after) query = query.where(sql<boolean>`(r.requested_at, r.id) > (${after.requestedAt}::timestamptz, ${after.id}::uuid)`);
    query = query.orderBy('r.requested_at').orderBy('r.id').limit(wanted);
    const batch = await withRetries(trx, await (lock ? query.forUpdate() : query).execute());
    chosen.push(...batch.filter((run) => change.blocker(run) === null));
    after = batch.at(-1);
    if (batch.length < wanted) break;
  }
  const counts = await trx
    .selectNoFrom([
      runsMatching(trx, filter, clock)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .as('matched'),
      runsMatching(trx, filter, clock)
        .where((eb) => change.eligible(eb, clock))
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .as('eligible'),
    ])
    .executeTakeFirstOrThrow();
  return { matched: Number(counts.matched ?? 0), eligible: Number(counts.eligible ?? 0), chosen, skipped: [] };
}

/** The filter as given, for the audit row: JSON has no `undefined`. */
function definedFields(filter: RunFilter): Record<string, JsonValue> {
  return Object.fromEntries(Object.entries(filter).filter((entry): entry is [string, string | boolean] => entry[1] !== undefined));
}
