import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration must keep producing the same schema whatever the app code becomes.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('projects')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('currency_code', 'text', (c) => c.notNull().defaultTo('USD'))
    .addColumn('timezone', 'text', (c) => c.notNull().defaultTo('UTC'))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('workflow_runs')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('project_id', 'uuid', (c) => c.notNull().references('projects.id'))
    .addColumn('action_id', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')`))
    .addColumn('idempotency_key', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('completed_at', 'timestamptz')
    .addColumn('lease_expires_at', 'timestamptz')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(3))
    .addColumn('params', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('result', 'jsonb')
    .addColumn('outcome', 'jsonb')
    .addColumn('error', 'jsonb')
    // Unique: a run is retried at most once, whatever the number of concurrent retry requests.
    .addColumn('retry_of', 'uuid', (c) => c.unique().references('workflow_runs.id'))
    .addUniqueConstraint('workflow_runs_project_idempotency_key', ['project_id', 'idempotency_key'])
    .execute();

  await db.schema
    .createTable('workflow_sends')
    .addColumn('id', 'uuid', (c) => c.primaryKey().defaultTo(sql`gen_random_uuid()`))
    .addColumn('project_id', 'uuid', (c) => c.notNull().references('projects.id'))
    .addColumn('run_id', 'uuid', (c) => c.notNull().references('workflow_runs.id'))
    .addColumn('action_id', 'text', (c) => c.notNull())
    .addColumn('recipient_email', 'text', (c) => c.notNull().check(sql`recipient_email = lower(recipient_email)`))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'sent', 'failed', 'suppressed')`))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('error', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('business_events')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('public_id', 'text', (c) => c.notNull().unique().defaultTo(sql`'evt_' || replace(gen_random_uuid()::text, '-', '')`))
    .addColumn('project_id', 'uuid', (c) => c.notNull().references('projects.id'))
    .addColumn('event_type', 'text', (c) => c.notNull())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull())
    .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('actor_type', 'text')
    .addColumn('actor_id', 'text')
    .addColumn('entity_type', 'text')
    .addColumn('entity_id', 'text')
    .addColumn('session_id', 'text')
    .addColumn('anonymous_id', 'text')
    .addColumn('correlation_id', 'text')
    .addColumn('payload', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .execute();

  await db.schema
    .createTable('business_kpi_daily')
    .addColumn('project_id', 'uuid', (c) => c.notNull().references('projects.id'))
    .addColumn('date', 'date', (c) => c.notNull())
    .addColumn('revenue_cents', 'bigint', (c) => c.notNull())
    .addColumn('leads', 'integer', (c) => c.notNull())
    .addColumn('payments', 'integer', (c) => c.notNull())
    .addColumn('currency_code', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('business_kpi_daily_pkey', ['project_id', 'date'])
    .execute();

  await db.schema
    .createTable('admin_audit_log')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('admin_id', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('target_type', 'text', (c) => c.notNull())
    .addColumn('target_id', 'text')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('details', 'jsonb', (c) => c.notNull().defaultTo(sql`'{}'::jsonb`))
    .addColumn('request_id', 'text')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Every list pages by keyset on (sort key desc, id desc); each filter gets an index that
  // starts with the filtered column, so a filtered page reads only the rows it returns.
  const indexes = [
    sql`create index workflow_runs_requested on workflow_runs (requested_at desc, id desc)`,
    sql`create index workflow_runs_project_requested on workflow_runs (project_id, requested_at desc, id desc)`,
    sql`create index workflow_runs_status_requested on workflow_runs (status, requested_at desc, id desc)`,
    sql`create index workflow_runs_action_requested on workflow_runs (action_id, requested_at desc, id desc)`,
    // Only running runs can be stuck; the partial index stays small however many runs finished.
    sql`create index workflow_runs_running_lease on workflow_runs (lease_expires_at, id) where status = 'running'`,
    sql`create index workflow_runs_project_running_lease on workflow_runs (project_id, lease_expires_at, id) where status = 'running'`,
    sql`create index workflow_sends_recent on workflow_sends ((coalesce(sent_at, created_at)) desc, id desc)`,
    sql`create index workflow_sends_project_recent on workflow_sends (project_id, (coalesce(sent_at, created_at)) desc, id desc)`,
    sql`create index workflow_sends_email_recent on workflow_sends (recipient_email, (coalesce(sent_at, created_at)) desc, id desc)`,
    sql`create index workflow_sends_run on workflow_sends (run_id)`,
    sql`create index business_events_occurred on business_events (occurred_at desc, id desc)`,
    sql`create index business_events_project_occurred on business_events (project_id, occurred_at desc, id desc)`,
    sql`create index business_events_type_occurred on business_events (event_type, occurred_at desc, id desc)`,
    sql`create index business_events_project_received on business_events (project_id, received_at)`,
    sql`create index admin_audit_log_recent on admin_audit_log (created_at desc, id desc)`,
    sql`create index admin_audit_log_admin_recent on admin_audit_log (admin_id, created_at desc, id desc)`,
    sql`create index admin_audit_log_target_recent on admin_audit_log (target_id, created_at desc, id desc)`,
  ];
  for (const statement of indexes) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['admin_audit_log', 'business_kpi_daily', 'business_events', 'workflow_sends', 'workflow_runs', 'projects']) {
    await db.schema.dropTable(table).execute();
  }
}
