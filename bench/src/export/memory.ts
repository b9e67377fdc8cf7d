import { readFileSync, writeFileSync } from 'node:fs';

/** A process's resident memory, from Linux's `/proc/<pid>/status`, in bytes. */
export interface ResidentMemory {
  /** VmRSS: resident now. */
  current: number;
  /** VmHWM: the peak since the process started, or since `resetPeak`. */
  peak: number;
}

export function residentMemory(pid: number): ResidentMemory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? Number.NaN) * 1024;
  return { current: kib('VmRSS'), peak: kib('VmHWM') };
}

/**
 * Resets the process's peak RSS to its current RSS (writing 5 to `/proc/<pid>/clear_refs`, Linux
 * 4.0 and later), so the next peak read is the peak of what follows, not of the start-up. Answers
 * false where that is not allowed; the caller then samples instead.
 */
export function resetPeak(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return residentMemory(pid).peak <= residentMemory(pid).current * 1.01 + 1024 * 1024;
  } catch {
    return false;
  }
}

/**
 * Watches a process's memory while `work` runs: its RSS before, and its peak during (the kernel's
 * high-water mark when it can be reset, else the highest of samples every 10 ms).
 */
export async function measureGrowth<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; before: number; peak: number }> {
  const before = residentMemory(pid).current;
  const exact = resetPeak(pid);
  let sampled = before;
  const sampler = exact ? undefined : setInterval(() => (sampled = Math.max(sampled, residentMemory(pid).current)), 10);
  try {
    const result = await work();
    const peak = exact ? residentMemory(pid).peak : Math.max(sampled, residentMemory(pid).current);
    return { result, before, peak };
  } finally {
    if (sampler) clearInterval(sampler);
  }
}
