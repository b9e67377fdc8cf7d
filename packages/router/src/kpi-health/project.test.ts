import type { Database, NewProject } from '@runhub/db';
import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { useRollupBed } from '../testing/hooks.js';
import { codeOf, createProject as createAnyProject, createEvent, failureOf, testActor } from '../testing/index.js';

/** SPEC §8.1: `GET /kpi-health/projects/:projectId`. */
const MINUTE = 60_000;
/** 20:00 UTC on the 30th is already 05:00 on the 31st in Tokyo (UTC+9). */
const NOW = Date.parse('2026-01-30T20:00:00.000Z');

const createProject = (db: Kysely<Database>, overrides: Partial<NewProject> = {}) =>
  createAnyProject(db, { created_at: new Date('2026-01-01T00:00:00Z'), ...overrides });

const bed = useRollupBed(NOW, { intervalMinutes: 10 });

const { caller } = bed;

function payment(projectId: string, occurredAt: string, amount: number) {
  return createEvent(bed.db, projectId, {
    occurred_at: new Date(occurredAt),
    received_at: new Date(NOW - 10 * MINUTE),
    payload: { amount, currency: 'USD' },
  });
}

describe('kpiHealth.project', () => {
  it('answers the project as the list does, its freshness, and its last days ending with its today, zero-filled', async () => {
    const { db } = bed;
    const project = await createProject(db, { name: 'Tokyo Tea', timezone: 'Asia/Tokyo' });
    await payment(project.id, '2026-01-30T16:00:00Z', 700); // 01:00 on the 31st in Tokyo: today
    await payment(project.id, '2026-01-29T10:00:00Z', 300); // 19:00 on the 29th
    await payment(project.id, '2026-01-29T11:00:00Z', 200);
    await createEvent(db, project.id, {
      event_type: 'lead_created',
      occurred_at: new Date('2026-01-27T01:00:00Z'),
      received_at: new Date(NOW - 10 * MINUTE),
      payload: {},
    });
    await payment(project.id, '2026-01-20T01:00:00Z', 5); // before the 5 days asked for
    await caller().kpiHealth.triggerRollup({ projectId: project.id, reason: 'test' });
    await bed.rollup.idle();
    bed.clock.advance(90_500);

    const detail = await caller().kpiHealth.project({ projectId: project.id, days: 5 });
    const { projects } = await caller().kpiHealth.projects();
    expect(detail).toEqual({
      project: projects[0],
      timezone: 'Asia/Tokyo',
      staleAfterMinutes: 20,
      lastRollupAgeSeconds: 90,
      days: [
        { date: '2026-01-27', revenueCents: 0, leads: 1, payments: 0 },
        { date: '2026-01-28', revenueCents: 0, leads: 0, payments: 0 },
        { date: '2026-01-29', revenueCents: 500, leads: 0, payments: 2 },
        { date: '2026-01-30', revenueCents: 0, leads: 0, payments: 0 },
        { date: '2026-01-31', revenueCents: 700, leads: 0, payments: 1 },
      ],
    });
    expect(detail.project).toMatchObject({ projectId: project.id, projectName: 'Tokyo Tea', todayRevenueCents: 700, status: 'healthy' });
  });

  it('answers 30 days by default, and 1 or 366 when asked; lastRollupAgeSeconds is null before any rollup', async () => {
    const project = await createProject(bed.db);
    const byDefault = await caller().kpiHealth.project({ projectId: project.id });
    expect(byDefault.lastRollupAgeSeconds).toBeNull();
    expect(byDefault.project).toMatchObject({ lastRollupAt: null, status: 'no_data' });
    expect(byDefault.days).toHaveLength(30);
    expect(byDefault.days[0]).toEqual({ date: '2026-01-01', revenueCents: 0, leads: 0, payments: 0 });
    expect(byDefault.days.at(-1)?.date).toBe('2026-01-30');
    expect((await caller().kpiHealth.project({ projectId: project.id, days: 1 })).days.map((d) => d.date)).toEqual(['2026-01-30']);
    const year = await caller().kpiHealth.project({ projectId: project.id, days: 366 });
    expect(year.days).toHaveLength(366);
    expect([year.days[0]?.date, year.days.at(-1)?.date]).toEqual(['2025-01-30', '2026-01-30']);
  });

  it("ends with today in UTC for a time zone PostgreSQL does not know, and still shows that project's buckets", async () => {
    const { db } = bed;
    const project = await createProject(db, { timezone: 'Mars/Olympus' });
    await db
      .insertInto('business_kpi_daily')
      .values({ project_id: project.id, date: '2026-01-29', revenue_cents: 42, leads: 0, payments: 1, currency_code: 'USD' })
      .execute();
    const detail = await caller().kpiHealth.project({ projectId: project.id, days: 2 });
    expect(detail.days).toEqual([
      { date: '2026-01-29', revenueCents: 42, leads: 0, payments: 1 },
      { date: '2026-01-30', revenueCents: 0, leads: 0, payments: 0 },
    ]);
    expect(detail.timezone).toBe('Mars/Olympus');
  });

  it('answers NOT_FOUND for an unknown project and BAD_REQUEST for a malformed id or days', async () => {
    const project = await createProject(bed.db);
    expect(await codeOf(caller().kpiHealth.project({ projectId: '7b0a7a52-0c55-4f3e-9a38-0d8f5b1d2c11' }))).toBe('NOT_FOUND');
    expect(await failureOf(caller().kpiHealth.project({ projectId: 'not-a-uuid' }))).toEqual({ code: 'BAD_REQUEST', paths: ['projectId'] });
    for (const days of [0, 367, 2.5]) {
      expect(await failureOf(caller().kpiHealth.project({ projectId: project.id, days }))).toEqual({ code: 'BAD_REQUEST', paths: ['days'] });
    }
  });

  it('needs inhouse.read', async () => {
    const project = await createProject(bed.db);
    expect(await codeOf(caller({ actor: testActor(['inhouse.write']) }).kpiHealth.project({ projectId: project.id }))).toBe('FORBIDDEN');
    expect(await codeOf(caller({ actor: null }).kpiHealth.project({ projectId: project.id }))).toBe('UNAUTHORIZED');
  });
});
