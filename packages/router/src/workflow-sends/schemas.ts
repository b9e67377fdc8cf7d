import { WORKFLOW_SEND_STATUSES } from '@runhub/db';
import { sql } from 'kysely';
import { z } from 'zod';
import { keysetList, zIsoTimestamp, zLimit } from '../pagination.js';

export const ZSendStatus = z.enum(WORKFLOW_SEND_STATUSES);

/**
 * Sends, newest first by when they went out, or were queued if they never did, then id. The time
 * is written exactly as in the `workflow_sends_*_recent` indexes, so the planner can use them.
 */
export const SENDS_LIST = keysetList({ name: 'workflow-sends', time: sql<Date>`coalesce(s.sent_at, s.created_at)`, id: 's.id', idType: 'uuid' });

export const ZListSendsInput = z.object({
  projectId: z.guid().optional(),
  /** Exact recipient, any case: addresses are stored lower-case and the query lower-cases this. */
  email: z.string().trim().min(1).max(320).optional(),
  limit: zLimit,
  cursor: SENDS_LIST.cursor.optional(),
});

export const ZWorkflowSend = z.object({
  id: z.guid(),
  projectId: z.guid(),
  projectName: z.string(),
  runId: z.guid(),
  actionId: z.string(),
  recipientEmail: z.string(),
  status: ZSendStatus,
  sentAt: zIsoTimestamp.nullable(),
  error: z.string().nullable(),
  createdAt: zIsoTimestamp,
});

export const ZListSendsOutput = z.object({
  sends: z.array(ZWorkflowSend),
  nextCursor: z.string().nullable(),
});

export type ListSendsInput = z.output<typeof ZListSendsInput>;
export type WorkflowSendDto = z.output<typeof ZWorkflowSend>;
export type ListSendsOutput = z.output<typeof ZListSendsOutput>;
