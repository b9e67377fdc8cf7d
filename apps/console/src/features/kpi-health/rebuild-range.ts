/** SPEC §8.2: a rebuild covers at most this many dates. */
export const MAX_REBUILD_DATES = 366;

/** The trigger dialog's date range, as the API takes it: both days or neither, start ≤ end, at most 366 dates; else what is wrong. */
export function rebuildRange(startDate: string, endDate: string): { range: { startDate: string; endDate: string } | null } | { problem: string } {
  if (!startDate && !endDate) return { range: null };
  if (!startDate || !endDate) return { problem: 'Give both days of the range, or neither for an incremental rollup.' };
  if (startDate > endDate) return { problem: 'The first day must not be after the last.' };
  const dates = (Date.parse(endDate) - Date.parse(startDate)) / 86_400_000 + 1;
  if (dates > MAX_REBUILD_DATES) return { problem: `The range holds ${dates} dates; at most ${MAX_REBUILD_DATES}.` };
  return { range: { startDate, endDate } };
}
