import { TRPCError } from '@trpc/server';
import { recordAudit } from '../audit.js';
import type { WriteContext } from '../context.js';
import { averageRunDurationMs } from './queries.js';
import type { TriggerRollupInput, TriggerRollupOutput } from './schemas.js';

/**
 * Queues a manual rollup (SPEC §3.2): the queued run and its audit row commit together. The caller
 * then wakes the coordinator, which executes it in the background behind any running rollup.
 */
export async function queueRollup(ctx: WriteContext, input: TriggerRollupInput): Promise<TriggerRollupOutput> {
  const projectId = input.projectId ?? null;
  const projectsAffected = await ctx.db.transaction().execute(async (trx) => {
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
    const run = await trx
      .insertInto('kpi_rollup_runs')
      .values({
        trigger: 'manual',
        admin_id: ctx.actor.adminId,
        reason: input.reason,
        project_id: projectId,
        status: 'queued',
        queued_at: ctx.clock.now(),
        projects_affected: affected,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await recordAudit(trx, ctx, {
      action: 'kpi.trigger_rollup',
      targetType: projectId ? 'project' : 'all_projects',
      targetId: projectId,
      reason: input.reason,
      details: { rollupRunId: run.id, projectsAffected: affected },
    });
    return affected;
  });
  return { triggered: true, projectsAffected, estimatedDurationMs: await averageRunDurationMs(ctx.db) };
}
