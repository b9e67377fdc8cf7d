import { type RawBuilder, sql } from 'kysely';

/**
 * The current time, as SQL. By default it is the database's own clock (SPEC §2: comparisons with
 * "now" use the database clock); tests swap in a fixed clock to move time at will.
 */
export interface Clock {
  now(): RawBuilder<Date>;
}

export const databaseClock: Clock = { now: () => sql<Date>`now()` };

export interface FixedClock extends Clock {
  set(at: Date): void;
  advance(milliseconds: number): void;
  current(): Date;
}

/** A clock that stands still until told to move. */
export function fixedClock(at: Date): FixedClock {
  let current = new Date(at);
  return {
    now: () => sql<Date>`${current.toISOString()}::timestamptz`,
    set: (next) => {
      current = new Date(next);
    },
    advance: (milliseconds) => {
      current = new Date(current.getTime() + milliseconds);
    },
    current: () => new Date(current),
  };
}
