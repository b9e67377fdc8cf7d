import type { ServerOptions } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts } from './config.js';
import type { AppEnv } from './env.js';

/**
 * The node HTTP server's options for the timeouts: a client that sends its headers too slowly
 * (slow loris), its request too slowly, or idles on a kept-alive connection is cut off. Node
 * checks the first two every `connectionsCheckingInterval` (30 s by default, longer than a
 * short timeout): checked here at a quarter of the headers timeout, between 100 ms and 1 s.
 */
export function httpServerOptions(timeouts: HttpTimeouts): ServerOptions {
  return {
    headersTimeout: timeouts.headersTimeoutMs,
    requestTimeout: timeouts.requestTimeoutMs,
    keepAliveTimeout: timeouts.keepAliveTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, Math.max(100, Math.floor(timeouts.headersTimeoutMs / 4))),
  };
}

/**
 * Serves the app on a socket with the timeouts (the defaults unless given).
 *
 * @example
 * const server = serveApp(app, { port: 8787, hostname: '127.0.0.1', timeouts: config.httpTimeouts }, (info) => log(info.port));
 */
export function serveApp(
  app: Hono<AppEnv>,
  options: { port: number; hostname: string; timeouts?: HttpTimeouts },
  onListening?: (info: AddressInfo) => void,
): ServerType {
  return serve(
    { fetch: app.fetch, port: options.port, hostname: options.hostname, serverOptions: httpServerOptions(options.timeouts ?? DEFAULT_HTTP_TIMEOUTS) },
    onListening,
  );
}
