import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration must keep producing the same schema whatever the app code becomes.

/**
 * The indexes of the operator's tools (SPEC part two, §7.1–§7.4):
 * - runs of an action by status: the workflows page's tabs count them (index-only, one range per
 *   status) and the list pages "failed runs of this action" from it;
 * - the audit log by target type (`GET /audit-log?targetType=`) and by bulk operation: every row
 *   of a bulk retry or cancel, the summary included, carries `details.bulkOperationId`, so one
 *   expression index serves "everything this operation did", newest first. It is partial: only
 *   bulk rows have the key, and `expr = $1` implies `expr is not null`, so the planner can use it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create index workflow_runs_action_status_requested on workflow_runs (action_id, status, requested_at desc, id desc)`,
    sql`create index admin_audit_log_target_type_recent on admin_audit_log (target_type, created_at desc, id desc)`,
    sql`create index admin_audit_log_bulk_operation on admin_audit_log ((details ->> 'bulkOperationId'), created_at desc, id desc)
        where (details ->> 'bulkOperationId') is not null`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['admin_audit_log_bulk_operation', 'admin_audit_log_target_type_recent', 'workflow_runs_action_status_requested']) {
    await sql`drop index ${sql.id(name)}`.execute(db);
  }
}
