import type { Database, JsonValue } from '@runhub/db';
import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Actor } from './auth/actor.js';

/** Why an operator made a change, kept in the audit log: every write takes one (SPEC §3.2: 1–1000 characters after trimming). */
export const zReason = z.string().trim().min(1, 'reason must not be empty').max(1000);

export interface AuditEntry {
  action: string;
  targetType: string;
  /** Null only for an action on no single target (an all-projects rollup). */
  targetId: string | null;
  reason: string;
  details?: Record<string, JsonValue>;
}

/**
 * Writes the audit row for a change. Pass the change's own transaction: the row and the
 * change then commit together or not at all.
 */
export async function recordAudit(
  trx: Transaction<Database> | Kysely<Database>,
  who: { actor: Actor; requestId: string | null },
  entry: AuditEntry,
): Promise<number> {
  const row = await trx
    .insertInto('admin_audit_log')
    .values({
      admin_id: who.actor.adminId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      reason: entry.reason,
      details: JSON.stringify(entry.details ?? {}),
      request_id: who.requestId,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}
