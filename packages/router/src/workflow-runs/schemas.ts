import { WORKFLOW_RUN_STATUSES } from '@runhub/db';
import { z } from 'zod';
import { zReason } from '../audit.js';
import { ZAuditEntry } from '../audit-log/schemas.js';
import { keysetList, zIsoTimestamp, zLimit } from '../pagination.js';

export const ZRunStatus = z.enum(WORKFLOW_RUN_STATUSES);

/** Runs, newest `requested_at` first, then id. */
export const RUNS_LIST = keysetList({ name: 'workflow-runs', time: 'r.requested_at', id: 'r.id', idType: 'uuid' });

export const ZRunError = z.object({ code: z.string(), message: z.string() });

/**
 * A moment as SPEC §7.1 takes it: ISO 8601 with seconds and `Z` or an offset (`+02:00`). Kept as
 * text and cast in SQL, so microseconds survive; digits past them would be rounded away, so they are refused.
 */
export const zInstant = z.iso
  .datetime({ offset: true, error: 'must be an ISO 8601 date-time with Z or an offset, e.g. 2026-01-30T10:00:00Z' })
  .refine((text) => !/\.\d{7,}/.test(text), 'must not be more precise than microseconds');

/** The instant as microseconds since the epoch, for comparing two of them whatever their offsets. */
function epochMicros(text: string): number {
  const fraction = /\.(\d+)/.exec(text)?.[1] ?? '';
  return Date.parse(text.replace(/\.\d+/, '')) * 1000 + Number(fraction.padEnd(6, '0'));
}

/** SPEC §7.1: `requestedFrom` inclusive, `requestedTo` exclusive, so from ≥ to selects nothing and is a 400. */
function checkRequestedRange(input: { requestedFrom?: string | undefined; requestedTo?: string | undefined }, ctx: z.RefinementCtx): void {
  if (input.requestedFrom && input.requestedTo && epochMicros(input.requestedFrom) >= epochMicros(input.requestedTo)) {
    ctx.addIssue({ code: 'custom', path: ['requestedFrom'], message: `requestedFrom ${input.requestedFrom} is not before requestedTo ${input.requestedTo}` });
  }
}

/** The filters every run selection shares: the list, its export and a bulk operation's `filter`. */
const RUN_FILTER_FIELDS = {
  projectId: z.guid().optional(),
  status: ZRunStatus.optional(),
  actionId: z.string().min(1).max(200).optional(),
  requestedFrom: zInstant.optional(),
  requestedTo: zInstant.optional(),
  /** `true`: only running runs whose lease expired; `false`: every run but those. */
  stuck: z.boolean().optional(),
};

export const ZListRunsInput = z
  .object({
    ...RUN_FILTER_FIELDS,
    limit: zLimit,
    cursor: RUNS_LIST.cursor.optional(),
  })
  .superRefine(checkRequestedRange);

/** The selection a run filter makes; `clock` decides which leases have expired. */
export type RunFilter = { [K in keyof typeof RUN_FILTER_FIELDS]?: z.output<(typeof RUN_FILTER_FIELDS)[K]> };

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

export const ZRunCountsInput = z
  .object({
    projectId: RUN_FILTER_FIELDS.projectId,
    actionId: RUN_FILTER_FIELDS.actionId,
    requestedFrom: RUN_FILTER_FIELDS.requestedFrom,
    requestedTo: RUN_FILTER_FIELDS.requestedTo,
  })
  .superRefine(checkRequestedRange);

const zCount = z.int().min(0);

export const ZRunCountsOutput = z.object({
  byStatus: z.object({ queued: zCount, running: zCount, succeeded: zCount, failed: zCount, cancelled: zCount }),
  /** Running runs whose lease expired; they are counted in `byStatus.running` too. */
  stuck: zCount,
  total: zCount,
});

export const ZGetRunInput = z.object({ id: z.guid() });

/** One run of a retry chain, as the detail shows it. */
export const ZRunChainLink = z.object({
  id: z.guid(),
  status: ZRunStatus,
  requestedAt: zIsoTimestamp,
  completedAt: zIsoTimestamp.nullable(),
  retryOf: z.guid().nullable(),
  error: ZRunError.nullable(),
});

export const ZRunDetail = z.object({
  run: ZWorkflowRun,
  /** From the root (retryOf null) to the newest retry, the run itself included. */
  chain: z.array(ZRunChainLink),
  sends: z.object({
    total: zCount,
    byStatus: z.object({ queued: zCount, sent: zCount, failed: zCount, suppressed: zCount }),
  }),
  /** The audit entries whose target is this run, newest first, at most 50. */
  audit: z.array(ZAuditEntry),
});

export const ZRunWriteInput = z.object({
  id: z.guid(),
  reason: zReason,
});

export const ZRetryRunOutput = z.object({ newRunId: z.guid(), status: z.literal('queued') });
export const ZCancelRunOutput = z.object({ status: z.literal('cancelled') });

export const BULK_MAX_RUNS = 500;

/**
 * A bulk operation's `filter`: strict, because a mistyped field silently dropped would widen the
 * selection of a write (`{"status":"failed","projectID":…}` would retry every project's runs).
 */
export const ZBulkRunFilter = z
  .strictObject(RUN_FILTER_FIELDS)
  .superRefine(checkRequestedRange)
  .refine((filter) => Object.values(filter).some((value) => value !== undefined), 'filter must name at least one field: an empty filter selects every run');

/** Ids are compared with the database's own (lower-case) text, so `ABC…` and `abc…` are one run. */
const zRunId = z.guid().transform((id) => id.toLowerCase());

/** SPEC §7.4. Strict for the same reason as the filter: a mistyped `dryrun` must not turn a preview into a write. */
export const ZBulkRunsInput = z
  .strictObject({
    reason: zReason,
    dryRun: z.boolean().default(false),
    ids: z
      .array(zRunId)
      .min(1)
      .max(BULK_MAX_RUNS)
      .refine((ids) => new Set(ids).size === ids.length, 'ids must be distinct')
      .optional(),
    filter: ZBulkRunFilter.optional(),
    limit: z.int().min(1).max(BULK_MAX_RUNS).default(BULK_MAX_RUNS),
  })
  .superRefine((input, ctx) => {
    if (input.ids && input.filter) ctx.addIssue({ code: 'custom', path: ['filter'], message: 'give either ids or filter, not both' });
    if (!input.ids && !input.filter) ctx.addIssue({ code: 'custom', path: ['ids'], message: 'give either ids or filter' });
  });

export const BULK_SKIP_REASONS = ['not_found', 'already_retried', 'already_cancelled', 'not_eligible', 'over_limit'] as const;
export type BulkSkipReason = (typeof BULK_SKIP_REASONS)[number];

export const ZBulkRunsOutput = z.object({
  dryRun: z.boolean(),
  /** Names the operation in the audit log (`GET /audit-log?bulkOperationId=`); null in a dry run. */
  bulkOperationId: z.guid().nullable(),
  matched: zCount,
  eligible: zCount,
  runIds: z.array(z.guid()),
  newRunIds: z.array(z.guid()),
  remaining: zCount,
  skipped: z.array(z.object({ id: z.guid(), reason: z.enum(BULK_SKIP_REASONS) })),
});

export type StuckRunsInput = z.output<typeof ZStuckRunsInput>;
export type StuckRunsOutput = z.output<typeof ZStuckRunsOutput>;
export type RunCountsInput = z.output<typeof ZRunCountsInput>;
export type RunCountsOutput = z.output<typeof ZRunCountsOutput>;
export type RunDetail = z.output<typeof ZRunDetail>;
export type RunChainLink = z.output<typeof ZRunChainLink>;
export type RunWriteInput = z.output<typeof ZRunWriteInput>;
export type RetryRunOutput = z.output<typeof ZRetryRunOutput>;
export type CancelRunOutput = z.output<typeof ZCancelRunOutput>;
export type BulkRunsInput = z.output<typeof ZBulkRunsInput>;
export type BulkRunsOutput = z.output<typeof ZBulkRunsOutput>;
