import type {
  BusinessEvent,
  Database,
  JsonValue,
  NewBusinessEvent,
  NewProject,
  NewWorkflowRun,
  NewWorkflowSend,
  Project,
  WorkflowRun,
  WorkflowSend,
} from '@runhub/db';
import type { Kysely } from 'kysely';

let sequence = 0;
const next = () => ++sequence;

/** A project, with a unique name unless one is given. */
export async function createProject(db: Kysely<Database>, overrides: Partial<NewProject> = {}): Promise<Project> {
  return db
    .insertInto('projects')
    .values({ name: `Test project ${next()}`, ...overrides })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A workflow run: `succeeded` unless told otherwise, with a unique idempotency key. */
export async function createRun(db: Kysely<Database>, projectId: string, overrides: Partial<NewWorkflowRun> = {}): Promise<WorkflowRun> {
  return db
    .insertInto('workflow_runs')
    .values({
      project_id: projectId,
      action_id: 'recover_abandoned',
      status: 'succeeded',
      idempotency_key: `test-run-${next()}`,
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A run whose worker vanished: `running` with a lease that expired an hour ago. */
export async function createStuckRun(db: Kysely<Database>, projectId: string, overrides: Partial<NewWorkflowRun> = {}): Promise<WorkflowRun> {
  const hourAgo = new Date(Date.now() - 3_600_000);
  return createRun(db, projectId, {
    status: 'running',
    started_at: new Date(hourAgo.getTime() - 1_800_000),
    lease_expires_at: hourAgo,
    attempts: 1,
    ...overrides,
  });
}

/** A send of a run to a recipient (stored lower-case, as the table requires). */
export async function createSend(
  db: Kysely<Database>,
  run: Pick<WorkflowRun, 'id' | 'project_id' | 'action_id'>,
  overrides: Partial<NewWorkflowSend> = {},
): Promise<WorkflowSend> {
  return db
    .insertInto('workflow_sends')
    .values({
      project_id: run.project_id,
      run_id: run.id,
      action_id: run.action_id,
      recipient_email: `recipient${next()}@example.com`,
      status: 'sent',
      sent_at: new Date(),
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A business event; `payment_succeeded` of 1000 cents in USD unless told otherwise. */
export async function createEvent(db: Kysely<Database>, projectId: string, overrides: Partial<NewBusinessEvent> = {}): Promise<BusinessEvent> {
  const payload: JsonValue = { amount: 1000, currency: 'USD' };
  return db
    .insertInto('business_events')
    .values({
      project_id: projectId,
      event_type: 'payment_succeeded',
      occurred_at: new Date(),
      source: 'stripe',
      payload,
      ...overrides,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
