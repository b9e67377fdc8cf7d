import type { Database } from '@runhub/db';
import type { Kysely } from 'kysely';

/** A run's row as the database holds it now: what a write test compares before and after. */
export function readRun(db: Kysely<Database>, id: string) {
  return db.selectFrom('workflow_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

/** Every audit row about one target, oldest first. */
export function auditRowsFor(db: Kysely<Database>, targetId: string) {
  return db.selectFrom('admin_audit_log').selectAll().where('target_id', '=', targetId).orderBy('id').execute();
}

/** A well-formed run id no test creates. */
export const UNKNOWN_RUN_ID = '00000000-0000-4000-8000-000000000000';

/** Inputs every single-run write (retry, cancel) answers 400 to, before looking the run up. */
export const INVALID_RUN_WRITES: [name: string, input: Record<string, unknown>][] = [
  ['a malformed id', { id: 'not-a-uuid', reason: 'x' }],
  ['a numeric id', { id: '123', reason: 'x' }],
  ['a missing reason', { id: UNKNOWN_RUN_ID }],
  ['an empty reason', { id: UNKNOWN_RUN_ID, reason: '' }],
  ['a blank reason', { id: UNKNOWN_RUN_ID, reason: ' \n\t ' }],
  ['a reason over 1000 characters', { id: UNKNOWN_RUN_ID, reason: 'x'.repeat(1001) }],
  ['a reason that is not a string', { id: UNKNOWN_RUN_ID, reason: 42 }],
];
