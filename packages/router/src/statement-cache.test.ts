import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shapedQuery } from './statement-cache.js';
import { createTestDatabase, type TestDatabase } from './testing/index.js';

let testDb: TestDatabase;

beforeAll(async () => {
  testDb = await createTestDatabase();
});
afterAll(() => testDb.destroy());

/** A statement whose builds are counted: a cached shape is built once. */
function countedStatement() {
  let builds = 0;
  const statement = shapedQuery({
    shapeOf: (ids: readonly number[]) => (ids.length <= 2 ? `n${ids.length}` : undefined),
    build: (db, ids: readonly number[]) => {
      builds++;
      return db.selectNoFrom(ids.map((id, i) => sql<number>`${id}::int`.as(`v${i}`)));
    },
    parametersOf: (ids: readonly number[]) => ids,
  });
  return { statement, builds: () => builds };
}

describe('shapedQuery', () => {
  it('builds each shape once and answers every input of it with its own parameters', async () => {
    const { db } = testDb;
    const { statement, builds } = countedStatement();
    expect(await statement.execute(db, [1, 2])).toEqual([{ v0: 1, v1: 2 }]);
    expect(await statement.execute(db, [3, 4])).toEqual([{ v0: 3, v1: 4 }]);
    expect(await statement.execute(db, [5])).toEqual([{ v0: 5 }]);
    expect(builds()).toBe(2);
  });

  it("shares a database's statements with its transactions", async () => {
    const { db } = testDb;
    const { statement, builds } = countedStatement();
    await statement.execute(db, [1]);
    const inside = await db.transaction().execute((trx) => statement.execute(trx, [7]));
    expect(inside).toEqual([{ v0: 7 }]);
    expect(builds()).toBe(1);
  });

  it('never serves a database with plugins from the cache: they rewrite each query', async () => {
    const { db } = testDb;
    const { statement, builds } = countedStatement();
    await statement.execute(db, [1]);
    const scoped = db.withSchema('public');
    expect(await statement.execute(scoped, [2])).toEqual([{ v0: 2 }]);
    await statement.execute(scoped, [3]);
    expect(builds()).toBe(3);
  });

  it('builds an input without a shape afresh every time', async () => {
    const { db } = testDb;
    const { statement, builds } = countedStatement();
    expect(await statement.execute(db, [1, 2, 3])).toEqual([{ v0: 1, v1: 2, v2: 3 }]);
    await statement.execute(db, [4, 5, 6]);
    expect(builds()).toBe(2);
  });
});
