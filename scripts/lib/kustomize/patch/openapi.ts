// A PatchSchema read from a custom OpenAPI (swagger 2) document, as a kustomization's
// `openapi: {path: …}` gives it. Types are found by their x-kubernetes-group-version-kind;
// fields follow `properties`, then `additionalProperties`, through `$ref: '#/definitions/…'`
// chains, as kyaml's ResourceSchema.Field and Elements do. kyaml keeps one global table that
// documents are added to as they are parsed, later ones overwriting earlier names, so whether
// the built-in schema takes part depends on the build's history (see LoadOptions).
import { parse } from 'yaml';
import { SourceError } from '../../errors.ts';
import { isMap, type JsonMap, type JsonValue } from '../../json.ts';
import type { PatchSchema, SchemaNode } from './schema.ts';

const REF_PREFIX = '#/definitions/';

export interface LoadOptions {
  /**
   * How kyaml's global table holds the built-in schema next to this document:
   * - undefined: not at all. The document was set before anything used the built-in schema
   *   (always so for `openapi:` in the root kustomization); it replaces the built-in one.
   * - 'before': the built-in schema was parsed before the document (a strategic merge ran
   *   earlier in the build); the document's types and definitions win over built-in ones.
   * - 'after': the built-in parse was pending (a resource of a kind outside kyaml's
   *   precomputed scope table was seen, openapi.IsNamespaceScoped) and runs right after the
   *   document's; built-in types and definitions win.
   */
  builtin?: { schema: PatchSchema; parsed: 'before' | 'after' };
}

/** Parses an OpenAPI document (JSON, or YAML when it does not start with `{`). */
export function loadOpenApiSchema(text: string, file: string, opts: LoadOptions = {}): PatchSchema {
  let doc: JsonValue;
  try {
    doc = (text.startsWith('{') ? JSON.parse(text) : parse(text)) as JsonValue;
  } catch (err) {
    throw new SourceError('OPENAPI_SCHEMA', `invalid schema file: ${(err as Error).message.split('\n')[0]}`, {
      file,
    });
  }
  const definitions = isMap(doc) && isMap(doc.definitions) ? doc.definitions : {};
  const byType = new Map<string, JsonMap>();
  for (const def of Object.values(definitions)) {
    if (!isMap(def)) continue;
    const gvks = def['x-kubernetes-group-version-kind'];
    if (!Array.isArray(gvks)) continue;
    for (const g of gvks) {
      if (!isMap(g) || typeof g.kind !== 'string' || typeof g.version !== 'string') continue;
      const apiVersion =
        typeof g.group === 'string' && g.group !== '' ? `${g.group}/${g.version}` : g.version;
      byType.set(`${apiVersion} ${g.kind}`, def);
    }
  }
  const own: PatchSchema = {
    forResource(apiVersion, kind) {
      const def = byType.get(`${apiVersion} ${kind}`);
      return def === undefined ? undefined : new OpenApiNode(def, table);
    },
    definition(name) {
      let def = Object.hasOwn(definitions, name) ? definitions[name] : undefined;
      // a definition that is only a `$ref` to another one
      for (
        let hops = 0;
        isMap(def) && typeof def.$ref === 'string' && def.$ref !== '' && hops < 100;
        hops++
      ) {
        if (!def.$ref.startsWith(REF_PREFIX)) return undefined;
        const target = decodePointer(def.$ref.slice(REF_PREFIX.length));
        if (!Object.hasOwn(definitions, target)) return table.definition(target);
        def = definitions[target];
      }
      return isMap(def) ? new OpenApiNode(def, table) : undefined;
    },
  };
  const builtin = opts.builtin;
  let below = builtin?.schema;
  if (below?.withOverrides && builtin?.parsed === 'before') {
    const byModelName = new Map(Object.keys(definitions).map((n) => [modelName(n), n]));
    below = below.withOverrides((name) => {
      const n = byModelName.get(name);
      return n === undefined ? undefined : own.definition(n);
    });
  }
  const [first, last] = builtin?.parsed === 'after' ? [own, builtin.schema] : [below, own];
  const table: PatchSchema = {
    forResource: (apiVersion, kind) =>
      last.forResource(apiVersion, kind) ?? first?.forResource(apiVersion, kind),
    definition: (name) => last.definition(name) ?? first?.definition(name),
  };
  return table;
}

class OpenApiNode implements SchemaNode {
  readonly isArray: boolean;
  readonly patchStrategy: string;
  readonly patchMergeKey: string;
  readonly listMapKeys: readonly string[];

  constructor(
    private readonly schema: JsonMap,
    private readonly table: PatchSchema,
  ) {
    const t = schema.type;
    this.isArray = t === 'array' || (Array.isArray(t) && t.length === 1 && t[0] === 'array');
    this.patchStrategy = stringOf(schema['x-kubernetes-patch-strategy']);
    this.patchMergeKey = stringOf(schema['x-kubernetes-patch-merge-key']);
    const keys = schema['x-kubernetes-list-map-keys'];
    this.listMapKeys = Array.isArray(keys) ? keys.map(stringOf) : [];
  }

  field(name: string): SchemaNode | undefined {
    const props = this.schema.properties;
    const extra = this.schema.additionalProperties;
    if (isMap(props) && Object.hasOwn(props, name)) return this.resolved(props[name]);
    if (isMap(extra)) return this.resolved(extra);
    return undefined;
  }

  elements(): SchemaNode | undefined {
    return this.isArray && isMap(this.schema.items) ? this.resolved(this.schema.items) : undefined;
  }

  /** Follows a `$ref` through the whole table; undefined when it does not resolve. */
  private resolved(s: JsonValue | undefined): SchemaNode | undefined {
    if (!isMap(s)) return undefined;
    const ref = s.$ref;
    if (typeof ref !== 'string' || ref === '') return new OpenApiNode(s, this.table);
    if (!ref.startsWith(REF_PREFIX)) return undefined;
    return this.table.definition(decodePointer(ref.slice(REF_PREFIX.length)));
  }
}

/** kubernetes-models' name of an OpenAPI definition: io.k8s.api.core.v1.PodSpec → IoK8sApiCoreV1PodSpec. */
function modelName(name: string): string {
  return name
    .split(/[.-]/)
    .map((p) => p.charAt(0).toUpperCase() + p.slice(1))
    .join('');
}

function stringOf(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

function decodePointer(token: string): string {
  return token.replaceAll('~1', '/').replaceAll('~0', '~');
}
