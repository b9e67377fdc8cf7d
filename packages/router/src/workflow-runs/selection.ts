import type { Database } from '@runhub/db';
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import type { Clock } from '../clock.js';
import type { RunFilter } from './schemas.js';

type RunsExpressions = ExpressionBuilder<Database & { r: Database['workflow_runs'] }, 'r'>;

/** An instant of the input, cast in SQL so its microseconds and offset reach the comparison intact. */
function instant(text: string) {
  return sql<Date>`${text}::timestamptz`;
}

/**
 * Stuck (SPEC §3.1): running with a lease that expired by the database's clock. Written as two
 * plain conditions so that `status = 'running'` can open the status indexes and the partial
 * running-lease indexes.
 */
export function isStuck(eb: RunsExpressions, clock: Clock): Expression<SqlBool> {
  return eb.and([eb('r.status', '=', 'running'), eb('r.lease_expires_at', '<', clock.now())]);
}

/** Not stuck, null-safe: a running run without a lease is not stuck. */
function isNotStuck(eb: RunsExpressions, clock: Clock): Expression<SqlBool> {
  return eb.or([eb('r.status', '<>', 'running'), eb('r.lease_expires_at', 'is', null), eb('r.lease_expires_at', '>=', clock.now())]);
}

/**
 * The runs a filter selects, as `workflow_runs as r`, for every selection of runs: the list and its
 * export, the counts, a bulk operation. Each equality filter is the first column of an index
 * ending in `(requested_at desc, id desc)`, so a time range is a bound of the same index.
 *
 * @example
 * const failed = await runsMatching(db, { projectId, status: 'failed' }, clock).select('r.id').execute();
 */
export function runsMatching(db: Kysely<Database>, filter: RunFilter, clock: Clock) {
  return db.selectFrom('workflow_runs as r').where((eb) => {
    const conditions: Expression<SqlBool>[] = [];
    if (filter.projectId) conditions.push(eb('r.project_id', '=', filter.projectId));
    if (filter.status) conditions.push(eb('r.status', '=', filter.status));
    if (filter.actionId) conditions.push(eb('r.action_id', '=', filter.actionId));
    if (filter.requestedFrom) conditions.push(eb('r.requested_at', '>=', instant(filter.requestedFrom)));
    if (filter.requestedTo) conditions.push(eb('r.requested_at', '<', instant(filter.requestedTo)));
    if (filter.stuck === true) conditions.push(isStuck(eb, clock));
    if (filter.stuck === false) conditions.push(isNotStuck(eb, clock));
    return eb.and(conditions);
  });
}

/**
 * What `runsMatching`'s text depends on: which filters are set, and whether the clock binds a value.
 * For statements compiled once per shape (`shapedQuery`); their tests compare them with fresh compiles.
 */
export function runFilterShape(filter: RunFilter, clock: Clock): string {
  let shape = '';
  shape += filter.projectId ? 'P' : '-';
  shape += filter.status ? 'S' : '-';
  shape += filter.actionId ? 'A' : '-';
  shape += filter.requestedFrom ? 'F' : '-';
  shape += filter.requestedTo ? 'T' : '-';
  if (filter.stuck !== undefined) shape += `${filter.stuck ? 's' : 'n'}${clock.kind}`;
  return shape;
}

/** `runsMatching`'s parameters, in the order it binds them, appended to `into`. */
export function pushRunFilterParameters(into: unknown[], filter: RunFilter, clock: Clock): void {
  if (filter.projectId) into.push(filter.projectId);
  if (filter.status) into.push(filter.status);
  if (filter.actionId) into.push(filter.actionId);
  if (filter.requestedFrom) into.push(filter.requestedFrom);
  if (filter.requestedTo) into.push(filter.requestedTo);
  if (filter.stuck !== undefined) into.push('running', ...clock.parameters());
}
