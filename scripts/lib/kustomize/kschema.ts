// The shapes of the kustomization's structured fields, for decoding as Go's encoding/json does:
// keys match struct fields exactly or case-insensitively (EqualFold), unknown keys are errors.
import { SourceError } from '../errors.ts';
import { isMap, type JsonMap, type JsonValue } from '../json.ts';

type Leaf = 'string' | 'strings' | 'stringMap' | 'bool' | 'int';
type Shape = { [field: string]: Shape | [Shape] | Leaf | null };

const fieldSpec: Shape = {
  group: 'string',
  version: 'string',
  kind: 'string',
  path: 'string',
  create: 'bool',
};
const selector: Shape = {
  group: 'string',
  version: 'string',
  kind: 'string',
  name: 'string',
  namespace: 'string',
  annotationSelector: 'string',
  labelSelector: 'string',
};
const fieldOptions: Shape = { delimiter: null, index: null, encoding: null, create: null };
const generatorOptions: Shape = {
  labels: 'stringMap',
  annotations: 'stringMap',
  disableNameSuffixHash: 'bool',
  immutable: 'bool',
};
const generatorArgs: Shape = {
  namespace: 'string',
  name: 'string',
  behavior: 'string',
  literals: 'strings',
  files: 'strings',
  envs: 'strings',
  env: 'string',
  options: generatorOptions,
  type: 'string',
};

export const SHAPES: Record<string, Shape | [Shape] | Leaf> = {
  labels: [{ pairs: 'stringMap', includeSelectors: 'bool', includeTemplates: 'bool', fields: [fieldSpec] }],
  patches: [{ path: null, patch: null, target: selector, options: null }],
  patchesJson6902: [{ path: null, patch: null, target: selector, options: null }],
  images: [{ name: 'string', newName: 'string', newTag: 'string', digest: 'string', tagSuffix: 'string' }],
  imageTags: [{ name: 'string', newName: 'string', newTag: 'string', digest: 'string', tagSuffix: 'string' }],
  replicas: [{ name: 'string', count: 'int' }],
  vars: [
    {
      name: null,
      objref: { apiVersion: null, group: null, version: null, kind: null, name: null, namespace: null },
      fieldref: { fieldPath: null },
    },
  ],
  configMapGenerator: [generatorArgs],
  secretGenerator: [generatorArgs],
  generatorOptions,
  sortOptions: { order: null, legacySortOptions: { orderFirst: null, orderLast: null } },
  replacements: [
    {
      path: null,
      source: { ...selector, fieldPath: null, options: fieldOptions },
      sourceValue: null,
      targets: [{ select: selector, reject: [selector], fieldPaths: null, options: fieldOptions }],
    },
  ],
};

const GO_TYPE: Record<Leaf, string> = {
  string: 'string',
  strings: '[]string',
  stringMap: 'map[string]string',
  bool: 'bool',
  int: 'int64',
};

function goKind(v: JsonValue): string {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  if (typeof v === 'string') return 'string';
  return Array.isArray(v) ? 'array' : 'object';
}

function checkLeaf(v: JsonValue, leaf: Leaf, where: string, file: string, line?: number): void {
  if (v === null) return;
  const bad = (x: JsonValue, type: string) => {
    throw new SourceError(
      'BAD_KUSTOMIZATION',
      `invalid Kustomization: json: cannot unmarshal ${goKind(x)} into Go struct field ${where} of type ${type}`,
      {
        file,
        line,
        hint: type === 'string' ? 'quote the value so that YAML reads it as a string' : undefined,
      },
    );
  };
  switch (leaf) {
    case 'string':
      if (typeof v !== 'string') bad(v, 'string');
      break;
    case 'bool':
      if (typeof v !== 'boolean') bad(v, 'bool');
      break;
    case 'int':
      if (typeof v !== 'number' || !Number.isInteger(v)) bad(v, GO_TYPE.int);
      break;
    case 'strings':
      if (!Array.isArray(v)) bad(v, GO_TYPE.strings);
      else for (const x of v) if (x !== null && typeof x !== 'string') bad(x, 'string');
      break;
    case 'stringMap':
      if (!isMap(v)) bad(v, GO_TYPE.stringMap);
      else for (const x of Object.values(v)) if (x !== null && typeof x !== 'string') bad(x, 'string');
      break;
  }
}

function normalize(
  v: JsonValue,
  shape: Shape | [Shape] | Leaf,
  where: string,
  file: string,
  line?: number,
): JsonValue {
  if (typeof shape === 'string') {
    checkLeaf(v, shape, where, file, line);
    return v;
  }
  if (Array.isArray(shape)) {
    if (!Array.isArray(v)) return v;
    return v.map((x) => normalize(x, shape[0], where, file, line));
  }
  if (!isMap(v)) return v;
  const fields = Object.keys(shape);
  const out: JsonMap = {};
  for (const [k, x] of Object.entries(v)) {
    const exact = fields.includes(k) ? k : fields.find((f) => f.toLowerCase() === k.toLowerCase());
    if (!exact) {
      throw new SourceError('BAD_KUSTOMIZATION', `invalid Kustomization: json: unknown field "${k}"`, {
        file,
        line,
        hint: `${where} has no field "${k}"; known fields: ${fields.join(', ')}`,
      });
    }
    const sub = shape[exact];
    out[exact] = sub ? normalize(x, sub, `${where}.${exact}`, file, line) : x;
  }
  return out;
}

/** Top-level keys matched to known fields, nested struct keys normalized. */
export function normalizeKustomization(
  raw: JsonMap,
  known: string[],
  file: string,
  lines: Record<string, number>,
): JsonMap {
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(raw)) {
    const exact = known.includes(k) ? k : known.find((f) => f.toLowerCase() === k.toLowerCase());
    if (!exact) {
      throw new SourceError('BAD_KUSTOMIZATION', `invalid Kustomization: json: unknown field "${k}"`, {
        file,
        line: lines[k],
        hint: 'check the spelling against the kustomization reference (kubectl.docs.kubernetes.io)',
      });
    }
    const shape = SHAPES[exact];
    out[exact] = shape ? normalize(v, shape, exact, file, lines[k]) : v;
  }
  return out;
}
