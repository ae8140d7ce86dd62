// Reading a kustomization.yaml (or .yml / Kustomization): strict decoding as kustomize does
// (unknown fields are errors), deprecation warnings, and the legacy-field fix-ups of
// types.Kustomization.FixKustomization (bases -> resources, imageTags -> images, ...).
import { join } from 'node:path';
import { SourceError } from '../errors.ts';
import { isMap, type JsonMap, type JsonValue } from '../json.ts';
import type { FieldSpec } from './fieldspec.ts';
import { normalizeKustomization } from './kschema.ts';
import type { Loader } from './loader.ts';
import type { Selector } from './selector.ts';
import { readFirstDocumentV2 } from './yaml-v2-read.ts';

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export interface GeneratorOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

export interface GeneratorArgs {
  namespace?: string;
  name?: string;
  behavior?: string;
  literals?: string[];
  files?: string[];
  envs?: string[];
  options?: GeneratorOptions;
  type?: string;
}

export interface Patch {
  path?: string;
  patch?: string;
  target?: Selector;
  options?: Record<string, boolean>;
}

export interface Image {
  name?: string;
  newName?: string;
  newTag?: string;
  tagSuffix?: string;
  digest?: string;
}

export interface Label {
  pairs?: Record<string, string>;
  includeSelectors?: boolean;
  includeTemplates?: boolean;
  fields?: FieldSpec[];
}

export interface Kustomization {
  apiVersion: string;
  kind: string;
  metadata?: JsonMap;
  openapi?: Record<string, string>;
  namePrefix?: string;
  nameSuffix?: string;
  namespace?: string;
  commonLabels?: Record<string, string>;
  labels?: Label[];
  commonAnnotations?: Record<string, string>;
  patchesStrategicMerge?: string[];
  patchesJson6902?: Patch[];
  patches?: Patch[];
  images?: Image[];
  replacements?: JsonMap[];
  replicas?: { name?: string; count: number }[];
  vars?: JsonMap[];
  sortOptions?: JsonMap;
  resources?: string[];
  components?: string[];
  crds?: string[];
  configMapGenerator?: GeneratorArgs[];
  secretGenerator?: GeneratorArgs[];
  helmGlobals?: JsonMap;
  helmCharts?: JsonMap[];
  generatorOptions?: GeneratorOptions;
  configurations?: string[];
  generators?: string[];
  transformers?: string[];
  validators?: string[];
  buildMetadata?: string[];
  /** Line of each top-level key, for error messages. */
  lines: Record<string, number>;
  file: string;
}

const WARN_FIX = "Run 'kustomize edit fix' to update your Kustomization automatically.";
const DEPRECATIONS: [string, string][] = [
  ['bases', `# Warning: 'bases' is deprecated. Please use 'resources' instead. ${WARN_FIX}`],
  ['commonLabels', `# Warning: 'commonLabels' is deprecated. Please use 'labels' instead. ${WARN_FIX}`],
  ['imageTags', `# Warning: 'imageTags' is deprecated. Please use 'images' instead. ${WARN_FIX}`],
  [
    'patchesJson6902',
    `# Warning: 'patchesJson6902' is deprecated. Please use 'patches' instead. ${WARN_FIX}`,
  ],
  [
    'patchesStrategicMerge',
    `# Warning: 'patchesStrategicMerge' is deprecated. Please use 'patches' instead. ${WARN_FIX}`,
  ],
  ['vars', `# Warning: 'vars' is deprecated. Please use 'replacements' instead. [EXPERIMENTAL] ${WARN_FIX}`],
];

// normalizeKustomization (kschema.ts) has checked every field's type as kustomize's decoder does;
// these read the checked values, a null being the Go zero value.
const asString = (v: JsonValue | undefined): string | undefined =>
  v === null ? '' : (v as string | undefined);
const asStrings = (v: JsonValue | undefined): string[] | undefined =>
  v === undefined ? undefined : ((v ?? []) as (string | null)[]).map((x) => x ?? '');
const asStringMap = (v: JsonValue | undefined): Record<string, string> | undefined =>
  v === undefined
    ? undefined
    : Object.fromEntries(
        Object.entries((v ?? {}) as Record<string, string | null>).map(([k, x]) => [k, x ?? '']),
      );

export interface LoadedKustomization {
  k: Kustomization;
  warnings: string[];
}

export function findKustomizationFile(ldr: Loader): string {
  const found = KUSTOMIZATION_FILE_NAMES.filter((n) => ldr.exists(n));
  if (found.length === 0) {
    throw new SourceError(
      'MISSING_KUSTOMIZATION',
      `unable to find one of 'kustomization.yaml', 'kustomization.yml' or 'Kustomization' in directory '${ldr.root}'`,
      { file: ldr.display('.'), hint: 'add a kustomization.yaml, or point at a directory that has one' },
    );
  }
  if (found.length > 1)
    throw new SourceError(
      'MULTIPLE_KUSTOMIZATIONS',
      `Found multiple kustomization files under: ${ldr.root}`,
      { file: ldr.display('.') },
    );
  return found[0] as string;
}

export function loadKustomization(ldr: Loader): LoadedKustomization {
  const name = findKustomizationFile(ldr);
  const file = join(ldr.root, name);
  const text = ldr.fs.readFile(file);
  return parseKustomization(text, file);
}

export function parseKustomization(text: string, file: string): LoadedKustomization {
  // sigs.k8s.io/yaml reads the kustomization: go-yaml v2, YAML 1.1 scalars (`yes` is true).
  const doc = readFirstDocumentV2(text, file, 'BAD_KUSTOMIZATION');
  const first = doc.value ?? {};
  if (!isMap(first))
    throw new SourceError('BAD_KUSTOMIZATION', 'invalid Kustomization: the file must hold a YAML map', {
      file,
      line: doc.line,
    });
  const lines = keyLines(text);
  const warnings: string[] = [];
  const raw = normalizeKustomization(first, file, lines);
  for (const [key, msg] of DEPRECATIONS) if (key in raw && raw[key] !== null) warnings.push(msg);

  const s = (key: string) => asString(raw[key]);
  const ss = (key: string) => asStrings(raw[key]);
  const sm = (key: string) => asStringMap(raw[key]);
  // a list of structs: a null entry decodes to the struct's zero value
  const list = <T>(key: string): T[] | undefined =>
    raw[key] === undefined || raw[key] === null
      ? undefined
      : ((raw[key] as JsonValue[]).map((el) => el ?? {}) as unknown as T[]);
  const map = <T>(key: string): T | undefined =>
    raw[key] === undefined || raw[key] === null ? undefined : (raw[key] as unknown as T);

  const k: Kustomization = {
    apiVersion: s('apiVersion') ?? '',
    kind: s('kind') ?? '',
    metadata: map('metadata'),
    openapi: sm('openapi'),
    namePrefix: s('namePrefix'),
    nameSuffix: s('nameSuffix'),
    namespace: s('namespace'),
    commonLabels: sm('commonLabels'),
    labels: list('labels'),
    commonAnnotations: sm('commonAnnotations'),
    patchesStrategicMerge: ss('patchesStrategicMerge'),
    patchesJson6902: list('patchesJson6902'),
    patches: list('patches'),
    images: [...(list<Image>('images') ?? []), ...(list<Image>('imageTags') ?? [])],
    replacements: list('replacements'),
    replicas: list('replicas'),
    vars: list('vars'),
    sortOptions: map('sortOptions'),
    resources: [...(ss('resources') ?? []), ...(ss('bases') ?? [])],
    components: ss('components'),
    crds: ss('crds'),
    configMapGenerator: list<GeneratorArgs & { env?: string }>('configMapGenerator')?.map(fixEnv),
    secretGenerator: list<GeneratorArgs & { env?: string }>('secretGenerator')?.map(fixEnv),
    helmGlobals: map('helmGlobals'),
    helmCharts: list('helmCharts'),
    generatorOptions: map('generatorOptions'),
    configurations: ss('configurations'),
    generators: ss('generators'),
    transformers: ss('transformers'),
    validators: ss('validators'),
    buildMetadata: ss('buildMetadata'),
    lines,
    file,
  };
  if (list('helmChartInflationGenerator')?.length) {
    throw new SourceError('UNSUPPORTED', 'helmChartInflationGenerator is not supported; use helmCharts', {
      file,
      line: lines.helmChartInflationGenerator,
    });
  }
  if (!k.kind) k.kind = 'Kustomization';
  if (!k.apiVersion)
    k.apiVersion =
      k.kind === 'Component' ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1';

  // CheckEmpty: after FixKustomization the struct deep-equals an empty one but for its type: every
  // field is Go's zero value (null, an empty string; an empty list or map is not nil, so not
  // empty), and bases, imageTags and helmChartInflationGenerator were emptied into other fields
  const moved = new Set(['bases', 'imageTags', 'helmChartInflationGenerator']);
  const isZero = (key: string, v: JsonValue | undefined) =>
    v === null || v === '' || (moved.has(key) && Array.isArray(v) && v.length === 0);
  const empty = Object.entries(raw).every(
    ([key, v]) => key === 'apiVersion' || key === 'kind' || isZero(key, v as JsonValue),
  );
  if (empty) throw new SourceError('EMPTY_KUSTOMIZATION', 'kustomization.yaml is empty', { file });

  const errs: string[] = [];
  if (k.kind !== 'Kustomization' && k.kind !== 'Component')
    errs.push('kind should be Kustomization or Component');
  const required =
    k.kind === 'Component' ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1';
  if (k.apiVersion !== required) errs.push(`apiVersion for ${k.kind} should be ${required}`);
  if (errs.length > 0) {
    throw new SourceError('BAD_KUSTOMIZATION', `Failed to read kustomization file: ${errs.join('; ')}`, {
      file,
      line: lines.apiVersion ?? lines.kind,
    });
  }
  return { k, warnings };
}

function fixEnv(g: GeneratorArgs & { env?: string }): GeneratorArgs {
  if (!isMap(g as unknown as JsonValue)) return g;
  const { env, ...rest } = g;
  if (env) return { ...rest, envs: [...(rest.envs ?? []), env] };
  return rest;
}

/** Lines of top-level keys, from a cheap scan of the text (positions for messages only). */
function keyLines(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  const lines = text.split('\n');
  lines.forEach((l, i) => {
    const m = /^([A-Za-z][A-Za-z0-9]*)\s*:/.exec(l);
    if (m && !((m[1] as string) in out)) out[m[1] as string] = i + 1;
  });
  return out;
}
