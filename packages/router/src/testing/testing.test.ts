import { createDatabase } from '@runhub/db';
import {
  createEvent,
  createProject,
  createRun,
  createSend,
  createStuckRun,
  createTestCaller,
  createTestDatabase,
  errorOf,
  type TestDatabase,
} from '@runhub/router/testing';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Imported by the package's public name, as a downstream project's test would.
let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.destroy());

describe('@runhub/router/testing', () => {
  it('calls a procedure on a migrated throwaway database in a few lines', async () => {
    const project = await createProject(testDb.db);
    await createRun(testDb.db, project.id, { status: 'failed' });
    const { runs } = await createTestCaller(testDb.db).workflowRuns.list({ projectId: project.id, status: 'failed' });
    expect(runs).toEqual([expect.objectContaining({ projectId: project.id, status: 'failed' })]);
  });

  it('makes callers with chosen permissions and admin id, or anonymous ones', async () => {
    const project = await createProject(testDb.db);
    const failed = await createRun(testDb.db, project.id, { status: 'failed' });

    const reader = createTestCaller(testDb.db, { permissions: ['inhouse.read'] });
    expect((await reader.workflowRuns.list({ projectId: project.id })).runs).toHaveLength(1);
    expect(await errorOf(reader.workflowRuns.retry({ id: failed.id, reason: 'x' }))).toEqual({ code: 'FORBIDDEN' });
    expect(await errorOf(createTestCaller(testDb.db, { actor: null }).workflowRuns.list({}))).toEqual({ code: 'UNAUTHORIZED' });

    const writer = createTestCaller(testDb.db, { permissions: ['inhouse.read', 'inhouse.write'], adminId: 'ops-7' });
    const { newRunId } = await writer.workflowRuns.retry({ id: failed.id, reason: 'provider is back' });
    const { entries } = await writer.auditLog.list({ adminId: 'ops-7' });
    expect(entries).toEqual([expect.objectContaining({ adminId: 'ops-7', action: 'workflow_run.retry', targetId: failed.id })]);
    expect(await errorOf(writer.workflowRuns.retry({ id: failed.id, reason: 'again' }))).toEqual({ code: 'CONFLICT', details: { retryRunId: newRunId } });
  });

  it('has factories for stuck runs, sends and events that the procedures see', async () => {
    const project = await createProject(testDb.db, { name: 'Factory Store' });
    const stuck = await createStuckRun(testDb.db, project.id);
    await createSend(testDb.db, stuck, { recipient_email: 'ada@example.com' });
    const event = await createEvent(testDb.db, project.id, { event_type: 'lead_created' });
    const caller = createTestCaller(testDb.db);
    expect((await caller.workflowRuns.stuck({ projectId: project.id })).runs.map((run) => run.id)).toEqual([stuck.id]);
    expect((await caller.workflowSends.list({ projectId: project.id })).sends).toEqual([
      expect.objectContaining({ runId: stuck.id, recipientEmail: 'ada@example.com' }),
    ]);
    expect(await caller.businessEvents.get({ id: event.public_id })).toMatchObject({ projectName: 'Factory Store', eventType: 'lead_created' });
  });

  it('gives each test database its own PostgreSQL database, dropped on destroy (PGlite: in memory)', async () => {
    const base = process.env.TEST_DATABASE_URL;
    if (!base) return expect(testDb.url).toBeNull();
    const other = await createTestDatabase();
    const name = new URL(other.url ?? '').pathname.slice(1);
    expect(name).not.toBe(new URL(base).pathname.slice(1));
    expect(other.url).not.toBe(testDb.url);
    await other.destroy();
    const server = createDatabase({ url: base, poolSize: 1 });
    const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_database where datname = ${name}`.execute(server);
    await server.destroy();
    expect(rows[0]?.n).toBe(0);
  });
});
