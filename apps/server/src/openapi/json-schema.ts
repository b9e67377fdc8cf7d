import { z } from 'zod';

/** A JSON Schema (Draft 2020-12, the dialect of OpenAPI 3.1) as plain data. */
export type JsonSchema = { [keyword: string]: unknown };

/** `#/$defs/<name>`, or `#` for the root (a schema that is itself recursive). */
const LOCAL_REF = /^#(?:\/\$defs\/(.+))?$/;
const ROOT = '';

/**
 * Turns zod schemas into schemas that can sit inside one OpenAPI document. `z.toJSONSchema`
 * makes each schema self-contained, with recursive parts (such as `z.json()`) under its own
 * `$defs` and referenced as `#/$defs/…`; inside the document those references would point at
 * its root, so the definitions move to `components.schemas` (identical ones once) and the
 * references follow them.
 *
 * @example
 * const schemas = new ComponentSchemas();
 * const output = schemas.fromZod(procedure.output, 'output', 'workflowRuns.list');
 * document.components.schemas = schemas.all();
 */
export class ComponentSchemas {
  readonly #schemas: Record<string, JsonSchema> = {};
  /** A definition's text (with its own references normalised) → its component name. */
  readonly #byText = new Map<string, string>();

  constructor() {
    // Recognise the JSON-value definition of `z.json()` wherever it appears and give it one name.
    const json = z.toJSONSchema(z.object({ value: z.json() }), { io: 'output' }) as JsonSchema;
    const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
    for (const [name, def] of Object.entries(defs)) this.#byText.set(canonicalText(name, def), 'JsonValue');
  }

  /** `schema` as JSON Schema for its input or output side, its definitions moved into the components. */
  fromZod(schema: z.ZodType, io: 'input' | 'output', owner: string): JsonSchema {
    // `unrepresentable: 'any'`: a type JSON Schema cannot express (a transform's result, a Date)
    // is documented as "anything" rather than stopping the server from starting.
    const { $schema: _dialect, $defs, ...root } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
    const defs = { ...($defs ?? {}) } as Record<string, JsonSchema>;
    // A root that refers to itself (`#`) must become a component too: in the document `#` is the document.
    if (refersTo(root, ROOT) || Object.values(defs).some((def) => refersTo(def, ROOT))) defs[ROOT] = root;
    const names = new Map<string, string>();
    for (const [local, def] of Object.entries(defs)) names.set(local, this.#nameFor(local, def, `${owner}.${io}`));
    const rename = (local: string) => `#/components/schemas/${names.get(local) ?? local}`;
    for (const [local, def] of Object.entries(defs)) {
      const name = names.get(local) as string;
      if (!(name in this.#schemas)) this.#schemas[name] = rewriteRefs(def, rename) as JsonSchema;
    }
    return ROOT in defs ? { $ref: rename(ROOT) } : (rewriteRefs(root, rename) as JsonSchema);
  }

  /** Adds a named schema and answers a reference to it. */
  define(name: string, schema: JsonSchema): JsonSchema {
    this.#schemas[name] = schema;
    return ref(name);
  }

  all(): Record<string, JsonSchema> {
    return { ...this.#schemas };
  }

  #nameFor(local: string, def: JsonSchema, owner: string): string {
    const text = canonicalText(local, def);
    const known = this.#byText.get(text);
    if (known) return known;
    const name = (local === ROOT ? owner : `${owner}.${local.replace(/^_+/, '')}`).replace(/[^A-Za-z0-9._-]/g, '_');
    this.#byText.set(text, name);
    return name;
  }
}

export function ref(name: string): JsonSchema {
  return { $ref: `#/components/schemas/${name}` };
}

/** The definition's JSON with references to itself made position-independent, so equal shapes compare equal. */
function canonicalText(local: string, def: JsonSchema): string {
  return JSON.stringify(rewriteRefs(def, (target) => (target === local ? '#self' : `#/$defs/${target}`)));
}

function refersTo(value: unknown, local: string): boolean {
  let found = false;
  rewriteRefs(value, (target) => {
    found ||= target === local;
    return target;
  });
  return found;
}

function rewriteRefs(value: unknown, rename: (local: string) => string): unknown {
  if (Array.isArray(value)) return value.map((item) => rewriteRefs(item, rename));
  if (typeof value !== 'object' || value === null) return value;
  const out: JsonSchema = {};
  for (const [key, item] of Object.entries(value)) {
    const match = key === '$ref' && typeof item === 'string' ? LOCAL_REF.exec(item) : null;
    const local = match ? (match[1] ?? ROOT) : undefined;
    out[key] = local === undefined ? rewriteRefs(item, rename) : rename(local);
  }
  return out;
}
