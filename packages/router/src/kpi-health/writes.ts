import { TRPCError } from '@trpc/server';
import { auditedWrite, changed } from '../audit.js';
import type { WriteContext } from '../context.js';
import { queueRun } from '../rollup/runs.js';
import { averageRunDurationMs } from './queries.js';
import type { TriggerRollupInput, TriggerRollupOutput } from './schemas.js';

/**
 * Queues a manual rollup (SPEC §3.2), or a rebuild of a range of local dates (§8.2): the queued
 * run, range included, and its audit row commit together. The caller then wakes the rollup, which
 * executes it in the background behind any running one, on whichever instance holds the lock.
 */
export async function queueRollup(ctx: WriteContext, input: TriggerRollupInput): Promise<TriggerRollupOutput> {
  const projectId = input.projectId ?? null;
  const range = input.startDate && input.endDate ? { startDate: input.startDate, endDate: input.endDate } : null;
  const mode = range ? 'rebuild' : 'incremental';
  const projectsAffected = await auditedWrite(ctx, async (trx) => {
    let affected: number;
    if (projectId) {
      // Key-share lock: the project cannot be deleted between this check and the run that names it.
      const project = await trx.selectFrom('projects').select('id').where('id', '=', projectId).forKeyShare().executeTakeFirst();
      if (!project) throw new TRPCError({ code: 'NOT_FOUND', message: `No project ${projectId}` });
      affected = 1;
    } else {
      const all = await trx
        .selectFrom('projects')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      affected = all.n;
    }
    const rollupRunId = await queueRun(trx, ctx.clock, { projectId, adminId: ctx.actor.adminId, reason: input.reason, projectsAffected: affected, range });
    return changed(affected, {
      action: 'kpi.trigger_rollup',
      targetType: projectId ? 'project' : 'all_projects',
      targetId: projectId,
      reason: input.reason,
      details: { rollupRunId, projectsAffected: affected, mode, startDate: range?.startDate ?? null, endDate: range?.endDate ?? null },
    });
  });
  return { triggered: true, projectsAffected, estimatedDurationMs: await averageRunDurationMs(ctx.db), mode };
}
