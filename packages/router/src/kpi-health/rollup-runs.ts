import type { Database } from '@runhub/db';
import type { Kysely } from 'kysely';
import { toIso } from '../pagination.js';
import { type ListRollupRunsInput, ROLLUP_RUNS_LIST, type RollupRuns } from './schemas.js';

/**
 * The rollup's history (SPEC §8.3), newest request first, keyset-paged on
 * `kpi_rollup_runs_requested (queued_at desc, id desc)`: queued, running and finished runs of every
 * instance, each with its scope, range, timings, progress and who asked for it.
 */
export async function listRollupRuns(db: Kysely<Database>, input: ListRollupRunsInput): Promise<RollupRuns> {
  const query = db
    .selectFrom('kpi_rollup_runs as r')
    .leftJoin('projects as p', 'p.id', 'r.project_id')
    .select([
      'r.id',
      'r.trigger',
      'r.project_id',
      'p.name as project_name',
      'r.start_date',
      'r.end_date',
      'r.status',
      'r.queued_at',
      'r.started_at',
      'r.finished_at',
      'r.duration_ms',
      'r.projects_checked',
      'r.error',
      'r.admin_id',
      'r.reason',
    ]);
  const rows = await ROLLUP_RUNS_LIST.paginate(query, input).execute();
  const { page, nextCursor } = ROLLUP_RUNS_LIST.toPage(rows, input.limit);
  return {
    runs: page.map((r) => ({
      id: r.id,
      trigger: r.trigger,
      projectId: r.project_id,
      projectName: r.project_name,
      startDate: r.start_date,
      endDate: r.end_date,
      status: r.status,
      requestedAt: r.queued_at.toISOString(),
      startedAt: toIso(r.started_at),
      finishedAt: toIso(r.finished_at),
      durationMs: r.duration_ms,
      projectsChecked: r.projects_checked,
      error: r.error,
      requestedBy: r.admin_id,
      reason: r.reason,
    })),
    nextCursor,
  };
}
