// The Go types of a kustomization (sigs.k8s.io/kustomize/api/types at kustomize v5.8.1, and v5.7.1
// where they differ: a patch's options), for
// decoding a kustomization as kustomize does: YAML to JSON, then encoding/json with
// DisallowUnknownFields into types.Kustomization. Keys match struct fields exactly or
// case-insensitively; an unknown key or a value of the wrong type fails with encoding/json's words
// (Go 1.24, as kubectl v1.34 is built): the innermost struct type, then the path of JSON field
// names from the root with embedded structs by their type name
// (`Selector.patches.target.ResId.Gvk.kind`), then the Go type of the field. The first error in
// document order is reported, as the decoder keeps the first and goes on.
import { SourceError } from '../errors.ts';
import { isMap, type JsonMap, type JsonValue } from '../json.ts';
import { formatFloatG } from '../yaml/goyaml2.ts';
import { since58 } from './version.ts';

type GoType =
  | { t: 'string'; go: string }
  | { t: 'bool' }
  | { t: 'int'; go: 'int' | 'int64' }
  | { t: 'slice'; elem: GoType; go: string }
  | { t: 'map'; elem: GoType | null; go: string }
  | { t: 'struct'; name: string; go: string; fields: Record<string, Field> };

/** A struct field: its type, and the embedded structs it is promoted through (`ResId.Gvk`). */
interface Field {
  type: GoType;
  via?: string[];
}

const str: GoType = { t: 'string', go: 'string' };
const bool: GoType = { t: 'bool' };
const strings: GoType = { t: 'slice', elem: str, go: '[]string' };
const stringMap: GoType = { t: 'map', elem: str, go: 'map[string]string' };
const anyMap: GoType = { t: 'map', elem: null, go: 'map[string]interface {}' };

/** A struct type `types.<name>` whose fields are given as JSON name → type (or [type, via...]). */
function struct(name: string, fields: Record<string, GoType | [GoType, ...string[]]>): GoType {
  const out: Record<string, Field> = {};
  for (const [k, f] of Object.entries(fields))
    out[k] = Array.isArray(f) ? { type: f[0], via: f.slice(1) as string[] } : { type: f };
  return { t: 'struct', name, go: `types.${name}`, fields: out };
}
const slice = (elem: GoType, pointer = false, named?: string): GoType => ({
  t: 'slice',
  elem,
  go: named ?? `[]${pointer ? '*' : ''}${elem.t === 'struct' ? elem.go : (elem as { go: string }).go}`,
});

// resid.Gvk and resid.ResId, embedded in FieldSpec, Selector, SourceSelector and Target
const gvk = (...via: string[]) => ({
  group: [str, ...via, 'Gvk'] as [GoType, ...string[]],
  version: [str, ...via, 'Gvk'] as [GoType, ...string[]],
  kind: [str, ...via, 'Gvk'] as [GoType, ...string[]],
});
const resId = {
  ...gvk('ResId'),
  name: [str, 'ResId'] as [GoType, ...string[]],
  namespace: [str, 'ResId'] as [GoType, ...string[]],
};

const objectMeta = struct('ObjectMeta', {
  name: str,
  namespace: str,
  labels: stringMap,
  annotations: stringMap,
});
const replica = struct('Replica', { name: str, count: { t: 'int', go: 'int64' } });
const fieldSpec = struct('FieldSpec', { ...gvk(), path: str, create: bool });
const selector = struct('Selector', { ...resId, annotationSelector: str, labelSelector: str });
// a patch's options: map[string]bool in kustomize 5.7, the struct types.PatchArgs from 5.8
// (kustomize#5930: unknown option names are refused there)
const patchOptions57: GoType = { t: 'map', elem: bool, go: 'map[string]bool' };
const patchOptions58 = struct('PatchArgs', { allowNameChange: bool, allowKindChange: bool });
const patchOptions = () => (since58() ? patchOptions58 : patchOptions57);
const patchType = (options: GoType) => struct('Patch', { path: str, patch: str, target: selector, options });
const image = struct('Image', { name: str, newName: str, tagSuffix: str, newTag: str, digest: str });
const fieldOptions = struct('FieldOptions', {
  delimiter: str,
  index: { t: 'int', go: 'int' },
  encoding: str,
  create: bool,
});
const targetSelector = struct('TargetSelector', {
  select: selector,
  reject: slice(selector, true),
  fieldPaths: strings,
  options: fieldOptions,
});
const sourceSelector = struct('SourceSelector', { ...resId, fieldPath: str, options: fieldOptions });
const replacementField = struct('ReplacementField', {
  source: [sourceSelector, 'Replacement'],
  targets: [slice(targetSelector, true), 'Replacement'],
  sourceValue: [str, 'Replacement'],
  path: str,
});
const generatorOptions = struct('GeneratorOptions', {
  labels: stringMap,
  annotations: stringMap,
  disableNameSuffixHash: bool,
  immutable: bool,
});
const generatorArgs = {
  namespace: [str, 'GeneratorArgs'],
  name: [str, 'GeneratorArgs'],
  behavior: [str, 'GeneratorArgs'],
  literals: [strings, 'GeneratorArgs', 'KvPairSources'],
  files: [strings, 'GeneratorArgs', 'KvPairSources'],
  envs: [strings, 'GeneratorArgs', 'KvPairSources'],
  env: [str, 'GeneratorArgs', 'KvPairSources'],
  options: [generatorOptions, 'GeneratorArgs'],
} satisfies Record<string, [GoType, ...string[]]>;
const target = struct('Target', { apiVersion: str, ...gvk(), name: str, namespace: str });

const kustomizationType = (patch: GoType) =>
  struct('Kustomization', {
    kind: [str, 'TypeMeta'],
    apiVersion: [str, 'TypeMeta'],
    metadata: objectMeta,
    openapi: stringMap,
    namePrefix: str,
    nameSuffix: str,
    namespace: str,
    commonLabels: stringMap,
    labels: slice(
      struct('Label', {
        pairs: stringMap,
        includeSelectors: bool,
        includeTemplates: bool,
        fields: slice(fieldSpec),
      }),
    ),
    commonAnnotations: stringMap,
    patchesStrategicMerge: slice({ t: 'string', go: 'types.PatchStrategicMerge' }),
    patchesJson6902: slice(patch),
    patches: slice(patch),
    images: slice(image),
    imageTags: slice(image),
    replacements: slice(replacementField),
    replicas: slice(replica),
    vars: slice(
      struct('Var', { name: str, objref: target, fieldref: struct('FieldSelector', { fieldPath: str }) }),
    ),
    sortOptions: struct('SortOptions', {
      order: { t: 'string', go: 'types.SortOrder' },
      legacySortOptions: struct('LegacySortOptions', { orderFirst: strings, orderLast: strings }),
    }),
    resources: strings,
    components: strings,
    crds: strings,
    bases: strings,
    configMapGenerator: slice(struct('ConfigMapArgs', generatorArgs)),
    secretGenerator: slice(struct('SecretArgs', { ...generatorArgs, type: str })),
    helmGlobals: struct('HelmGlobals', { chartHome: str, configHome: str }),
    helmCharts: slice(
      struct('HelmChart', {
        name: str,
        version: str,
        repo: str,
        releaseName: str,
        namespace: str,
        additionalValuesFiles: strings,
        valuesFile: str,
        valuesInline: anyMap,
        valuesMerge: str,
        includeCRDs: bool,
        skipHooks: bool,
        apiVersions: strings,
        kubeVersion: str,
        nameTemplate: str,
        skipTests: bool,
        debug: bool,
        devel: bool,
      }),
    ),
    helmChartInflationGenerator: slice(
      struct('HelmChartArgs', {
        chartName: str,
        chartVersion: str,
        chartRepoUrl: str,
        chartHome: str,
        chartRepoName: str,
        helmBin: str,
        helmHome: str,
        values: str,
        valuesLocal: anyMap,
        valuesMerge: str,
        releaseName: str,
        releaseNamespace: str,
        extraArgs: strings,
      }),
    ),
    generatorOptions,
    configurations: strings,
    generators: strings,
    transformers: strings,
    validators: strings,
    buildMetadata: strings,
  });
const KUSTOMIZATION = new Map(
  [patchOptions57, patchOptions58].map((o) => [o, kustomizationType(patchType(o))]),
);

// builtinconfig.TransformerConfig, a `configurations:` file (read with sigs.k8s.io/yaml's
// UnmarshalStrict)
const fsSlice = slice(fieldSpec, false, 'types.FsSlice');
const TRANSFORMER_CONFIG: GoType = struct('TransformerConfig', {
  namePrefix: fsSlice,
  nameSuffix: fsSlice,
  namespace: fsSlice,
  commonLabels: fsSlice,
  labels: fsSlice,
  templateLabels: fsSlice,
  commonAnnotations: fsSlice,
  nameReference: slice(
    struct('NameBackReferences', { ...gvk(), fieldSpecs: fsSlice }),
    false,
    'builtinconfig.nbrSlice',
  ),
  varReference: fsSlice,
  images: fsSlice,
  replicas: fsSlice,
});
(TRANSFORMER_CONFIG as { go: string }).go = 'builtinconfig.TransformerConfig';

/** The JSON kind encoding/json names in an UnmarshalTypeError ("number 1.5" for a number it cannot hold). */
function jsonKind(v: JsonValue, type: GoType): string {
  if (typeof v === 'boolean') return 'bool';
  // an int field given a number it cannot hold (1.5, 2^63) names the number too
  if (typeof v === 'number' || typeof v === 'bigint') return type.t === 'int' ? `number ${v}` : 'number';
  if (typeof v === 'string') return 'string';
  return Array.isArray(v) ? 'array' : 'object';
}

// Go's int is 64 bits wide where kustomize runs, as int64 is
const INT_MIN = -(2n ** 63n);
const INT_MAX = 2n ** 63n - 1n;

/** Whether `v` decodes into `type` at this level (nested values are checked by decode). */
function fits(v: JsonValue, type: GoType): boolean {
  switch (type.t) {
    case 'string':
      return typeof v === 'string';
    case 'bool':
      return typeof v === 'boolean';
    case 'int': {
      if (typeof v === 'bigint') return v >= INT_MIN && v <= INT_MAX;
      return typeof v === 'number' && Number.isSafeInteger(v);
    }
    case 'slice':
      return Array.isArray(v);
    default:
      return isMap(v);
  }
}

/** A null list element or map value of a scalar type is its Go zero value ("" for a string). */
function zeroIfNull(v: JsonValue, type: GoType): JsonValue {
  if (v !== null) return v;
  return type.t === 'string' ? '' : type.t === 'bool' ? false : type.t === 'int' ? 0 : null;
}

interface Context {
  struct: string;
  path: string[];
  file: string;
  line?: number;
  code: string;
  /** What the message starts with ("invalid Kustomization: "). */
  prefix: string;
  /**
   * sigs.k8s.io/yaml's Unmarshal: a number or bool meant for a string field of the struct itself
   * (not one promoted from an embedded struct), or for a string list element or map value,
   * becomes its text before encoding/json sees it.
   */
  coerce: boolean;
  /** Unknown keys refused (DisallowUnknownFields, UnmarshalStrict) or passed over (Unmarshal). */
  strict?: boolean;
}

/** The text sigs.k8s.io/yaml gives a number or bool bound for a string. */
function coerced(v: JsonValue): JsonValue {
  if (typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatFloatG(v);
  return v;
}

/** Decodes `v` into `type`: throws encoding/json's first error; returns `v` with field names as declared. */
function decode(v: JsonValue, type: GoType, ctx: Context): JsonValue {
  if (v === null) return v;
  if (ctx.coerce && type.t === 'string') v = coerced(v);
  if (!fits(v, type)) {
    const go = type.t === 'bool' ? 'bool' : type.go;
    throw new SourceError(
      ctx.code,
      ctx.path.length
        ? `${ctx.prefix}json: cannot unmarshal ${jsonKind(v, type)} into Go struct field ${ctx.struct}.${ctx.path.join('.')} of type ${go}`
        : `${ctx.prefix}json: cannot unmarshal ${jsonKind(v, type)} into Go value of type ${go}`,
      {
        file: ctx.file,
        line: ctx.line,
        hint: type.t === 'string' ? 'quote the value so that YAML reads it as a string' : undefined,
      },
    );
  }
  if (type.t === 'slice')
    return (v as JsonValue[]).map((x) => zeroIfNull(decode(x, type.elem, ctx), type.elem));
  if (type.t === 'map') {
    const elem = type.elem;
    if (!elem) return v;
    const out: JsonMap = {};
    for (const [k, x] of Object.entries(v as JsonMap))
      out[k] = zeroIfNull(decode(x as JsonValue, elem, ctx), elem);
    return out;
  }
  if (type.t !== 'struct') return v;
  const names = Object.keys(type.fields);
  const out: JsonMap = {};
  for (const [k, x] of Object.entries(v as JsonMap)) {
    const name = k in type.fields ? k : names.find((f) => f.toLowerCase() === k.toLowerCase());
    if (!name && ctx.strict === false) {
      // sigs.k8s.io/yaml's Unmarshal: a key no field takes is left alone
      out[k] = x as JsonValue;
      continue;
    }
    if (!name) {
      throw new SourceError(ctx.code, `${ctx.prefix}json: unknown field "${k}"`, {
        file: ctx.file,
        line: ctx.line,
        hint:
          type.name === 'Kustomization'
            ? 'check the spelling against the kustomization reference (kubectl.docs.kubernetes.io)'
            : `${[...ctx.path].join('.')} (types.${type.name}) has no field "${k}"; known fields: ${names.join(', ')}`,
      });
    }
    const field = type.fields[name] as Field;
    out[name] = decode(x as JsonValue, field.type, {
      ...ctx,
      struct: type.name,
      path: [...ctx.path, ...(field.via ?? []), name],
      coerce: ctx.coerce && !field.via?.length,
    });
  }
  return out;
}

/**
 * Checks a kustomization's fields against types.Kustomization as kustomize's decoder does, and
 * returns it with keys matched case-insensitively renamed to the declared field names. `lines`
 * gives the line of each top-level key, named in errors.
 */
export function normalizeKustomization(raw: JsonMap, file: string, lines: Record<string, number>): JsonMap {
  const out: JsonMap = {};
  for (const [k, v] of Object.entries(raw)) {
    const decoded = decode({ [k]: v } as JsonMap, KUSTOMIZATION.get(patchOptions()) as GoType, {
      struct: 'Kustomization',
      path: [],
      file,
      line: lines[k],
      code: 'BAD_KUSTOMIZATION',
      prefix: 'invalid Kustomization: ',
      coerce: false,
    }) as JsonMap;
    Object.assign(out, decoded);
  }
  return out;
}

/**
 * Checks a `configurations:` file against builtinconfig.TransformerConfig as kustomize reads it
 * (sigs.k8s.io/yaml's UnmarshalStrict: numbers coerced to strings where a string field is meant,
 * unknown fields refused), and returns it with field names as declared.
 */
export function decodeTransformerConfig(v: JsonValue, file: string): JsonValue {
  return decode(v, TRANSFORMER_CONFIG, {
    struct: 'TransformerConfig',
    path: [],
    file,
    code: 'BAD_CONFIG',
    prefix: 'error unmarshaling JSON: while decoding JSON: ',
    coerce: true,
  });
}

// The builtin plugins whose configuration kustomize reads with sigs.k8s.io/yaml's Unmarshal (keys
// no field takes are passed over; numbers coerced to strings for string fields). PrefixTransformer
// and SuffixTransformer read theirs with go-yaml ("yaml: unmarshal errors:"), not modelled.
const fieldSpecs = slice(fieldSpec);
const pluginConfigs = (options: GoType): Record<string, GoType> => ({
  PatchTransformer: struct('PatchTransformerPlugin', { path: str, patch: str, target: selector, options }),
  ReplacementTransformer: struct('ReplacementTransformerPlugin', { replacements: slice(replacementField) }),
  NamespaceTransformer: struct('NamespaceTransformerPlugin', {
    metadata: objectMeta,
    fieldSpecs,
    unsetOnly: bool,
    setRoleBindingSubjects: { t: 'string', go: 'namespace.RoleBindingSubjectMode' },
  }),
  PatchJson6902Transformer: struct('PatchJson6902TransformerPlugin', {
    target: selector,
    path: str,
    jsonOp: str,
  }),
  LabelTransformer: struct('LabelTransformerPlugin', { labels: stringMap, fieldSpecs }),
  AnnotationsTransformer: struct('AnnotationsTransformerPlugin', { annotations: stringMap, fieldSpecs }),
  ImageTagTransformer: struct('ImageTagTransformerPlugin', { imageTag: image, fieldSpecs }),
  ReplicaCountTransformer: struct('ReplicaCountTransformerPlugin', { replica, fieldSpecs }),
});
// the words a plugin's Config puts before the decoder's
const PLUGIN_PREFIX: Record<string, string> = {
  NamespaceTransformer: 'unmarshalling NamespaceTransformer config: ',
};
const PLUGIN_CONFIGS = new Map([patchOptions57, patchOptions58].map((o) => [o, pluginConfigs(o)]));

/**
 * Checks a builtin plugin's configuration against its Go struct as kustomize's Config does (for
 * the plugins in PLUGIN_CONFIGS; others are returned as they are), failing with kustomize's
 * "plugin ID fails configuration: ..." and returning it with numbers coerced to strings.
 */
export function decodePluginConfig(kind: string, v: JsonMap, id: string, file: string): JsonMap {
  const type = PLUGIN_CONFIGS.get(patchOptions())?.[kind];
  if (!type) return v;
  return decode(v, type, {
    struct: (type as { name: string }).name,
    path: [],
    file,
    code: 'BAD_PLUGIN',
    prefix: `plugin ${id} fails configuration: ${PLUGIN_PREFIX[kind] ?? ''}error unmarshaling JSON: while decoding JSON: `,
    coerce: true,
    strict: false,
  }) as JsonMap;
}
