// One kustomization directory and its accumulation (api/internal/target/kusttarget.go):
// resources, then generators, then components, then the builtin transformers in kustomize's
// order, recursively through bases. The order of stages is the literal array in runTransformers.
import { basename, normalize } from 'node:path';
import { SourceError } from '../errors.ts';
import { isMap, type JsonMap, type JsonValue } from '../json.ts';
import {
  configFromValue,
  defaultConfig,
  emptyConfig,
  mergeConfig,
  type TransformerConfig,
} from './config.ts';
import type { BuildContext } from './context.ts';
import { loadCrdConfig } from './crds.ts';
import { type FieldSpec, mergeAllFs, mergeOneFs } from './fieldspec.ts';
import { makeConfigMap, makeSecret, mergeGlobalOptions } from './generators/kv.ts';
import { inflateHelmCharts } from './helm-charts.ts';
import { type Kustomization, loadKustomization } from './kustomization.ts';
import { goJoin, type Loader } from './loader.ts';
import { setCustomSchema } from './patching.ts';
import { runPluginGenerators, runPluginTransformers } from './plugins.ts';
import { idEquals, idFromString, idGvknEquals, idString, isClusterScoped } from './resid.ts';
import { ResMap } from './resmap.ts';
import { ANNO, Resource, scalarText } from './resource.ts';
import {
  transformPatch,
  transformPatchesStrategicMerge,
  transformPatchJson6902,
} from './transformers/patches.ts';
import { transformReplacements } from './transformers/replacements.ts';
import {
  transformImages,
  transformMapEntries,
  transformNamespace,
  transformPrefixSuffix,
  transformReplicas,
} from './transformers/simple.ts';
import { readYamlDocuments } from './yaml-io.ts';
import { readFirstDocumentV2 } from './yaml-v2-read.ts';

export interface Var {
  name: string;
  objref: {
    kind?: string;
    name?: string;
    namespace?: string;
    apiVersion?: string;
    group?: string;
    version?: string;
  };
  fieldref: { fieldPath?: string };
}

export class Accumulator {
  resMap = new ResMap();
  config: TransformerConfig = emptyConfig();
  vars: Var[] = [];

  mergeConfig(c: TransformerConfig): void {
    this.config = mergeConfig(this.config, c);
  }

  mergeAccumulator(other: Accumulator): void {
    this.resMap.appendAll(other.resMap);
    this.mergeConfig(other.config);
    this.mergeVarSet(other.vars);
  }

  mergeVarSet(incoming: Var[]): void {
    for (const v of incoming) {
      if (this.vars.some((x) => x.name === v.name))
        throw new SourceError('VAR', `var '${v.name}' already encountered`);
      this.vars.push(v);
    }
  }

  /** MergeVars: attach each var to the one resource it refers to. */
  mergeVars(incoming: Var[]): void {
    for (const v of incoming) {
      // no objref is Go's zero Target, which matches no resource
      const o = v.objref ?? {};
      let group = o.group ?? '';
      let version = o.version ?? '';
      if (o.apiVersion) {
        const i = o.apiVersion.indexOf('/');
        if (i > -1) {
          group = o.apiVersion.slice(0, i);
          version = o.apiVersion.slice(i + 1);
        } else {
          group = '';
          version = o.apiVersion;
        }
      }
      const target = { group, version, kind: o.kind ?? '', name: o.name ?? '', namespace: o.namespace ?? '' };
      const matcher =
        target.namespace !== '' || isClusterScoped(target)
          ? (id: typeof target) => idEquals(target, id)
          : (id: typeof target) => idGvknEquals(target, id);
      const matched = this.resMap.byAnyId(matcher);
      if (matched.length > 1)
        throw new SourceError(
          'VAR',
          `found ${matched.length} resId matches for var ${v.name} (unable to disambiguate)`,
        );
      if (matched.length === 1) (matched[0] as Resource).refVarNames.push(v.name);
    }
    this.mergeVarSet(incoming);
  }
}

export class Target {
  readonly k: Kustomization;
  readonly kfile: string;
  /** With buildMetadata, the path of this kustomization relative to the top one (origin tracking). */
  origin?: string;
  /** The namespace of the nearest kustomization above that sets one (kustomize 5.8's
   * helmRootNamespace): the namespace of charts that give none. */
  helmRootNamespace = '';

  constructor(
    readonly ldr: Loader,
    readonly ctx: BuildContext,
  ) {
    const { k, warnings } = loadKustomization(ldr);
    ctx.warnings.push(...warnings);
    this.k = k;
    this.kfile = k.file;
  }

  private originOf(kind: string): string | undefined {
    if (this.origin === undefined) return undefined;
    return originString({
      configuredIn: joinPath(this.origin, basename(this.kfile)),
      configuredBy: { apiVersion: 'builtin', kind },
    });
  }

  accumulate(ra: Accumulator = new Accumulator()): Accumulator {
    this.accumulateResources(ra, this.k.resources ?? []);
    let tc = defaultConfig();
    if (this.k.configurations?.length) {
      let extra = emptyConfig();
      for (const p of this.k.configurations) {
        const text = this.ldr.load(p, this.kfile);
        // sigs.k8s.io/yaml reads it: go-yaml v2, YAML 1.1 scalars (`yes` is true), first document
        const doc = readFirstDocumentV2(text, this.ldr.display(p), 'BAD_CONFIG');
        extra = mergeConfig(extra, configFromValue(doc.value, this.ldr.display(p)));
      }
      tc = mergeConfig(tc, extra);
    }
    ra.mergeConfig(tc);
    if (this.k.crds?.length) ra.mergeConfig(loadCrdConfig(this.ldr, this.k.crds, this.kfile));
    this.runGenerators(ra);
    this.accumulateComponents(ra, this.k.components ?? []);
    this.runTransformers(ra);
    if (this.k.validators?.length) {
      throw new SourceError(
        'PLUGIN_REFUSED',
        'validators run exec or container functions, which this build refuses',
        {
          file: this.kfile,
          line: this.k.lines.validators,
        },
      );
    }
    ra.mergeVars((this.k.vars ?? []) as unknown as Var[]);
    return ra;
  }

  private accumulateResources(ra: Accumulator, paths: string[]): void {
    for (const path of paths) {
      const abs = goJoin(this.ldr.root, path);
      if (this.ldr.fs.exists(abs) && !this.ldr.fs.isDir(abs)) {
        const rs = this.resourcesFromFile(path);
        if (this.origin !== undefined) {
          const anno = originString({ path: joinPath(this.origin, path) });
          for (const r of rs) r.setAnnotation(ANNO.origin, anno);
        }
        ra.resMap.appendAll(rs);
        continue;
      }
      const sub = this.ldr.newRoot(path, this.kfile);
      this.accumulateDirectory(ra, sub, false, path);
    }
  }

  private accumulateComponents(ra: Accumulator, paths: string[]): void {
    for (const path of paths) {
      const sub = this.ldr.newRoot(path, this.kfile);
      this.accumulateDirectory(ra, sub, true, path);
    }
  }

  private accumulateDirectory(ra: Accumulator, ldr: Loader, isComponent: boolean, path: string): void {
    const sub = new Target(ldr, this.ctx);
    sub.k.buildMetadata = this.k.buildMetadata;
    if (this.origin !== undefined) sub.origin = joinPath(this.origin, path);
    sub.helmRootNamespace = this.k.namespace || this.helmRootNamespace;
    const api = sub.k.openapi ?? {};
    setCustomSchema(
      api.path ? ldr.load(api.path, sub.kfile) : undefined,
      api.path ? ldr.display(api.path) : sub.kfile,
      api.version,
    );
    if (isComponent && sub.k.kind !== 'Component') {
      throw new SourceError(
        'NOT_A_COMPONENT',
        `expected kind 'Component' for path '${ldr.root}' but got '${sub.k.kind}'`,
        { file: sub.kfile },
      );
    }
    if (!isComponent && sub.k.kind === 'Component') {
      throw new SourceError('COMPONENT_AS_RESOURCE', `expected kind != 'Component' for path '${ldr.root}'`, {
        file: this.kfile,
        hint: 'list a Component under components:, not resources:',
      });
    }
    if (isComponent) {
      sub.accumulate(ra);
    } else {
      const subRa = sub.accumulate(new Accumulator());
      ra.mergeAccumulator(subRa);
    }
  }

  /** Reads a resource file: every document, `*List` kinds inlined, each validated. */
  resourcesFromFile(path: string): Resource[] {
    const abs = this.ldr.resolvePath(path, this.kfile);
    const text = this.ldr.fs.readFile(abs);
    return resourcesFromText(text, abs);
  }

  private runGenerators(ra: Accumulator): void {
    const generated: [string, Resource[]][] = [];
    for (const args of this.k.configMapGenerator ?? []) {
      generated.push([
        'ConfigMapGenerator',
        [
          makeConfigMap(
            this.ldr,
            { ...args, options: mergeGlobalOptions(args.options, this.k.generatorOptions) },
            this.kfile,
          ),
        ],
      ]);
    }
    for (const args of this.k.secretGenerator ?? []) {
      generated.push([
        'SecretGenerator',
        [
          makeSecret(
            this.ldr,
            { ...args, options: mergeGlobalOptions(args.options, this.k.generatorOptions) },
            this.kfile,
          ),
        ],
      ]);
    }
    if (this.k.helmCharts?.length)
      generated.push([
        'HelmChartInflationGenerator',
        inflateHelmCharts(this.ldr, this.k, this.ctx, this.helmRootNamespace),
      ]);
    for (const g of this.k.generators ?? []) generated.push(['', runPluginGenerators(this, g, ra)]);
    const fieldOf: Record<string, string> = {
      ConfigMapGenerator: 'configMapGenerator',
      SecretGenerator: 'secretGenerator',
      HelmChartInflationGenerator: 'helmCharts',
      '': 'generators',
    };
    for (const [kind, rs] of generated) {
      const line = this.k.lines[fieldOf[kind] ?? ''] ?? 1;
      for (const r of rs) r.origin ??= { file: this.kfile, line, col: 1 };
      const anno = kind ? this.originOf(kind) : undefined;
      if (anno)
        for (const r of rs) if (!(ANNO.origin in r.getAnnotations())) r.setAnnotation(ANNO.origin, anno);
      ra.resMap.absorbAll(rs);
    }
  }

  private runTransformers(ra: Accumulator): void {
    const k = this.k;
    const tc = ra.config;
    const m = ra.resMap;
    const hasLabels = (k.labels?.length ?? 0) > 0 || Object.keys(k.commonLabels ?? {}).length > 0;
    // One entry per configured builtin transformer instance, in kustomize's order.
    const stages: [string, () => void][] = [
      ...(k.patchesStrategicMerge?.length
        ? [
            [
              'PatchStrategicMergeTransformer',
              () => transformPatchesStrategicMerge(m, k.patchesStrategicMerge ?? [], this.ldr, this.kfile),
            ] as [string, () => void],
          ]
        : []),
      ...(k.patches ?? []).map((p): [string, () => void] => [
        'PatchTransformer',
        () => transformPatch(m, p, this.ldr, this.kfile),
      ]),
      ...(k.namespace
        ? [
            [
              'NamespaceTransformer',
              () => transformNamespace(m, { namespace: k.namespace ?? '', fieldSpecs: tc.namespace }),
            ] as [string, () => void],
          ]
        : []),
      ...(k.namePrefix
        ? [
            [
              'PrefixTransformer',
              () => transformPrefixSuffix(m, k.namePrefix ?? '', tc.namePrefix, 'prefix'),
            ] as [string, () => void],
          ]
        : []),
      ...(k.nameSuffix
        ? [
            [
              'SuffixTransformer',
              () => transformPrefixSuffix(m, k.nameSuffix ?? '', tc.nameSuffix, 'suffix'),
            ] as [string, () => void],
          ]
        : []),
      ...(hasLabels ? this.labelStages(m, tc) : []),
      ...(Object.keys(k.commonAnnotations ?? {}).length
        ? [
            [
              'AnnotationsTransformer',
              () => transformMapEntries(m, k.commonAnnotations ?? {}, tc.commonAnnotations),
            ] as [string, () => void],
          ]
        : []),
      ...(k.patchesJson6902 ?? []).map((p): [string, () => void] => [
        'PatchJson6902Transformer',
        () => transformPatchJson6902(m, p, this.ldr, this.kfile),
      ]),
      ...(k.replicas ?? []).map((r): [string, () => void] => [
        'ReplicaCountTransformer',
        () => transformReplicas(m, r, tc.replicas),
      ]),
      ...(k.images ?? []).map((img): [string, () => void] => [
        'ImageTagTransformer',
        () => transformImages(m, img, tc.images),
      ]),
      ...(k.replacements?.length
        ? [
            [
              'ReplacementTransformer',
              () => transformReplacements(m, k.replacements ?? [], this.ldr, this.kfile),
            ] as [string, () => void],
          ]
        : []),
    ];
    for (const [kind, run] of stages) {
      run();
      const anno = this.originOf(kind);
      if (anno) for (const r of m.list) addTransformation(r, anno);
      m.list = m.list.filter((r) => !r.isEmpty());
    }
    for (const t of k.transformers ?? []) runPluginTransformers(this, t, ra);
  }

  private labelStages(m: ResMap, tc: TransformerConfig): [string, () => void][] {
    const k = this.k;
    const stages: [string, () => void][] = (k.labels ?? []).map((label) => {
      let fss: FieldSpec[] = [...(label.fields ?? [])];
      fss = mergeAllFs(fss, tc.labels);
      if (label.includeSelectors) {
        fss = mergeAllFs(fss, tc.commonLabels);
      } else {
        if (label.includeTemplates) fss = mergeAllFs(fss, tc.templateLabels);
        fss = mergeOneFs(fss, { path: 'metadata/labels', create: true });
      }
      return ['LabelTransformer', () => transformMapEntries(m, label.pairs ?? {}, fss)];
    });
    stages.push(['LabelTransformer', () => transformMapEntries(m, k.commonLabels ?? {}, tc.commonLabels)]);
    return stages;
  }
}

/** Documents of a resource file into resources: empty ones skipped, *List kinds inlined. */
export function resourcesFromText(text: string, file: string): Resource[] {
  const queue: { value: JsonValue; line: number; col: number }[] = readYamlDocuments(text, file);
  const out: Resource[] = [];
  while (queue.length > 0) {
    const d = queue.shift() as { value: JsonValue; line: number; col: number };
    const v = d.value;
    if (v === null || (isMap(v) && Object.keys(v).length === 0) || (Array.isArray(v) && v.length === 0))
      continue;
    if (!isMap(v)) {
      throw new SourceError(
        'BAD_RESOURCE',
        `expected a YAML map (a Kubernetes object), found ${Array.isArray(v) ? 'a list' : 'a scalar'}`,
        {
          file,
          line: d.line,
        },
      );
    }
    validateMeta(v, file, d.line);
    const kind = typeof v.kind === 'string' ? v.kind : '';
    if (kind.endsWith('List') && 'items' in v) {
      const items = v.items;
      if (items === null) continue;
      if (!Array.isArray(items))
        throw new SourceError('BAD_RESOURCE', `expected array in ${kind}/items`, { file, line: d.line });
      for (const it of items) {
        if (it === null || (isMap(it) && Object.keys(it).length === 0)) continue;
        if (isMap(it)) validateMeta(it, file, d.line);
        queue.push({ value: it, line: d.line, col: d.col });
      }
      continue;
    }
    out.push(new Resource(v, { file, line: d.line, col: d.col }));
  }
  return out;
}

/** kyaml's GetValue: a scalar node's text; a map or list has none (kind: {a: b} is no kind). */
const nodeValue = (v: JsonValue | undefined): string =>
  v === undefined || v === null || typeof v === 'object' ? '' : scalarText(v);

function validateMeta(v: JsonMap, file: string, line: number): void {
  const kind = nodeValue(v.kind);
  if (kind === '') {
    throw new SourceError('BAD_RESOURCE', `missing kind in object`, {
      file,
      line,
      hint: 'every resource needs apiVersion, kind and metadata.name',
    });
  }
  if (kind.endsWith('List')) return;
  const md = v.metadata;
  if (!isMap(md) || nodeValue(md.name) === '') {
    throw new SourceError('BAD_RESOURCE', `missing metadata.name in object`, {
      file,
      line,
      hint: 'every resource needs metadata.name',
    });
  }
  // kustomize's "empty item at ... in object" check (dropBadNodes) never fires: it inspects a
  // *yaml.Node as if it were a map or slice, so null list items pass through, and so they do here.
}

export { idFromString, idString };

/** filepath.Join semantics for origin paths (cleaned, '' for nothing). */
export function joinPath(a: string, b: string): string {
  const j = normalize(a ? `${a}/${b}` : b);
  return j === '.' ? '' : j.replace(/\/$/, '');
}

export interface OriginFields {
  path?: string;
  configuredIn?: string;
  configuredBy?: { apiVersion: string; kind: string; name?: string; namespace?: string };
}

function originLines(o: OriginFields, indent: string): string[] {
  const out: string[] = [];
  if (o.path) out.push(`${indent}path: ${o.path}`);
  if (o.configuredIn) out.push(`${indent}configuredIn: ${o.configuredIn}`);
  if (o.configuredBy) {
    const by = o.configuredBy;
    out.push(
      `${indent}configuredBy:`,
      `${indent}  apiVersion: ${by.apiVersion}`,
      `${indent}  kind: ${by.kind}`,
    );
    if (by.name) out.push(`${indent}  name: ${by.name}`);
    if (by.namespace) out.push(`${indent}  namespace: ${by.namespace}`);
  }
  return out;
}

/** Origin.String(): the origin as kyaml marshals it. */
export function originString(o: OriginFields): string {
  return `${originLines(o, '').join('\n')}\n`;
}

/** AddTransformerAnnotation: a resource without an origin takes the transformer's as its origin. */
export function addTransformation(r: Resource, transformerOrigin: string): void {
  const a = r.getAnnotations();
  if (!(ANNO.origin in a)) {
    r.setAnnotation(ANNO.origin, transformerOrigin);
    return;
  }
  const item = transformerOrigin
    .replace(/\n$/, '')
    .split('\n')
    .map((l, i) => (i === 0 ? `- ${l}` : `  ${l}`))
    .join('\n');
  const prev = a[ANNO.transformations] ?? '';
  r.setAnnotation(ANNO.transformations, `${prev}${item}\n`);
}
