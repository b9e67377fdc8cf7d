/** The label of a request that matched no route of its own: unknown paths, and catch-all routes. */
export const UNMATCHED = 'unmatched';
/** A `/trpc` batch of several known procedures. */
export const TRPC_BATCH = '/trpc/:batch';
const TRPC_PREFIX = '/trpc/';

/**
 * Maps a request path to a bounded `route` label: the template of the route it matches
 * (`/v1/admin/inhouse/workflow-runs/:id/retry`), `/trpc/<procedure>` for a known procedure,
 * `/trpc/:batch` for a batch of known ones, else `unmatched`. Wildcard routes (middleware, the 404
 * catch-all under the admin prefix) are not templates. Static templates win over `:param` ones,
 * as they do in the app, since the REST adapter registers them first.
 *
 * @example
 * const label = createRouteLabeller(['/healthz', '/v1/admin/inhouse/workflow-runs/:id/retry'], ['workflowRuns.list']);
 * label('/v1/admin/inhouse/workflow-runs/4f1c…/retry'); // '/v1/admin/inhouse/workflow-runs/:id/retry'
 */
export function createRouteLabeller(templates: Iterable<string>, procedures: Iterable<string>): (path: string) => string {
  const exact = new Set<string>();
  const patterns: { pattern: RegExp; template: string }[] = [];
  for (const template of templates) {
    if (template.includes('*') || exact.has(template) || patterns.some((p) => p.template === template)) continue;
    if (template.includes('/:')) patterns.push({ pattern: patternOf(template), template });
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

/** `/a/:id/b` → `^/a/[^/]+/b$`, every other character literal. */
function patternOf(template: string): RegExp {
  const source = template
    .split('/')
    .map((segment) => (segment.startsWith(':') ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${source}$`);
}
