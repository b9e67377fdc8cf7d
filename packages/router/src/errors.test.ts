import { TRPCError } from '@trpc/server';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import { TRPC_ERROR_CODES_BY_KEY } from '@trpc/server/rpc';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { AppError, classifyDatabaseError, describeError, SPEC_CODE_BY_TRPC_CODE, STATUS_BY_CODE } from './errors.js';

type TrpcCode = keyof typeof TRPC_ERROR_CODES_BY_KEY;

/** Every tRPC code, as SPEC §5 names it, with its status. */
const EXPECTED: Record<TrpcCode, [code: string, status: number]> = {
  PARSE_ERROR: ['BAD_REQUEST', 400],
  BAD_REQUEST: ['BAD_REQUEST', 400],
  UNAUTHORIZED: ['UNAUTHORIZED', 401],
  PAYMENT_REQUIRED: ['FORBIDDEN', 403],
  FORBIDDEN: ['FORBIDDEN', 403],
  NOT_FOUND: ['NOT_FOUND', 404],
  METHOD_NOT_SUPPORTED: ['METHOD_NOT_ALLOWED', 405],
  TIMEOUT: ['BAD_REQUEST', 400],
  CONFLICT: ['CONFLICT', 409],
  PRECONDITION_FAILED: ['CONFLICT', 409],
  PAYLOAD_TOO_LARGE: ['PAYLOAD_TOO_LARGE', 413],
  UNSUPPORTED_MEDIA_TYPE: ['BAD_REQUEST', 400],
  UNPROCESSABLE_CONTENT: ['BAD_REQUEST', 400],
  PRECONDITION_REQUIRED: ['BAD_REQUEST', 400],
  TOO_MANY_REQUESTS: ['SERVICE_UNAVAILABLE', 503],
  CLIENT_CLOSED_REQUEST: ['BAD_REQUEST', 400],
  INTERNAL_SERVER_ERROR: ['INTERNAL_SERVER_ERROR', 500],
  NOT_IMPLEMENTED: ['INTERNAL_SERVER_ERROR', 500],
  BAD_GATEWAY: ['INTERNAL_SERVER_ERROR', 500],
  SERVICE_UNAVAILABLE: ['SERVICE_UNAVAILABLE', 503],
  GATEWAY_TIMEOUT: ['SERVICE_UNAVAILABLE', 503],
};

describe('describeError', () => {
  it('knows every tRPC code there is', () => {
    expect(Object.keys(SPEC_CODE_BY_TRPC_CODE).sort()).toEqual(Object.keys(TRPC_ERROR_CODES_BY_KEY).sort());
    expect(Object.keys(EXPECTED).sort()).toEqual(Object.keys(TRPC_ERROR_CODES_BY_KEY).sort());
  });

  it.each(Object.entries(EXPECTED) as [TrpcCode, [string, number]][])('maps %s to %j', (trpcCode, [code, status]) => {
    const error = new TRPCError({ code: trpcCode, message: 'what happened' });
    const described = describeError(error);
    expect(described).toMatchObject({ status, body: { code } });
    expect(STATUS_BY_CODE[described.body.code]).toBe(status);
    // A caller's mistake (4xx) is never told as the server's (5xx); 429 is the one 4xx told as "come back later".
    const trpcStatus = getHTTPStatusCodeFromError(error);
    if (trpcCode !== 'TOO_MANY_REQUESTS') expect(Math.floor(status / 100)).toBe(Math.floor(trpcStatus / 100));
  });

  it('keeps the message of a 4xx, hides the message of a 500 and of an unavailable database', () => {
    expect(describeError(new TRPCError({ code: 'CONFLICT', message: 'The run is running' })).body.message).toBe('The run is running');
    expect(describeError(new TRPCError({ code: 'TOO_MANY_REQUESTS', message: 'Slow down' })).body.message).toBe('Slow down');
    expect(describeError(new TRPCError({ code: 'INTERNAL_SERVER_ERROR', message: 'select secret from t' })).body).toEqual({
      code: 'INTERNAL_SERVER_ERROR',
      message: 'Internal server error',
    });
    for (const code of ['SERVICE_UNAVAILABLE', 'GATEWAY_TIMEOUT'] as const) {
      expect(describeError(new TRPCError({ code, message: 'connect ECONNREFUSED 10.0.0.7:5432' })).body).toEqual({
        code: 'SERVICE_UNAVAILABLE',
        message: 'The database is unavailable; try again shortly',
      });
    }
  });

  it('names the content type of a 415 and what to send instead', () => {
    expect(describeError(new TRPCError({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Unsupported content-type "text/plain' })).body).toEqual({
      code: 'BAD_REQUEST',
      message: 'The content type "text/plain" is not supported; send application/json',
    });
    expect(describeError(new TRPCError({ code: 'UNSUPPORTED_MEDIA_TYPE', message: 'Missing content-type header' })).body).toEqual({
      code: 'BAD_REQUEST',
      message: 'The request has no Content-Type; send application/json',
    });
  });

  it('lists zod issues by dotted path, and an AppError keeps its details', () => {
    const parsed = z.object({ a: z.object({ b: z.number() }) }).safeParse({ a: { b: 'x' } });
    const zodError = new TRPCError({ code: 'BAD_REQUEST', message: 'x', cause: parsed.error });
    expect(describeError(zodError).body).toEqual({
      code: 'BAD_REQUEST',
      message: 'a.b: Invalid input: expected number, received string',
      details: { issues: [{ path: 'a.b', message: 'Invalid input: expected number, received string' }] },
    });
    const emptyPath = new TRPCError({ code: 'BAD_REQUEST', message: 'x', cause: z.number().safeParse('x').error });
    expect(describeError(emptyPath).body.message).toBe('input: Invalid input: expected number, received string');
    const conflict = new AppError({ code: 'CONFLICT', message: 'Already retried', details: { retryRunId: 'r-1' } });
    expect(describeError(conflict)).toEqual({ status: 409, body: { code: 'CONFLICT', message: 'Already retried', details: { retryRunId: 'r-1' } } });
    expect(describeError(new AppError({ code: 'NOT_FOUND', message: 'No run' })).body).toEqual({ code: 'NOT_FOUND', message: 'No run' });
  });
});

const pgError = (code: string, message = 'error') => Object.assign(new Error(message), { code });

describe('classifyDatabaseError', () => {
  it.each([
    ['57P01', 'unavailable'],
    ['57014', 'unavailable'],
    ['55P03', 'unavailable'],
    ['53300', 'unavailable'],
    ['08006', 'unavailable'],
    ['ECONNREFUSED', 'unavailable'],
    ['22P02', 'bad_input'],
    ['22003', 'bad_input'],
    ['23505', null],
    ['42P01', null],
  ])('classifies SQLSTATE or node code %s as %s', (code, kind) => {
    expect(classifyDatabaseError(pgError(code))).toBe(kind);
  });

  it.each([
    'Connection terminated unexpectedly',
    'timeout exceeded when trying to connect',
    'Query read timeout',
    'Connection closed',
    'Client has encountered a connection error and is not queryable',
  ])('reads "%s" as unavailable', (message) => {
    expect(classifyDatabaseError(new Error(message))).toBe('unavailable');
  });

  it('looks inside an AggregateError, and leaves anything else alone', () => {
    expect(classifyDatabaseError(new AggregateError([new Error('x'), pgError('ECONNREFUSED')]))).toBe('unavailable');
    expect(classifyDatabaseError(new AggregateError([new Error('x'), pgError('22P02')]))).toBeNull();
    expect(classifyDatabaseError(new Error('syntax error'))).toBeNull();
    expect(classifyDatabaseError(pgError('P0001'))).toBeNull();
    expect(classifyDatabaseError('a string')).toBeNull();
    expect(classifyDatabaseError(Object.assign(new Error('x'), { code: 42 }))).toBeNull();
  });
});
