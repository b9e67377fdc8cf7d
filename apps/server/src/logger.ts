import type { LogLevel } from './config.js';

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 };

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/**
 * Structured JSON lines, one per event. Callers pass only what is safe to keep: request
 * logs carry method, path (no query string), status, duration and request id, never headers.
 */
export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stdout.write(`${line}\n`)): Logger {
  const threshold = ORDER[level];
  const log =
    (at: Exclude<LogLevel, 'silent'>) =>
    (message: string, fields: LogFields = {}) => {
      if (ORDER[at] < threshold) return;
      write(JSON.stringify({ time: new Date().toISOString(), level: at, msg: message, ...fields }));
    };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** An error's detail for the log: class, message, SQLSTATE and stack, never shown to callers. */
export function errorFields(error: unknown): LogFields {
  if (!(error instanceof Error)) return { error: String(error) };
  const cause = error.cause instanceof Error ? error.cause : undefined;
  return {
    error: { name: error.name, message: error.message, stack: error.stack },
    ...(cause ? { cause: { name: cause.name, message: cause.message, code: (cause as { code?: unknown }).code, stack: cause.stack } } : {}),
  };
}
