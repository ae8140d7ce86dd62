// The built-in Kubernetes PatchSchema: which type each field holds comes from the TypeScript
// declarations of kubernetes-models (one .d.ts per OpenAPI definition, read lazily and cached);
// the patch strategies and merge keys from the hand-written v1.21.2 table. kubernetes-models
// is newer than v1.21.2: its extra fields carry no patch tag, so they merge as kustomize does.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { PATCH_TAGS, type PatchTag, RESOURCE_TYPES } from './k8s-patch-table.ts';
import type { PatchSchema, SchemaNode } from './schema.ts';

type TypeExpr =
  | { kind: 'ref'; file: string }
  | { kind: 'array'; of: TypeExpr }
  | { kind: 'map'; of: TypeExpr }
  | { kind: 'leaf' };

interface Definition {
  /** kubernetes-models' name of the OpenAPI definition, e.g. IoK8sApiCoreV1PodSpec. */
  name: string;
  props: Map<string, TypeExpr>;
}

const localRequire = createRequire(import.meta.url);
const MODELS_DIR = dirname(localRequire.resolve('kubernetes-models/package.json'));
const APIMACHINERY_DIR = dirname(
  createRequire(join(MODELS_DIR, 'package.json')).resolve('@kubernetes-models/apimachinery/package.json'),
);

const definitions = new Map<string, Definition>();

/** Definitions of another document that replace built-in ones, by kubernetes-models name. */
type Overrides = (name: string) => SchemaNode | undefined;

/** The schema of kustomize's default Kubernetes OpenAPI (v1.21.2). */
export const kubernetesSchema: PatchSchema = builtinSchema(undefined);

function builtinSchema(overrides: Overrides | undefined): PatchSchema {
  return {
    forResource(apiVersion, kind) {
      if (!RESOURCE_TYPES[apiVersion]?.split(' ').includes(kind)) return undefined;
      const dir = apiVersion.includes('/') ? apiVersion : `v1`;
      return new DtsNode({ kind: 'ref', file: join(MODELS_DIR, dir, `${kind}.d.ts`) }, undefined, overrides);
    },
    definition(name) {
      const file = definitionFile(name);
      return file === undefined ? undefined : new DtsNode({ kind: 'ref', file }, undefined, overrides);
    },
    withOverrides: (defs) => builtinSchema(defs),
  };
}

/** Where kubernetes-models declares an OpenAPI definition, e.g. io.k8s.api.apps.v1.DeploymentSpec. */
function definitionFile(name: string): string | undefined {
  const machinery = 'io.k8s.apimachinery.pkg.';
  if (name.startsWith(machinery)) {
    const file = `${join(APIMACHINERY_DIR, ...name.slice(machinery.length).split('.'))}.d.ts`;
    return existsSync(file) ? file : undefined;
  }
  const parts = name.split('.');
  const kind = parts.pop() as string;
  const version = parts.pop() as string;
  const prefix = parts.join('.');
  let dirs: string[] = [];
  if (prefix === 'io.k8s.api.core') dirs = [join(MODELS_DIR, version)];
  else if (prefix.startsWith('io.k8s.api.')) {
    const pkg = prefix.slice('io.k8s.api.'.length);
    dirs = [pkg, `${pkg}.k8s.io`, `${pkg}.authorization.k8s.io`, `${pkg}.apiserver.k8s.io`].map((g) =>
      join(MODELS_DIR, g, version),
    );
  } else if (prefix === 'io.k8s.apiextensions-apiserver.pkg.apis.apiextensions') {
    dirs = [join(MODELS_DIR, 'apiextensions.k8s.io', version)];
  } else if (prefix === 'io.k8s.kube-aggregator.pkg.apis.apiregistration') {
    dirs = [join(MODELS_DIR, 'apiregistration.k8s.io', version)];
  }
  return dirs.map((d) => join(d, `${kind}.d.ts`)).find((f) => existsSync(f));
}

class DtsNode implements SchemaNode {
  readonly isArray: boolean;
  readonly patchStrategy: string;
  readonly patchMergeKey: string;
  readonly listMapKeys: readonly string[];

  constructor(
    private readonly type: TypeExpr,
    tag: PatchTag | undefined,
    private readonly overrides: Overrides | undefined,
  ) {
    this.isArray = type.kind === 'array';
    this.patchStrategy = tag?.[0] ?? '';
    this.patchMergeKey = tag?.[1] ?? '';
    this.listMapKeys = tag?.[2] ?? [];
  }

  field(name: string): SchemaNode | undefined {
    if (this.type.kind === 'map') return this.child(this.type.of, undefined);
    if (this.type.kind !== 'ref') return undefined;
    const def = loadDefinition(this.type.file);
    const t = def.props.get(name);
    return t === undefined ? undefined : this.child(t, PATCH_TAGS[def.name]?.[name]);
  }

  elements(): SchemaNode | undefined {
    return this.type.kind === 'array' ? this.child(this.type.of, undefined) : undefined;
  }

  /** A reference resolves to the overriding definition when there is one (tags sit on lists only). */
  private child(t: TypeExpr, tag: PatchTag | undefined): SchemaNode {
    const replaced = t.kind === 'ref' ? this.overrides?.(loadDefinition(t.file).name) : undefined;
    return replaced ?? new DtsNode(t, tag, this.overrides);
  }
}

function loadDefinition(file: string): Definition {
  let def = definitions.get(file);
  if (def === undefined) {
    def = parseDeclaration(readFileSync(file, 'utf8'), file);
    definitions.set(file, def);
  }
  return def;
}

/** Reads `export interface IX { "field"?: Type; … }` and the imports that name its types. */
function parseDeclaration(text: string, file: string): Definition {
  const src = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^[ \t]*\n/gm, '');
  const imports = new Map<string, string>();
  for (const m of src.matchAll(/^import \{ (\w+) \} from "([^"]+)";/gm))
    imports.set(m[1] as string, importPath(m[2] as string, file));
  const exported = /^export \{ (\w+) as I(\w+),/m.exec(src);
  const local = exported?.[1];
  if (local) imports.set(local, file);
  const name = exported?.[2] ?? '';
  const props = new Map<string, TypeExpr>();
  const body = new RegExp(`^export interface ${local} [^{]*\\{\\n([\\s\\S]*?)^\\}`, 'm').exec(src)?.[1] ?? '';
  for (const m of body.matchAll(/^ {4}"([^"]+)"\??: ([\s\S]*?);\n(?= {4}"|$)/gm)) {
    props.set(m[1] as string, parseType((m[2] as string).trim(), imports));
  }
  return { name, props };
}

function parseType(t: string, imports: Map<string, string>): TypeExpr {
  const arr = /^Array<([\s\S]*)>$/.exec(t);
  if (arr) return { kind: 'array', of: parseType((arr[1] as string).trim(), imports) };
  const map = /^\{\s*\[key: string\]: ([\s\S]*?);?\s*\}$/.exec(t);
  if (map) return { kind: 'map', of: parseType((map[1] as string).trim(), imports) };
  const file = imports.get(t);
  return file === undefined ? { kind: 'leaf' } : { kind: 'ref', file };
}

function importPath(spec: string, from: string): string {
  const prefix = '@kubernetes-models/apimachinery/';
  if (spec.startsWith(prefix)) return join(APIMACHINERY_DIR, `${spec.slice(prefix.length)}.d.ts`);
  return resolve(dirname(from), `${spec}.d.ts`);
}
