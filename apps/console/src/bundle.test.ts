import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * The console's budget, measured on the build `pnpm build` wrote (`pnpm test` builds first):
 * all of its JavaScript within 200 KB gzipped, and each page's first view loading only its own
 * page's code. Vite's manifest gives the chunk graph; `.vite/chunk-modules.json` (written by the
 * build, see vite.config.ts) the source modules in each chunk.
 */
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));
const BUDGET_BYTES = 200 * 1024;
const PAGES = {
  workflows: 'src/features/workflows/workflows-page.tsx',
  'business-events': 'src/features/business-events/events-page.tsx',
  'kpi-health': 'src/features/kpi-health/kpi-health-page.tsx',
} as const;
type Page = keyof typeof PAGES;

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  isDynamicEntry?: boolean;
  imports?: string[];
  css?: string[];
}

let manifest: Record<string, ManifestChunk>;
let modulesOf: Record<string, string[]>;

beforeAll(() => {
  const manifestPath = join(DIST, '.vite/manifest.json');
  if (!existsSync(manifestPath)) throw new Error(`No console build at ${DIST}: run pnpm build first`);
  manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));
  modulesOf = JSON.parse(readFileSync(join(DIST, '.vite/chunk-modules.json'), 'utf8'));
});

const gzipped = (file: string) => gzipSync(readFileSync(join(DIST, file)), { level: 9 }).length;

/** The chunks the browser loads for a key: the chunk and everything it imports statically. */
function staticClosure(key: string, into = new Set<string>()): Set<string> {
  if (into.has(key)) return into;
  into.add(key);
  for (const imported of manifest[key]?.imports ?? []) staticClosure(imported, into);
  return into;
}

/** What opening a page loads first: the entry and its page's chunk, with their static imports. */
function firstView(page: Page): { files: string[]; modules: string[] } {
  const keys = staticClosure(PAGES[page], staticClosure('index.html'));
  const files = [...keys].map((key) => manifest[key]?.file ?? '');
  return { files, modules: files.flatMap((file) => modulesOf[file] ?? []) };
}

describe('the console bundle', () => {
  it('has one entry and a lazily loaded chunk per page', () => {
    expect(manifest['index.html']?.isEntry).toBe(true);
    for (const source of Object.values(PAGES)) expect(manifest[source]?.isDynamicEntry, source).toBe(true);
  });

  it('ships at most 200 KB of JavaScript, gzipped, in all', () => {
    const scripts = readdirSync(join(DIST, 'assets')).filter((name) => name.endsWith('.js'));
    const total = scripts.reduce((sum, name) => sum + gzipped(join('assets', name)), 0);
    console.log(`console JavaScript: ${scripts.length} files, ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET_BYTES / 1024} KB)`);
    expect(total).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it.each(Object.keys(PAGES) as Page[])('loads none of the other pages code on a first view of %s', (page) => {
    const { files, modules } = firstView(page);
    const others = (Object.keys(PAGES) as Page[]).filter((other) => other !== page);
    for (const other of others) {
      expect(files, `${page} loads the chunk of ${other}`).not.toContain(manifest[PAGES[other]]?.file);
      expect(
        modules.filter((id) => id.startsWith(`src/features/${other}/`) && !id.endsWith('/routes.ts') && !id.endsWith('/search.ts')),
        `${page} loads code of ${other}`,
      ).toEqual([]);
    }
    expect(modules).toContain(PAGES[page]);
    const size = files.filter((file) => file.endsWith('.js')).reduce((sum, file) => sum + gzipped(file), 0);
    console.log(`first view of ${page}: ${files.length} chunks, ${(size / 1024).toFixed(1)} KB gzipped`);
  });

  it('keeps the chart library (uPlot) out of every first view: it loads with a chart view only', () => {
    const isChart = (id: string) =>
      id.includes('node_modules/uplot/') || id.includes('/kpi-chart.tsx') || id.includes('/uplot-chart.tsx') || id.includes('/day-chart.tsx');
    for (const page of Object.keys(PAGES) as Page[]) expect(firstView(page).modules.filter(isChart), `${page} loads the chart`).toEqual([]);
    const chartView = staticClosure('src/features/kpi-health/project-days.tsx');
    expect([...chartView].flatMap((key) => modulesOf[manifest[key]?.file ?? ''] ?? []).some((id) => id.includes('node_modules/uplot/'))).toBe(true);
    const chunk = Object.keys(modulesOf).find((file) => modulesOf[file]?.some((id) => id.includes('node_modules/uplot/'))) ?? '';
    console.log(`the chart chunk (uPlot and its wrapper), loaded by chart views only: ${(gzipped(chunk) / 1024).toFixed(1)} KB gzipped`);
  });
});
