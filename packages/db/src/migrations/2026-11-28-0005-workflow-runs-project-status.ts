import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration must keep producing the same schema whatever the app code becomes.

/**
 * "Failed runs of this project" is the workflows page's most common filter. Without this index
 * the planner intersects the project and status indexes and sorts every match before taking a
 * page; with it, a page reads only its own rows however many runs the project has.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index workflow_runs_project_status_requested on workflow_runs (project_id, status, requested_at desc, id desc)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index workflow_runs_project_status_requested`.execute(db);
}
