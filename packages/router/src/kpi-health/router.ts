import { z } from 'zod';
import { readProcedure, router, trustedOutput, writeProcedure } from '../trpc.js';
import { getHealthSummary, getProjectKpis, getRollupJob, listProjectHealth } from './queries.js';
import { listRollupRuns } from './rollup-runs.js';
import {
  ZKpiHealthProjects,
  ZKpiHealthSummary,
  ZListRollupRunsInput,
  ZProjectKpis,
  ZProjectKpisInput,
  ZRollupJob,
  ZRollupRuns,
  ZTriggerRollupInput,
  ZTriggerRollupOutput,
} from './schemas.js';
import { queueRollup } from './writes.js';

const PREFIX = '/v1/admin/inhouse/kpi-health';
/** The reads take no input; an empty object keeps REST query strings and `/trpc` calls uniform. */
const ZNoInput = z.object({}).optional();

export const kpiHealthRouter = router({
  summary: readProcedure
    .meta({ rest: { method: 'GET', path: `${PREFIX}/summary`, summary: 'KPI freshness across projects and the rollup job at a glance' } })
    .input(ZNoInput)
    .output(trustedOutput(ZKpiHealthSummary))
    .query(({ ctx }) => getHealthSummary(ctx.db, ctx.clock, ctx.rollup.settings)),

  projects: readProcedure
    .meta({ rest: { method: 'GET', path: `${PREFIX}/projects`, summary: "Each project's KPI freshness and today's totals, in its own time zone" } })
    .input(ZNoInput)
    .output(trustedOutput(ZKpiHealthProjects))
    .query(({ ctx }) => listProjectHealth(ctx.db, ctx.clock, ctx.rollup.settings)),

  project: readProcedure
    .meta({
      rest: { method: 'GET', path: `${PREFIX}/projects/:projectId`, summary: "One project's freshness and its last days of KPIs, in its own time zone" },
    })
    .input(ZProjectKpisInput)
    .output(trustedOutput(ZProjectKpis))
    .query(({ ctx, input }) => getProjectKpis(ctx.db, ctx.clock, ctx.rollup.settings, input)),

  rollupRuns: readProcedure
    .meta({ rest: { method: 'GET', path: `${PREFIX}/rollup-runs`, summary: "The rollup's history, newest first: scope, range, status, timings, who asked" } })
    .input(ZListRollupRunsInput)
    .output(trustedOutput(ZRollupRuns))
    .query(({ ctx, input }) => listRollupRuns(ctx.db, input)),

  rollupJob: readProcedure
    .meta({ rest: { method: 'GET', path: `${PREFIX}/rollup-job`, summary: 'The rollup job: status, last and next run, recent errors' } })
    .input(ZNoInput)
    .output(trustedOutput(ZRollupJob))
    .query(({ ctx }) => getRollupJob(ctx.db, ctx.clock, ctx.rollup.settings)),

  triggerRollup: writeProcedure
    .meta({
      rest: {
        method: 'POST',
        path: `${PREFIX}/trigger-rollup`,
        summary: 'Queue a KPI rollup of one project or all, or a rebuild of a date range, run in the background',
      },
    })
    .input(ZTriggerRollupInput)
    .output(ZTriggerRollupOutput)
    .mutation(async ({ ctx, input }) => {
      const answer = await queueRollup(ctx, input);
      ctx.rollup.wake();
      return answer;
    }),
});
