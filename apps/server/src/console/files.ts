import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** What the build writes under `assets/`, by extension; a file of any other kind is not served. */
const CONTENT_TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

export interface ConsoleFile {
  body: Uint8Array<ArrayBuffer>;
  /** The same bytes gzipped once at start, for clients that accept it; undefined when it would not be smaller. */
  gzip: Uint8Array<ArrayBuffer> | undefined;
  contentType: string;
}

export interface ConsoleFiles {
  index: ConsoleFile;
  /** Hashed asset file name → file: the allow-list; no request path reaches the file system. */
  assets: ReadonlyMap<string, ConsoleFile>;
}

export class ConsoleBuildMissingError extends Error {}

/** The console's build (`apps/console/dist`), found through the server's dependency on `@runhub/console`, as `pnpm start` runs it from a fresh clone. */
export function resolveConsoleDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('@runhub/console/package.json')), 'dist');
}

/**
 * Reads the built console once: its `index.html` and every file the build wrote under `assets/`.
 * The files are small (a few hundred KB) and never change while the server runs.
 */
export function loadConsoleFiles(dir: string): ConsoleFiles {
  const indexPath = join(dir, 'index.html');
  if (!existsSync(indexPath)) {
    throw new ConsoleBuildMissingError(`The admin console is not built (no ${indexPath}): run pnpm build, or set CONSOLE_ENABLED=false`);
  }
  const assets = new Map<string, ConsoleFile>();
  const assetsDir = join(dir, 'assets');
  for (const entry of existsSync(assetsDir) ? readdirSync(assetsDir, { withFileTypes: true }) : []) {
    const contentType = CONTENT_TYPES[extname(entry.name)];
    if (entry.isFile() && contentType) assets.set(entry.name, consoleFile(readFileSync(join(assetsDir, entry.name)), contentType));
  }
  return { index: consoleFile(readFileSync(indexPath), 'text/html; charset=utf-8'), assets };
}

function consoleFile(bytes: Buffer, contentType: string): ConsoleFile {
  const body = new Uint8Array(bytes);
  const gzipped = new Uint8Array(gzipSync(bytes, { level: 9 }));
  return { body, gzip: gzipped.length < body.length ? gzipped : undefined, contentType };
}
