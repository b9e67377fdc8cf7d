import { readProcedure, router, trustedOutput, writeProcedure } from '../trpc.js';
import { listRuns, listStuckRuns } from './queries.js';
import { ZCancelRunOutput, ZListRunsInput, ZListRunsOutput, ZRetryRunOutput, ZRunWriteInput, ZStuckRunsInput, ZStuckRunsOutput } from './schemas.js';
import { cancelRun, retryRun } from './writes.js';

export const workflowRunsRouter = router({
  list: readProcedure
    .meta({ rest: { method: 'GET', path: '/v1/admin/inhouse/workflow-runs', summary: 'List workflow runs across projects' } })
    .input(ZListRunsInput)
    .output(trustedOutput(ZListRunsOutput))
    .query(({ ctx, input }) => listRuns(ctx.db, input)),

  stuck: readProcedure
    .meta({
      rest: { method: 'GET', path: '/v1/admin/inhouse/workflow-runs/stuck', summary: 'List stuck runs (running with an expired lease), oldest lease first' },
    })
    .input(ZStuckRunsInput)
    .output(trustedOutput(ZStuckRunsOutput))
    .query(({ ctx, input }) => listStuckRuns(ctx.db, input, ctx.clock)),

  retry: writeProcedure
    .meta({ rest: { method: 'POST', path: '/v1/admin/inhouse/workflow-runs/:id/retry', summary: 'Retry a failed or stuck run as a new queued run' } })
    .input(ZRunWriteInput)
    .output(ZRetryRunOutput)
    .mutation(({ ctx, input }) => retryRun(ctx, input)),

  cancel: writeProcedure
    .meta({ rest: { method: 'POST', path: '/v1/admin/inhouse/workflow-runs/:id/cancel', summary: 'Cancel a queued or running run' } })
    .input(ZRunWriteInput)
    .output(ZCancelRunOutput)
    .mutation(({ ctx, input }) => cancelRun(ctx, input)),
});
