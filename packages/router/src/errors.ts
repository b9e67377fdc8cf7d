import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
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

/**
 * The one mapping from a thrown error to what a caller is told. Used by the tRPC error formatter
 * and the REST adapter alike, so `/trpc` and REST can never disagree. Internal errors lose their
 * message (no SQL, no stack); the log keeps the original.
 */
export function describeError(error: TRPCError): { status: number; body: ErrorBody } {
  const status = getHTTPStatusCodeFromError(error);
  const code = toErrorCode(error.code);
  if (code === 'INTERNAL_SERVER_ERROR') return { status: 500, body: { code, message: GENERIC_INTERNAL_MESSAGE } };
  if (code === 'SERVICE_UNAVAILABLE') return { status: 503, body: { code, message: GENERIC_UNAVAILABLE_MESSAGE } };

  if (error.cause instanceof z.core.$ZodError) {
    const issues = issuesFromZod(error.cause);
    const first = issues[0];
    const message = first ? `${first.path || 'input'}: ${first.message}` : 'Invalid input';
    return { status, body: { code, message, details: { issues } } };
  }
  const details = error instanceof AppError ? error.details : undefined;
  return { status, body: details ? { code, message: error.message, details } : { code, message: error.message } };
}

function toErrorCode(code: TRPCError['code']): ErrorCode {
  if (code === 'METHOD_NOT_SUPPORTED') return 'METHOD_NOT_ALLOWED';
  if (code === 'PARSE_ERROR' || code === 'UNPROCESSABLE_CONTENT') return 'BAD_REQUEST';
  return (ERROR_CODES as readonly string[]).includes(code) ? (code as ErrorCode) : 'INTERNAL_SERVER_ERROR';
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
