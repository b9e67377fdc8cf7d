import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration must keep producing the same schema whatever the app code becomes.

/**
 * A rollup run may rebuild a range of the projects' local dates (both ends, or neither), and it
 * records how many projects it has checked, batch by batch, so the history shows a running run's
 * progress and how far a stopped one got. The history pages newest first by the time a run was
 * requested.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('kpi_rollup_runs')
    .addColumn('start_date', 'date')
    .addColumn('end_date', 'date')
    .addColumn('projects_checked', 'integer')
    .execute();
  await sql`
    alter table kpi_rollup_runs add constraint kpi_rollup_runs_range
    check ((start_date is null) = (end_date is null) and (start_date is null or start_date <= end_date))`.execute(db);
  // A run that succeeded checked every project it covered; for the others the count is unknown.
  await sql`update kpi_rollup_runs set projects_checked = projects_affected where status = 'succeeded'`.execute(db);
  await sql`create index kpi_rollup_runs_requested on kpi_rollup_runs (queued_at desc, id desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index kpi_rollup_runs_requested`.execute(db);
  await sql`alter table kpi_rollup_runs drop constraint kpi_rollup_runs_range`.execute(db);
  await db.schema.alterTable('kpi_rollup_runs').dropColumn('start_date').dropColumn('end_date').dropColumn('projects_checked').execute();
}
