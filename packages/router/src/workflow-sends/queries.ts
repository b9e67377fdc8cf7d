import type { Database } from '@runhub/db';
import { type Kysely, sql } from 'kysely';
import { afterCursor, cursorTime, encodeCursor, toIso, toPage } from '../pagination.js';
import type { ListSendsInput, ListSendsOutput } from './schemas.js';

const SENDS_CURSOR = 'workflow-sends';

/**
 * The time a send is listed by: when it went out, or when it was queued if it never did. Written
 * exactly as in the `workflow_sends_*_recent` indexes, so the planner can use them.
 */
const sendTime = sql<Date>`coalesce(s.sent_at, s.created_at)`;

/** Sends, newest first, keyset-paged on `(coalesce(sent_at, created_at), id)`. */
export async function listSends(db: Kysely<Database>, input: ListSendsInput): Promise<ListSendsOutput> {
  const rows = await sendsPageQuery(db, input).execute();
  const { page, nextCursor } = toPage(rows, input.limit, (row) => encodeCursor(SENDS_CURSOR, [row.sort_key, row.id]));
  return {
    sends: page.map((row) => ({
      id: row.id,
      projectId: row.project_id,
      projectName: row.project_name,
      runId: row.run_id,
      actionId: row.action_id,
      recipientEmail: row.recipient_email,
      status: row.status,
      sentAt: toIso(row.sent_at),
      error: row.error,
      createdAt: row.created_at.toISOString(),
    })),
    nextCursor,
  };
}

/** The page query of `listSends`, unexecuted, so its plan can be checked. */
export function sendsPageQuery(db: Kysely<Database>, input: ListSendsInput) {
  let query = db
    .selectFrom('workflow_sends as s')
    .innerJoin('projects as p', 'p.id', 's.project_id')
    .select([
      's.id',
      's.project_id',
      'p.name as project_name',
      's.run_id',
      's.action_id',
      's.recipient_email',
      's.status',
      's.sent_at',
      's.error',
      's.created_at',
      cursorTime(sendTime).as('sort_key'),
    ]);
  if (input.projectId) query = query.where('s.project_id', '=', input.projectId);
  // lower() in SQL: the same folding as the table's `recipient_email = lower(recipient_email)` check.
  if (input.email) query = query.where('s.recipient_email', '=', sql<string>`lower(${input.email})`);
  if (input.cursor) {
    query = query.where(afterCursor(sendTime, sql.ref('s.id'), input.cursor, 'uuid'));
  }
  return query
    .orderBy(sendTime, 'desc')
    .orderBy('s.id', 'desc')
    .limit(input.limit + 1);
}
