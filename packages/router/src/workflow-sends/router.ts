import { readProcedure, router, trustedOutput } from '../trpc.js';
import { listSends } from './queries.js';
import { ZListSendsInput, ZListSendsOutput } from './schemas.js';

export const workflowSendsRouter = router({
  list: readProcedure
    .meta({ rest: { method: 'GET', path: '/v1/admin/inhouse/workflow-sends', summary: 'List email sends of workflow runs, newest first' } })
    .input(ZListSendsInput)
    .output(trustedOutput(ZListSendsOutput))
    .query(({ ctx, input }) => listSends(ctx.db, input)),
});
