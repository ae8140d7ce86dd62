// A PatchSchema read from a custom OpenAPI (swagger 2) document, as a kustomization's
// `openapi: {path: …}` gives it. kustomize then uses it instead of its built-in Kubernetes
// schema, not in addition (kyaml openapi.initSchema). Types are found by their
// x-kubernetes-group-version-kind; fields follow `properties`, then `additionalProperties`,
// through `$ref: '#/definitions/…'` chains, as kyaml's ResourceSchema.Field and Elements do.
import { parse } from 'yaml';
import { SourceError } from '../../errors.ts';
import { isMap, type JsonMap, type JsonValue } from '../../json.ts';
import type { PatchSchema, SchemaNode } from './schema.ts';

const REF_PREFIX = '#/definitions/';

/** Parses an OpenAPI document (JSON, or YAML when it does not start with `{`). */
export function loadOpenApiSchema(text: string, file: string): PatchSchema {
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
  return {
    forResource(apiVersion, kind) {
      const def = byType.get(`${apiVersion} ${kind}`);
      return def === undefined ? undefined : new OpenApiNode(def, definitions);
    },
  };
}

class OpenApiNode implements SchemaNode {
  readonly isArray: boolean;
  readonly patchStrategy: string;
  readonly patchMergeKey: string;
  readonly listMapKeys: readonly string[];

  constructor(
    private readonly schema: JsonMap,
    private readonly definitions: JsonMap,
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

  /** Follows `$ref` until a schema without one; undefined when a reference does not resolve. */
  private resolved(s: JsonValue | undefined): SchemaNode | undefined {
    let cur = s;
    for (let hops = 0; isMap(cur) && typeof cur.$ref === 'string' && cur.$ref !== ''; hops++) {
      const ref = cur.$ref;
      if (!ref.startsWith(REF_PREFIX) || hops > 100) return undefined;
      cur = this.definitions[decodePointer(ref.slice(REF_PREFIX.length))];
    }
    return isMap(cur) ? new OpenApiNode(cur, this.definitions) : undefined;
  }
}

function stringOf(v: JsonValue | undefined): string {
  return typeof v === 'string' ? v : '';
}

function decodePointer(token: string): string {
  return token.replaceAll('~1', '/').replaceAll('~0', '~');
}
