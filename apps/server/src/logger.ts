import pino, { type DestinationStream } from 'pino';
import pretty from 'pino-pretty';
import type { LogLevel } from './config.js';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** Headers that carry credentials. */
const CREDENTIAL_HEADERS = ['authorization', 'cookie', 'set-cookie', 'x-sheen-admin-token'] as const;

/**
 * Headers are never logged; this is the second line of defence should a request, a response or an
 * error carrying one (a driver's or an HTTP client's) ever be handed to the logger whole.
 */
export const REDACTED_PATHS: readonly string[] = CREDENTIAL_HEADERS.flatMap((name) => [`headers["${name}"]`, `*.headers["${name}"]`]);

/**
 * Structured JSON lines through pino, one per event, in the format operators already parse:
 * `{"level":"info","time":"<ISO>",…fields,"msg":"…"}` with no pid or hostname (the container
 * runtime adds where a line came from). Callers pass only what is safe to keep: request logs carry
 * method, path (no query string), status, duration and request id, never headers.
 *
 * Lines go to stdout, pretty-printed only when it is a terminal; `write`, when given, receives each
 * line (without its newline) synchronously instead, so tests can collect them.
 *
 * @example
 * const logger = createLogger('info');
 * logger.warn('database connection lost', errorFields(error));
 */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  const destination: DestinationStream = write ? { write: (line) => write(line.endsWith('\n') ? line.slice(0, -1) : line) } : stdoutDestination();
  const log = pino(
    {
      level,
      base: null,
      messageKey: 'msg',
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    },
    destination,
  );
  return {
    debug: (message, fields = {}) => log.debug(fields, message),
    info: (message, fields = {}) => log.info(fields, message),
    warn: (message, fields = {}) => log.warn(fields, message),
    error: (message, fields = {}) => log.error(fields, message),
  };
}

/** Synchronous writes either way, so the last lines before `process.exit` are not lost. */
function stdoutDestination(): DestinationStream {
  if (process.stdout.isTTY) return pretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', sync: true });
  return pino.destination({ dest: 1, sync: true });
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
