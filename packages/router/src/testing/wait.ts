import type { Database } from '@runhub/db';
import { type Kysely, sql } from 'kysely';

/**
 * Reads until `done` holds, and answers the last value read (the caller's assertion then shows
 * what was seen when time ran out). For state another process or connection changes, where
 * there is no event to await; the pause between reads is polling, not a guess at a duration.
 *
 * @example
 * const runs = await eventually(() => listScheduledRuns(db), (runs) => runs.length === 2);
 */
export async function eventually<T>(
  read: () => T | Promise<T>,
  done: (value: T) => boolean,
  options: { timeoutMs?: number; everyMs?: number } = {},
): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, options.everyMs ?? 20));
  }
}

/** Like `eventually`, for a condition that must come true: throws with `what` when it does not in time. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, options: { timeoutMs?: number } = {}): Promise<void> {
  if (!(await eventually(condition, Boolean, options))) throw new Error(`timed out waiting for ${what}`);
}

/**
 * Resolves once at least `count` sessions of this database wait on a lock (PostgreSQL only):
 * how a race test knows its calls really contend. Poll from outside the lock holder's
 * transaction: inside one, `pg_stat_activity` is a snapshot that never changes.
 */
export async function waitForLockWaiters(db: Kysely<Database>, count: number): Promise<void> {
  const waiting = async () => {
    const { rows } = await sql<{ waiting: number }>`
      select count(*)::int as waiting from pg_stat_activity
      where datname = current_database() and wait_event_type = 'Lock'`.execute(db);
    return rows[0]?.waiting ?? 0;
  };
  const seen = await eventually(waiting, (n) => n >= count);
  if (seen < count) throw new Error(`only ${seen} of ${count} sessions reached the lock`);
}
