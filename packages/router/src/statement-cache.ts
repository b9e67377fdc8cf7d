import type { Database } from '@runhub/db';
import { type Compilable, CompiledQuery, type Kysely } from 'kysely';

/** At most this many statements per database: a list's shapes are finite, but their product is large. */
const MAX_SHAPES = 256;

export interface ShapedQuerySpec<I, Row, S extends string | undefined = string> {
  /**
   * What the statement's text depends on: which filters are set and how many entries a list has.
   * Two inputs of one shape must compile to the same SQL (the test of each query checks every shape).
   * `undefined`: an input not worth keeping a statement for (a bulk operation's thousand ids), built afresh.
   */
  shapeOf(input: I): S;
  /** The query, built by Kysely as it would be without the cache. */
  build(db: Kysely<Database>, input: I): Compilable<Row>;
  /** The input's parameters, in the order `build`'s compiled statement takes them. */
  parametersOf(input: I): readonly unknown[];
}

export interface ShapedQuery<I, Row, S extends string | undefined = string> {
  shapeOf(input: I): S;
  execute(db: Kysely<Database>, input: I): Promise<Row[]>;
  /** What `execute` runs: the cached statement of the input's shape (compiled on first use) and the input's parameters. */
  compiled(db: Kysely<Database>, input: I): CompiledQuery<Row>;
  /** What the input compiles to without the cache: what `compiled` must equal (the tests compare them). */
  fresh(db: Kysely<Database>, input: I): CompiledQuery<Row>;
}

/** Kysely's `getExecutor()`, which it marks internal: a transaction's executor shares its database's adapter. */
interface WithExecutor {
  getExecutor(): { readonly adapter: object; readonly plugins: readonly unknown[] };
}

/**
 * The cache's key: the database's dialect adapter, which its transactions share, so a write's
 * statements in a transaction are compiled once too (`statement-cache.test.ts` fails if Kysely
 * stops sharing it). None for a database with plugins (`withSchema`, `withPlugin`): they rewrite
 * each query before it is compiled, and share the adapter of the database they came from.
 */
function cacheKeyOf(db: Kysely<Database>): object | undefined {
  const executor = (db as unknown as WithExecutor).getExecutor();
  return executor.plugins.length === 0 ? executor.adapter : undefined;
}

/**
 * A hot query compiled once per shape: the first input of a shape builds and compiles it with
 * Kysely; later ones reuse that SQL text with their own parameters (`parametersOf`), which spares
 * building and compiling the query tree on every request (35 µs and 25 KB of garbage on a list page).
 * One cache per database (and its transactions), as a database's dialect decides the text. The
 * cache holds only what the dialect's compiler would write again, nothing a request could observe.
 */
export function shapedQuery<I, Row, S extends string | undefined = string>(spec: ShapedQuerySpec<I, Row, S>): ShapedQuery<I, Row, S> {
  const caches = new WeakMap<object, Map<string, string>>();
  const fresh = (db: Kysely<Database>, input: I): CompiledQuery<Row> => spec.build(db, input).compile();
  const compiled = (db: Kysely<Database>, input: I): CompiledQuery<Row> => {
    const shape = spec.shapeOf(input);
    if (shape === undefined) return fresh(db, input);
    const key = cacheKeyOf(db);
    if (key === undefined) return fresh(db, input);
    let cache = caches.get(key);
    if (!cache) {
      cache = new Map();
      caches.set(key, cache);
    }
    const text = cache.get(shape);
    if (text !== undefined) return CompiledQuery.raw(text, [...spec.parametersOf(input)]) as CompiledQuery<Row>;
    const statement = fresh(db, input);
    if (cache.size >= MAX_SHAPES) cache.delete(cache.keys().next().value as string);
    cache.set(shape, statement.sql);
    return statement;
  };
  return {
    shapeOf: spec.shapeOf,
    compiled,
    fresh,
    execute: async (db, input) => (await db.executeQuery(compiled(db, input))).rows,
  };
}
