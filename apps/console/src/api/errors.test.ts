import { describe, expect, it } from 'vitest';
import { describeError } from './errors.js';

/** What the SDK rejects with when the server answered: a TRPCClientError with SPEC §5's code in `data`. */
function apiError(message: string, data: Record<string, unknown>): Error {
  return Object.assign(new Error(message), { name: 'TRPCClientError', data });
}

describe('describeError', () => {
  it('keeps the API message and names the existing retry of a 409', () => {
    const retryRunId = '6f1c7c35-7a0e-4a43-9a53-4c3b0a0b8d21';
    const error = apiError(`Run a was already retried as ${retryRunId}`, { code: 'CONFLICT', httpStatus: 409, details: { retryRunId } });
    expect(describeError(error)).toEqual({ code: 'CONFLICT', message: `Run a was already retried as ${retryRunId}`, retryRunId });
  });

  it('keeps the permission a 403 names, and the fields a 400 refused', () => {
    expect(describeError(apiError('This action needs the inhouse.write permission', { code: 'FORBIDDEN', httpStatus: 403 }))).toEqual({
      code: 'FORBIDDEN',
      message: 'This action needs the inhouse.write permission',
    });
    const invalid = apiError('Invalid input', {
      code: 'BAD_REQUEST',
      httpStatus: 400,
      details: { issues: [{ path: 'startDate', message: 'is after endDate' }] },
    });
    expect(describeError(invalid).issues).toEqual([{ path: 'startDate', message: 'is after endDate' }]);
  });

  it('says when the server did not answer at all', () => {
    expect(describeError(new TypeError('Failed to fetch'))).toEqual({ code: null, message: 'The server could not be reached (Failed to fetch)' });
  });
});
