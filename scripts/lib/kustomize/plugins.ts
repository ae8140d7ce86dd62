// `generators:` and `transformers:` entries. Builtin plugin configurations (apiVersion: builtin)
// run the same code as the kustomization fields; exec/container KRM functions and Go plugins are
// refused, since this build runs no external program.

import { basename } from 'node:path';
import { SourceError } from '../errors.ts';
import { isMap, type JsonMap, type JsonValue } from '../json.ts';
import { parseFieldSpecList } from './config.ts';
import { makeConfigMap, makeSecret } from './generators/kv.ts';
import { decodePluginConfig } from './kschema.ts';
import type { GeneratorArgs, Image, Patch } from './kustomization.ts';
import { goJoin } from './loader.ts';
import { idString } from './resid.ts';
import type { ResMap } from './resmap.ts';
import type { Resource } from './resource.ts';
import { ANNO, Resource as ResourceClass, scalarText } from './resource.ts';
import type { Accumulator, Target } from './target.ts';
import {
  addTransformation,
  joinPath,
  originString,
  resourcesFromText,
  Target as TargetClass,
} from './target.ts';
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

/** The plugin configuration objects an entry names: inline YAML, a file, or a kustomization directory. */
function pluginConfigs(t: Target, entry: string, ra: Accumulator): { cfg: Resource; path: string }[] {
  void ra;
  if (entry.includes('\n') || /^\s*(apiVersion|kind)\s*:/.test(entry)) {
    return resourcesFromText(entry, t.kfile).map((cfg) => ({ cfg, path: basename(t.kfile) }));
  }
  const abs = goJoin(t.ldr.root, entry);
  if (t.ldr.fs.exists(abs) && !t.ldr.fs.isDir(abs))
    return t.resourcesFromFile(entry).map((cfg) => ({ cfg, path: entry }));
  const sub = new TargetClass(t.ldr.newRoot(entry, t.kfile), t.ctx);
  sub.origin = t.origin === undefined ? undefined : joinPath(t.origin, entry);
  return sub.accumulate().resMap.list.map((cfg) => {
    const o = /^path: (.*)$/m.exec(cfg.getAnnotations()[ANNO.origin] ?? '');
    return { cfg, path: o ? (o[1] as string) : entry };
  });
}

function pluginOrigin(t: Target, cfg: Resource, path: string): string | undefined {
  if (t.origin === undefined) return undefined;
  const configuredIn =
    path.includes('/') && t.origin && path.startsWith(t.origin) ? path : joinPath(t.origin, path);
  return originString({
    configuredIn,
    configuredBy: {
      apiVersion: cfg.getApiVersion(),
      kind: cfg.getKind(),
      name: cfg.getName(),
      namespace: cfg.getNamespace(),
    },
  });
}

function refuse(cfg: Resource, file: string): never {
  const annotations = cfg.getAnnotations();
  const fn = annotations['config.kubernetes.io/function'] ?? annotations['config.k8s.io/function'];
  throw new SourceError(
    'PLUGIN_REFUSED',
    fn
      ? `${cfg.getApiVersion()}/${cfg.getKind()} '${cfg.getName()}' is a KRM function (exec or container); this build runs no external programs`
      : `${cfg.getApiVersion()}/${cfg.getKind()} '${cfg.getName()}' is not a builtin plugin; Go and exec plugins are refused`,
    {
      file: cfg.origin?.file ?? file,
      line: cfg.origin?.line,
      hint: 'use apiVersion: builtin plugins or the kustomization fields',
    },
  );
}

const str = (v: JsonValue | undefined) => (v === undefined || v === null ? '' : scalarText(v));
const strMap = (v: JsonValue | undefined): Record<string, string> => {
  const out: Record<string, string> = {};
  if (isMap(v)) for (const [k, x] of Object.entries(v)) out[k] = str(x);
  return out;
};

function generatorArgs(o: JsonMap): GeneratorArgs {
  const md = isMap(o.metadata) ? o.metadata : {};
  return {
    name: str(o.name as JsonValue) || str(md.name),
    namespace: str(o.namespace as JsonValue) || str(md.namespace),
    behavior: str(o.behavior as JsonValue) || undefined,
    literals: Array.isArray(o.literals) ? o.literals.map(str) : undefined,
    files: Array.isArray(o.files) ? o.files.map(str) : undefined,
    envs: [...(Array.isArray(o.envs) ? o.envs.map(str) : []), ...(o.env ? [str(o.env)] : [])],
    options: isMap(o.options) ? (o.options as GeneratorArgs['options']) : undefined,
    type: str(o.type as JsonValue) || undefined,
  };
}

export function runPluginGenerators(t: Target, entry: string, ra: Accumulator): Resource[] {
  const out: Resource[] = [];
  for (const { cfg, path } of pluginConfigs(t, entry, ra)) {
    if (cfg.getApiVersion() !== 'builtin') refuse(cfg, t.kfile);
    const o = cfg.obj;
    const before = out.length;
    generateOne(t, cfg, o, out);
    const anno = pluginOrigin(t, cfg, path);
    if (anno)
      for (const r of out.slice(before))
        if (!(ANNO.origin in r.getAnnotations())) r.setAnnotation(ANNO.origin, anno);
  }
  return out;
}

function generateOne(t: Target, cfg: Resource, o: JsonMap, out: Resource[]): void {
  switch (cfg.getKind()) {
    case 'ConfigMapGenerator':
      out.push(makeConfigMap(t.ldr, generatorArgs(o), t.kfile));
      break;
    case 'SecretGenerator':
      out.push(makeSecret(t.ldr, generatorArgs(o), t.kfile));
      break;
    case 'IAMPolicyGenerator':
      out.push(iamServiceAccount(o, cfg.origin?.file ?? t.kfile));
      break;
    default:
      refuse(cfg, t.kfile);
  }
}

export function runPluginTransformers(t: Target, entry: string, ra: Accumulator): void {
  const m = ra.resMap;
  for (const { cfg, path } of pluginConfigs(t, entry, ra)) {
    runOne(t, m, cfg);
    const anno = pluginOrigin(t, cfg, path);
    if (anno) for (const r of m.list) addTransformation(r, anno);
    m.list = m.list.filter((r) => !r.isEmpty());
  }
}

function runOne(t: Target, m: ResMap, cfg: Resource): void {
  {
    if (cfg.getApiVersion() !== 'builtin') refuse(cfg, t.kfile);
    const file = cfg.origin?.file ?? t.kfile;
    const o = decodePluginConfig(cfg.getKind(), cfg.obj, idString(cfg.curId()), file);
    const specs = (key = 'fieldSpecs') => parseFieldSpecList((o[key] ?? null) as JsonValue, file, key);
    switch (cfg.getKind()) {
      case 'PrefixSuffixTransformer':
        if (o.fieldSpecs === undefined || o.fieldSpecs === null)
          throw new SourceError('BAD_PLUGIN', 'fieldSpecs is not expected to be nil', { file });
        transformPrefixSuffix(m, str(o.prefix as JsonValue), specs(), 'prefix');
        transformPrefixSuffix(m, str(o.suffix as JsonValue), specs(), 'suffix');
        break;
      case 'PrefixTransformer':
      case 'SuffixTransformer': {
        if (o.fieldSpecs === undefined || o.fieldSpecs === null)
          throw new SourceError('BAD_PLUGIN', 'fieldSpecs is not expected to be nil', { file });
        const which = cfg.getKind() === 'PrefixTransformer' ? 'prefix' : 'suffix';
        transformPrefixSuffix(m, str(o[which] as JsonValue), specs(), which);
        break;
      }
      case 'LabelTransformer':
        transformMapEntries(m, strMap(o.labels as JsonValue), specs());
        break;
      case 'AnnotationsTransformer':
        transformMapEntries(m, strMap(o.annotations as JsonValue), specs());
        break;
      case 'NamespaceTransformer': {
        const md = isMap(o.metadata) ? o.metadata : {};
        transformNamespace(m, {
          namespace: str(md.namespace),
          fieldSpecs: specs(),
          unsetOnly: o.unsetOnly === true,
          setRoleBindingSubjects: str(o.setRoleBindingSubjects as JsonValue) as 'defaultOnly',
        });
        break;
      }
      case 'ImageTagTransformer':
        transformImages(m, (isMap(o.imageTag) ? o.imageTag : {}) as Image, specs());
        break;
      case 'ReplicaCountTransformer': {
        const r = isMap(o.replica) ? o.replica : {};
        transformReplicas(m, { name: str(r.name), count: Number(r.count ?? 0) }, specs());
        break;
      }
      case 'PatchTransformer':
        transformPatch(m, o as unknown as Patch, t.ldr, file);
        break;
      case 'PatchJson6902Transformer':
        transformPatchJson6902(
          m,
          {
            target: o.target as Patch['target'],
            path: str(o.path as JsonValue) || undefined,
            patch: str(o.jsonOp as JsonValue) || undefined,
          },
          t.ldr,
          file,
        );
        break;
      case 'PatchStrategicMergeTransformer': {
        const paths = Array.isArray(o.paths) ? o.paths.map(str) : [];
        if (typeof o.patches === 'string' && o.patches) paths.push(o.patches);
        if (paths.length === 0)
          throw new SourceError('BAD_PLUGIN', 'empty file path and empty patch content', { file });
        transformPatchesStrategicMerge(m, paths, t.ldr, file);
        break;
      }
      case 'ReplacementTransformer':
        transformReplacements(
          m,
          (Array.isArray(o.replacements) ? o.replacements : []) as JsonMap[],
          t.ldr,
          file,
        );
        break;
      default:
        refuse(cfg, t.kfile);
    }
  }
}

/** IAMPolicyGenerator (cloud: gke): a ServiceAccount bound to a Google service account. */
function iamServiceAccount(o: JsonMap, file: string): Resource {
  if (str(o.cloud as JsonValue) !== 'gke') {
    throw new SourceError('BAD_PLUGIN', `cloud provider ${str(o.cloud as JsonValue)} not supported yet`, {
      file,
    });
  }
  const ks = isMap(o.kubernetesService) ? o.kubernetesService : {};
  const sa = isMap(o.serviceAccount) ? o.serviceAccount : {};
  // kustomize writes the object as YAML text with the values in place (Sprintf) and parses it, so a
  // value is read as YAML reads it (an empty account makes `@...`, which is no YAML) and a name
  // such as 0777 is a number
  let text = `
apiVersion: v1
kind: ServiceAccount
metadata:
  annotations:
    iam.gke.io/gcp-service-account: ${str(sa.name)}@${str(sa.projectId)}.iam.gserviceaccount.com
  name: ${str(ks.name)}
`;
  if (str(ks.namespace)) text += `\n  namespace: ${str(ks.namespace)}`;
  const docs = readYamlDocuments(text, `${file} (the ServiceAccount IAMPolicyGenerator writes)`);
  const obj = docs[0]?.value;
  if (docs.length !== 1 || !isMap(obj))
    throw new SourceError('BAD_PLUGIN', 'IAMPolicyGenerator: its values do not make one YAML object', {
      file,
    });
  // kustomize's resource factory refuses an object without a name (an empty kubernetesService.name)
  const md = obj.metadata;
  if (!isMap(md) || md.name === null || md.name === undefined || md.name === '')
    throw new SourceError('BAD_RESOURCE', 'missing metadata.name in object', {
      file,
      hint: 'IAMPolicyGenerator: give kubernetesService.name, the ServiceAccount it makes',
    });
  return new ResourceClass(obj);
}
