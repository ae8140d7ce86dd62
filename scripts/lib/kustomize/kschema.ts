// The shapes of the kustomization's structured fields, for decoding as Go's encoding/json does:
// keys match struct fields exactly or case-insensitively (EqualFold), unknown keys are errors.
import { SourceError } from '../errors.ts';
import { isMap, type JsonMap, type JsonValue } from '../json.ts';

type Shape = { [field: string]: Shape | [Shape] | null };

const fieldSpec: Shape = { group: null, version: null, kind: null, path: null, create: null };
const selector: Shape = { group: null, version: null, kind: null, name: null, namespace: null, annotationSelector: null, labelSelector: null };
const fieldOptions: Shape = { delimiter: null, index: null, encoding: null, create: null };
const generatorOptions: Shape = { labels: null, annotations: null, disableNameSuffixHash: null, immutable: null };
const generatorArgs: Shape = {
  namespace: null,
  name: null,
  behavior: null,
  literals: null,
  files: null,
  envs: null,
  env: null,
  options: generatorOptions,
  type: null,
};

export const SHAPES: Record<string, Shape | [Shape]> = {
  labels: [{ pairs: null, includeSelectors: null, includeTemplates: null, fields: [fieldSpec] }],
  patches: [{ path: null, patch: null, target: selector, options: null }],
  patchesJson6902: [{ path: null, patch: null, target: selector, options: null }],
  images: [{ name: null, newName: null, newTag: null, digest: null, tagSuffix: null }],
  imageTags: [{ name: null, newName: null, newTag: null, digest: null, tagSuffix: null }],
  replicas: [{ name: null, count: null }],
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

function normalize(v: JsonValue, shape: Shape | [Shape], where: string, file: string, line?: number): JsonValue {
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
export function normalizeKustomization(raw: JsonMap, known: string[], file: string, lines: Record<string, number>): JsonMap {
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
