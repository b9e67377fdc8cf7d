import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildMessage, ParentMessage, ProcessUsage } from './child.js';

export interface ChildServer {
  baseUrl: string;
  /** The server process's id, for reading its memory from `/proc`. */
  pid: number;
  /** CPU time and peak RSS of the server process so far. */
  usage(): Promise<ProcessUsage>;
  stop(): Promise<void>;
}

const START_TIMEOUT_MS = 30_000;

/**
 * Starts `server` (a file beside this one, e.g. `api-server.js`) in its own process, with Node's `execArgv` (e.g. `--cpu-prof`),
 * and waits until it listens.
 */
export async function startChildServer(server: string, env: Record<string, string>, execArgv: string[] = []): Promise<ChildServer> {
  const child = fork(fileURLToPath(new URL(server, import.meta.url)), [], {
    env: { ...process.env, ...env },
    execArgv,
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const { port } = await nextMessage(child, 'listening', START_TIMEOUT_MS, `${server} did not start`);
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    pid: child.pid ?? 0,
    usage: async () => {
      const reply = nextMessage(child, 'usage', 5000, `${server} did not report its usage`);
      child.send({ type: 'usage' } satisfies ParentMessage);
      const { cpuMicros, peakRssBytes } = await reply;
      return { cpuMicros, peakRssBytes };
    },
    stop: () => stopChild(child),
  };
}

function nextMessage<T extends ChildMessage['type']>(
  child: ChildProcess,
  type: T,
  timeoutMs: number,
  failure: string,
): Promise<Extract<ChildMessage, { type: T }>> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`${failure} within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: ChildMessage) => {
      if (message.type === type) finish(undefined, message as Extract<ChildMessage, { type: T }>);
    };
    const onExit = (code: number | null) => finish(new Error(`${failure}: it exited with code ${code}`));
    function finish(error?: Error, message?: Extract<ChildMessage, { type: T }>) {
      clearTimeout(timer);
      child.off('message', onMessage);
      child.off('exit', onExit);
      if (error) reject(error);
      else if (message) resolve(message);
    }
    child.on('message', onMessage);
    child.on('exit', onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}
