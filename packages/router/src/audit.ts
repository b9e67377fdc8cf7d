import type { Database, JsonValue } from '@runhub/db';
import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { WriteContext } from './context.js';
import { shapedQuery } from './statement-cache.js';

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

/** At least one entry: a change that records nothing is not a change (see `unchanged`). */
export type AuditEntries = AuditEntry | readonly [AuditEntry, ...AuditEntry[]];

/** What a write's change answers: its result, with the audit entries that record it or the fact that nothing changed. */
export type Audited<T> = { result: T; audit: AuditEntries } | { result: T; audit: 'unchanged' };

/** A change happened: `result` for the caller, `audit` for the log. */
export function changed<T>(result: T, audit: AuditEntries): Audited<T> {
  return { result, audit };
}

/** Nothing changed (a repeated cancel), so nothing is audited. */
export function unchanged<T>(result: T): Audited<T> {
  return { result, audit: 'unchanged' };
}

/**
 * The only way a write reaches the database: opens the transaction, runs `change` in it, and
 * writes the audit rows it answers in that same transaction, so a change and its audit rows
 * commit together or not at all. A change cannot finish without saying what it audits: its
 * return type asks for the entries, or for `unchanged`.
 *
 * @example
 * return auditedWrite(ctx, async (trx) => {
 *   await trx.updateTable('workflow_runs').set({ status: 'cancelled' }).where('id', '=', id).execute();
 *   return changed({ status: 'cancelled' }, { action: 'workflow_run.cancel', targetType: 'workflow_run', targetId: id, reason });
 * });
 */
export async function auditedWrite<T>(ctx: WriteContext, change: (trx: Transaction<Database>) => Promise<Audited<T>>): Promise<T> {
  return ctx.db.transaction().execute(async (trx) => {
    const { result, audit } = await change(trx);
    if (audit !== 'unchanged') await insertAuditRows(trx, ctx, Array.isArray(audit) ? audit : [audit as AuditEntry]);
    return result;
  });
}

/** An audit row as inserted; every column named, so one entry always compiles to the same statement. */
interface AuditRow {
  admin_id: string;
  action: string;
  target_type: string;
  target_id: string | null;
  reason: string;
  details: string;
  request_id: string | null;
}

/** The audit rows' insert; compiled once for one row (a single write's). */
export const AUDIT_INSERT = shapedQuery({
  shapeOf: (rows: readonly AuditRow[]) => (rows.length === 1 ? 'one' : undefined),
  build: (db, rows: readonly AuditRow[]) => db.insertInto('admin_audit_log').values([...rows]),
  parametersOf: (rows: readonly AuditRow[]) =>
    rows.flatMap((row) => [row.admin_id, row.action, row.target_type, row.target_id, row.reason, row.details, row.request_id]),
});

async function insertAuditRows(trx: Transaction<Database>, ctx: WriteContext, entries: readonly AuditEntry[]): Promise<void> {
  await AUDIT_INSERT.execute(
    trx,
    entries.map((entry) => ({
      admin_id: ctx.actor.adminId,
      action: entry.action,
      target_type: entry.targetType,
      target_id: entry.targetId,
      reason: entry.reason,
      details: JSON.stringify(entry.details ?? {}),
      request_id: ctx.requestId ?? null,
    })),
  );
}
