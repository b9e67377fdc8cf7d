import { parseArgs } from 'node:util';

export interface BenchOptions {
  /** Business events to load; runs and sends scale with it (rows / 5 each). */
  rows: number;
  /** Seconds each server is measured on each endpoint. */
  duration: number;
  connections: number;
  /** How often each measurement is repeated; the best of them is reported. */
  rounds: number;
  /** Keep the scratch database instead of dropping it at the end. */
  keep: boolean;
  /** Where the Markdown results go. */
  out: string;
  /** The admin connection: the scratch database is created on this server. */
  adminUrl: string;
  /** A database a previous `--keep` run loaded, measured again instead of a new scratch database (kept at the end). */
  database: string | undefined;
}

export const USAGE = `Usage: pnpm bench [--rows N] [--duration S] [--connections C] [--rounds R] [--keep] [--out FILE]

  --rows N         business events to load (default 1000000); runs and sends are N/5 each
  --duration S     seconds per endpoint and server (default 10)
  --connections C  concurrent HTTP connections (default 10)
  --rounds R       repeat every measurement R times and keep the best (default 2)
  --keep           keep the scratch database runhub_bench_<ts> instead of dropping it
  --out FILE       where to write the Markdown results (default bench/RESULTS.md)
  --database URL   measure a database a --keep run loaded (no new scratch database, no load; --rows is ignored; kept)

The scratch database is created on the server of BENCH_DATABASE_URL
(default postgres://postgres@127.0.0.1:5432/postgres, used only as the admin connection).`;

export class UsageError extends Error {}

/** The bench's settings from its flags and BENCH_DATABASE_URL; 'help' when asked for the usage. */
export function readOptions(argv: string[], env: NodeJS.ProcessEnv, defaultOut: string): BenchOptions | 'help' {
  const values = parseFlags(argv);
  if (values.help) return 'help';
  return {
    rows: positiveInt('--rows', values.rows, 1_000_000, 1000),
    duration: positiveInt('--duration', values.duration, 10, 1),
    connections: positiveInt('--connections', values.connections, 10, 1),
    rounds: positiveInt('--rounds', values.rounds, 2, 1),
    keep: values.keep ?? false,
    out: values.out ?? defaultOut,
    adminUrl: env.BENCH_DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres',
    database: values.database,
  };
}

function parseFlags(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      strict: true,
      options: {
        rows: { type: 'string' },
        duration: { type: 'string' },
        connections: { type: 'string' },
        rounds: { type: 'string' },
        keep: { type: 'boolean' },
        out: { type: 'string' },
        database: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (error) {
    throw new UsageError(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
  }
}

function positiveInt(flag: string, text: string | undefined, fallback: number, min: number): number {
  if (text === undefined) return fallback;
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isSafeInteger(value) || value < min) throw new UsageError(`${flag} must be an integer of at least ${min}, got "${text}"\n\n${USAGE}`);
  return value;
}
