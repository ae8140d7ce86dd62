// Replacements (api/filters/replacement): copy a value from a source field (or a literal
// sourceValue) into target fields selected by id, labels and annotations, with delimiter/index
// options and optional creation. Targets keep their YAML type, as kyaml keeps the node's tag.
import { SourceError } from '../../errors.ts';
import { deepClone, isMap, type JsonMap, type JsonValue } from '../../json.ts';
import type { Loader } from '../loader.ts';
import { lookupPath, matchPath, smarterSplit } from '../pathmatch.ts';
import { idIsSelectedBy, idString, type ResId } from '../resid.ts';
import type { ResMap } from '../resmap.ts';
import { type Resource, scalarText } from '../resource.ts';
import { matchesSelector, type Selector, SelectorRegex } from '../selector.ts';
import { readYamlDocuments, resolvePlain } from '../yaml-io.ts';

interface Options {
  delimiter?: string;
  index?: number;
  encoding?: string;
  create?: boolean;
}

function selectorId(s: JsonValue | undefined): ResId {
  const m = isMap(s) ? s : {};
  return {
    group: scalarText(m.group),
    version: scalarText(m.version),
    kind: scalarText(m.kind),
    name: scalarText(m.name),
    namespace: scalarText(m.namespace),
  };
}

/** types.SourceSelector's String(): the id, then the field path and options as written, joined by ':'. */
function sourceString(src: JsonMap): string {
  const parts = [idString(selectorId(src))];
  if (typeof src.fieldPath === 'string' && src.fieldPath) parts.push(src.fieldPath);
  const o = (isMap(src.options) ? src.options : {}) as Options;
  if (o.delimiter || o.create)
    parts.push(`${o.delimiter ?? ''}(${o.index ?? 0}), create=${o.create === true}`);
  return parts.join(':');
}

function resIds(r: Resource): ResId[] {
  return [r.curId(), ...r.prevIds()];
}

function isEmptyId(id: ResId): boolean {
  return !id.group && !id.version && !id.kind && !id.name && !id.namespace;
}

/** Resolves `replacements:` entries, loading `path:` entries from files. */
export function loadReplacements(entries: JsonMap[], ldr: Loader, kfile: string): JsonMap[] {
  const out: JsonMap[] = [];
  for (const r of entries) {
    if (!isMap(r))
      throw new SourceError('BAD_REPLACEMENT', 'each replacement must be a map', { file: kfile });
    if (typeof r.path === 'string' && r.path) {
      if (r.source !== undefined || (Array.isArray(r.targets) && r.targets.length)) {
        throw new SourceError('BAD_REPLACEMENT', 'cannot specify both path and inline replacement', {
          file: kfile,
        });
      }
      const file = ldr.display(r.path);
      const v = readYamlDocuments(ldr.load(r.path, kfile), file)[0]?.value ?? null;
      if (Array.isArray(v)) out.push(...(v.filter(isMap) as JsonMap[]));
      else if (isMap(v)) out.push(v);
      else
        throw new SourceError(
          'BAD_REPLACEMENT',
          'unsupported replacement type encountered within replacement path',
          { file },
        );
    } else out.push(r);
  }
  return out;
}

function getReplacement(m: ResMap, r: JsonMap): JsonValue {
  if (r.sourceValue !== undefined && r.source !== undefined)
    throw new SourceError('BAD_REPLACEMENT', 'value and resource selectors are mutually exclusive');
  if (r.sourceValue !== undefined) return resolvePlain(scalarText(r.sourceValue as JsonValue));
  const src = isMap(r.source) ? r.source : {};
  const sel = selectorId(src);
  const matches = m.list.filter((res) => resIds(res).some((id) => idIsSelectedBy(id, sel)));
  if (matches.length > 1)
    throw new SourceError('BAD_REPLACEMENT', `multiple matches for selector ${sourceString(src)}`);
  if (matches.length === 0)
    throw new SourceError('BAD_REPLACEMENT', `nothing selected by ${sourceString(src)}`);
  const fieldPath = typeof src.fieldPath === 'string' && src.fieldPath ? src.fieldPath : 'metadata.name';
  const slot = lookupPath((matches[0] as Resource).obj, smarterSplit(fieldPath));
  const v = slot?.get();
  if (
    v === undefined ||
    v === null ||
    (isMap(v) && Object.keys(v).length === 0) ||
    (Array.isArray(v) && v.length === 0)
  ) {
    throw new SourceError(
      'BAD_REPLACEMENT',
      `fieldPath \`${fieldPath}\` is missing for replacement source ${idString(sel)}`,
    );
  }
  const opts = (isMap(src.options) ? src.options : {}) as Options;
  if (!opts.delimiter) return deepClone(v);
  if (isMap(v) || Array.isArray(v))
    throw new SourceError('BAD_REPLACEMENT', 'delimiter option can only be used with scalar nodes');
  const parts = scalarText(v).split(opts.delimiter);
  const index = opts.index ?? 0;
  if (index >= parts.length || index < 0)
    throw new SourceError(
      'BAD_REPLACEMENT',
      `options.index ${index} is out of bounds for value ${scalarText(v)}`,
    );
  return retype(v, parts[index] as string);
}

/** A scalar's new text under the type it already has (kyaml sets Value and keeps the tag). */
function retype(target: JsonValue, text: string): JsonValue {
  if (typeof target === 'string') return text;
  if (typeof target === 'number' || typeof target === 'bigint') {
    if (/^[-+]?\d+$/.test(text)) {
      const n = Number(text);
      return Number.isSafeInteger(n) ? n : BigInt(text);
    }
    const f = Number(text);
    return Number.isNaN(f) ? text : f;
  }
  if (typeof target === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

function applyToTargets(m: ResMap, value: JsonValue, targets: JsonValue[]): void {
  for (const t of targets) {
    if (!isMap(t) || !isMap(t.select))
      throw new SourceError('BAD_REPLACEMENT', 'target must specify resources to select');
    const select = t.select;
    const rejects = Array.isArray(t.reject) ? (t.reject.filter(isMap) as JsonMap[]) : [];
    const fieldPaths =
      Array.isArray(t.fieldPaths) && t.fieldPaths.length ? t.fieldPaths.map(String) : ['metadata.name'];
    const opts = (isMap(t.options) ? t.options : {}) as Options;
    // kustomize 5.8 (which Argo CD 3.5 bundles) matches target selectors as anchored regular
    // expressions, the namespace against the object's own namespace field (#5863).
    const selectRe = new SelectorRegex(select as Selector);
    const rejectRes = rejects.map((rj) => ({
      empty: isEmptyId(selectorId(rj)),
      re: new SelectorRegex(rj as Selector),
    }));
    const selects = (id: ResId) =>
      selectRe.matchGvk(id) && selectRe.matchName(id.name) && selectRe.matchNamespace(id.namespace);
    for (const res of m.list) {
      if (
        !matchesSelector(
          scalarText(select.annotationSelector as JsonValue) || undefined,
          res.getAnnotations(),
        )
      )
        continue;
      if (!matchesSelector(scalarText(select.labelSelector as JsonValue) || undefined, res.getLabels()))
        continue;
      const rejectedByLabels = rejects.some((rj) => {
        const a = scalarText(rj.annotationSelector as JsonValue);
        const l = scalarText(rj.labelSelector as JsonValue);
        if (!a && !l) return false;
        return (
          matchesSelector(a || undefined, res.getAnnotations()) &&
          matchesSelector(l || undefined, res.getLabels())
        );
      });
      if (rejectedByLabels) continue;
      const ids = resIds(res);
      const rejected = rejectRes.some(
        (r) =>
          !r.empty &&
          ids.some((id) => r.re.matchGvk(id) && r.re.matchName(id.name) && r.re.matchNamespace(id.namespace)),
      );
      if (rejected || !ids.some(selects)) continue;
      for (const fp of fieldPaths) copyValue(res, fp, value, opts);
    }
  }
}

function copyValue(res: Resource, fp: string, value: JsonValue, opts: Options): void {
  const kind = opts.create ? (isMap(value) ? 'map' : Array.isArray(value) ? 'seq' : 'scalar') : undefined;
  const holder = { v: res.obj as JsonValue };
  const slots = matchPath({ get: () => holder.v, set: (v) => (holder.v = v) }, smarterSplit(fp), kind);
  if (slots.length === 0) {
    throw new SourceError(
      'BAD_REPLACEMENT',
      opts.create
        ? `unable to find or create field "${fp}" in replacement target`
        : `unable to find field "${fp}" in replacement target`,
      {
        file: res.origin?.file,
        line: res.origin?.line,
      },
    );
  }
  for (const slot of slots) {
    let v = deepClone(value);
    const target = slot.get();
    if (opts.delimiter) {
      if (isMap(target) || Array.isArray(target))
        throw new SourceError('BAD_REPLACEMENT', 'delimiter option can only be used with scalar nodes');
      const tv = scalarText(target).split(opts.delimiter);
      const s = scalarText(v);
      const index = opts.index ?? 0;
      if (index < 0) tv.unshift(s);
      else if (index >= tv.length) tv.push(s);
      else tv[index] = s;
      v = tv.join(opts.delimiter);
    }
    if (
      target !== null &&
      target !== undefined &&
      !isMap(target) &&
      !Array.isArray(target) &&
      !isMap(v) &&
      !Array.isArray(v)
    ) {
      slot.set(retype(target, scalarText(v)));
    } else slot.set(v);
  }
}

export function transformReplacements(m: ResMap, entries: JsonMap[], ldr: Loader, kfile: string): void {
  for (const r of loadReplacements(entries, ldr, kfile)) {
    if (
      (r.sourceValue === undefined && r.source === undefined) ||
      r.targets === undefined ||
      r.targets === null
    ) {
      throw new SourceError('BAD_REPLACEMENT', 'replacements must specify a source and at least one target', {
        file: kfile,
      });
    }
    const value = getReplacement(m, r);
    applyToTargets(m, value, Array.isArray(r.targets) ? r.targets : []);
  }
}
