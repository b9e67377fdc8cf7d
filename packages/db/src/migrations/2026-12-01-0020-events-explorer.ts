import { type Kysely, sql } from 'kysely';

// Frozen in time: this migration must keep producing the same schema whatever the app code becomes.

/**
 * The events explorer (SPEC §7.6, §7.7):
 * - lookups by entity, session, anonymous id and correlation id read a partial index that ends in
 *   the list's order (`occurred_at desc, id desc`), so the first page is the index's first rows;
 *   the entity index leads with `entity_id` so it also serves `entityId` alone;
 * - payload containment (`payload @> $1`) reads a GIN `jsonb_path_ops` index;
 * - the two indexes that lead with `event_type` are rebuilt with `text_pattern_ops`, which serves
 *   `=` as before and also a `LIKE 'prefix%'` bound whatever the database's collation;
 * - `business_event_daily_counts` holds the events per project, UTC day and type. Statement-level
 *   triggers with transition tables add every inserted, deleted or moved event to it in the
 *   writing statement's own transaction, so the counts commit (or roll back) with the events and
 *   stats that sum them stay exact. Existing events are counted here once.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`create index business_events_entity on business_events (entity_id, entity_type, occurred_at desc, id desc) where entity_id is not null`,
    sql`create index business_events_session on business_events (session_id, occurred_at desc, id desc) where session_id is not null`,
    sql`create index business_events_anonymous on business_events (anonymous_id, occurred_at desc, id desc) where anonymous_id is not null`,
    sql`create index business_events_correlation on business_events (correlation_id, occurred_at desc, id desc) where correlation_id is not null`,
    sql`create index business_events_payload on business_events using gin (payload jsonb_path_ops)`,
    sql`drop index business_events_type_occurred`,
    sql`create index business_events_type_occurred on business_events (event_type text_pattern_ops, occurred_at desc, id desc)`,
    sql`drop index business_events_project_type_occurred`,
    sql`create index business_events_project_type_occurred on business_events (project_id, event_type text_pattern_ops, occurred_at desc, id desc)`,

    // Insert-only deltas: a statement adds one row per (project, day, type) it touched, with the
    // number of events it added (or, negative, removed). No unique key, so no writer ever waits on
    // another's counts row; readers sum the rows.
    sql`create table business_event_daily_counts (
          project_id uuid not null,
          day date not null,
          event_type text not null,
          n bigint not null
        )`,
    sql`create index business_event_daily_counts_project on business_event_daily_counts (project_id, day, event_type) include (n)`,
    sql`create index business_event_daily_counts_day on business_event_daily_counts (day, event_type) include (n)`,
    // One function for the three triggers: each statement's rows, grouped, added (inserted and new
    // rows) or subtracted (deleted and old rows). Then, every 32nd statement (a sequence) and every
    // statement that touched 64 groups or more (a bulk write, whose own work dwarfs it), the groups it
    // touched are compacted: their rows are deleted and their sum inserted as one row, in the same
    // transaction (so a reader sees the rows before or the sum after, never both). Rows another open
    // transaction holds are skipped (`skip locked`): compaction never waits, and never deadlocks.
    sql`create sequence business_event_daily_counts_compaction`,
    sql`create function business_event_daily_counts_apply() returns trigger language plpgsql as $$
        declare
          groups bigint;
        begin
          if tg_op in ('DELETE', 'UPDATE') then
            insert into business_event_daily_counts (project_id, day, event_type, n)
            select project_id, (occurred_at at time zone 'UTC')::date, event_type, -count(*) from old_rows group by 1, 2, 3;
          end if;
          if tg_op in ('INSERT', 'UPDATE') then
            insert into business_event_daily_counts (project_id, day, event_type, n)
            select project_id, (occurred_at at time zone 'UTC')::date, event_type, count(*) from new_rows group by 1, 2, 3;
          end if;
          get diagnostics groups = row_count;
          if groups < 64 and nextval('business_event_daily_counts_compaction') % 32 <> 0 then
            return null;
          end if;
          if tg_op in ('INSERT', 'UPDATE') then
            with touched as (
                   select distinct project_id, (occurred_at at time zone 'UTC')::date as day, event_type from new_rows),
                 gone as (
                   delete from business_event_daily_counts
                   where ctid = any(array(
                     select c.ctid from business_event_daily_counts c join touched t using (project_id, day, event_type)
                     for update of c skip locked))
                   returning project_id, day, event_type, n)
            insert into business_event_daily_counts (project_id, day, event_type, n)
            select project_id, day, event_type, sum(n) from gone group by 1, 2, 3 having sum(n) <> 0;
          end if;
          if tg_op in ('DELETE', 'UPDATE') then
            with touched as (
                   select distinct project_id, (occurred_at at time zone 'UTC')::date as day, event_type from old_rows),
                 gone as (
                   delete from business_event_daily_counts
                   where ctid = any(array(
                     select c.ctid from business_event_daily_counts c join touched t using (project_id, day, event_type)
                     for update of c skip locked))
                   returning project_id, day, event_type, n)
            insert into business_event_daily_counts (project_id, day, event_type, n)
            select project_id, day, event_type, sum(n) from gone group by 1, 2, 3 having sum(n) <> 0;
          end if;
          return null;
        end
        $$`,
    sql`create trigger business_event_daily_counts_insert after insert on business_events
        referencing new table as new_rows for each statement execute function business_event_daily_counts_apply()`,
    sql`create trigger business_event_daily_counts_delete after delete on business_events
        referencing old table as old_rows for each statement execute function business_event_daily_counts_apply()`,
    sql`create trigger business_event_daily_counts_update after update on business_events
        referencing old table as old_rows new table as new_rows for each statement execute function business_event_daily_counts_apply()`,
    sql`create function business_event_daily_counts_truncate() returns trigger language plpgsql as $$
        begin
          truncate business_event_daily_counts;
          return null;
        end
        $$`,
    sql`create trigger business_event_daily_counts_truncate after truncate on business_events
        for each statement execute function business_event_daily_counts_truncate()`,
    sql`insert into business_event_daily_counts (project_id, day, event_type, n)
        select project_id, (occurred_at at time zone 'UTC')::date, event_type, count(*) from business_events group by 1, 2, 3`,
  ];
  for (const statement of statements) await statement.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  const statements = [
    sql`drop trigger business_event_daily_counts_truncate on business_events`,
    sql`drop function business_event_daily_counts_truncate()`,
    sql`drop trigger business_event_daily_counts_update on business_events`,
    sql`drop trigger business_event_daily_counts_delete on business_events`,
    sql`drop trigger business_event_daily_counts_insert on business_events`,
    sql`drop function business_event_daily_counts_apply()`,
    sql`drop sequence business_event_daily_counts_compaction`,
    sql`drop table business_event_daily_counts`,
    sql`drop index business_events_project_type_occurred`,
    sql`create index business_events_project_type_occurred on business_events (project_id, event_type, occurred_at desc, id desc)`,
    sql`drop index business_events_type_occurred`,
    sql`create index business_events_type_occurred on business_events (event_type, occurred_at desc, id desc)`,
    sql`drop index business_events_payload`,
    sql`drop index business_events_correlation`,
    sql`drop index business_events_anonymous`,
    sql`drop index business_events_session`,
    sql`drop index business_events_entity`,
  ];
  for (const statement of statements) await statement.execute(db);
}
