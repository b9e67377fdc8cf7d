import { describe, expect, it } from 'vitest';
import { encodeCursor } from '../pagination.js';
import { useRollupBed } from '../testing/hooks.js';
import { codeOf, createEvent, createProject, failureOf, holdRollupLock, testActor } from '../testing/index.js';

/** SPEC §8.3: `GET /kpi-health/rollup-runs`. */
const MINUTE = 60_000;
const NOW = Date.parse('2026-01-30T12:00:00.000Z');

const bed = useRollupBed(NOW);

const { caller } = bed;

describe('kpiHealth.rollupRuns', () => {
  it('lists every run newest first with its trigger, scope, range, status, timings, progress, error and requester', async () => {
    const { db } = bed;
    const shop = await createProject(db, { name: 'Shop', created_at: new Date('2026-01-01T00:00:00Z') });
    const typo = await createProject(db, { name: 'Typo', timezone: 'Europe/Berln', created_at: new Date('2026-01-01T00:00:00Z') });
    await createEvent(db, typo.id, { occurred_at: new Date(NOW - MINUTE), received_at: new Date(NOW - MINUTE) });
    await bed.rollup.tick(); // the schedule's first run: all projects, one of which fails
    bed.clock.advance(MINUTE);
    const ops = caller({ actor: testActor(undefined, 'ops-9') });
    await ops.kpiHealth.triggerRollup({ projectId: shop.id, reason: 'import fixed', startDate: '2026-01-20', endDate: '2026-01-29' });
    await bed.rollup.idle();
    bed.clock.advance(MINUTE);
    // Queued behind a lock another holder keeps: it stays queued while the list is read.
    const lock = await holdRollupLock(db);
    await ops.kpiHealth.triggerRollup({ reason: 'nightly check' });

    const { runs, nextCursor } = await caller().kpiHealth.rollupRuns({});
    const durations = await db.selectFrom('kpi_rollup_runs').select(['id', 'duration_ms']).orderBy('id').execute();
    expect(nextCursor).toBeNull();
    expect(runs).toEqual([
      {
        id: 3,
        trigger: 'manual',
        projectId: null,
        projectName: null,
        startDate: null,
        endDate: null,
        status: 'queued',
        requestedAt: '2026-01-30T12:02:00.000Z',
        startedAt: null,
        finishedAt: null,
        durationMs: null,
        projectsChecked: null,
        error: null,
        requestedBy: 'ops-9',
        reason: 'nightly check',
      },
      {
        id: 2,
        trigger: 'manual',
        projectId: shop.id,
        projectName: 'Shop',
        startDate: '2026-01-20',
        endDate: '2026-01-29',
        status: 'succeeded',
        requestedAt: '2026-01-30T12:01:00.000Z',
        startedAt: '2026-01-30T12:01:00.000Z',
        finishedAt: new Date(NOW + MINUTE + (durations[1]?.duration_ms ?? 0)).toISOString(),
        durationMs: durations[1]?.duration_ms,
        projectsChecked: 1,
        error: null,
        requestedBy: 'ops-9',
        reason: 'import fixed',
      },
      {
        id: 1,
        trigger: 'schedule',
        projectId: null,
        projectName: null,
        startDate: null,
        endDate: null,
        status: 'failed',
        requestedAt: '2026-01-30T12:00:00.000Z',
        startedAt: '2026-01-30T12:00:00.000Z',
        finishedAt: new Date(NOW + (durations[0]?.duration_ms ?? 0)).toISOString(),
        durationMs: durations[0]?.duration_ms,
        projectsChecked: 2,
        error: '1 of 2 projects failed',
        requestedBy: null,
        reason: null,
      },
    ]);
    lock.release();
    await lock.released;
    await bed.rollup.idle();
  });

  it('pages by keyset, newest request first and then id, without repeating or losing a row as runs are added', async () => {
    const { db } = bed;
    // Five runs requested at the same moment and two later: the ties are broken by id.
    const at = (minutes: number) => new Date(NOW - minutes * MINUTE);
    const queuedAt = [at(10), at(10), at(10), at(10), at(10), at(5), at(1)];
    await db
      .insertInto('kpi_rollup_runs')
      .values(queuedAt.map((queued_at) => ({ trigger: 'manual' as const, status: 'succeeded' as const, queued_at })))
      .execute();
    const first = await caller().kpiHealth.rollupRuns({ limit: 3 });
    expect(first.runs.map((r) => r.id)).toEqual([7, 6, 5]);
    await db
      .insertInto('kpi_rollup_runs')
      .values({ trigger: 'schedule', status: 'queued', queued_at: new Date(NOW) })
      .execute();
    const second = await caller().kpiHealth.rollupRuns({ limit: 3, cursor: first.nextCursor ?? '' });
    expect(second.runs.map((r) => r.id)).toEqual([4, 3, 2]);
    const third = await caller().kpiHealth.rollupRuns({ limit: 3, cursor: second.nextCursor ?? '' });
    expect(third).toMatchObject({ runs: [{ id: 1 }], nextCursor: null });
  });

  it('answers BAD_REQUEST for a cursor that does not decode or belongs to another list, and for a bad limit', async () => {
    expect(await failureOf(caller().kpiHealth.rollupRuns({ cursor: 'garbage!' }))).toEqual({ code: 'BAD_REQUEST', paths: ['cursor'] });
    const auditCursor = encodeCursor('audit-log', ['2026-01-30T12:00:00.000000Z', 5]);
    expect(await failureOf(caller().kpiHealth.rollupRuns({ cursor: auditCursor }))).toEqual({ code: 'BAD_REQUEST', paths: ['cursor'] });
    expect(await failureOf(caller().kpiHealth.rollupRuns({ limit: 201 }))).toEqual({ code: 'BAD_REQUEST', paths: ['limit'] });
    expect(await codeOf(caller({ actor: testActor(['inhouse.write']) }).kpiHealth.rollupRuns({}))).toBe('FORBIDDEN');
  });
});
