import { readProcedure, router, trustedOutput } from '../trpc.js';
import { listAuditEntries } from './queries.js';
import { ZListAuditInput, ZListAuditOutput } from './schemas.js';

export const auditLogRouter = router({
  list: readProcedure
    .meta({ rest: { method: 'GET', path: '/v1/admin/inhouse/audit-log', summary: 'List admin audit entries, newest first' } })
    .input(ZListAuditInput)
    .output(trustedOutput(ZListAuditOutput))
    .query(({ ctx, input }) => listAuditEntries(ctx.db, input)),
});
