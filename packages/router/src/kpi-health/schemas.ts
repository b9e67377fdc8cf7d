import { z } from 'zod';
import { zReason } from '../audit.js';
import { zIsoTimestamp } from '../pagination.js';

export const PROJECT_HEALTH_STATUSES = ['healthy', 'stale', 'no_data'] as const;
export const ZProjectHealthStatus = z.enum(PROJECT_HEALTH_STATUSES);
export type ProjectHealthStatus = z.output<typeof ZProjectHealthStatus>;

/** `running` while a rollup runs or is queued to run (on any instance), else `idle`. */
export const ZRollupJobStatus = z.enum(['running', 'idle']);

export const ZKpiHealthSummary = z.object({
  totalProjects: z.int(),
  healthyProjects: z.int(),
  staleProjects: z.int(),
  noDataProjects: z.int(),
  lastGlobalRollupAt: zIsoTimestamp.nullable(),
  rollupJobStatus: ZRollupJobStatus,
  rollupIntervalMinutes: z.int(),
  avgRollupDurationMs: z.int().nullable(),
});

export const ZProjectHealth = z.object({
  projectId: z.guid(),
  projectName: z.string(),
  lastRollupAt: zIsoTimestamp.nullable(),
  lastEventAt: zIsoTimestamp.nullable(),
  todayRevenueCents: z.int(),
  todayLeads: z.int(),
  todayPayments: z.int(),
  currencyCode: z.string(),
  status: ZProjectHealthStatus,
});

export const ZKpiHealthProjects = z.object({ projects: z.array(ZProjectHealth) });

export const ZRollupError = z.object({
  occurredAt: zIsoTimestamp,
  message: z.string(),
  /** The project the failure belongs to; null for a failure of the run as a whole. */
  projectId: z.guid().nullable(),
  projectName: z.string().nullable(),
});

export const ZRollupJob = z.object({
  status: ZRollupJobStatus,
  lastRunAt: zIsoTimestamp.nullable(),
  lastDurationMs: z.int().nullable(),
  nextScheduledAt: zIsoTimestamp,
  recentErrors: z.array(ZRollupError),
});

export const ZTriggerRollupInput = z.object({
  /** Absent or null: all projects. */
  projectId: z.guid().nullish(),
  reason: zReason,
});

export const ZTriggerRollupOutput = z.object({
  triggered: z.literal(true),
  projectsAffected: z.int(),
  estimatedDurationMs: z.int().nullable(),
});

export type KpiHealthSummary = z.output<typeof ZKpiHealthSummary>;
export type ProjectHealth = z.output<typeof ZProjectHealth>;
export type KpiHealthProjects = z.output<typeof ZKpiHealthProjects>;
export type RollupJob = z.output<typeof ZRollupJob>;
export type TriggerRollupInput = z.output<typeof ZTriggerRollupInput>;
export type TriggerRollupOutput = z.output<typeof ZTriggerRollupOutput>;
