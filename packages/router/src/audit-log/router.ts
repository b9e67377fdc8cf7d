import { listExport } from '../exports.js';
import { readProcedure, router, trustedOutput } from '../trpc.js';
import { listAuditEntries } from './queries.js';
import { AUDIT_LIST, ZListAuditInput, ZListAuditOutput } from './schemas.js';

const AUDIT_PATH = '/v1/admin/inhouse/audit-log';

export const auditLogRouter = router({
  list: readProcedure
    .meta({
      rest: { method: 'GET', path: AUDIT_PATH, summary: 'List admin audit entries, newest first' },
      export: listExport({
        path: `${AUDIT_PATH}/export`,
        summary: 'Export every audit entry the filters select, newest first, as NDJSON or CSV',
        fileName: 'audit-log',
        rows: 'entries',
        list: AUDIT_LIST,
        page: (ctx, input) => listAuditEntries(ctx.db, input),
      }),
    })
    .input(ZListAuditInput)
    .output(trustedOutput(ZListAuditOutput))
    .query(({ ctx, input }) => listAuditEntries(ctx.db, input)),
});
