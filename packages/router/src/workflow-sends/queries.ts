import type { Database } from '@runhub/db';
import { type Kysely, sql } from 'kysely';
import { toIso } from '../pagination.js';
import { type ListSendsInput, type ListSendsOutput, SENDS_LIST } from './schemas.js';

/** Sends, newest first, keyset-paged on `(coalesce(sent_at, created_at), id)`. */
export async function listSends(db: Kysely<Database>, input: ListSendsInput): Promise<ListSendsOutput> {
  const rows = await sendsPageQuery(db, input).execute();
  const { page, nextCursor } = SENDS_LIST.toPage(rows, input.limit);
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
    ]);
  if (input.projectId) query = query.where('s.project_id', '=', input.projectId);
  // lower() in SQL: the same folding as the table's `recipient_email = lower(recipient_email)` check.
  if (input.email) query = query.where('s.recipient_email', '=', sql<string>`lower(${input.email})`);
  return SENDS_LIST.paginate(query, input);
}
