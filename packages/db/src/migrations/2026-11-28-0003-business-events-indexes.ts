import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration must keep producing the same schema whatever the app code becomes.
//
// The business-events explorer lists by (occurred_at desc, id desc) under any mix of project and
// event type, and counts events by type over a date range. The two time-ordered indexes of the core
// migration are rebuilt under the same names with `event_type` included, so one index serves both
// the list and an index-only stats scan instead of two indexes being written for every event; the
// project + type list gets its own index.

export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`drop index business_events_occurred`,
    sql`create index business_events_occurred on business_events (occurred_at desc, id desc) include (event_type)`,
    sql`drop index business_events_project_occurred`,
    sql`create index business_events_project_occurred on business_events (project_id, occurred_at desc, id desc) include (event_type)`,
    sql`create index business_events_project_type_occurred on business_events (project_id, event_type, occurred_at desc, id desc)`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`drop index business_events_project_type_occurred`,
    sql`drop index business_events_project_occurred`,
    sql`create index business_events_project_occurred on business_events (project_id, occurred_at desc, id desc)`,
    sql`drop index business_events_occurred`,
    sql`create index business_events_occurred on business_events (occurred_at desc, id desc)`,
  ];
  for (const statement of statements) await statement.execute(db);
}
