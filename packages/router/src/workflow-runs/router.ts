import { readProcedure, router } from '../trpc.js';
import { listRuns } from './queries.js';
import { ZListRunsInput, ZListRunsOutput } from './schemas.js';

export const workflowRunsRouter = router({
  list: readProcedure
    .meta({ rest: { method: 'GET', path: '/v1/admin/inhouse/workflow-runs', summary: 'List workflow runs across projects' } })
    .input(ZListRunsInput)
    .output(ZListRunsOutput)
    .query(({ ctx, input }) => listRuns(ctx.db, input)),
});
