import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { createDatabase, type Database, migrateToLatest } from '@runhub/db';
import { createProject, createRun, createTestDatabase, type TestDatabase } from '@runhub/router/testing';
import type { Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ServerProcess, startServer } from './test/server-process.js';

/**
 * The SDK as an outside project gets it: `pnpm pack`, installed with npm into a folder outside the
 * workspace (its dependencies from the registry), type-checked with TypeScript, run against the
 * real server process.
 */
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TOKEN = 'sdk-package-token-0123456789abcdef';
const run = promisify(execFile);

let work: string;
let consumer: string;
let tarball: string;
let server: ServerProcess;
let testDb: TestDatabase | undefined;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'runhub-sdk-'));
  consumer = join(work, 'consumer');
  await run(join(ROOT, 'node_modules/.bin/pnpm'), ['--filter', '@runhub/client', 'pack', '--pack-destination', work], { cwd: ROOT });
  tarball = readdirSync(work).find((name) => name.endsWith('.tgz')) ?? '';
  writeConsumer(consumer, tarball);
  const [installed, env] = await Promise.all([
    run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: consumer, timeout: 240_000 }),
    prepareDatabase(),
  ]);
  expect(installed.stderr).not.toMatch(/ERR!/);
  server = await startServer({ ...env, ADMIN_TOKEN: TOKEN });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  await testDb?.destroy();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** A project with failed runs, on PostgreSQL when TEST_DATABASE_URL is set, else in an embedded data folder. */
async function prepareDatabase(): Promise<Record<string, string>> {
  let db: Kysely<Database>;
  let env: Record<string, string>;
  if (process.env.TEST_DATABASE_URL) {
    testDb = await createTestDatabase();
    db = testDb.db;
    env = { DATABASE_URL: testDb.url ?? '' };
  } else {
    const dataDir = join(work, 'data');
    db = createDatabase({ dataDir });
    await migrateToLatest(db);
    env = { RUNHUB_DATA_DIR: dataDir };
  }
  const project = await createProject(db, { name: 'SDK Store' });
  for (let i = 0; i < 4; i++) await createRun(db, project.id, { status: i % 2 ? 'failed' : 'succeeded' });
  // The embedded database allows one process: hand it to the server.
  if (!testDb) await db.destroy();
  return env;
}

async function tsc(project: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout } = await run(join(consumer, 'node_modules/.bin/tsc'), ['-p', project], { cwd: consumer });
    return { code: 0, output: stdout };
  } catch (error) {
    const failure = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failure.code ?? 1, output: `${failure.stdout ?? ''}${failure.stderr ?? ''}` };
  }
}

describe('the packed @runhub/client in a project outside the workspace', () => {
  it('ships its build and the router types it needs, and no server code', async () => {
    const { stdout } = await run('tar', ['-tzf', join(work, tarball)]);
    const files = stdout.split('\n').filter(Boolean);
    expect(files).toEqual(
      expect.arrayContaining(['package/package.json', 'package/dist/index.js', 'package/dist/index.d.ts', 'package/dist/types/router/dist/root.d.ts']),
    );
    expect(files.filter((file) => file.startsWith('package/dist/types/') && !file.endsWith('.d.ts'))).toEqual([]);
    expect(files.some((file) => file.includes('/src/'))).toBe(false);
  });

  it('type-checks a correct call, with the router types real (not any), under bundler and NodeNext resolution', async () => {
    const bundler = await tsc('tsconfig.json');
    expect(bundler.output).toBe('');
    expect(bundler.code).toBe(0);
    const nodeNext = await tsc('tsconfig.node.json');
    expect(nodeNext.output).toBe('');
    expect(nodeNext.code).toBe(0);
  });

  it('fails the type-check of a misspelled procedure and of wrong input types', async () => {
    const { code, output } = await tsc('tsconfig.bad.json');
    expect(code).not.toBe(0);
    const errors = output.split('\n').filter((line) => /error TS\d+/.test(line));
    expect(errors).toEqual([
      expect.stringMatching(/^src\/bad-input\.ts\(4,\d+\): error TS2322: .*'string'.*'number'/),
      expect.stringMatching(/^src\/bad-input\.ts\(5,\d+\): error TS2322: .*"paused"/),
      expect.stringMatching(/^src\/bad-procedure\.ts\(3,\d+\): error TS2339: Property 'lsit' does not exist/),
    ]);
  });

  it('calls the running server: typed data, pages, an export, and SPEC error codes through the helpers', async () => {
    const { stdout } = await run(process.execPath, ['run.mjs', server.url, TOKEN], { cwd: consumer });
    const result = JSON.parse(stdout) as {
      runs: { id: string; status: string; projectName: string }[];
      paged: string[];
      exported: unknown[];
      anonymous: string;
    };
    expect(result.runs).toHaveLength(2);
    expect(result.paged).toEqual(result.runs.map((runRow) => runRow.id));
    expect(result.exported).toEqual(result.runs);
    expect(result.runs.every((runRow) => runRow.status === 'failed' && runRow.projectName === 'SDK Store')).toBe(true);
    expect(result.anonymous).toBe('UNAUTHORIZED 401');

    const rest = await fetch(`${server.url}/v1/admin/inhouse/workflow-runs?status=failed&limit=10`, { headers: { 'x-sheen-admin-token': TOKEN } });
    expect(await rest.json()).toEqual({ ok: true, data: { runs: result.runs, nextCursor: null } });
  });
});

/** The consumer: a Next.js-style tsconfig, a NodeNext one, a module using the SDK, and two that must not compile. */
function writeConsumer(dir: string, tarballName: string): void {
  mkdirSync(join(dir, 'src'), { recursive: true });
  const files: Record<string, unknown> = {
    'package.json': {
      name: 'runhub-sdk-consumer',
      private: true,
      type: 'module',
      dependencies: { '@runhub/client': `file:../${tarballName}` },
      devDependencies: { typescript: '7.0.2' },
    },
    'tsconfig.json': {
      compilerOptions: {
        target: 'ES2022',
        lib: ['dom', 'dom.iterable', 'esnext'],
        module: 'esnext',
        moduleResolution: 'bundler',
        strict: true,
        skipLibCheck: true,
        types: [],
        rootDir: 'src',
        outDir: 'dist',
      },
      include: ['src/admin.ts'],
    },
    'tsconfig.node.json': {
      extends: './tsconfig.json',
      compilerOptions: { module: 'nodenext', moduleResolution: 'nodenext', noEmit: true },
    },
    'tsconfig.bad.json': { extends: './tsconfig.json', compilerOptions: { noEmit: true }, include: ['src/bad-*.ts'] },
    'src/admin.ts': `import { createAdminClient, type ExportFilters, type ExportRow, exportRows, getAdminErrorCode, isAdminApiError, listPages, type RouterOutputs } from '@runhub/client';

export type Run = RouterOutputs['workflowRuns']['list']['runs'][number];

/** Page by page, one run per page. */
export async function pagedFailedRunIds(baseUrl: string, token: string): Promise<string[]> {
  const ids: string[] = [];
  for await (const { runs } of listPages(createAdminClient({ baseUrl, token }).workflowRuns.list, { status: 'failed', limit: 1 })) ids.push(...runs.map((run) => run.id));
  return ids;
}

export async function exportedFailedRuns(baseUrl: string, token: string): Promise<Run[]> {
  const rows: Run[] = [];
  for await (const run of exportRows({ baseUrl, token }, 'workflowRuns', { status: 'failed' })) rows.push(run);
  return rows;
}

// @ts-expect-error an exported row is typed as the list's row
export const notAnExportedStatus: ExportRow<'workflowRuns'>['status'] = 'paused';
// @ts-expect-error the export's filters are the list's
export const notAFilter: ExportFilters<'workflowRuns'> = { status: 'paused' };
// @ts-expect-error an export has no paging
export const noPaging: ExportFilters<'auditLog'> = { limit: 10 };

export async function failedRuns(baseUrl: string, token: string): Promise<Run[]> {
  const admin = createAdminClient({ baseUrl, token });
  const { runs } = await admin.workflowRuns.list.query({ status: 'failed', limit: 10 });
  return runs;
}

export async function anonymousCode(baseUrl: string): Promise<string | null> {
  try {
    await createAdminClient({ baseUrl }).workflowRuns.list.query({});
    return null;
  } catch (error) {
    if (isAdminApiError(error, 'UNAUTHORIZED')) {
      const status: number = error.data.httpStatus;
      return \`\${getAdminErrorCode(error)} \${status}\`;
    }
    throw error;
  }
}

// Were the router types lost (any), these expected errors would vanish and the check would fail.
// @ts-expect-error a run's status is one of five literals
export const notAStatus: Run['status'] = 'paused';
// @ts-expect-error timestamps are ISO strings
export const notADate: Run['requestedAt'] = new Date();
`,
    'src/bad-procedure.ts': `import { createAdminClient } from '@runhub/client';
const admin = createAdminClient({ baseUrl: 'http://127.0.0.1:1', token: 'unused' });
export const misspelled = admin.workflowRuns.lsit.query({});
`,
    'src/bad-input.ts': `import { createAdminClient } from '@runhub/client';
const admin = createAdminClient({ baseUrl: 'http://127.0.0.1:1', token: 'unused' });
export const calls = [
  admin.workflowRuns.list.query({ limit: 'ten' }),
  admin.workflowRuns.list.query({ status: 'paused' }),
];
`,
    'run.mjs': `import { anonymousCode, exportedFailedRuns, failedRuns, pagedFailedRunIds } from './dist/admin.js';
const [baseUrl, token] = process.argv.slice(2);
const runs = await failedRuns(baseUrl, token);
const paged = await pagedFailedRunIds(baseUrl, token);
const exported = await exportedFailedRuns(baseUrl, token);
console.log(JSON.stringify({ runs, paged, exported, anonymous: await anonymousCode(baseUrl) }));
`,
  };
  for (const [name, content] of Object.entries(files)) {
    writeFileSync(join(dir, name), typeof content === 'string' ? content : `${JSON.stringify(content, null, 2)}\n`);
  }
}
