import { DummyDriver, Kysely, PostgresAdapter, PostgresIntrospector, PostgresQueryCompiler, sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { cursorTime, DEFAULT_LIMIT, encodeCursor, isoTimestamp, keysetList, MAX_LIMIT, toIso, zIsoTimestamp, zLimit } from './pagination.js';

/** Compiles queries without a database. */
const db = new Kysely<Record<string, Record<string, unknown>>>({
  dialect: {
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (k) => new PostgresIntrospector(k),
    createQueryCompiler: () => new PostgresQueryCompiler(),
  },
});
const RUNS = keysetList({ name: 'runs', time: 'r.requested_at', id: 'r.id', idType: 'uuid' });
const EVENTS = keysetList({ name: 'events', time: sql<Date>`coalesce(e.a, e.b)`, id: 'e.id', idType: 'bigint' });
const ID = '0b5c2d2e-8f3a-4c1e-9d7b-2a6f4e8c1b3d';
const AT = '2026-01-30T10:00:00.123456Z';

describe('zLimit', () => {
  it('is an integer from 1 to 200, 50 when absent', () => {
    expect(DEFAULT_LIMIT).toBe(50);
    expect(MAX_LIMIT).toBe(200);
    expect(zLimit.parse(undefined)).toBe(50);
    expect(zLimit.parse(1)).toBe(1);
    expect(zLimit.parse(200)).toBe(200);
    for (const bad of [0, 201, 1.5, -1, '5']) expect(zLimit.safeParse(bad).success, String(bad)).toBe(false);
  });
});

describe('a keyset list cursor', () => {
  it('reads back the key toPage wrote, for its own list only', () => {
    const rows = [
      { id: 'a', sort_key: '2026-01-30T10:00:00.000003Z' },
      { id: ID, sort_key: AT },
      { id: 'c', sort_key: '2026-01-30T09:00:00Z' },
    ];
    const { page, nextCursor } = RUNS.toPage(rows, 2);
    expect(page).toEqual(rows.slice(0, 2));
    expect(nextCursor).toBe(encodeCursor('runs', [AT, ID]));
    expect(RUNS.cursor.parse(nextCursor)).toEqual([AT, ID]);
    expect(RUNS.toPage(rows, 3)).toEqual({ page: rows, nextCursor: null });
    expect(RUNS.toPage(rows, 4)).toEqual({ page: rows, nextCursor: null });
    expect(RUNS.toPage([], 0)).toEqual({ page: [], nextCursor: null });
    expect(RUNS.toPage(rows, 0)).toEqual({ page: [], nextCursor: null });
    expect(RUNS.name).toBe('runs');
  });

  it.each([
    ['another list', encodeCursor('events', [AT, ID])],
    ['a bigint where a uuid belongs', encodeCursor('runs', [AT, 7])],
    ['a timestamp that is not one', encodeCursor('runs', ['2026-01-30', ID])],
    ['a timestamp with a trailing text', encodeCursor('runs', [`${AT}x`, ID])],
    ['a timestamp with text before', encodeCursor('runs', [`x${AT}`, ID])],
    ['a key too short', encodeCursor('runs', [AT])],
    ['a key too long', encodeCursor('runs', [AT, ID, 'more'])],
    ['text that is not base64url', `${encodeCursor('runs', [AT, ID])}=`],
    ['base64url that is not JSON', Buffer.from('not json').toString('base64url')],
    ['over 512 characters', 'A'.repeat(513)],
  ])('is an issue for %s', (_name, text) => {
    const parsed = RUNS.cursor.safeParse(text);
    expect(parsed.success).toBe(false);
    if (!parsed.success && text.length <= 512) expect(parsed.error.issues[0]?.message).toBe('Invalid cursor: not a cursor of this list');
  });

  it('takes timestamps with a space, an offset or no fraction, and positive bigint ids', () => {
    for (const at of ['2026-01-30 10:00:00+02', '2026-01-30T10:00:00+02:00', '2026-01-30T10:00:00Z', '2026-01-30T10:00:00.1-05']) {
      expect(RUNS.cursor.safeParse(encodeCursor('runs', [at, ID])).success, at).toBe(true);
    }
    expect(EVENTS.cursor.parse(encodeCursor('events', [AT, 42]))).toEqual([AT, 42]);
    expect(EVENTS.cursor.safeParse(encodeCursor('events', [AT, 0])).success).toBe(false);
    expect(EVENTS.cursor.safeParse(encodeCursor('events', [AT, 1.5])).success).toBe(false);
  });
});

describe('paginate', () => {
  it('orders newest first by time then id, asks one row more, and starts after the cursor', () => {
    const first = RUNS.paginate(db.selectFrom('workflow_runs as r').select('r.id'), { limit: 20 }).compile();
    expect(first.sql).toBe(
      `select "r"."id", to_char("r"."requested_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as "sort_key" from "workflow_runs" as "r" order by "r"."requested_at" desc, "r"."id" desc limit $1`,
    );
    expect(first.parameters).toEqual([21]);
    const after = RUNS.paginate(db.selectFrom('workflow_runs as r').select('r.id'), { limit: 5, cursor: [AT, ID] }).compile();
    expect(after.sql).toContain(`where ("r"."requested_at", "r"."id") < ($1::timestamptz, $2::uuid) order by`);
    expect(after.parameters).toEqual([AT, ID, 6]);
    const events = EVENTS.paginate(db.selectFrom('business_events as e').select('e.id'), { limit: 1, cursor: [AT, 9] }).compile();
    expect(events.sql).toContain('where (coalesce(e.a, e.b), "e"."id") < ($1::timestamptz, $2::bigint) order by coalesce(e.a, e.b) desc, "e"."id" desc');
  });
});

describe('timestamps on the wire', () => {
  it('writes them as toISOString does, in SQL and in JS', () => {
    expect(isoTimestamp('r.started_at').compile(db).sql).toBe(`to_char("r"."started_at" at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`);
    expect(cursorTime(sql`x`).compile(db).sql).toBe(`to_char(x at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`);
    expect(toIso(new Date('2026-01-30T10:00:00.5Z'))).toBe('2026-01-30T10:00:00.500Z');
    expect(toIso(null)).toBeNull();
    expect(zIsoTimestamp.safeParse('2026-01-30T10:00:00.000Z').success).toBe(true);
    expect(zIsoTimestamp.safeParse('2026-01-30').success).toBe(false);
  });
});
