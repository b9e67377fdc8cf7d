import type { Database, KpiRollupTrigger } from '@runhub/db';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Clock } from '../clock.js';
import { DEFAULT_ROLLUP_BATCH_SIZE, type LocalDateRange, type RollupEngineOptions, type RollupProject, type RollupWork, rollupProjects } from './engine.js';
import { withRollupLock } from './lock.js';

/** A run that holds the rollup lock and has its `started_at`. */
export interface StartedRun {
  id: number;
  project_id: string | null;
  /** A rebuild's range (both set), or null for an incremental run. */
  start_date: string | null;
  end_date: string | null;
}

/** The columns a started run is read back with. */
const STARTED_RUN = ['id', 'project_id', 'start_date', 'end_date'] as const;

export type RollupMode = 'incremental' | 'rebuild';

export interface RunOutcome {
  runId: number;
  mode: RollupMode;
  status: 'succeeded' | 'failed';
  projectsChecked: number;
  projectsFailed: number;
  durationMs: number;
  error: string | null;
}

const MAX_MESSAGE = 2000;

/**
 * Executes a started run: every project it covers, in batches of one transaction each. A batch that
 * fails is retried project by project, so a project that fails is recorded in `kpi_rollup_errors`
 * and keeps its previous buckets and `lastRollupAt`; the others go on. Call only while holding the
 * rollup lock.
 */
export async function executeRun(db: Kysely<Database>, run: StartedRun, options: RollupEngineOptions): Promise<RunOutcome> {
  // The duration is measured here, after `started_at` was fixed, so `started_at + duration` never
  // passes the moment the lock is released: runs recorded one after another never appear to overlap.
  const startedMs = performance.now();
  const work: RollupWork = { id: run.id, range: rangeOf(run) };
  let checked = 0;
  let failed = 0;
  let error: string | null = null;
  try {
    const projects = await projectsOfRun(db, run);
    await db.updateTable('kpi_rollup_runs').set({ projects_affected: projects.length }).where('id', '=', run.id).execute();
    const batchSize = Math.max(1, options.batchSize ?? DEFAULT_ROLLUP_BATCH_SIZE);
    for (let start = 0; start < projects.length; start += batchSize) {
      if (options.shouldStop?.()) {
        error = `Stopped by a server shutdown after ${checked} of ${projects.length} projects`;
        break;
      }
      const batch = projects.slice(start, start + batchSize);
      checked += batch.length;
      failed += await rollupBatch(db, batch, work, options);
      // Progress for the history page, when more batches follow (the last is recorded with the outcome).
      if (start + batchSize < projects.length) {
        await db.updateTable('kpi_rollup_runs').set({ projects_checked: checked }).where('id', '=', run.id).execute();
      }
    }
    if (!error && failed > 0) error = `${failed} of ${projects.length} projects failed`;
  } catch (thrown) {
    error = messageOf(thrown);
    await recordRollupError(db, options.clock, { runId: run.id, projectId: null, message: error });
  }
  const durationMs = Math.round(performance.now() - startedMs);
  const status = error ? 'failed' : 'succeeded';
  await sql`
    update kpi_rollup_runs
    set status = ${status}, duration_ms = ${durationMs}, finished_at = started_at + make_interval(secs => ${durationMs / 1000}),
        projects_failed = ${failed}, projects_checked = ${checked}, error = ${error}
    where id = ${run.id}`.execute(db);
  return { runId: run.id, mode: work.range ? 'rebuild' : 'incremental', status, projectsChecked: checked, projectsFailed: failed, durationMs, error };
}

function rangeOf(run: StartedRun): LocalDateRange | null {
  return run.start_date && run.end_date ? { startDate: run.start_date, endDate: run.end_date } : null;
}

/**
 * One transaction for the whole batch; when it fails (one project's unknown time zone fails the
 * statement for all), each project again in its own, so only the failing ones keep their previous
 * values. Answers how many failed.
 */
async function rollupBatch(db: Kysely<Database>, batch: RollupProject[], run: RollupWork, options: RollupEngineOptions): Promise<number> {
  if (batch.length > 1) {
    try {
      await rollupProjects(db, batch, run, options);
      return 0;
    } catch {
      // The error is recorded against the project that fails on its own below.
    }
  }
  let failed = 0;
  for (const project of batch) {
    try {
      await rollupProjects(db, [project], run, options);
    } catch (thrown) {
      failed++;
      await recordRollupError(db, options.clock, { runId: run.id, projectId: project.id, message: messageOf(thrown) });
    }
  }
  return failed;
}

/** The projects a run covers: one, or all that existed when it started. */
function projectsOfRun(db: Kysely<Database>, run: StartedRun): Promise<RollupProject[]> {
  let query = db
    .selectFrom('projects as p')
    .select(['p.id', 'p.timezone', 'p.currency_code'])
    .where(sql<boolean>`p.created_at <= (select started_at from kpi_rollup_runs where id = ${run.id})`);
  if (run.project_id) query = query.where('p.id', '=', run.project_id);
  return query.orderBy('p.id').execute();
}

export async function recordRollupError(
  db: Kysely<Database>,
  clock: Clock,
  error: { runId: number | null; projectId: string | null; message: string; occurredAt?: Date },
): Promise<void> {
  await db
    .insertInto('kpi_rollup_errors')
    .values({
      occurred_at: error.occurredAt ?? clock.now(),
      run_id: error.runId,
      project_id: error.projectId,
      message: error.message.slice(0, MAX_MESSAGE),
    })
    .execute();
}

function messageOf(thrown: unknown): string {
  return thrown instanceof Error ? thrown.message : String(thrown);
}

export interface QueuedRun {
  projectId: string | null;
  adminId: string;
  reason: string;
  projectsAffected: number;
  /** A rebuild of these local dates; null for an incremental run. */
  range: LocalDateRange | null;
}

/**
 * Queues a manual run, in the caller's transaction (the trigger's, with its audit row): whoever
 * holds the rollup lock next executes it. Answers its id.
 */
export async function queueRun(trx: Transaction<Database>, clock: Clock, run: QueuedRun): Promise<number> {
  const row = await trx
    .insertInto('kpi_rollup_runs')
    .values({
      trigger: 'manual',
      admin_id: run.adminId,
      reason: run.reason,
      project_id: run.projectId,
      status: 'queued',
      queued_at: clock.now(),
      projects_affected: run.projectsAffected,
      start_date: run.range?.startDate ?? null,
      end_date: run.range?.endDate ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** The oldest queued run, now started. Call only while holding the rollup lock. */
export async function claimNextQueuedRun(db: Kysely<Database>, clock: Clock): Promise<StartedRun | undefined> {
  return db
    .updateTable('kpi_rollup_runs')
    .set({ status: 'running', started_at: clock.now() })
    .where('id', '=', (eb) => eb.selectFrom('kpi_rollup_runs').select('id').where('status', '=', 'queued').orderBy('id').limit(1).forUpdate().skipLocked())
    .returning(STARTED_RUN)
    .executeTakeFirst();
}

/**
 * Starts the scheduled all-projects run when one is due: one interval after the last all-projects
 * run began (whoever triggered it), at once when there was none. Read from the database, so the
 * schedule survives restarts and is shared by every instance. Call only while holding the lock.
 */
export async function startScheduledRunIfDue(db: Kysely<Database>, clock: Clock, intervalMinutes: number): Promise<StartedRun | undefined> {
  const now = clock.now();
  const { rows } = await sql<StartedRun>`
    insert into kpi_rollup_runs (trigger, status, queued_at, started_at)
    select 'schedule', 'running', ${now}, ${now}
    where not exists (
      select 1 from kpi_rollup_runs
      where project_id is null and started_at > ${now} - make_interval(mins => ${intervalMinutes})
    )
    returning id, project_id, start_date, end_date`.execute(db);
  return rows[0];
}

/**
 * Milliseconds until the next scheduled run is due (0 when it already is), read from the database
 * clock, so an application server whose clock drifts still wakes at the right moment.
 */
export async function msUntilScheduledRun(db: Kysely<Database>, clock: Clock, intervalMinutes: number): Promise<number> {
  const now = clock.now();
  const { rows } = await sql<{ ms: number }>`
    select greatest(0, extract(epoch from (coalesce(max(started_at) + make_interval(mins => ${intervalMinutes}), ${now}) - ${now})) * 1000)::float8 as ms
    from kpi_rollup_runs
    where project_id is null and started_at is not null`.execute(db);
  return Math.ceil(rows[0]?.ms ?? 0);
}

/**
 * Runs left `running` by a process that died mid-run. Only called while holding the lock, so no
 * live run can be among them: the lock died with its holder's session.
 */
export async function failInterruptedRuns(db: Kysely<Database>, clock: Clock): Promise<number> {
  const now = clock.now();
  const { rows } = await sql<{ id: number }>`
    with interrupted as (
      update kpi_rollup_runs
      set status = 'failed', finished_at = greatest(started_at, ${now}),
          error = 'Interrupted: the server running it stopped before it finished'
      where status = 'running'
      returning id, finished_at
    )
    insert into kpi_rollup_errors (occurred_at, run_id, message)
    select finished_at, id, 'Rollup run ' || id || ' was interrupted: the server running it stopped before it finished'
    from interrupted
    returning run_id as id`.execute(db);
  return rows.length;
}

export interface RollupNowOptions extends RollupEngineOptions {
  /** Default: all projects. */
  projectId?: string | null;
  trigger?: KpiRollupTrigger;
  adminId?: string | null;
  reason?: string | null;
  /** A rebuild of these local dates; default: an incremental run. */
  range?: LocalDateRange | null;
}

/**
 * Runs one rollup now, in the caller's process, and waits for it: for scripts, the demo seed and
 * tests. Answers null when another instance holds the lock (nothing is recorded then).
 *
 * @example
 * const outcome = await runRollupNow(db, { clock: databaseClock });
 */
export async function runRollupNow(db: Kysely<Database>, options: RollupNowOptions): Promise<RunOutcome | null> {
  const outcome = await withRollupLock(db, async () => {
    await failInterruptedRuns(db, options.clock);
    const now = options.clock.now();
    const run = await db
      .insertInto('kpi_rollup_runs')
      .values({
        trigger: options.trigger ?? 'manual',
        admin_id: options.adminId ?? null,
        reason: options.reason ?? null,
        project_id: options.projectId ?? null,
        status: 'running',
        queued_at: now,
        started_at: now,
        start_date: options.range?.startDate ?? null,
        end_date: options.range?.endDate ?? null,
      })
      .returning(STARTED_RUN)
      .executeTakeFirstOrThrow();
    return executeRun(db, run, options);
  });
  return outcome.acquired ? outcome.value : null;
}
