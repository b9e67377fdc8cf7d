/**
 * Whether a request failed because its client went away before its body was complete: the
 * request's signal is aborted (@hono/node-server aborts it when the socket closes early), or node
 * reported the body's stream as aborted. Not a server error: nobody is waiting for the answer.
 */
export function isClientAbort(error: unknown, request: Request): boolean {
  if (error instanceof Error && (error as { code?: unknown }).code === 'ECONNRESET' && error.message === 'aborted') return true;
  return request.signal.aborted;
}
