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

const CENSOR = '[redacted]';

/**
 * Headers are never logged; this is the second line of defence should a request, a response or an
 * error carrying one (a driver's or an HTTP client's) ever be handed to the logger whole: the
 * credential headers of `fields.headers` and of `fields.<any>.headers` are replaced by `[redacted]`
 * (pino's `redact` paths `headers["…"]` and `*.headers["…"]`, without its cost on every line).
 * The fields are copied only when there is something to censor; the caller's objects are never changed.
 */
export function withoutCredentials(fields: LogFields): LogFields {
  let copy: LogFields | undefined;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    let replacement: unknown = value;
    if (key === 'headers') replacement = censorHeaders(value);
    else if (typeof value === 'object' && value !== null && 'headers' in value) {
      const headers = (value as { headers: unknown }).headers;
      const censored = censorHeaders(headers);
      if (censored !== headers) replacement = { ...value, headers: censored };
    }
    if (replacement === value) continue;
    copy ??= { ...fields };
    copy[key] = replacement;
  }
  return copy ?? fields;
}

function censorHeaders(headers: unknown): unknown {
  if (typeof headers !== 'object' || headers === null) return headers;
  const present = CREDENTIAL_HEADERS.filter((name) => Object.hasOwn(headers, name));
  if (present.length === 0) return headers;
  const copy: Record<string, unknown> = { ...(headers as Record<string, unknown>) };
  for (const name of present) copy[name] = CENSOR;
  return copy;
}

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
    },
    destination,
  );
  return {
    debug: (message, fields = {}) => log.debug(withoutCredentials(fields), message),
    info: (message, fields = {}) => log.info(withoutCredentials(fields), message),
    warn: (message, fields = {}) => log.warn(withoutCredentials(fields), message),
    error: (message, fields = {}) => log.error(withoutCredentials(fields), message),
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
