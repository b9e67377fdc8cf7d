import { z } from 'zod';
import { zReason } from '../audit.js';
import { zDay } from '../business-events/schemas.js';
import { keysetList, zIsoTimestamp, zLimit } from '../pagination.js';

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

/** SPEC §8.2: a rebuild covers at most this many local dates. */
export const MAX_REBUILD_DATES = 366;
const DAY_MS = 86_400_000;

/** SPEC §8.2: both ends or neither, start ≤ end, at most 366 dates; each issue named on its field. */
function checkRebuildRange(input: { startDate?: string | undefined; endDate?: string | undefined }, ctx: z.RefinementCtx): void {
  const { startDate, endDate } = input;
  if ((startDate === undefined) !== (endDate === undefined)) {
    const missing = startDate === undefined ? 'startDate' : 'endDate';
    ctx.addIssue({ code: 'custom', path: [missing], message: `${missing} is required with ${missing === 'startDate' ? 'endDate' : 'startDate'}` });
    return;
  }
  if (startDate === undefined || endDate === undefined) return;
  if (startDate > endDate) {
    ctx.addIssue({ code: 'custom', path: ['startDate'], message: `startDate ${startDate} is after endDate ${endDate}` });
    return;
  }
  const dates = (Date.parse(endDate) - Date.parse(startDate)) / DAY_MS + 1;
  if (dates > MAX_REBUILD_DATES) {
    ctx.addIssue({ code: 'custom', path: ['endDate'], message: `the range holds ${dates} dates; at most ${MAX_REBUILD_DATES}` });
  }
}

export const ZTriggerRollupInput = z
  .object({
    /** Absent or null: all projects. */
    projectId: z.guid().nullish(),
    /** With `endDate`: rebuild these local dates of each project (SPEC §8.2). */
    startDate: zDay.optional(),
    endDate: zDay.optional(),
    reason: zReason,
  })
  .superRefine(checkRebuildRange);

export const ZRollupMode = z.enum(['incremental', 'rebuild']);

export const ZTriggerRollupOutput = z.object({
  triggered: z.literal(true),
  projectsAffected: z.int(),
  estimatedDurationMs: z.int().nullable(),
  mode: ZRollupMode,
});

export const ZProjectKpisInput = z.object({
  projectId: z.guid(),
  /** How many local dates, ending with the project's today. */
  days: z.int().min(1).max(366).default(30),
});

export const ZKpiDay = z.object({
  date: z.iso.date(),
  revenueCents: z.int(),
  leads: z.int(),
  payments: z.int(),
});

export const ZProjectKpis = z.object({
  project: ZProjectHealth,
  timezone: z.string(),
  staleAfterMinutes: z.int(),
  /** Seconds since the project's last rollup; null when it was never rolled up. */
  lastRollupAgeSeconds: z.int().nullable(),
  days: z.array(ZKpiDay),
});

/** The rollup's history, newest request first, then id. */
export const ROLLUP_RUNS_LIST = keysetList({ name: 'kpi-rollup-runs', time: 'r.queued_at', id: 'r.id', idType: 'bigint' });

export const ZListRollupRunsInput = z.object({ limit: zLimit, cursor: ROLLUP_RUNS_LIST.cursor.optional() });

export const ZRollupRun = z.object({
  id: z.int(),
  trigger: z.enum(['schedule', 'manual']),
  /** Null: all projects. */
  projectId: z.guid().nullable(),
  projectName: z.string().nullable(),
  /** A rebuild's range of local dates; both null for an incremental run. */
  startDate: z.iso.date().nullable(),
  endDate: z.iso.date().nullable(),
  status: z.enum(['queued', 'running', 'succeeded', 'failed']),
  requestedAt: zIsoTimestamp,
  startedAt: zIsoTimestamp.nullable(),
  finishedAt: zIsoTimestamp.nullable(),
  durationMs: z.int().nullable(),
  /** Projects of the batches done so far; null before the first. */
  projectsChecked: z.int().nullable(),
  error: z.string().nullable(),
  /** The admin id of a manual trigger; null for the schedule. */
  requestedBy: z.string().nullable(),
  reason: z.string().nullable(),
});

export const ZRollupRuns = z.object({ runs: z.array(ZRollupRun), nextCursor: z.string().nullable() });

export type KpiHealthSummary = z.output<typeof ZKpiHealthSummary>;
export type ProjectHealth = z.output<typeof ZProjectHealth>;
export type KpiHealthProjects = z.output<typeof ZKpiHealthProjects>;
export type RollupJob = z.output<typeof ZRollupJob>;
export type TriggerRollupInput = z.output<typeof ZTriggerRollupInput>;
export type TriggerRollupOutput = z.output<typeof ZTriggerRollupOutput>;
export type ProjectKpisInput = z.output<typeof ZProjectKpisInput>;
export type ProjectKpis = z.output<typeof ZProjectKpis>;
export type ListRollupRunsInput = z.output<typeof ZListRollupRunsInput>;
export type RollupRuns = z.output<typeof ZRollupRuns>;
