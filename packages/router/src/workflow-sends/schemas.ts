import { WORKFLOW_SEND_STATUSES } from '@runhub/db';
import { z } from 'zod';
import { zIsoTimestamp, zLimit, zTimeCursor } from '../pagination.js';

export const ZSendStatus = z.enum(WORKFLOW_SEND_STATUSES);

export const ZListSendsInput = z.object({
  projectId: z.guid().optional(),
  /** Exact recipient, any case: addresses are stored lower-case and the query lower-cases this. */
  email: z.string().trim().min(1).max(320).optional(),
  limit: zLimit,
  cursor: zTimeCursor('workflow-sends', z.guid()).optional(),
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
