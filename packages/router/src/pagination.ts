import { type RawBuilder, sql } from 'kysely';
import { z } from 'zod';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/** `limit` of every list: an integer 1–200, 50 when absent (SPEC §3.1). */
export const zLimit = z.int().min(1).max(MAX_LIMIT).default(DEFAULT_LIMIT);

/** A timestamp as cursor text (see `cursorTime`), microseconds included. */
const zTimestampText = z.string().regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d{1,6})?([+-]\d{2}(:\d{2})?|Z)$/);

/** The sort key of a `(timestamp desc, id desc)` keyset: the timestamp as text and the row id. */
export type TimeKey<Id> = readonly [timestamp: string, id: Id];

/**
 * Opaque cursor for one list: base64url of `[list, ...key]`. The list name is inside, so a cursor
 * from another list is rejected instead of being misread.
 */
export function encodeCursor(list: string, key: readonly unknown[]): string {
  return Buffer.from(JSON.stringify([list, ...key])).toString('base64url');
}

/**
 * The input schema of a list's `cursor`: a string on the wire, the decoded key after parsing.
 *
 * @example
 * cursor: zTimeCursor('workflow-runs', z.guid()).optional()
 */
export function zTimeCursor<Id extends z.ZodType<string | number>>(list: string, id: Id) {
  const key = z.tuple([z.literal(list), zTimestampText, z.unknown()]);
  return z
    .string()
    .max(512)
    .transform((text, ctx): TimeKey<z.output<Id>> => {
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

/**
 * Takes `limit + 1` rows (the extra one only tells whether another page exists) and answers the
 * page and the cursor after its last row.
 */
export function toPage<Row>(rows: Row[], limit: number, cursorOf: (row: Row) => string): { page: Row[]; nextCursor: string | null } {
  if (rows.length <= limit) return { page: rows, nextCursor: null };
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return { page, nextCursor: last === undefined ? null : cursorOf(last) };
}

export const zIsoTimestamp = z.iso.datetime();

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

/**
 * The keyset condition of a `(time desc, id desc)` list: the rows after the cursor's row. Written
 * as a row comparison, so the `(…, time desc, id desc)` index serves it as a range.
 */
export function afterCursor(
  time: RawBuilder<unknown>,
  id: RawBuilder<unknown>,
  cursor: TimeKey<string | number>,
  idType: 'uuid' | 'bigint',
): RawBuilder<boolean> {
  const [timestamp, rowId] = cursor;
  return sql<boolean>`(${time}, ${id}) < (${timestamp}::timestamptz, ${rowId}::${sql.raw(idType)})`;
}
