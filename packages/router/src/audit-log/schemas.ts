import { z } from 'zod';
import { keysetList, zIsoTimestamp, zLimit } from '../pagination.js';

/** Audit entries, newest first, then id. */
export const AUDIT_LIST = keysetList({ name: 'audit-log', time: 'a.created_at', id: 'a.id', idType: 'bigint' });

export const ZListAuditInput = z.object({
  adminId: z.string().min(1).max(256).optional(),
  action: z.string().min(1).max(200).optional(),
  targetType: z.string().min(1).max(100).optional(),
  targetId: z.string().min(1).max(200).optional(),
  /** The rows of one bulk retry or cancel: its summary and every change it made. Compared as the lower-case text it is stored as. */
  bulkOperationId: z
    .guid()
    .transform((id) => id.toLowerCase())
    .optional(),
  limit: zLimit,
  cursor: AUDIT_LIST.cursor.optional(),
});

export const ZAuditEntry = z.object({
  id: z.int(),
  adminId: z.string(),
  action: z.string(),
  targetType: z.string(),
  targetId: z.string().nullable(),
  reason: z.string(),
  details: z.json(),
  requestId: z.string().nullable(),
  createdAt: zIsoTimestamp,
});

export const ZListAuditOutput = z.object({
  entries: z.array(ZAuditEntry),
  nextCursor: z.string().nullable(),
});

export type ListAuditInput = z.output<typeof ZListAuditInput>;
export type ListAuditOutput = z.output<typeof ZListAuditOutput>;
export type AuditEntryDto = z.output<typeof ZAuditEntry>;
