import type { IncomingMessage } from 'node:http';
import type { Context } from 'hono';
import type { AppEnv } from './env.js';

/** The body was longer than allowed; nothing of it was kept. */
export const BODY_TOO_LARGE = Symbol('body too large');

/** What `@hono/node-server` hands the app as its environment: the request as node received it. */
interface NodeBindings {
  incoming?: IncomingMessage;
}

/**
 * The request's body as UTF-8 text, or `BODY_TOO_LARGE` once it is longer than `maxBytes` (a
 * declared `Content-Length` over the bound never gets here: the app refuses it before the route,
 * with `declaresMoreThan`). Under
 * `@hono/node-server` it is read straight from node's `IncomingMessage`: asking the fetch `Request`
 * for its body instead makes the server build a full `Request` around a web stream, about a sixth
 * of a retry's CPU (docs/benchmarks.md). Elsewhere (`app.request()` in tests) it goes through the
 * `Request`. A client that goes away midway rejects with node's `ECONNRESET` "aborted", which the
 * app's error handler answers as an abandoned body (`isClientAbort`).
 */
export async function readBodyText(c: Context<AppEnv>, maxBytes: number): Promise<string | typeof BODY_TOO_LARGE> {
  const incoming = (c.env as NodeBindings | undefined)?.incoming;
  if (!incoming || incoming.readableDidRead || incoming.readableEnded) {
    // Outside @hono/node-server the body is read whole, then measured: only tests run the app so.
    const bytes = new Uint8Array(await c.req.arrayBuffer());
    return bytes.byteLength > maxBytes ? BODY_TOO_LARGE : new TextDecoder().decode(bytes);
  }
  return readIncoming(incoming, maxBytes);
}

function clientGone(): Error {
  return Object.assign(new Error('aborted'), { code: 'ECONNRESET' });
}

/** Whether the request's `Content-Length` (without a `Transfer-Encoding`, which would override it) is over `maxBytes`. */
export function declaresMoreThan(c: Context<AppEnv>, maxBytes: number): boolean {
  const declared = c.req.header('content-length');
  return declared !== undefined && c.req.header('transfer-encoding') === undefined && Number(declared) > maxBytes;
}

function readIncoming(incoming: IncomingMessage, maxBytes: number): Promise<string | typeof BODY_TOO_LARGE> {
  return new Promise((resolve, reject) => {
    // Gone before the handler ran (a session check awaits): no event will come any more.
    if (incoming.destroyed || incoming.errored) {
      reject(clientGone());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const settle = () => {
      incoming.off('data', onData);
      incoming.off('end', onEnd);
      incoming.off('error', onError);
      incoming.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) {
        settle();
        // What is left is the server's to drain or drop, as after any answer that did not read the whole body.
        incoming.pause();
        resolve(BODY_TOO_LARGE);
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      settle();
      // As the fetch Request's text() decodes: UTF-8, a leading byte-order mark dropped.
      resolve(new TextDecoder().decode(Buffer.concat(chunks, size)));
    };
    const onError = (error: Error) => {
      settle();
      reject(error);
    };
    // Closed before its end without an error event: the client went away all the same.
    const onClose = () => {
      settle();
      reject(clientGone());
    };
    incoming.on('data', onData);
    incoming.on('end', onEnd);
    incoming.on('error', onError);
    incoming.on('close', onClose);
  });
}
