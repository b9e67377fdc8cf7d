// @ts-check
/**
 * Makes the client's declarations self-contained. `AppRouter` lives in the private workspace
 * packages `@runhub/router` and `@runhub/db`, which no consumer can install, so tsc's
 * declarations would name modules that do not exist outside this repository and the router
 * would decay to `any`. This copies every declaration file reachable from `dist/*.d.ts` through
 * those packages into `dist/types/<package>/` and points the imports at the copies.
 *
 * Declarations only: no runtime code of the router or the database ever enters the tarball.
 * Third-party modules the copied declarations import must be dependencies of this package (or
 * the consumer would type-check against nothing); the build fails naming any that is not.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const INLINED_SCOPE = '@runhub/';
const packageDir = dirname(dirname(fileURLToPath(import.meta.url)));
const distDir = join(packageDir, 'dist');
const typesDir = join(distDir, 'types');
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8'));
const declaredDependencies = new Set([...Object.keys(manifest.dependencies ?? {}), ...Object.keys(manifest.peerDependencies ?? {})]);

/** `from '…'`, `import('…')` and `import '…'`: every way a declaration file names another module. */
const SPECIFIER = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(['"])([^'"]+)\2/g;
const COMMENT_LINE = /^\s*(\/\/|\/\*|\*)/;

rmSync(typesDir, { recursive: true, force: true });

/** @type {Map<string, string>} source declaration file → where its copy goes */
const copies = new Map();
/** @type {Map<string, string>} third-party package → a file that imports it */
const externals = new Map();
/** @type {Array<{ source: string; target: string }>} */
const queue = readdirSync(distDir)
  .filter((name) => name.endsWith('.d.ts'))
  .map((name) => ({ source: join(distDir, name), target: join(distDir, name) }));

for (let item = queue.shift(); item; item = queue.shift()) {
  const { source, target } = item;
  const lines = readFileSync(source, 'utf8')
    .replace(/^\/\/# sourceMappingURL=.*$/m, '')
    .split('\n');
  // Comment lines are left alone: an `import … from '@runhub/client'` in a doc example is no import.
  const rewritten = lines.map((line) =>
    COMMENT_LINE.test(line)
      ? line
      : line.replace(SPECIFIER, (_whole, lead, quote, specifier) => `${lead}${quote}${rewriteSpecifier(specifier, source, target)}${quote}`),
  );
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, `${rewritten.join('\n').trimEnd()}\n`);
}

const missing = [...externals].filter(([name]) => !declaredDependencies.has(name));
if (missing.length > 0) {
  const list = missing.map(([name, from]) => `  ${name} (imported by ${relative(packageDir, from)})`).join('\n');
  throw new Error(`The shipped declarations import packages that are not dependencies of ${manifest.name}:\n${list}`);
}
process.stdout.write(`bundle-types: ${copies.size} declaration files inlined into dist/types; type dependencies: ${[...externals.keys()].sort().join(', ')}\n`);

/**
 * Where an import of `source` must point once `source` is copied to `target`: relative imports
 * stay (their files are copied alongside), workspace packages are copied and pointed at, and
 * anything else is a third-party package, recorded for the dependency check.
 * @param {string} specifier @param {string} source @param {string} target
 */
function rewriteSpecifier(specifier, source, target) {
  if (specifier.startsWith('.')) {
    const next = join(dirname(source), toDeclaration(specifier));
    if (existsSync(next)) enqueue(next, join(dirname(target), toDeclaration(specifier)));
    return specifier;
  }
  if (specifier.startsWith(INLINED_SCOPE)) {
    const resolved = resolveWorkspaceTypes(specifier, dirname(source));
    const copy = join(typesDir, packageName(specifier).slice(INLINED_SCOPE.length), relative(resolved.packageRoot, resolved.file));
    enqueue(resolved.file, copy);
    return toSpecifier(dirname(target), copy);
  }
  if (!externals.has(packageName(specifier))) externals.set(packageName(specifier), source);
  return specifier;
}

/** @param {string} source @param {string} target */
function enqueue(source, target) {
  if (copies.has(source) || source === target) return;
  copies.set(source, target);
  queue.push({ source, target });
}

/** `./x.js` → `./x.d.ts` (NodeNext declarations always carry the `.js` extension). @param {string} specifier */
function toDeclaration(specifier) {
  return specifier.replace(/\.js$/, '.d.ts');
}

/** The relative specifier from a folder to a declaration file, as a `.js` import. @param {string} fromDir @param {string} file */
function toSpecifier(fromDir, file) {
  const path = relative(fromDir, file)
    .split(sep)
    .join('/')
    .replace(/\.d\.ts$/, '.js');
  return path.startsWith('.') ? path : `./${path}`;
}

/** @param {string} specifier */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/**
 * The declaration file a workspace specifier resolves to, from the importing file's folder, the
 * way Node would: the nearest `node_modules/<name>`, then its `exports` map's `types`.
 * @param {string} specifier @param {string} fromDir
 */
function resolveWorkspaceTypes(specifier, fromDir) {
  const name = packageName(specifier);
  const subpath = `.${specifier.slice(name.length)}`;
  for (let dir = fromDir; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(candidate)) {
      const packageRoot = realpathSync(candidate);
      const exports = JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8')).exports ?? {};
      const entry = exports[subpath];
      const types = typeof entry === 'string' ? entry : entry?.types;
      if (typeof types !== 'string') throw new Error(`${specifier}: no "types" in the exports of ${name}`);
      return { packageRoot, file: join(packageRoot, types) };
    }
    if (dirname(dir) === dir) throw new Error(`${specifier}: not found from ${fromDir}`);
  }
}
