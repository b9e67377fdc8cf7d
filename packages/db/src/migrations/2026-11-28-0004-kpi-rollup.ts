import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration must keep producing the same schema whatever the app code becomes.

export async function up(db: Kysely<any>): Promise<void> {
  // One row per rollup run, from the moment it is queued: the queue itself lives here, so every
  // server instance sees the same queue and a trigger survives a restart of the one that took it.
  await db.schema
    .createTable('kpi_rollup_runs')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('trigger', 'text', (c) => c.notNull().check(sql`trigger in ('schedule', 'manual')`))
    .addColumn('admin_id', 'text')
    .addColumn('reason', 'text')
    // Null: all projects.
    .addColumn('project_id', 'uuid', (c) => c.references('projects.id').onDelete('cascade'))
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('queued', 'running', 'succeeded', 'failed')`))
    .addColumn('queued_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('started_at', 'timestamptz')
    .addColumn('finished_at', 'timestamptz')
    .addColumn('duration_ms', 'integer')
    .addColumn('projects_affected', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('projects_failed', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('error', 'text')
    .execute();

  // The per-project progress of the incremental rollup.
  await db.schema
    .createTable('kpi_rollup_state')
    .addColumn('project_id', 'uuid', (c) => c.primaryKey().references('projects.id').onDelete('cascade'))
    .addColumn('last_rollup_at', 'timestamptz', (c) => c.notNull())
    // The highest received_at the rollup has counted; null until the project's first event.
    .addColumn('watermark', 'timestamptz')
    .execute();

  await db.schema
    .createTable('kpi_rollup_errors')
    .addColumn('id', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
    .addColumn('occurred_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('run_id', 'bigint', (c) => c.references('kpi_rollup_runs.id').onDelete('cascade'))
    .addColumn('project_id', 'uuid', (c) => c.references('projects.id').onDelete('cascade'))
    .addColumn('message', 'text', (c) => c.notNull())
    .execute();

  const indexes = [
    // The queue and "is a rollup running": a partial index that stays as small as the queue.
    sql`create index kpi_rollup_runs_active on kpi_rollup_runs (status, id) where status in ('queued', 'running')`,
    // The schedule and lastGlobalRollupAt read the latest all-projects run.
    sql`create index kpi_rollup_runs_global_started on kpi_rollup_runs (started_at desc) where project_id is null`,
    sql`create index kpi_rollup_runs_finished on kpi_rollup_runs (finished_at desc, id desc) where finished_at is not null`,
    sql`create index kpi_rollup_runs_succeeded_started on kpi_rollup_runs (started_at desc, id desc) where status = 'succeeded'`,
    sql`create index kpi_rollup_errors_recent on kpi_rollup_errors (occurred_at desc, id desc)`,
  ];
  for (const statement of indexes) await statement.execute(db);

  // A project's local date, or null when its time zone is not one PostgreSQL knows: one project with
  // a mistyped zone must not take the whole KPI-health page down (the rollup reports it instead).
  await sql`
    create function kpi_local_date(instant timestamptz, tz text) returns date
    language plpgsql stable as $$
    begin
      return (instant at time zone tz)::date;
    exception when invalid_parameter_value then
      return null;
    end
    $$`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop function kpi_local_date(timestamptz, text)`.execute(db);
  for (const table of ['kpi_rollup_errors', 'kpi_rollup_state', 'kpi_rollup_runs']) {
    await db.schema.dropTable(table).execute();
  }
}
