import { WORKFLOW_RUN_STATUSES } from '@runhub/db';
import { z } from 'zod';
import { zIsoTimestamp, zLimit, zTimeCursor } from '../pagination.js';

export const ZRunStatus = z.enum(WORKFLOW_RUN_STATUSES);

export const ZRunError = z.object({ code: z.string(), message: z.string() });

export const ZListRunsInput = z.object({
  projectId: z.guid().optional(),
  status: ZRunStatus.optional(),
  actionId: z.string().min(1).max(200).optional(),
  limit: zLimit,
  cursor: zTimeCursor('workflow-runs', z.guid()).optional(),
});

export const ZWorkflowRun = z.object({
  id: z.guid(),
  projectId: z.guid(),
  projectName: z.string(),
  actionId: z.string(),
  status: ZRunStatus,
  idempotencyKey: z.string(),
  requestedAt: zIsoTimestamp,
  startedAt: zIsoTimestamp.nullable(),
  completedAt: zIsoTimestamp.nullable(),
  leaseExpiresAt: zIsoTimestamp.nullable(),
  attempts: z.int(),
  maxAttempts: z.int(),
  params: z.json(),
  result: z.json().nullable(),
  outcome: z.json().nullable(),
  error: ZRunError.nullable(),
  retryOf: z.guid().nullable(),
});

export const ZListRunsOutput = z.object({
  runs: z.array(ZWorkflowRun),
  nextCursor: z.string().nullable(),
});

export type ListRunsInput = z.output<typeof ZListRunsInput>;
export type WorkflowRunDto = z.output<typeof ZWorkflowRun>;
export type ListRunsOutput = z.output<typeof ZListRunsOutput>;
