import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestDatabase, type TestDatabase } from '@runhub/router/testing';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** stdout and stderr, interleaved. */
  output: () => string;
  /** stdout alone: a pipe, as in a container, never a terminal. */
  stdout: () => string;
  /** Sends SIGTERM and resolves with the exit code. */
  stop: () => Promise<number | null>;
}

/** Starts the built server (`dist/main.js`) on a free port and resolves once it prints its URL. */
export function startServer(env: Record<string, string>, timeoutMs = 60_000): Promise<ServerProcess> {
  const child = spawn(process.execPath, [MAIN], {
    env: { PATH: process.env.PATH ?? '', PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve({
          url: match[1],
          child,
          output: () => output,
          stdout: () => stdout,
          stop: () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
      }
    };
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onData(chunk);
    });
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${output}`));
    });
  });
}

export interface TestServer {
  server: ServerProcess;
  /** The admin token it accepts: the one given on PostgreSQL, else the one it generated. */
  token: string;
  /** Its `RUNHUB_DATA_DIR`, a fresh temporary directory. */
  dataDir: string;
  /** Stops the server, drops the PostgreSQL test database and removes the data directory. */
  stop(): Promise<void>;
}

/**
 * The real server process as `pnpm start` runs it: on a fresh PostgreSQL test database that `seed`
 * fills when TEST_DATABASE_URL is set, else on a fresh embedded database that it seeds itself
 * (reading the admin token it generates).
 */
export async function startTestServer(name: string, seed: (db: TestDatabase['db']) => Promise<unknown>, env: Record<string, string> = {}): Promise<TestServer> {
  const dataDir = mkdtempSync(join(tmpdir(), `runhub-${name}-`));
  let testDb: TestDatabase | undefined;
  let server: ServerProcess;
  let token: string;
  if (process.env.TEST_DATABASE_URL) {
    testDb = await createTestDatabase();
    await seed(testDb.db);
    token = `${name}-admin-token-0123456789abcdef`;
    server = await startServer({ ...env, RUNHUB_DATA_DIR: dataDir, DATABASE_URL: testDb.url ?? '', ADMIN_TOKEN: token });
  } else {
    server = await startServer({ ...env, RUNHUB_DATA_DIR: dataDir });
    token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim();
  }
  return {
    server,
    token,
    dataDir,
    stop: async () => {
      await server.stop();
      await testDb?.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
