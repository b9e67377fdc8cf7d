import { initTRPC } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createContextInner } from './context.js';
import { listProcedures } from './procedures.js';
import { createRollupCoordinator } from './rollup/coordinator.js';
import { appRouter } from './root.js';
import { createProject, createRun, createTestDatabase, type TestDatabase, testActor } from './testing/index.js';
import { ZListRunsInput, ZListRunsOutput, ZRetryRunOutput } from './workflow-runs/schemas.js';

let testDb: TestDatabase;
beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.destroy());

/**
 * The REST adapter and the OpenAPI document see procedures only through `listProcedures`, which
 * reads tRPC's undocumented `_def`. These fail loudly if an upgrade of `@trpc/server` changes it.
 */
describe('listProcedures', () => {
  it('finds every procedure of the app router with its type, meta and schemas', () => {
    const byPath = new Map(listProcedures(appRouter).map((p) => [p.path, p]));
    expect(byPath.get('workflowRuns.list')).toMatchObject({
      type: 'query',
      meta: { rest: { method: 'GET', path: '/v1/admin/inhouse/workflow-runs' } },
      input: ZListRunsInput,
      output: ZListRunsOutput,
    });
    // A checked output (writes) is found as well as a trusted one (reads).
    expect(byPath.get('workflowRuns.retry')).toMatchObject({ type: 'mutation', output: ZRetryRunOutput });
    for (const procedure of byPath.values()) {
      expect(procedure.meta?.rest, procedure.path).toBeDefined();
      expect(procedure.output, procedure.path).toBeInstanceOf(z.ZodType);
    }
    expect([...byPath.keys()].every((path) => /^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/.test(path))).toBe(true);
  });

  it('calls a procedure through its middlewares and validation', async () => {
    const project = await createProject(testDb.db);
    const run = await createRun(testDb.db, project.id, { status: 'failed' });
    const list = listProcedures(appRouter).find((p) => p.path === 'workflowRuns.list');
    const ctx = (actor = testActor()) => createContextInner({ db: testDb.db, actor, rollup: createRollupCoordinator(testDb.db) });
    const answer = (await list?.call(ctx(), { projectId: project.id })) as { runs: { id: string }[] };
    expect(answer.runs.map((r) => r.id)).toEqual([run.id]);
    await expect(list?.call(ctx(testActor([])), {})).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(list?.call(ctx(), { limit: 0 })).rejects.toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('says which internals changed instead of serving a wrong table', () => {
    const t = initTRPC.create();
    const router = t.router({ ping: t.procedure.query(() => 'pong') });
    expect(listProcedures(router).map((p) => [p.path, p.type, p.input, p.output])).toEqual([['ping', 'query', undefined, undefined]]);
    expect(() => listProcedures({ _def: {} } as unknown as typeof router)).toThrow(/tRPC internals changed/);
    expect(() => listProcedures({ _def: { procedures: { ping: { _def: {} } } } } as unknown as typeof router)).toThrow(/procedure ping/);
  });
});
