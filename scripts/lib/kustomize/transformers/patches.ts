// The three patch transformers (api/internal/builtins/Patch*Transformer.go): patches
// (strategic merge or JSON 6902, with targets), the legacy patchesStrategicMerge and
// patchesJson6902. Selection and identity rules live here; the merge itself is in ../patch/.

import { SourceError } from '../../errors.ts';
import { deepClone, isMap, type JsonValue, markScalarText } from '../../json.ts';
import type { Patch } from '../kustomization.ts';
import type { Loader } from '../loader.ts';
import { parseJson6902 } from '../patch/index.ts';
import { applyJsonPatch, applyStrategicMerge } from '../patching.ts';
import { idString } from '../resid.ts';
import type { ResMap } from '../resmap.ts';
import { Resource } from '../resource.ts';
import type { Selector } from '../selector.ts';
import { since58 } from '../version.ts';
import { readYamlDocuments } from '../yaml-io.ts';

/** Parses patch text into strategic-merge patch resources (kind + metadata.name required). */
export function smPatchesFromText(text: string, file: string): Resource[] {
  const docs = readYamlDocuments(text, file);
  const out: Resource[] = [];
  for (const d of docs) {
    if (!isMap(d.value))
      throw new SourceError('BAD_PATCH', 'a strategic merge patch must be a YAML map', {
        file,
        line: d.line,
      });
    const r = new Resource(d.value, { file, line: d.line, col: d.col });
    if (!r.getKind())
      throw new SourceError('BAD_PATCH', `missing kind in object ${JSON.stringify(d.value)}`, {
        file,
        line: d.line,
      });
    if (!r.getKind().endsWith('List') && !r.getName()) {
      throw new SourceError('BAD_PATCH', 'missing metadata.name in object', {
        file,
        line: d.line,
        hint: 'a strategic merge patch names the object it patches',
      });
    }
    out.push(r);
  }
  return out;
}

function jsonOpsFromText(text: string, file: string): JsonValue[] {
  const v = parseJson6902(text, file);
  if (!Array.isArray(v))
    throw new SourceError(
      'BAD_PATCH',
      'json: cannot unmarshal object into Go value of type jsonpatch.Patch',
      { file },
    );
  return v;
}

function looksLikeJsonPatch(text: string, file: string): boolean {
  try {
    const ops = jsonOpsFromText(text, file);
    return ops.every((o) => isMap(o) && 'op' in o);
  } catch {
    return false;
  }
}

function applySmToSelected(m: ResMap, selected: Set<Resource>, patch: Resource): void {
  const keep: Resource[] = [];
  for (const res of m.list) {
    if (selected.has(res)) {
      // resWrangler.ApplySmPatch: the copy's labels and annotations are set again as string
      // maps (an empty or non-map one is removed, a number becomes its text)
      const p = patch.deepCopy();
      p.copyMergeMetaDataFieldsFrom(patch);
      p.setGvk(res.gvk());
      p.setKind(patch.getKind());
      // an empty apiVersion set so is an untagged empty scalar, which the merge copies (it is no
      // deletion) into the resource's node, in that node's style: it reads back as null, or as ""
      // where the resource's was a quoted empty string
      const emptyApiVersion = p.obj.apiVersion === null;
      const quoted = res.obj.apiVersion === '';
      if (emptyApiVersion) delete p.obj.apiVersion;
      applySmPatchToResource(res, p);
      if (emptyApiVersion && !res.isEmpty()) {
        res.obj.apiVersion = quoted ? '' : null;
        // an untagged empty scalar: null to decode, "" to read
        if (!quoted) markScalarText(res.obj, 'apiVersion', '');
      }
    }
    if (!res.isEmpty()) keep.push(res);
  }
  m.list = [];
  m.appendAll(keep);
}

/** Resource.ApplySmPatch: merge, keep name/kind unless the patch allows changing them, keep namespace. */
function applySmPatchToResource(r: Resource, patch: Resource): void {
  const n = r.getName();
  const ns = r.getNamespace();
  const k = r.getKind();
  if (patch.nameChangeAllowed() || patch.kindChangeAllowed()) r.storePreviousId();
  const merged = applyStrategicMerge(r.obj, patch.obj);
  if (merged === null || Object.keys(merged).length === 0) {
    r.obj = {};
    return;
  }
  r.obj = merged;
  if (!patch.kindChangeAllowed()) r.setKind(k);
  if (!patch.nameChangeAllowed()) r.setName(n);
  r.setNamespace(ns);
}

function applyJsonToSelected(
  m: ResMap,
  target: Selector,
  ops: JsonValue[],
  storePrevious: boolean,
  file: string,
): void {
  for (const res of m.select(target)) {
    if (storePrevious) res.storePreviousId();
    const internal = Object.entries(res.getAnnotations()).filter(([k]) =>
      k.startsWith('internal.config.kubernetes.io/'),
    );
    const out = applyJsonPatch(res.obj, deepClone(ops), file);
    if (!isMap(out)) throw new SourceError('BAD_PATCH', 'a JSON patch must leave an object', { file });
    res.obj = out;
    const a = res.getAnnotations();
    for (const [k, v] of internal) a[k] = v;
    res.setAnnotations(a);
  }
}

export function transformPatch(m: ResMap, p: Patch, ldr: Loader, kfile: string): void {
  const inline = (p.patch ?? '').trim();
  if (!inline && !p.path)
    throw new SourceError('BAD_PATCH', 'must specify one of patch and path', {
      file: kfile,
      hint: 'each patches: entry needs `path:` or `patch:`',
    });
  if (inline && p.path)
    throw new SourceError('BAD_PATCH', "patch and path can't be set at the same time", { file: kfile });
  const text = inline || ldr.load(p.path as string, kfile);
  const file = inline ? kfile : ldr.display(p.path as string);
  const source = inline ? `[patch: ${JSON.stringify(inline)}]` : `[path: ${JSON.stringify(p.path)}]`;
  if (looksLikeJsonPatch(text, file)) {
    if (!p.target)
      throw new SourceError('BAD_PATCH', `must specify a target for JSON patch ${source}`, { file: kfile });
    applyJsonToSelected(m, p.target, jsonOpsFromText(text, file), true, file);
    return;
  }
  let patches: Resource[];
  try {
    patches = smPatchesFromText(text, file);
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw new SourceError('BAD_PATCH', `unable to parse SM or JSON patch from ${source}`, { file });
  }
  // a patch without objects (an empty file, only comments): kustomize 5.7 takes it for a JSON
  // patch, which needs a target; 5.8 passes it over (kustomize#5990)
  if (patches.length === 0 && !p.target && !since58())
    throw new SourceError('BAD_PATCH', `must specify a target for JSON patch ${source}`, { file: kfile });
  for (const patch of patches) {
    if (p.options?.allowNameChange) patch.allowNameChange();
    if (p.options?.allowKindChange) patch.allowKindChange();
  }
  if (p.target) {
    if (patches.length > 1) {
      throw new SourceError(
        'BAD_PATCH',
        `Multiple Strategic-Merge Patches in one \`patches\` entry is not allowed to set \`patches.target\` field: ${source}`,
        { file: kfile },
      );
    }
    const patch = patches[0];
    if (!patch) return;
    applySmToSelected(m, new Set(m.select(p.target)), patch);
    return;
  }
  for (const patch of patches) {
    let target: Resource;
    try {
      target = m.getById(patch.orgId());
    } catch (err) {
      throw new SourceError(
        'PATCH_TARGET',
        `no resource matches strategic merge patch "${idString(patch.orgId())}": ${(err as Error).message}`,
        {
          file: patch.origin?.file ?? file,
          line: patch.origin?.line,
          hint: 'the patch must name an object of the build by kind, name and namespace; or give the patch a target:',
        },
      );
    }
    applySmPatchToResource(target, patch);
  }
}

export function transformPatchesStrategicMerge(m: ResMap, paths: string[], ldr: Loader, kfile: string): void {
  if (paths.length === 0) return;
  const loaded: Resource[] = [];
  for (const p of paths) {
    let rs: Resource[] | undefined;
    // kustomize first reads the entry itself as patches: one that holds no document (empty,
    // blank, only comments) is nothing to apply, not a path
    if (/^(\s*(#.*)?(\n|$))*$/.test(p)) continue;
    if (p.includes('\n') || /^\s*[{[]/.test(p) || /^\s*\w+\s*:/.test(p)) {
      try {
        rs = smPatchesFromText(p, kfile);
      } catch {
        rs = undefined;
      }
    }
    loaded.push(...(rs ?? smPatchesFromText(ldr.load(p, kfile), ldr.display(p))));
  }
  if (loaded.length === 0)
    throw new SourceError('BAD_PATCH', `patch appears to be empty; files=[${paths.join(' ')}]`, {
      file: kfile,
    });
  for (const patch of loaded) {
    const target = m.getById(patch.orgId());
    applySmToSelected(m, new Set([target]), patch);
  }
}

export function transformPatchJson6902(m: ResMap, p: Patch, ldr: Loader, kfile: string): void {
  if (!p.target?.name) throw new SourceError('BAD_PATCH', 'must specify the target name', { file: kfile });
  const inline = p.patch ?? '';
  if (!p.path && !inline)
    throw new SourceError('BAD_PATCH', 'empty file path and empty jsonOp', { file: kfile });
  if (p.path && inline)
    throw new SourceError('BAD_PATCH', 'must specify a file path or jsonOp, not both', { file: kfile });
  const text = p.path ? ldr.load(p.path, kfile) : inline;
  const file = p.path ? ldr.display(p.path) : kfile;
  if (text === '')
    throw new SourceError('BAD_PATCH', `patch file '${p.path}' empty seems to be empty`, { file: kfile });
  const ops = jsonOpsFromText(text, file);
  if (ops.length === 0)
    throw new SourceError('BAD_PATCH', `patch appears to be empty; file=${p.path ?? ''}`, { file: kfile });
  applyJsonToSelected(m, p.target, ops, false, file);
}
