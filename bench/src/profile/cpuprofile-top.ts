import { readFileSync } from 'node:fs';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) read here. */
interface CpuProfile {
  nodes: { id: number; callFrame: { functionName: string; url: string; lineNumber: number }; hitCount?: number }[];
  samples: number[];
  timeDeltas: number[];
}

export interface TopItem {
  name: string;
  /** Where it is: the package (or our file) and line. */
  where: string;
  selfMicros: number;
  share: number;
}

/** The functions with the most self time in a profile, summed over every node of the same function. */
export function topSelfTime(profile: CpuProfile, limit: number): TopItem[] {
  const byNode = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, { name: string; where: string; micros: number }>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const node = byNode.get(id);
    const micros = profile.timeDeltas[index] ?? 0;
    if (!node) return;
    total += micros;
    const { functionName, url, lineNumber } = node.callFrame;
    const where = `${shortUrl(url)}:${lineNumber + 1}`;
    const key = `${functionName}@${where}`;
    const entry = self.get(key) ?? { name: functionName || '(anonymous)', where, micros: 0 };
    entry.micros += micros;
    self.set(key, entry);
  });
  return [...self.values()]
    .sort((a, b) => b.micros - a.micros)
    .slice(0, limit)
    .map((entry) => ({ name: entry.name, where: entry.where, selfMicros: entry.micros, share: entry.micros / total }));
}

/** `…/node_modules/.pnpm/hono@4/node_modules/hono/dist/x.js` → `hono/dist/x.js`; our files from their package. */
function shortUrl(url: string): string {
  if (url === '') return '(native)';
  const modules = url.lastIndexOf('/node_modules/');
  if (modules !== -1) return url.slice(modules + '/node_modules/'.length);
  const packages = url.search(/\/(apps|packages|bench)\//);
  return packages === -1 ? url.replace(/^file:\/\//, '') : url.slice(packages + 1);
}

// `node bench/dist/profile/cpuprofile-top.js FILE.cpuprofile [N]`: the top N (default 25) as a Markdown table.
if (import.meta.url === `file://${process.argv[1]}`) {
  const [file, count] = process.argv.slice(2);
  if (!file) throw new Error('usage: cpuprofile-top.js FILE.cpuprofile [N]');
  const items = topSelfTime(JSON.parse(readFileSync(file, 'utf8')) as CpuProfile, Number(count ?? 25));
  process.stdout.write('| self % | self ms | function | where |\n|---:|---:|---|---|\n');
  for (const item of items) {
    process.stdout.write(`| ${(item.share * 100).toFixed(1)} | ${(item.selfMicros / 1000).toFixed(0)} | ${item.name} | ${item.where} |\n`);
  }
}
