import { DEFAULT_SESSION_MAX_LIFETIME_HOURS } from '@runhub/router';
import { z } from 'zod';

/** The calls one `/trpc` batch may hold (SPEC §10: about 10); the SDK splits its batches to fit. */
export const DEFAULT_TRPC_MAX_BATCH_SIZE = 10;

/** How long a client may take, on the node HTTP server: to send its headers, its whole request, and between requests on a kept-alive connection. */
export interface HttpTimeouts {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
  keepAliveTimeoutMs: number;
}

export const DEFAULT_HTTP_TIMEOUTS: HttpTimeouts = { headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5_000 };

const commaList = z
  .string()
  .optional()
  .transform((value) =>
    (value ?? '')
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

const positiveInt = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((value, ctx) => {
      if (value === undefined || value.trim() === '') return fallback;
      if (!/^\d+$/.test(value.trim()) || Number(value) <= 0) {
        ctx.addIssue({ code: 'custom', message: `must be a positive integer, got "${value}"` });
        return z.NEVER;
      }
      return Number(value);
    });

const ZEnv = z.object({
  PORT: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? '8787' : value.trim()))
    .pipe(z.string().regex(/^\d{1,5}$/, 'must be a port number (0 picks a free one)'))
    .transform(Number)
    .pipe(z.number().max(65535, 'must be a port number (0-65535)')),
  HOST: z
    .string()
    .optional()
    .transform((value) => value || '127.0.0.1'),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((value) => value || undefined)
    .pipe(
      z
        .string()
        .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
        .optional(),
    ),
  RUNHUB_DATA_DIR: z
    .string()
    .optional()
    .transform((value) => value || '.runhub'),
  ADMIN_TOKEN: commaList.pipe(z.array(z.string().min(16, 'each token must have at least 16 characters'))),
  SESSION_SECRET: commaList.pipe(z.array(z.string().min(32, 'each secret must have at least 32 characters'))),
  SESSION_MAX_LIFETIME_HOURS: positiveInt(DEFAULT_SESSION_MAX_LIFETIME_HOURS),
  ROLLUP_INTERVAL_MINUTES: positiveInt(15),
  KPI_STALE_AFTER_MINUTES: positiveInt(0),
  DB_STATEMENT_TIMEOUT_MS: positiveInt(5000),
  TRPC_MAX_BATCH_SIZE: positiveInt(DEFAULT_TRPC_MAX_BATCH_SIZE),
  HTTP_HEADERS_TIMEOUT_MS: positiveInt(DEFAULT_HTTP_TIMEOUTS.headersTimeoutMs),
  HTTP_REQUEST_TIMEOUT_MS: positiveInt(DEFAULT_HTTP_TIMEOUTS.requestTimeoutMs),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: positiveInt(DEFAULT_HTTP_TIMEOUTS.keepAliveTimeoutMs),
  LOG_LEVEL: z
    .string()
    .optional()
    .transform((value) => value || 'info')
    .pipe(z.enum(['debug', 'info', 'warn', 'error', 'silent'])),
  CORS_ORIGINS: commaList,
  METRICS_TOKEN: commaList.pipe(z.array(z.string().min(16, 'each token must have at least 16 characters'))),
  CONSOLE_ENABLED: z
    .string()
    .optional()
    .transform((value) => (value ?? '').trim().toLowerCase() || 'true')
    .pipe(z.enum(['true', 'false'], { error: 'must be true or false' }))
    .transform((value) => value === 'true'),
});

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Config {
  port: number;
  host: string;
  databaseUrl: string | undefined;
  dataDir: string;
  adminTokens: string[];
  sessionSecrets: string[];
  /** A session cookie whose `exp` lies further ahead is refused. */
  sessionMaxLifetimeHours: number;
  rollupIntervalMinutes: number;
  kpiStaleAfterMinutes: number;
  dbStatementTimeoutMs: number;
  logLevel: LogLevel;
  corsOrigins: string[];
  /** Bearer tokens that may read `/metrics`; empty: it is open. */
  metricsTokens: string[];
  /** Serve the admin console at `/admin/inhouse/*` (and redirect `/` to it). */
  consoleEnabled: boolean;
  /** `TRPC_MAX_BATCH_SIZE`: more calls in one `/trpc` batch are a 400. */
  trpcMaxBatchSize: number;
  /** `HTTP_HEADERS_TIMEOUT_MS`, `HTTP_REQUEST_TIMEOUT_MS`, `HTTP_KEEP_ALIVE_TIMEOUT_MS`. */
  httpTimeouts: HttpTimeouts;
}

export class ConfigError extends Error {}

/**
 * Reads and checks SPEC §6's variables once. A bad value throws a ConfigError naming the
 * variable (never echoing a secret's value), so the server refuses to start instead of limping.
 */
export function loadConfig(env: NodeJS.ProcessEnv): Config {
  const parsed = ZEnv.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? 'environment');
      const secret = name === 'ADMIN_TOKEN' || name === 'SESSION_SECRET' || name === 'DATABASE_URL' || name === 'METRICS_TOKEN';
      return `${name}: ${secret ? issue.message.replace(/"[^"]*"/g, '"…"') : issue.message}`;
    });
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  const e = parsed.data;
  // Node closes a connection whose headers are late only while headersTimeout <= requestTimeout.
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS) {
    throw new ConfigError('Invalid configuration:\n  HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS');
  }
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.RUNHUB_DATA_DIR,
    adminTokens: e.ADMIN_TOKEN,
    sessionSecrets: e.SESSION_SECRET,
    sessionMaxLifetimeHours: e.SESSION_MAX_LIFETIME_HOURS,
    rollupIntervalMinutes: e.ROLLUP_INTERVAL_MINUTES,
    kpiStaleAfterMinutes: e.KPI_STALE_AFTER_MINUTES || 2 * e.ROLLUP_INTERVAL_MINUTES,
    dbStatementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
    logLevel: e.LOG_LEVEL,
    corsOrigins: e.CORS_ORIGINS,
    metricsTokens: e.METRICS_TOKEN,
    consoleEnabled: e.CONSOLE_ENABLED,
    trpcMaxBatchSize: e.TRPC_MAX_BATCH_SIZE,
    httpTimeouts: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
    },
  };
}
