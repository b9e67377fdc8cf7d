import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import type { WriteRequest, WriteRequests } from './load.js';

/** The write's label in the report: a retry of a prepared failed run. */
export const RETRY_LABEL = 'POST workflow-runs/:id/retry';

const PREFIX = '/v1/admin/inhouse';
const FOREIGN_KEY_VIOLATION = '23503';

/** Where each server takes a retry of run `id` (tRPC's mutation takes its input as the JSON body). */
export type RetryServer = 'floor' | 'REST' | 'tRPC';

function retryRequest(server: RetryServer, id: string, reason: string): WriteRequest {
  if (server === 'tRPC') return { path: '/trpc/workflowRuns.retry', body: JSON.stringify({ id, reason }) };
  return { path: server === 'floor' ? `/workflow-runs/${id}/retry` : `${PREFIX}/workflow-runs/${id}/retry`, body: JSON.stringify({ reason }) };
}

/**
 * Failed runs without a retry, prepared for the write and handed out once each, in a project of their
 * own (`Bench writes`, never the measured lists' project). `clear` removes them with their retries, their
 * audit rows (known by the pool's reason) and the project, so the reads measured next see the data as loaded.
 */
export class RetryPool {
  readonly reason = `bench write ${randomUUID()}`;
  private projectId: string | undefined;
  private ids: string[] = [];

  constructor(private readonly client: pg.Client) {}

  /** The requests of one load on `server`, drawn from this pool. */
  requestsFor(server: RetryServer): WriteRequests {
    return {
      prepare: (count) => this.prepare(count),
      next: () => {
        const id = this.ids.pop();
        return id === undefined ? undefined : retryRequest(server, id, this.reason);
      },
      left: () => this.ids.length,
    };
  }

  /** The request that retries run `id` on `server`. */
  request(server: RetryServer, id: string): WriteRequest {
    return retryRequest(server, id, this.reason);
  }

  /** One prepared run, taken from the pool (for the cross-check). */
  async take(): Promise<string> {
    await this.prepare(1);
    const id = this.ids.pop();
    if (!id) throw new Error('the retry pool is empty');
    return id;
  }

  /** Readies at least `count` runs in the pool. */
  async prepare(count: number): Promise<void> {
    const missing = count - this.ids.length;
    if (missing <= 0) return;
    if (!this.projectId) {
      const {
        rows: [project],
      } = await this.client.query<{ id: string }>(`insert into projects (name) values ('Bench writes') returning id`);
      this.projectId = project?.id;
    }
    const { rows } = await this.client.query<{ id: string }>(
      `insert into workflow_runs (project_id, action_id, status, idempotency_key, requested_at, started_at, completed_at, attempts, max_attempts, params, error)
       select $1, 'bench_write', 'failed', 'bench-write-' || gen_random_uuid()::text, now() - interval '1 day', now() - interval '1 day',
              now() - interval '1 day', 3, 3, jsonb_build_object('n', g), jsonb_build_object('code', 'FAILED', 'message', 'prepared by the bench')
       from generate_series(1, $2::int) g
       returning id`,
      [this.projectId, missing],
    );
    this.ids.push(...rows.map((row) => row.id));
  }

  /**
   * Removes every run, retry and audit row the pool made, and its project. A load ends with requests still
   * in flight, whose transactions commit afterwards: a retry committed while the runs are being deleted
   * fails the delete, which then runs again once those have finished.
   */
  async clear(): Promise<void> {
    this.ids = [];
    if (!this.projectId) return;
    for (let attempt = 1; ; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      try {
        await this.client.query('delete from workflow_runs where project_id = $1', [this.projectId]);
        break;
      } catch (error) {
        if ((error as { code?: string }).code !== FOREIGN_KEY_VIOLATION || attempt >= 20) throw error;
      }
    }
    await this.client.query(`delete from admin_audit_log where action = 'workflow_run.retry' and reason = $1`, [this.reason]);
    await this.client.query('delete from projects where id = $1', [this.projectId]);
    this.projectId = undefined;
  }
}

/**
 * What a retry of `originalId` left in the database, with ids made relative: the new run (copied from
 * the original, queued, naming it) and its audit row (naming both), and the original's state after it.
 * Every server's retry must leave the same.
 */
export async function retryFingerprint(client: pg.Client, originalId: string, answeredNewRunId: string): Promise<string> {
  const { rows } = await client.query(
    `select o.status as original_status, n.project_id = o.project_id as same_project, n.action_id = o.action_id as same_action, n.status,
            n.idempotency_key = o.idempotency_key || ':retry:' || o.id::text as retry_key, n.attempts, n.max_attempts = o.max_attempts as same_max,
            n.params = o.params as same_params, n.started_at, n.completed_at, n.lease_expires_at, n.result, n.outcome, n.error,
            n.requested_at > o.requested_at as requested_later, n.id::text = $2 as answered_id,
            a.admin_id, a.action, a.target_type, a.target_id = o.id::text as audit_target, a.reason is not null as has_reason,
            a.details - 'newRunId' as details, a.details ->> 'newRunId' = n.id::text as audit_names_new_run, a.request_id is not null as has_request_id,
            (select count(*)::int from admin_audit_log x where x.target_id = o.id::text) as audit_rows,
            (select count(*)::int from workflow_runs x where x.retry_of = o.id) as retries
     from workflow_runs o
     join workflow_runs n on n.retry_of = o.id
     join admin_audit_log a on a.target_id = o.id::text and a.action = 'workflow_run.retry'
     where o.id = $1`,
    [originalId, answeredNewRunId],
  );
  return JSON.stringify(rows);
}
