import type { Database } from '@runhub/db';
import { type Kysely, sql } from 'kysely';
import { AUDIT_LIST, type AuditEntryDto, type ListAuditInput, type ListAuditOutput } from './schemas.js';

/** The audit columns every answer shows. */
export function selectAuditEntries(db: Kysely<Database>) {
  return db
    .selectFrom('admin_audit_log as a')
    .select(['a.id', 'a.admin_id', 'a.action', 'a.target_type', 'a.target_id', 'a.reason', 'a.details', 'a.request_id', 'a.created_at']);
}

type AuditRow = Awaited<ReturnType<ReturnType<typeof selectAuditEntries>['execute']>>[number];

export function toAuditEntry(row: AuditRow): AuditEntryDto {
  return {
    id: row.id,
    adminId: row.admin_id,
    action: row.action,
    targetType: row.target_type,
    targetId: row.target_id,
    reason: row.reason,
    details: row.details,
    requestId: row.request_id,
    createdAt: row.created_at.toISOString(),
  };
}

/** Audit entries, newest first, keyset-paged on `(created_at, id)`. */
export async function listAuditEntries(db: Kysely<Database>, input: ListAuditInput): Promise<ListAuditOutput> {
  const rows = await auditPageQuery(db, input).execute();
  const { page, nextCursor } = AUDIT_LIST.toPage(rows, input.limit);
  return { entries: page.map(toAuditEntry), nextCursor };
}

/**
 * The page query of `listAuditEntries`, unexecuted, so its plan can be checked. Every row of a bulk
 * operation, its summary included, carries `details.bulkOperationId`; the expression is written
 * exactly as its partial index has it.
 */
export function auditPageQuery(db: Kysely<Database>, input: ListAuditInput) {
  let query = selectAuditEntries(db);
  if (input.adminId) query = query.where('a.admin_id', '=', input.adminId);
  if (input.action) query = query.where('a.action', '=', input.action);
  if (input.targetType) query = query.where('a.target_type', '=', input.targetType);
  if (input.targetId) query = query.where('a.target_id', '=', input.targetId);
  if (input.bulkOperationId) query = query.where(sql<string>`a.details ->> 'bulkOperationId'`, '=', input.bulkOperationId);
  return AUDIT_LIST.paginate(query, input);
}
