import type { Hono } from 'hono';
import type { AppEnv } from '../env.js';
import type { RestProcedure } from '../rest/routes.js';
import { createDocsPage, DOCS_CONTENT_SECURITY_POLICY } from './docs-page.js';
import { buildOpenApiDocument, type OpenApiDocument } from './document.js';

export const OPENAPI_PATH = '/openapi.json';
export const DOCS_PATH = '/docs';

/**
 * `GET /openapi.json` (the OpenAPI 3.1 document, built once here from the procedures' meta) and
 * `GET /docs` (Swagger UI on it, with its assets under `/docs/assets/`). Both are public and not
 * enveloped: they describe the API and hold no data.
 *
 * @example
 * mountApiDocs(app, { procedures: listRestProcedures(appRouter), maxBodyBytes: 64 * 1024 });
 */
export function mountApiDocs(app: Hono<AppEnv>, options: { procedures: readonly RestProcedure[]; maxBodyBytes: number }): OpenApiDocument {
  const document = buildOpenApiDocument(options.procedures, { maxBodyBytes: options.maxBodyBytes });
  const body = JSON.stringify(document);
  const page = createDocsPage(OPENAPI_PATH, `${DOCS_PATH}/assets`);

  app.get(OPENAPI_PATH, (c) => {
    c.header('cache-control', 'no-cache');
    return c.body(body, 200, { 'content-type': 'application/json; charset=utf-8' });
  });
  app.get(DOCS_PATH, (c) => {
    c.header('content-security-policy', DOCS_CONTENT_SECURITY_POLICY);
    c.header('cache-control', 'no-cache');
    return c.html(page.html);
  });
  app.get(`${DOCS_PATH}/`, (c) => c.redirect(DOCS_PATH, 301));
  app.get(`${DOCS_PATH}/assets/:file`, (c) => {
    const asset = page.asset(c.req.param('file'));
    if (!asset) return c.notFound();
    c.header('cache-control', 'public, max-age=3600');
    return c.body(asset.body, 200, { 'content-type': asset.contentType });
  });
  return document;
}
