/** The label of a request that matched no route of its own: unknown paths, and catch-all routes. */
export const UNMATCHED = 'unmatched';
/** A `/trpc` batch of several known procedures. */
export const TRPC_BATCH = '/trpc/:batch';
const TRPC_PREFIX = '/trpc/';

/** A registered route, as Hono lists it in `app.routes`. */
export interface RouteEntry {
  path: string;
  /** `ALL` for middleware (`app.use`) and `app.all` handlers. */
  method: string;
}

/**
 * Maps a request path to a bounded `route` label: the template of the route it matches
 * (`/v1/admin/inhouse/workflow-runs/:id/retry`, `/admin/inhouse/workflows/*`), `/trpc/<procedure>`
 * for a known procedure, `/trpc/:batch` for a batch of known ones, else `unmatched`. A wildcard
 * registered for every method (middleware, the 404 catch-all under the admin prefix) is not a
 * template; one registered for a method (the console's pages) is. Static templates win over the
 * others, as they do in the app, where static routes are registered first.
 *
 * @example
 * const label = createRouteLabeller([{ method: 'POST', path: '/v1/admin/inhouse/workflow-runs/:id/retry' }], ['workflowRuns.list']);
 * label('/v1/admin/inhouse/workflow-runs/4f1c…/retry'); // '/v1/admin/inhouse/workflow-runs/:id/retry'
 */
export function createRouteLabeller(routes: Iterable<RouteEntry>, procedures: Iterable<string>): (path: string) => string {
  const exact = new Set<string>();
  const patterns: { pattern: RegExp; template: string }[] = [];
  for (const { path: template, method } of routes) {
    const wildcard = template.includes('*');
    if ((wildcard && method === 'ALL') || exact.has(template) || patterns.some((p) => p.template === template)) continue;
    if (wildcard || template.includes('/:')) patterns.push({ pattern: patternOf(template), template });
    else exact.add(template);
  }
  const known = new Set(procedures);
  return (path) => {
    if (exact.has(path)) return path;
    if (path.startsWith(TRPC_PREFIX)) return trpcLabel(path.slice(TRPC_PREFIX.length), known);
    for (const { pattern, template } of patterns) if (pattern.test(path)) return template;
    return UNMATCHED;
  };
}

function trpcLabel(names: string, known: ReadonlySet<string>): string {
  if (known.has(names)) return `${TRPC_PREFIX}${names}`;
  const batch = names.split(',');
  return batch.length > 1 && batch.every((name) => known.has(name)) ? TRPC_BATCH : UNMATCHED;
}

/** `/a/:id/b` → `^/a/[^/]+/b$`, a `*` segment → anything (as Hono reads it), every other character literal. */
function patternOf(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      if (segment.startsWith(':')) return '[^/]+';
      return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return new RegExp(`^${source}$`);
}
