import type { Database } from '@runhub/db';
import type { Kysely } from 'kysely';
import { withRollupLock } from '../rollup/lock.js';

/**
 * Takes the rollup lock as another holder would and keeps it until `release()`; resolves once it is
 * held. `released` settles when the holder has let go.
 *
 * @example
 * const lock = await holdRollupLock(db);
 * await caller.kpiHealth.triggerRollup({ reason: 'queued behind the lock' });
 * lock.release();
 * await lock.released;
 */
export async function holdRollupLock(db: Kysely<Database>): Promise<{ release: () => void; released: Promise<unknown> }> {
  let release = () => {};
  let held = () => {};
  const acquired = new Promise<void>((resolve) => (held = resolve));
  const released = withRollupLock(db, () => {
    held();
    return new Promise<void>((resolve) => (release = resolve));
  });
  await acquired;
  return { release: () => release(), released };
}
