import { type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import { z } from 'zod';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/** `limit` of every list: an integer 1–200, 50 when absent (SPEC §3.1). */
export const zLimit = z.int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT);

/** A timestamp as cursor text (see `cursorTime`), microseconds included. */
const zTimestampText = z.string().regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)$/);

/** The sort key of a `(timestamp desc, id desc)` keyset: the timestamp as text and the row id. */
export type TimeKey<Id> = readonly [timestamp: string, id: Id];

/** How a list's rows are told apart after their timestamp: a uuid or a bigint identity. */
export type KeysetIdType = 'uuid' | 'bigint';
type IdOf<T extends KeysetIdType> = T extends 'uuid' ? string : number;

const ID_SCHEMAS: { [T in KeysetIdType]: z.ZodType<IdOf<T>> } = { uuid: z.guid(), bigint: z.int().positive() };

export interface KeysetListSpec<T extends KeysetIdType> {
  /** Written into every cursor, so that a cursor of another list is a 400 instead of being misread. */
  name: string;
  /** The sort timestamp, newest first: a column (`r.requested_at`), or an expression written exactly as its indexes have it. */
  time: string | RawBuilder<Date>;
  /** The tie-breaker column (`r.id`). Rows must select it as `id`. */
  id: string;
  idType: T;
}

type LooseQuery = SelectQueryBuilder<Record<string, Record<string, unknown>>, string, Record<string, unknown>>;

/** One page's position: after the cursor's row (or from the start), `limit` rows. */
export interface PageRequest<Id> {
  cursor?: TimeKey<Id> | undefined;
  limit: number;
}

/** A keyset-paged list, declared once: its cursor schema, its page query and its page follow from the declaration. */
export interface KeysetList<Id extends string | number> {
  readonly name: string;
  /** The `cursor` input: a string on the wire, the decoded key after parsing; a cursor of another list is an issue. */
  readonly cursor: z.ZodType<TimeKey<Id>, string>;
  /**
   * Adds to a page query the sort key (selected as `sort_key`), the keyset condition after the
   * cursor, the order `(time desc, id desc)` and `limit + 1` (the extra row only tells whether a
   * next page exists).
   */
  paginate<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>, page: PageRequest<Id>): SelectQueryBuilder<DB, TB, O & { sort_key: string }>;
  /** The page of `limit` rows and the cursor after its last row (null on the last page). */
  toPage<Row extends { id: Id; sort_key: string }>(rows: Row[], limit: number): { page: Row[]; nextCursor: string | null };
}

/**
 * Declares a list newest first by a timestamp, then id, paged by keyset (`(time, id) < (…)`,
 * never OFFSET), so page 1,000 costs what page 1 costs and rows inserted meanwhile neither repeat
 * nor vanish.
 *
 * @example
 * export const RUNS_LIST = keysetList({ name: 'workflow-runs', time: 'r.requested_at', id: 'r.id', idType: 'uuid' });
 * const input = z.object({ limit: zLimit, cursor: RUNS_LIST.cursor.optional() });
 * const rows = await RUNS_LIST.paginate(db.selectFrom('workflow_runs as r').select(['r.id']), input).execute();
 * const { page, nextCursor } = RUNS_LIST.toPage(rows, input.limit);
 */
export function keysetList<T extends KeysetIdType>(spec: KeysetListSpec<T>): KeysetList<IdOf<T>> {
  const time = typeof spec.time === 'string' ? sql.ref(spec.time) : spec.time;
  const id = sql.ref(spec.id);
  return {
    name: spec.name,
    cursor: zCursorOf(spec.name, ID_SCHEMAS[spec.idType] as z.ZodType<IdOf<T>>),
    // Typed by the interface; the query's own tables and columns were checked where it was built.
    paginate: ((query: LooseQuery, page: PageRequest<IdOf<T>>): LooseQuery => {
      let paged = query.select(cursorTime(time).as('sort_key'));
      if (page.cursor) {
        const [timestamp, rowId] = page.cursor;
        // A row comparison, so the `(…, time desc, id desc)` index serves it as a range.
        paged = paged.where(sql<boolean>`(${time}, ${id}) < (${timestamp}::timestamptz, ${rowId}::${sql.raw(spec.idType)})`);
      }
      return paged
        .orderBy(time, 'desc')
        .orderBy(id, 'desc')
        .limit(page.limit + 1);
    }) as unknown as KeysetList<IdOf<T>>['paginate'],
    toPage(rows, limit) {
      if (rows.length <= limit) return { page: rows, nextCursor: null };
      const page = rows.slice(0, limit);
      const last = page[page.length - 1];
      return { page, nextCursor: last === undefined ? null : encodeCursor(spec.name, [last.sort_key, last.id]) };
    },
  };
}

/**
 * Opaque cursor for one list: base64url of `[list, ...key]`. Exported for tests and tools that
 * need a cursor at a chosen row; lists make theirs with `toPage`.
 */
export function encodeCursor(list: string, key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify([list, ...key])).toString('base64url');
}

function zCursorOf<Id>(list: string, id: z.ZodType<Id>): z.ZodType<TimeKey<Id>, string> {
  const key = z.tuple([z.literal(list), zTimestampText, z.unknown()]);
  return z
    .string()
    .max(512)
    .transform((text, ctx): TimeKey<Id> => {
      const decoded = key.safeParse(decodeJson(text));
      const rowId = decoded.success ? id.safeParse(decoded.data[2]) : undefined;
      if (!decoded.success || !rowId?.success) {
        ctx.addIssue({ code: 'custom', message: 'Invalid cursor: not a cursor of this list' });
        return z.NEVER;
      }
      return [decoded.data[1], rowId.data];
    });
}

function decodeJson(text: string): unknown {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) return undefined;
  try {
    return JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

export const zIsoTimestamp = z.iso.datetime();

/**
 * A timestamptz column as SPEC's wire timestamp, made by PostgreSQL exactly as `toISOString()`
 * writes it (UTC, milliseconds truncated, `…Z`); null stays null. A row read this way costs no
 * Date parse in the driver and no `toISOString()` after, which is a fifth of a list row's CPU and
 * much of its garbage (what an export of a million rows spends its time on).
 *
 * @example
 * db.selectFrom('workflow_runs as r').select(isoTimestamp<string | null>('r.started_at').as('started_at'))
 */
export function isoTimestamp<T extends string | null = string>(column: string): RawBuilder<T> {
  return sql<T>`to_char(${sql.ref(column)} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

/** A Date as SPEC's wire timestamp (`toISOString()`, UTC, `…Z`), null kept as null. */
export function toIso(value: Date | null): string | null {
  return value === null ? null : value.toISOString();
}

/**
 * A list's sort timestamp as cursor text: UTC with microseconds, whatever the session's TimeZone,
 * so a cursor never loses precision and reads the same on every connection.
 */
export function cursorTime(time: RawBuilder<unknown>): RawBuilder<string> {
  return sql<string>`to_char(${time} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
