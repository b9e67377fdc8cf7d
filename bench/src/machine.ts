import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import type pg from 'pg';

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  postgres: string;
  /** Versions of the packages on the measured path, as pinned in the workspace catalog. */
  packages: Record<string, string>;
  commit: string;
}

const PACKAGES = ['hono', '@hono/node-server', '@trpc/server', '@hono/trpc-server', 'zod', 'kysely', 'pg', 'autocannon'];

export async function describeMachine(client: pg.Client, repoRoot: string): Promise<MachineInfo> {
  const cpus = os.cpus();
  const { rows } = await client.query<{ server_version: string }>('show server_version');
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    postgres: rows[0]?.server_version ?? 'unknown',
    packages: catalogVersions(repoRoot),
    commit: gitCommit(repoRoot),
  };
}

/** The exact versions from `pnpm-workspace.yaml`'s catalog, which every workspace package installs. */
function catalogVersions(repoRoot: string): Record<string, string> {
  const text = readFileSync(`${repoRoot}/pnpm-workspace.yaml`, 'utf8');
  const versions: Record<string, string> = {};
  for (const name of PACKAGES) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    const match = new RegExp(`^\\s+"?${escaped}"?:\\s*"?([^"\\s]+)"?\\s*$`, 'm').exec(text);
    if (match?.[1]) versions[name] = match[1];
  }
  return versions;
}

function gitCommit(repoRoot: string): string {
  try {
    const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: repoRoot, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
