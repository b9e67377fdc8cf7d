import type { Database } from '@runhub/db';
import type { Kysely, Transaction } from 'kysely';
import { errorOf } from './trpc-error.js';
import { waitForLockWaiters } from './wait.js';

/** How one of several racing calls ended: its code (`OK` on success), an AppError's details, its value. */
export type Outcome<T> = { code: string; details?: Record<string, unknown>; value?: T };

/** Awaits a call and answers how it ended, never throwing for a tRPC error. */
export async function settle<T>(call: Promise<T>): Promise<Outcome<T>> {
  const outcome = await errorOf(call);
  return outcome.code === 'OK' ? { ...outcome, value: await call } : outcome;
}

/**
 * Fires the calls while another transaction holds what `lock` takes, and releases it only once
 * every call is blocked on it (on PostgreSQL, `url` set), so all of them really contend at the same
 * moment. PGlite has a single connection: the calls then queue behind the holder and run one after
 * another, which the same assertions must survive.
 *
 * @example
 * const outcomes = await raceBehindLock(testDb, (trx) => sql`lock table workflow_runs in exclusive mode`.execute(trx), () => [a(), b()]);
 */
export async function raceBehindLock<T>(
  testDb: { db: Kysely<Database>; url: string | null },
  lock: (trx: Transaction<Database>) => Promise<unknown>,
  calls: () => Promise<T>[],
): Promise<Outcome<T>[]> {
  let outcomes: Promise<Outcome<T>[]> = Promise.resolve([]);
  await testDb.db.transaction().execute(async (trx) => {
    await lock(trx);
    const started = calls();
    outcomes = Promise.all(started.map(settle));
    if (testDb.url) await waitForLockWaiters(testDb.db, started.length);
  });
  return outcomes;
}
