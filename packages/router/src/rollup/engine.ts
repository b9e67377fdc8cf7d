import type { Database } from '@runhub/db';
import { type Kysely, sql } from 'kysely';
import type { Clock } from '../clock.js';
import {
  advanceState,
  type LocalDateRange,
  type RollupProject,
  recomputeAllDays,
  recomputeDateRange,
  recomputeTouchedDays,
  type WatermarkedProject,
} from './statements.js';

export type { LocalDateRange, RollupProject } from './statements.js';

/** SPEC §3.3: how far behind its watermark each project's scan starts again. */
export const DEFAULT_OVERLAP_MS = 5 * 60_000;
/**
 * Bound on each rollup statement. The server's per-query bound (a few seconds, for requests) would
 * make a first full rebuild of a large project fail forever; this one is the rollup's own, still
 * finite so a stuck statement cannot hold the rollup lock for good.
 */
export const DEFAULT_ROLLUP_STATEMENT_TIMEOUT_MS = 10 * 60_000;
/** For the rollup's transactions only: one run at a time, on the rollup's own connection. */
const ROLLUP_WORK_MEM = '64MB';
/** The run a batch belongs to: its id, and its rebuild range (null for an incremental run). */
export interface RollupWork {
  id: number;
  range: LocalDateRange | null;
}

/** Projects rolled up together in one transaction; a run is asked to stop between batches. */
export const DEFAULT_ROLLUP_BATCH_SIZE = 100;

export interface RollupEngineOptions {
  clock: Clock;
  overlapMs?: number;
  statementTimeoutMs?: number;
  batchSize?: number;
  /** Asked between batches: true ends the run early (the server is shutting down). */
  shouldStop?: () => boolean;
}

/**
 * Brings the `business_kpi_daily` of a batch of projects up to date, in one transaction with their
 * state, so a failure anywhere leaves the previous buckets and watermarks untouched (no half-written
 * day). The same statements serve a batch of one, which is how a failed batch is retried project by
 * project.
 *
 * Incremental: only the project-local dates of events received since each project's watermark (less
 * the overlap) are recomputed, each from all of its events, so recomputing is idempotent. Projects
 * without a watermark are rebuilt in full. Events received after "now" wait for the next run, which
 * also makes a rollup at a past moment (a fixed clock) count exactly what had arrived by then.
 *
 * A rebuild (`range` set) does all of that, then recomputes every bucket of the range from all of
 * its events, so the projects end up as current as after an incremental run and their watermarks
 * move as usual: nothing received outside the range is ever skipped.
 */
export async function rollupProjects(db: Kysely<Database>, projects: readonly RollupProject[], run: RollupWork, options: RollupEngineOptions): Promise<void> {
  if (projects.length === 0) return;
  // One snapshot for the buckets and the watermarks: nothing can slip in between the two.
  await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const timeout = options.statementTimeoutMs ?? DEFAULT_ROLLUP_STATEMENT_TIMEOUT_MS;
      await sql`set local statement_timeout = ${sql.lit(Math.round(timeout))}`.execute(trx);
      // The planner cannot tell that (project, local date) groups are few (it counts one per event)
      // and, within the default 4 MB, sorts a full rebuild's events on disk instead of hashing them.
      await sql`set local work_mem = ${sql.lit(ROLLUP_WORK_MEM)}`.execute(trx);
      const now = options.clock.now();
      // As text, so microseconds survive.
      const states = await trx
        .selectFrom('kpi_rollup_state')
        .select(['project_id', sql<string | null>`watermark::text`.as('watermark')])
        .where(
          'project_id',
          'in',
          projects.map((p) => p.id),
        )
        .execute();
      const watermarks = new Map(states.map((s) => [s.project_id, s.watermark]));
      const rebuilt: RollupProject[] = [];
      const incremental: WatermarkedProject[] = [];
      for (const project of projects) {
        const watermark = watermarks.get(project.id);
        if (watermark) incremental.push({ ...project, watermark });
        else rebuilt.push(project);
      }
      if (rebuilt.length > 0) await recomputeAllDays(trx, rebuilt, now);
      if (incremental.length > 0) {
        // The planner guesses the touched dates high, and the cost guessed from that starts JIT
        // compiling (half a second at 1,000,000 events) a statement that then runs in milliseconds.
        // A full rebuild, above, keeps JIT: its one pass over every event gains from it.
        await sql`set local jit = off`.execute(trx);
        await recomputeTouchedDays(trx, incremental, now, options.overlapMs ?? DEFAULT_OVERLAP_MS);
      }
      if (run.range) {
        // Like a full rebuild, a long range gains from JIT; the planner's default decides again.
        if (incremental.length > 0) await sql`set local jit = default`.execute(trx);
        await recomputeDateRange(trx, projects, run.range, now);
      }
      await advanceState(trx, projects, run.id, now);
    });
}
