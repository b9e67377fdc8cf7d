import { serve } from '@hono/node-server';

/** What a server child tells the bench over IPC. */
export type ChildMessage = { type: 'listening'; port: number } | ({ type: 'usage' } & ProcessUsage);

export type ParentMessage = { type: 'usage' };

export interface ProcessUsage {
  /** CPU time (user and system) since the child started, in microseconds. */
  cpuMicros: number;
  /** Peak RSS since the child started (`maxRSS`, from getrusage), in bytes. */
  peakRssBytes: number;
}

/**
 * Serves `fetch` on a free loopback port, says so over IPC, reports its CPU time and peak memory when asked, and exits
 * when the bench goes away, so a crashed bench never leaves a server behind.
 */
export function serveAsChild(fetch: (request: Request) => Response | Promise<Response>): void {
  const send = (message: ChildMessage) => process.send?.(message);
  serve({ fetch, port: 0, hostname: '127.0.0.1' }, (info) => send({ type: 'listening', port: info.port }));
  process.on('message', (message: ParentMessage) => {
    if (message.type === 'usage') {
      const usage = process.resourceUsage();
      send({ type: 'usage', cpuMicros: usage.userCPUTime + usage.systemCPUTime, peakRssBytes: usage.maxRSS * 1024 });
    }
  });
  // An orderly exit on either, so a `--cpu-prof` profile is written.
  process.on('disconnect', () => process.exit(0));
  process.on('SIGTERM', () => process.exit(0));
}

/** The child's settings, passed by the bench in its environment. */
export function childSetting(name: 'BENCH_CHILD_DATABASE_URL' | 'BENCH_CHILD_ADMIN_TOKEN'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: this file is started by the bench, not by hand`);
  return value;
}
