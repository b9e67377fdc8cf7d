import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

/** A timestamptz column: read as a Date, written as a Date or an ISO string. */
export type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** A timestamptz column with a database default. */
export type GeneratedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;
/** A jsonb column holding any JSON value. */
export type Json = ColumnType<JsonValue, JsonValue | string, JsonValue | string>;

export type JsonPrimitive = string | number | boolean | null;
export type JsonValue = JsonPrimitive | JsonValue[] | { [key: string]: JsonValue };

export const WORKFLOW_RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export type WorkflowRunStatus = (typeof WORKFLOW_RUN_STATUSES)[number];

export const WORKFLOW_SEND_STATUSES = ['queued', 'sent', 'failed', 'suppressed'] as const;
export type WorkflowSendStatus = (typeof WORKFLOW_SEND_STATUSES)[number];

export interface ProjectsTable {
  id: Generated<string>;
  name: string;
  currency_code: ColumnType<string, string | undefined, string>;
  timezone: ColumnType<string, string | undefined, string>;
  created_at: GeneratedTimestamp;
}

export interface WorkflowRunsTable {
  id: Generated<string>;
  project_id: string;
  action_id: string;
  status: WorkflowRunStatus;
  idempotency_key: string;
  requested_at: GeneratedTimestamp;
  started_at: Timestamp | null;
  completed_at: Timestamp | null;
  lease_expires_at: Timestamp | null;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  params: ColumnType<JsonValue, JsonValue | string | undefined, JsonValue | string>;
  result: Json | null;
  outcome: Json | null;
  error: Json | null;
  retry_of: string | null;
}

export interface WorkflowSendsTable {
  id: Generated<string>;
  project_id: string;
  run_id: string;
  action_id: string;
  recipient_email: string;
  status: WorkflowSendStatus;
  sent_at: Timestamp | null;
  error: string | null;
  created_at: GeneratedTimestamp;
}

export interface BusinessEventsTable {
  id: Generated<number>;
  public_id: Generated<string>;
  project_id: string;
  event_type: string;
  occurred_at: Timestamp;
  received_at: GeneratedTimestamp;
  source: string;
  actor_type: string | null;
  actor_id: string | null;
  entity_type: string | null;
  entity_id: string | null;
  session_id: string | null;
  anonymous_id: string | null;
  correlation_id: string | null;
  payload: ColumnType<JsonValue, JsonValue | string | undefined, JsonValue | string>;
}

export interface BusinessKpiDailyTable {
  project_id: string;
  /** The project's local date, as `YYYY-MM-DD`. */
  date: string;
  revenue_cents: number;
  leads: number;
  payments: number;
  currency_code: string;
  updated_at: GeneratedTimestamp;
}

export interface AdminAuditLogTable {
  id: Generated<number>;
  admin_id: string;
  action: string;
  target_type: string;
  target_id: string | null;
  reason: string;
  details: ColumnType<JsonValue, JsonValue | string | undefined, JsonValue | string>;
  request_id: string | null;
  created_at: GeneratedTimestamp;
}

export const KPI_ROLLUP_TRIGGERS = ['schedule', 'manual'] as const;
export type KpiRollupTrigger = (typeof KPI_ROLLUP_TRIGGERS)[number];

export const KPI_ROLLUP_RUN_STATUSES = ['queued', 'running', 'succeeded', 'failed'] as const;
export type KpiRollupRunStatus = (typeof KPI_ROLLUP_RUN_STATUSES)[number];

/** One rollup run, from the moment it is queued; the rows in `queued` are the rollup's queue. */
export interface KpiRollupRunsTable {
  id: Generated<number>;
  trigger: KpiRollupTrigger;
  admin_id: string | null;
  reason: string | null;
  /** Null: all projects. */
  project_id: string | null;
  status: KpiRollupRunStatus;
  queued_at: GeneratedTimestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  duration_ms: number | null;
  projects_affected: Generated<number>;
  projects_failed: Generated<number>;
  error: string | null;
  /** A rebuild's range of the projects' local dates (`YYYY-MM-DD`, both ends included); null for an incremental run. */
  start_date: string | null;
  end_date: string | null;
  /** Projects of the batches done so far (updated after each batch); null until the first. */
  projects_checked: number | null;
}

/** Per project: when a rollup last checked it, and the highest `received_at` it has counted. */
export interface KpiRollupStateTable {
  project_id: string;
  last_rollup_at: Timestamp;
  watermark: Timestamp | null;
}

export interface KpiRollupErrorsTable {
  id: Generated<number>;
  occurred_at: GeneratedTimestamp;
  run_id: number | null;
  project_id: string | null;
  message: string;
}

/**
 * Events per project, UTC day and type, kept exact by statement-level triggers on business_events
 * (migration 2026-12-01-0020): stats sums these rows instead of counting events.
 */
export interface BusinessEventDailyCountsTable {
  project_id: string;
  /** The UTC date of `occurred_at`, as `YYYY-MM-DD`. */
  day: string;
  event_type: string;
  n: number;
}

export interface Database {
  projects: ProjectsTable;
  workflow_runs: WorkflowRunsTable;
  workflow_sends: WorkflowSendsTable;
  business_events: BusinessEventsTable;
  business_event_daily_counts: BusinessEventDailyCountsTable;
  business_kpi_daily: BusinessKpiDailyTable;
  admin_audit_log: AdminAuditLogTable;
  kpi_rollup_runs: KpiRollupRunsTable;
  kpi_rollup_state: KpiRollupStateTable;
  kpi_rollup_errors: KpiRollupErrorsTable;
}

export type Project = Selectable<ProjectsTable>;
export type NewProject = Insertable<ProjectsTable>;
export type WorkflowRun = Selectable<WorkflowRunsTable>;
export type NewWorkflowRun = Insertable<WorkflowRunsTable>;
export type WorkflowRunUpdate = Updateable<WorkflowRunsTable>;
export type WorkflowSend = Selectable<WorkflowSendsTable>;
export type NewWorkflowSend = Insertable<WorkflowSendsTable>;
export type BusinessEvent = Selectable<BusinessEventsTable>;
export type NewBusinessEvent = Insertable<BusinessEventsTable>;
export type AdminAuditEntry = Selectable<AdminAuditLogTable>;
export type NewAdminAuditEntry = Insertable<AdminAuditLogTable>;
export type KpiRollupRun = Selectable<KpiRollupRunsTable>;
