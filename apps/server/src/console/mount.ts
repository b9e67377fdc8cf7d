import type { Context, Hono } from 'hono';
import type { AppEnv } from '../env.js';
import type { ConsoleFile, ConsoleFiles } from './files.js';

export const CONSOLE_PREFIX = '/admin/inhouse';
/** The seed's three pages; each serves the app, whose router draws the page (and its sub-paths, such as an event's detail). */
export const CONSOLE_PAGES = ['workflows', 'business-events', 'kpi-health'] as const;
export const CONSOLE_HOME = `${CONSOLE_PREFIX}/${CONSOLE_PAGES[0]}`;

/**
 * Only this origin. No inline script or style element; React sets the few dynamic widths through
 * the CSSOM, which CSP does not govern. The console submits no form to a URL (every form is handled
 * in script), so form-action is 'none'.
 */
export const CONSOLE_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Hashed names change with their content: a year, immutable. */
const ASSET_CACHE = 'public, max-age=31536000, immutable';

/**
 * The admin console (SPEC §9), served from its built files: `/` and `/admin/inhouse` redirect to
 * the workflows page; the three pages and their sub-paths answer the app's `index.html` (never
 * cached, so a deploy is seen at once); `/admin/inhouse/assets/<file>` answers a built asset by
 * name from the allow-list, or 404. None of it needs credentials: the app holds no data until it
 * calls `/trpc`, which does.
 *
 * @example
 * if (options.consoleFiles) mountConsole(app, options.consoleFiles);
 */
export function mountConsole(app: Hono<AppEnv>, files: ConsoleFiles): void {
  const home = (c: Context<AppEnv>) => c.redirect(CONSOLE_HOME, 302);
  app.get('/', home);
  app.get(CONSOLE_PREFIX, home);
  app.get(`${CONSOLE_PREFIX}/`, home);

  const index = (c: Context<AppEnv>) => {
    c.header('content-security-policy', CONSOLE_CONTENT_SECURITY_POLICY);
    c.header('cache-control', 'no-cache');
    return send(c, files.index);
  };
  for (const page of CONSOLE_PAGES) {
    app.get(`${CONSOLE_PREFIX}/${page}`, index);
    app.get(`${CONSOLE_PREFIX}/${page}/*`, index);
  }

  app.get(`${CONSOLE_PREFIX}/assets/:file`, (c) => {
    const file = files.assets.get(c.req.param('file'));
    if (!file) return c.notFound();
    c.header('cache-control', ASSET_CACHE);
    return send(c, file);
  });
}

function send(c: Context<AppEnv>, file: ConsoleFile): Response {
  c.header('content-type', file.contentType);
  c.header('vary', 'accept-encoding');
  if (file.gzip && /\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
    c.header('content-encoding', 'gzip');
    return c.body(file.gzip, 200);
  }
  return c.body(file.body, 200);
}
