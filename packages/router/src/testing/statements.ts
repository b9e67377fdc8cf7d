import type { Database } from '@runhub/db';
import type { Kysely } from 'kysely';
import { expect } from 'vitest';
import type { ShapedQuery } from '../statement-cache.js';

/**
 * A check for one `shapedQuery`: primed with `first`, the statement must answer `second` (every
 * value different, same shape) with exactly the SQL and parameters of a fresh compile, and two
 * inputs that compile differently must never share a shape across the calls of one check.
 *
 * @example
 * const expectCachedAsFresh = shapeCheck(db, RUNS_PAGE);
 * expectCachedAsFresh({ input: first, clock }, { input: second, clock }, { flags });
 */
export function shapeCheck<I, Row>(db: Kysely<Database>, statement: ShapedQuery<I, Row, string | undefined>) {
  const sqlOfShape = new Map<string, string>();
  return (first: I, second: I, label?: unknown): void => {
    const shape = statement.shapeOf(second);
    expect(shape, 'a cached shape').toBeDefined();
    expect(statement.shapeOf(first)).toBe(shape);
    statement.compiled(db, first);
    const cached = statement.compiled(db, second);
    const fresh = statement.fresh(db, second);
    const key = shape ?? '';
    expect(sqlOfShape.get(key) ?? fresh.sql, `two inputs of shape ${key} compile differently`).toBe(fresh.sql);
    sqlOfShape.set(key, fresh.sql);
    // Compared as a whole only when they differ: the loops call this tens of thousands of times.
    if (cached.sql !== fresh.sql || JSON.stringify(cached.parameters) !== JSON.stringify(fresh.parameters)) {
      expect({ label, sql: cached.sql, parameters: cached.parameters }).toEqual({ label, sql: fresh.sql, parameters: fresh.parameters });
    }
  };
}
