import { createAdminClient, TRPCClientError } from '@runhub/client';
import { createEvent, createProject } from '@runhub/router/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, createHarness, type Harness, readEnvelope, tokenHeaders } from './test/harness.js';

const EVENTS = '/v1/admin/inhouse/business-events';
let h: Harness;
let projectId: string;
const ids: number[] = [];

beforeAll(async () => {
  h = await createHarness();
  projectId = (await createProject(h.testDb.db, { name: 'Nile Spice Market' })).id;
  for (const [type, day] of [
    ['lead_created', 28],
    ['payment_succeeded', 29],
    ['payment_succeeded', 30],
  ] as const) {
    const event = await createEvent(h.testDb.db, projectId, { event_type: type, occurred_at: `2026-01-${day}T10:00:00Z`, payload: { note: 'ü 🚚' } });
    ids.push(event.id);
  }
});
afterAll(() => h.testDb.destroy());

const get = async (path: string) => {
  const response = await h.app.request(path, { headers: tokenHeaders() });
  return { status: response.status, body: await readEnvelope(response) };
};

describe('business events over REST', () => {
  it('lists in the envelope and pages on with the cursor from the query string', async () => {
    const first = await get(`${EVENTS}?projectId=${projectId}&limit=2`);
    expect(first.status).toBe(200);
    const data = first.body.data as { events: { id: unknown; projectName: string; payload: unknown }[]; nextCursor: string };
    expect(data.events.map((e) => e.id)).toEqual([ids[2], ids[1]]);
    expect(data.events[0]).toMatchObject({ projectName: 'Nile Spice Market', payload: { note: 'ü 🚚' }, anonymousId: null });
    const second = await get(`${EVENTS}?projectId=${projectId}&limit=2&cursor=${data.nextCursor}`);
    expect(second.body).toMatchObject({ ok: true, data: { events: [{ id: ids[0] }], nextCursor: null } });

    const filtered = await get(`${EVENTS}?projectId=${projectId}&eventType=payment_succeeded&startDate=2026-01-30&endDate=2026-01-30`);
    expect((filtered.body.data as { events: { id: number }[] }).events.map((e) => e.id)).toEqual([ids[2]]);
  });

  it('answers stats for a range, and routes /stats before /:id', async () => {
    const { status, body } = await get(`${EVENTS}/stats?projectId=${projectId}&startDate=2026-01-23&endDate=2026-01-30`);
    expect(status).toBe(200);
    expect(body).toEqual({
      ok: true,
      data: {
        totalEvents: 3,
        startDate: '2026-01-23',
        endDate: '2026-01-30',
        byType: [
          { eventType: 'payment_succeeded', count: 2 },
          { eventType: 'lead_created', count: 1 },
        ],
      },
    });
  });

  it('gets one event by numeric id or public id, and 404s an unknown one', async () => {
    const byId = await get(`${EVENTS}/${ids[0]}`);
    expect(byId.status).toBe(200);
    const event = byId.body.data as { id: number; publicId: string };
    expect(event.id).toBe(ids[0]);
    expect((await get(`${EVENTS}/${event.publicId}`)).body).toEqual(byId.body);
    for (const unknown of ['999999999', 'evt_nope']) {
      const missing = await get(`${EVENTS}/${unknown}`);
      expect(missing.status).toBe(404);
      expect(missing.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    }
  });

  it('takes the explorer filters from the query string: prefixes, a URL-encoded payload, exact ids, groupBy=day', async () => {
    const event = await createEvent(h.testDb.db, projectId, {
      event_type: 'refund_issued',
      occurred_at: '2026-01-31T08:00:00Z',
      source: 'admin',
      entity_type: 'order',
      entity_id: 'ord 1/2',
      session_id: 's&1',
      anonymous_id: 'anon+1',
      correlation_id: 'corr=1',
      payload: { customer: { tier: 'gold' }, note: 'ü' },
    });
    const payload = encodeURIComponent('{"customer":{"tier":"gold"},"note":"ü"}');
    const query = `entityType=order&entityId=${encodeURIComponent('ord 1/2')}&sessionId=${encodeURIComponent('s&1')}&anonymousId=${encodeURIComponent('anon+1')}&correlationId=${encodeURIComponent('corr=1')}&source=admin&payload=${payload}&eventType=refund_*,nothing`;
    const listed = await get(`${EVENTS}?${query}`);
    expect(listed.status).toBe(200);
    expect((listed.body.data as { events: { id: number }[] }).events.map((e) => e.id)).toEqual([event.id]);
    const stats = await get(`${EVENTS}/stats?projectId=${projectId}&eventType=payment_*,refund_*&startDate=2026-01-29&endDate=2026-01-31&groupBy=day`);
    expect(stats.body).toEqual({
      ok: true,
      data: {
        totalEvents: 3,
        startDate: '2026-01-29',
        endDate: '2026-01-31',
        byType: [
          { eventType: 'payment_succeeded', count: 2 },
          { eventType: 'refund_issued', count: 1 },
        ],
        byDay: [
          { date: '2026-01-29', count: 1 },
          { date: '2026-01-30', count: 1 },
          { date: '2026-01-31', count: 1 },
        ],
      },
    });
    const filtered = await get(`${EVENTS}/stats?projectId=${projectId}&payload=${payload}&startDate=2026-01-31&endDate=2026-01-31&groupBy=&source=`);
    expect(filtered.body).toMatchObject({ ok: true, data: { totalEvents: 1, byType: [{ eventType: 'refund_issued', count: 1 }] } });
    expect(filtered.body.data).not.toHaveProperty('byDay');
  });

  it.each([
    [`${EVENTS}?eventType=payment_%25*`, 'eventType'],
    [`${EVENTS}?eventType=${Array.from({ length: 21 }, (_, i) => `t${i}`).join(',')}`, 'eventType'],
    [`${EVENTS}?payload=not-json`, 'payload'],
    [`${EVENTS}?payload=%5B1%5D`, 'payload'],
    [`${EVENTS}?payload=${encodeURIComponent(JSON.stringify({ k: 'x'.repeat(1_993) }))}`, 'payload'],
    [`${EVENTS}?sessionId=${'s'.repeat(201)}`, 'sessionId'],
    [`${EVENTS}/stats?payload=%7B`, 'payload'],
    [`${EVENTS}/stats?groupBy=week`, 'groupBy'],
    [`${EVENTS}/stats?groupBy=day&startDate=2025-01-01&endDate=2026-01-02`, 'startDate'],
    [`${EVENTS}/stats?correlationId=${'c'.repeat(201)}`, 'correlationId'],
    [`${EVENTS}/export?eventType=bad%20type`, 'eventType'],
    [`${EVENTS}/export?payload=%22x%22`, 'payload'],
    [`${EVENTS}/export?entityId=${'e'.repeat(201)}`, 'entityId'],
  ])('answers 400 naming the field for %s', async (path, field) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'BAD_REQUEST', details: { issues: [expect.objectContaining({ path: field })] } });
  });

  it.each([
    [`${EVENTS}?startDate=2026-02-30`, 'startDate'],
    [`${EVENTS}?startDate=2026-01-31&endDate=2026-01-30`, 'startDate'],
    [`${EVENTS}?limit=abc`, 'limit'],
    [`${EVENTS}?limit=500`, 'limit'],
    [`${EVENTS}?eventType=a&eventType=b`, 'eventType'],
    [`${EVENTS}?cursor=bm90LWEtY3Vyc29y`, 'cursor'],
    [`${EVENTS}/stats?endDate=2026-13-01`, 'endDate'],
    [`${EVENTS}/-1`, 'id'],
    [`${EVENTS}/12.5`, 'id'],
    [`${EVENTS}/99999999999999999999`, 'id'],
    [`${EVENTS}/evt_%27%20or%201=1`, 'id'],
    [`${EVENTS}/%E0%A4%A`, 'id'],
  ])('answers 400 with details.issues for %s', async (path, field) => {
    const { status, body } = await get(path);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'BAD_REQUEST', details: { issues: [expect.objectContaining({ path: field })] } });
  });

  it('answers 405 to another method on a known path', async () => {
    const response = await h.app.request(`${EVENTS}/stats`, { method: 'POST', headers: tokenHeaders() });
    expect(response.status).toBe(405);
  });
});

describe('business events through the typed client', () => {
  const admin = () => createAdminClient({ baseUrl: 'http://runhub.test', token: ADMIN_TOKEN, fetch: async (input, init) => h.app.request(input, init) });

  it('lists, counts and gets with typed inputs and outputs', async () => {
    const client = admin();
    const { events } = await client.businessEvents.list.query({ projectId, eventType: 'payment_succeeded' });
    const newest = events[0];
    expect(newest?.id).toBe(ids[2]);
    expect(await client.businessEvents.get.query({ id: ids[2] ?? 0 })).toEqual(newest);
    expect(await client.businessEvents.get.query({ id: newest?.publicId ?? '' })).toEqual(newest);
    const stats = await client.businessEvents.stats.query({ projectId, startDate: '2026-01-29', endDate: '2026-01-30' });
    expect(stats.totalEvents).toBe(2);
  });

  it('takes the explorer filters typed: payload as an object, groupBy answering byDay', async () => {
    const client = admin();
    const { events } = await client.businessEvents.list.query({ projectId, eventType: 'payment_*,lead_created', payload: { note: 'ü 🚚' } });
    expect(events.map((e) => e.id).slice(-3)).toEqual([ids[2], ids[1], ids[0]]);
    const stats = await client.businessEvents.stats.query({
      projectId,
      eventType: 'payment_*',
      startDate: '2026-01-28',
      endDate: '2026-01-29',
      groupBy: 'day',
    });
    expect(stats.byDay).toEqual([
      { date: '2026-01-28', count: 0 },
      { date: '2026-01-29', count: 1 },
    ]);
  });

  it('gives SPEC error codes to the client', async () => {
    const error = await admin()
      .businessEvents.get.query({ id: 'not-an-id' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCClientError);
    expect((error as TRPCClientError<never>).data).toMatchObject({ code: 'BAD_REQUEST', httpStatus: 400 });
  });
});
