import { WORKFLOW_RUN_STATUSES } from '@runhub/db';
import { z } from 'zod';
import { zReason } from '../audit.js';
import { keysetList, zIsoTimestamp, zLimit } from '../pagination.js';

export const ZRunStatus = z.enum(WORKFLOW_RUN_STATUSES);

/** Runs, newest `requested_at` first, then id. */
export const RUNS_LIST = keysetList({ name: 'workflow-runs', time: 'r.requested_at', id: 'r.id', idType: 'uuid' });

export const ZRunError = z.object({ code: z.string(), message: z.string() });

export const ZListRunsInput = z.object({
  projectId: z.guid().optional(),
  status: ZRunStatus.optional(),
  actionId: z.string().min(1).max(200).optional(),
  limit: zLimit,
  cursor: RUNS_LIST.cursor.optional(),
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

export const ZStuckRunsInput = z.object({
  projectId: z.guid().optional(),
  limit: zLimit,
});

export const ZStuckRun = z.object({
  id: z.guid(),
  projectId: z.guid(),
  projectName: z.string(),
  actionId: z.string(),
  requestedAt: zIsoTimestamp,
  leaseExpiresAt: zIsoTimestamp,
  attempts: z.int(),
});

export const ZStuckRunsOutput = z.object({ runs: z.array(ZStuckRun) });

export const ZRunWriteInput = z.object({
  id: z.guid(),
  reason: zReason,
});

export const ZRetryRunOutput = z.object({ newRunId: z.guid(), status: z.literal('queued') });
export const ZCancelRunOutput = z.object({ status: z.literal('cancelled') });

export type StuckRunsInput = z.output<typeof ZStuckRunsInput>;
export type StuckRunsOutput = z.output<typeof ZStuckRunsOutput>;
export type RunWriteInput = z.output<typeof ZRunWriteInput>;
export type RetryRunOutput = z.output<typeof ZRetryRunOutput>;
export type CancelRunOutput = z.output<typeof ZCancelRunOutput>;
