import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

/** The files of swagger-ui-dist the page uses: an allow-list, so no request path ever reaches the file system. */
const SWAGGER_FILES = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'text/javascript; charset=utf-8',
  'favicon-32x32.png': 'image/png',
} as const;

export type DocsAsset = { body: Uint8Array<ArrayBuffer>; contentType: string };

/**
 * Swagger UI, served by this server alone: its files come from the `swagger-ui-dist` package and
 * the start-up script is a file too (no inline script), so the page works with no internet access
 * and under a Content-Security-Policy that allows only this origin.
 */
export function createDocsPage(openApiPath: string, assetsPath: string) {
  const swaggerDir = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));
  const cache = new Map<string, DocsAsset>();
  const assets: Record<string, () => DocsAsset> = {
    'init.js': () => ({ body: new TextEncoder().encode(initScript(openApiPath)), contentType: 'text/javascript; charset=utf-8' }),
  };
  for (const [file, contentType] of Object.entries(SWAGGER_FILES)) {
    assets[file] = () => ({ body: new Uint8Array(readFileSync(join(swaggerDir, file))), contentType });
  }

  return {
    html: pageHtml(assetsPath),
    /** An asset by file name, read once and kept; undefined for any name not on the list. */
    asset(file: string): DocsAsset | undefined {
      const load = Object.hasOwn(assets, file) ? assets[file] : undefined;
      if (!load) return undefined;
      let asset = cache.get(file);
      if (!asset) {
        asset = load();
        cache.set(file, asset);
      }
      return asset;
    },
  };
}

/** Only this origin; Swagger UI styles elements inline and draws icons as data: URIs. */
export const DOCS_CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

function pageHtml(assetsPath: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>Run Hub Admin API</title>
  <link rel="icon" type="image/png" href="${assetsPath}/favicon-32x32.png">
  <link rel="stylesheet" href="${assetsPath}/swagger-ui.css">
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="${assetsPath}/swagger-ui-bundle.js"></script>
  <script src="${assetsPath}/init.js"></script>
</body>
</html>
`;
}

function initScript(openApiPath: string): string {
  // validatorUrl: null keeps Swagger UI from sending the document to its public validator.
  return `window.ui = SwaggerUIBundle({
  url: ${JSON.stringify(openApiPath)},
  dom_id: '#swagger-ui',
  deepLinking: true,
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
`;
}
