import { TRPCError } from '@trpc/server';
import { z } from 'zod';

/** The error codes of SPEC §5, as the wire carries them. */
export const ERROR_CODES = [
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'METHOD_NOT_ALLOWED',
  'CONFLICT',
  'PAYLOAD_TOO_LARGE',
  'INTERNAL_SERVER_ERROR',
  'SERVICE_UNAVAILABLE',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorIssue {
  path: string;
  message: string;
}

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

const GENERIC_INTERNAL_MESSAGE = 'Internal server error';
const GENERIC_UNAVAILABLE_MESSAGE = 'The database is unavailable; try again shortly';

/** Zod issues as SPEC §5's `details.issues`: the input field, dotted when nested. */
export function issuesFromZod(error: z.core.$ZodError): ErrorIssue[] {
  return error.issues.map((issue) => ({
    path: issue.path.map(String).join('.'),
    message: issue.message,
  }));
}

/** A TRPCError with `details` that reach both the REST envelope and the tRPC error shape. */
export class AppError extends TRPCError {
  readonly details: Record<string, unknown> | undefined;

  constructor(options: { code: TRPCError['code']; message: string; details?: Record<string, unknown> }) {
    super({ code: options.code, message: options.message });
    this.details = options.details;
  }
}

/** The HTTP status of each SPEC §5 code. */
export const STATUS_BY_CODE: Record<ErrorCode, number> = {
  BAD_REQUEST: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  INTERNAL_SERVER_ERROR: 500,
  SERVICE_UNAVAILABLE: 503,
};

/**
 * Every tRPC code as a SPEC §5 code. A 4xx stays a 4xx (the caller's doing: never a 500 nor a page
 * to the operator), a 5xx a 5xx; the codes SPEC has no name for take the nearest that keeps their meaning.
 */
export const SPEC_CODE_BY_TRPC_CODE: Record<TRPCError['code'], ErrorCode> = {
  PARSE_ERROR: 'BAD_REQUEST',
  BAD_REQUEST: 'BAD_REQUEST',
  UNAUTHORIZED: 'UNAUTHORIZED',
  // "Pay first" is a refusal of what the caller may do.
  PAYMENT_REQUIRED: 'FORBIDDEN',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  METHOD_NOT_SUPPORTED: 'METHOD_NOT_ALLOWED',
  // The request did not arrive in time: the client's doing.
  TIMEOUT: 'BAD_REQUEST',
  CONFLICT: 'CONFLICT',
  // A precondition on the target's state failed, as a status that forbids a write does.
  PRECONDITION_FAILED: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  UNSUPPORTED_MEDIA_TYPE: 'BAD_REQUEST',
  UNPROCESSABLE_CONTENT: 'BAD_REQUEST',
  PRECONDITION_REQUIRED: 'BAD_REQUEST',
  // Come back later, with the caller's own message.
  TOO_MANY_REQUESTS: 'SERVICE_UNAVAILABLE',
  CLIENT_CLOSED_REQUEST: 'BAD_REQUEST',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
  NOT_IMPLEMENTED: 'INTERNAL_SERVER_ERROR',
  BAD_GATEWAY: 'INTERNAL_SERVER_ERROR',
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  GATEWAY_TIMEOUT: 'SERVICE_UNAVAILABLE',
};

/**
 * The one mapping from a thrown error to what a caller is told. Used by the tRPC error formatter
 * and the REST adapter alike, so `/trpc` and REST can never disagree. Internal errors lose their
 * message (no SQL, no stack); the log keeps the original.
 */
export function describeError(error: TRPCError): { status: number; body: ErrorBody } {
  const code = SPEC_CODE_BY_TRPC_CODE[error.code] ?? 'INTERNAL_SERVER_ERROR';
  const status = STATUS_BY_CODE[code];
  if (code === 'INTERNAL_SERVER_ERROR') return { status, body: { code, message: GENERIC_INTERNAL_MESSAGE } };
  if (error.code === 'SERVICE_UNAVAILABLE' || error.code === 'GATEWAY_TIMEOUT') return { status, body: { code, message: GENERIC_UNAVAILABLE_MESSAGE } };
  if (error.code === 'UNSUPPORTED_MEDIA_TYPE') return { status, body: { code, message: unsupportedMediaTypeMessage(error.message) } };

  if (error.cause instanceof z.core.$ZodError) {
    const issues = issuesFromZod(error.cause);
    const first = issues[0];
    const message = first ? `${first.path || 'input'}: ${first.message}` : 'Invalid input';
    return { status, body: { code, message, details: { issues } } };
  }
  const details = error instanceof AppError ? error.details : undefined;
  return { status, body: details ? { code, message: error.message, details } : { code, message: error.message } };
}

/** tRPC's 415 message (`Unsupported content-type "text/plain`, or `Missing content-type header`) as one that names the type and what to send. */
function unsupportedMediaTypeMessage(message: string): string {
  const type = /content-type "([^"]*)/i.exec(message)?.[1];
  return type === undefined
    ? 'The request has no Content-Type; send application/json'
    : `The content type ${JSON.stringify(type)} is not supported; send application/json`;
}

/** SQLSTATE classes and driver messages that mean "the database cannot be reached or is stuck". */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300', '57014', '55P03']);
const UNAVAILABLE_NODE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
const UNAVAILABLE_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /query read timeout/i,
  /connection.*(closed|ended)/i,
  /Client has encountered a connection error/i,
];

/**
 * Classifies a database failure: unreachable or timed out (503), bad data that slipped past
 * validation (400: no input may ever cause a 500), or a real bug (left alone, becomes a 500).
 */
export function classifyDatabaseError(error: unknown): 'unavailable' | 'bad_input' | null {
  if (!(error instanceof Error)) return null;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || UNAVAILABLE_NODE_CODES.has(code)) return 'unavailable';
    // Class 22 is "data exception": an out-of-range value or malformed literal from the input.
    if (code.startsWith('22')) return 'bad_input';
  }
  if (UNAVAILABLE_MESSAGES.some((pattern) => pattern.test(error.message))) return 'unavailable';
  if (error instanceof AggregateError) return error.errors.some((e) => classifyDatabaseError(e) === 'unavailable') ? 'unavailable' : null;
  return null;
}
