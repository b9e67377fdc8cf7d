import { type Database, databaseKind } from '@runhub/db';
import { type Kysely, sql } from 'kysely';

/** The advisory lock key of the KPI rollup (an arbitrary constant, the same in every instance). */
export const ROLLUP_LOCK_KEY = 7_314_002_611;

export type LockOutcome<T> = { acquired: true; value: T } | { acquired: false };

/** Per database handle: the tail of the in-process queue of lock holders. */
const processTails = new WeakMap<Kysely<Database>, Promise<unknown>>();

/**
 * Runs `work` while holding the rollup lock, or answers `{ acquired: false }` at once when another
 * server instance holds it. Two layers:
 * - in this process, callers on the same database handle wait their turn (a promise chain), so
 *   even two coordinators on one embedded PGlite never overlap;
 * - across processes, a PostgreSQL session advisory lock taken on a connection held for the whole
 *   run (lock and unlock must happen on the same session). A crashed holder's session ends and
 *   PostgreSQL releases its lock, so it can never be left behind.
 * PGlite has one session shared by every query and one process: its lock is trivially held, and it
 * is taken without pinning the only connection (which would block every other query until the end).
 */
export async function withRollupLock<T>(db: Kysely<Database>, work: () => Promise<T>): Promise<LockOutcome<T>> {
  const previous = processTails.get(db) ?? Promise.resolve();
  let release: () => void = () => {};
  const turn = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => turn);
  processTails.set(db, tail);
  await previous;
  try {
    if (databaseKind(db) === 'pglite') return await holdingAdvisoryLock(db, work);
    return await db.connection().execute((session) => holdingAdvisoryLock(session, work));
  } finally {
    release();
    if (processTails.get(db) === tail) processTails.delete(db);
  }
}

async function holdingAdvisoryLock<T>(session: Kysely<Database>, work: () => Promise<T>): Promise<LockOutcome<T>> {
  const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_lock(${ROLLUP_LOCK_KEY}::bigint) as locked`.execute(session);
  if (!rows[0]?.locked) return { acquired: false };
  try {
    return { acquired: true, value: await work() };
  } finally {
    await sql`select pg_advisory_unlock(${ROLLUP_LOCK_KEY}::bigint)`.execute(session);
  }
}
