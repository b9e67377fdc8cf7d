import { listExport } from '../exports.js';
import { readProcedure, router, trustedOutput, writeProcedure } from '../trpc.js';
import { bulkCancelRuns, bulkRetryRuns } from './bulk.js';
import { countRuns, getRunDetail, listRuns, listStuckRuns } from './queries.js';
import {
  RUNS_LIST,
  ZBulkRunsInput,
  ZBulkRunsOutput,
  ZCancelRunOutput,
  ZGetRunInput,
  ZListRunsInput,
  ZListRunsOutput,
  ZRetryRunOutput,
  ZRunCountsInput,
  ZRunCountsOutput,
  ZRunDetail,
  ZRunWriteInput,
  ZStuckRunsInput,
  ZStuckRunsOutput,
} from './schemas.js';
import { cancelRun, retryRun } from './writes.js';

const RUNS_PATH = '/v1/admin/inhouse/workflow-runs';

export const workflowRunsRouter = router({
  list: readProcedure
    .meta({
      rest: { method: 'GET', path: RUNS_PATH, summary: 'List workflow runs across projects' },
      export: listExport({
        path: `${RUNS_PATH}/export`,
        summary: 'Export every workflow run the filters select, newest first, as NDJSON or CSV',
        fileName: 'workflow-runs',
        rows: 'runs',
        list: RUNS_LIST,
        page: (ctx, input) => listRuns(ctx.db, input, ctx.clock),
      }),
    })
    .input(ZListRunsInput)
    .output(trustedOutput(ZListRunsOutput))
    .query(({ ctx, input }) => listRuns(ctx.db, input, ctx.clock)),

  stuck: readProcedure
    .meta({
      rest: { method: 'GET', path: `${RUNS_PATH}/stuck`, summary: 'List stuck runs (running with an expired lease), oldest lease first' },
    })
    .input(ZStuckRunsInput)
    .output(trustedOutput(ZStuckRunsOutput))
    .query(({ ctx, input }) => listStuckRuns(ctx.db, input, ctx.clock)),

  counts: readProcedure
    .meta({ rest: { method: 'GET', path: `${RUNS_PATH}/counts`, summary: 'Count workflow runs by status, and the stuck ones, exactly' } })
    .input(ZRunCountsInput)
    .output(trustedOutput(ZRunCountsOutput))
    .query(({ ctx, input }) => countRuns(ctx.db, input, ctx.clock)),

  get: readProcedure
    .meta({ rest: { method: 'GET', path: `${RUNS_PATH}/:id`, summary: 'Get one run with its retry chain, its sends by status and its audit trail' } })
    .input(ZGetRunInput)
    .output(trustedOutput(ZRunDetail))
    .query(({ ctx, input }) => getRunDetail(ctx.db, input.id, ctx.clock)),

  retry: writeProcedure
    .meta({ rest: { method: 'POST', path: `${RUNS_PATH}/:id/retry`, summary: 'Retry a failed or stuck run as a new queued run' } })
    .input(ZRunWriteInput)
    .output(ZRetryRunOutput)
    .mutation(({ ctx, input }) => retryRun(ctx, input)),

  cancel: writeProcedure
    .meta({ rest: { method: 'POST', path: `${RUNS_PATH}/:id/cancel`, summary: 'Cancel a queued or running run' } })
    .input(ZRunWriteInput)
    .output(ZCancelRunOutput)
    .mutation(({ ctx, input }) => cancelRun(ctx, input)),

  bulkRetry: writeProcedure
    .meta({
      rest: {
        method: 'POST',
        path: `${RUNS_PATH}/bulk-retry`,
        summary: 'Retry many failed or stuck runs (by ids or by filter) in one transaction, or preview it',
      },
    })
    .input(ZBulkRunsInput)
    .output(ZBulkRunsOutput)
    .mutation(({ ctx, input }) => bulkRetryRuns(ctx, input)),

  bulkCancel: writeProcedure
    .meta({
      rest: {
        method: 'POST',
        path: `${RUNS_PATH}/bulk-cancel`,
        summary: 'Cancel many queued or running runs (by ids or by filter) in one transaction, or preview it',
      },
    })
    .input(ZBulkRunsInput)
    .output(ZBulkRunsOutput)
    .mutation(({ ctx, input }) => bulkCancelRuns(ctx, input)),
});
