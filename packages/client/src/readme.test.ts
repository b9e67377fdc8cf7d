import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLE_FILES = ['app/admin/runs/page.tsx', 'app/api/admin/runs/[id]/retry/route.ts', 'app/admin/runs/cancel-run.tsx'];

/** Each code block that opens with `// examples/next-admin/<file>`, by file. */
function quotes(readme: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of readme.matchAll(/```tsx?\n\/\/ examples\/next-admin\/(\S+)\n([\s\S]*?)```/g)) found.set(match[1] ?? '', match[2] ?? '');
  return found;
}

describe('the SDK README', () => {
  it('quotes the Next.js example files exactly as CI builds them', () => {
    const quoted = quotes(readFileSync(`${ROOT}packages/client/README.md`, 'utf8'));
    expect([...quoted.keys()].sort()).toEqual([...EXAMPLE_FILES].sort());
    for (const file of EXAMPLE_FILES) expect(quoted.get(file), file).toBe(readFileSync(`${ROOT}examples/next-admin/${file}`, 'utf8'));
  });
});
