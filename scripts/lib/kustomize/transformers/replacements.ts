// Replacements (api/filters/replacement): copy a value from a source field (or a literal
// sourceValue) into target fields selected by id, labels and annotations, with delimiter/index
// options and optional creation. Targets keep their YAML type, as kyaml keeps the node's tag.

import { isScalar } from 'yaml';
import { SourceError } from '../../errors.ts';
import { deepClone, isMap, type JsonMap, type JsonValue, scalarTextOf } from '../../json.ts';
import type { Slot } from '../fieldspec.ts';
import type { Loader } from '../loader.ts';
import { type CreateKind, lookupPath, matchPath, smarterSplit } from '../pathmatch.ts';
import { idIsSelectedBy, idString, type ResId } from '../resid.ts';
import type { ResMap } from '../resmap.ts';
import { type Resource, scalarText } from '../resource.ts';
import { matchesSelector, type Selector, SelectorRegex } from '../selector.ts';
import {
  matchNodes,
  type NodeSlot,
  nodeOf,
  PathError,
  parseStructured,
  serialize,
  setScalarText,
} from '../structured.ts';
import { since58 } from '../version.ts';
import { plainTag, readYamlDocuments, resolvePlain, type V3Tag } from '../yaml-io.ts';

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

/**
 * What a replacement copies, as kyaml holds it: a node's text and tag (undefined for an untagged
 * node, as a sourceValue makes), or a map or list. Into a scalar target kyaml copies the text
 * alone and the target keeps its tag, so a source `2024-01-01` (a timestamp) reaches a string
 * target as "2024-01-01", an int target fails, and a target the replacement created (untagged)
 * reads the text afresh.
 */
interface SourceValue {
  text: string;
  tag?: V3Tag;
  collection?: JsonValue;
}

/** The tag of the scalar node at `slot` holding `v`, undefined for a node the path matcher made. */
function tagAt(slot: Slot, v: JsonValue): V3Tag | undefined {
  if (slot.created) return undefined;
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  const text = textAt(slot, v);
  if (typeof v === 'string') return text !== v && plainTag(text) === 'timestamp' ? 'timestamp' : 'str';
  return plainTag(text) === 'float' ? 'float' : 'int';
}

/** The YAML text of the scalar at `slot` (see scalarTextOf), as read when it is a map field. */
function textAt(slot: Slot, v: JsonValue): string {
  if (slot.created) return '';
  return slot.parent && slot.key !== undefined && slot.parent[slot.key] === v
    ? scalarTextOf(slot.parent, slot.key)
    : scalarText(v);
}

/**
 * go-yaml v3 decoding a scalar node of `tag` whose text is `text` (kustomize's output is decoded
 * so): an untagged node is resolved from its text, a tagged one must resolve to its tag (an int
 * is taken for a float), else the build fails as kustomize's does.
 */
function decodeAs(tag: V3Tag | undefined, text: string, where: string): JsonValue {
  if (tag === undefined) return resolvePlain(text);
  if (tag === 'str') return text;
  // go-yaml v3 tries a timestamp only for an untagged or !!timestamp node
  const plain = plainTag(text);
  const rtag = plain === 'timestamp' && tag !== 'timestamp' ? 'str' : plain;
  if (rtag !== tag && !(tag === 'float' && rtag === 'int'))
    throw new SourceError('BAD_REPLACEMENT', `yaml: cannot decode !!${rtag} \`${text}\` as a !!${tag}`, {
      hint: `a replacement copies the text of its source into ${where}, which keeps its type (${tag}); give a source of that type, or quote the target's value to make it a string`,
    });
  const v = resolvePlain(text);
  return tag === 'float' && typeof v === 'bigint' ? Number(v) : v;
}

function getReplacement(m: ResMap, r: JsonMap): SourceValue {
  if (r.sourceValue !== undefined && r.source !== undefined)
    throw new SourceError('BAD_REPLACEMENT', 'value and resource selectors are mutually exclusive');
  if (r.sourceValue !== undefined) {
    return { text: scalarText(r.sourceValue as JsonValue) };
  }
  const src = isMap(r.source) ? r.source : {};
  const sel = selectorId(src);
  const matches = m.list.filter((res) => resIds(res).some((id) => idIsSelectedBy(id, sel)));
  if (matches.length > 1)
    throw new SourceError('BAD_REPLACEMENT', `multiple matches for selector ${sourceString(src)}`);
  if (matches.length === 0)
    throw new SourceError('BAD_REPLACEMENT', `nothing selected by ${sourceString(src)}`);
  const fieldPath = typeof src.fieldPath === 'string' && src.fieldPath ? src.fieldPath : 'metadata.name';
  const obj = (matches[0] as Resource).obj;
  let slot: Slot | undefined;
  try {
    slot = lookupPath(obj, smarterSplit(fieldPath));
  } catch (e) {
    if (e instanceof SourceError && e.code === 'BAD_PATH')
      throw new SourceError('BAD_REPLACEMENT', `error looking up replacement source: ${e.message}`);
    throw e;
  }
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
  if (isMap(v) || Array.isArray(v)) {
    if (opts.delimiter)
      throw new SourceError('BAD_REPLACEMENT', 'delimiter option can only be used with scalar nodes');
    // a map or list node's text is empty
    return { text: '', collection: v };
  }
  const text = textAt(slot as Slot, v);
  const tag = tagAt(slot as Slot, v);
  if (!opts.delimiter) return { text, tag };
  const parts = text.split(opts.delimiter);
  const index = opts.index ?? 0;
  if (index >= parts.length || index < 0)
    throw new SourceError('BAD_REPLACEMENT', `options.index ${index} is out of bounds for value ${text}`);
  return { text: parts[index] as string, tag };
}

function applyToTargets(m: ResMap, value: SourceValue, targets: JsonValue[]): void {
  for (const t of targets) {
    if (!isMap(t) || !isMap(t.select))
      throw new SourceError('BAD_REPLACEMENT', 'target must specify resources to select');
    const select = t.select;
    const rejects = Array.isArray(t.reject) ? (t.reject.filter(isMap) as JsonMap[]) : [];
    const fieldPaths =
      Array.isArray(t.fieldPaths) && t.fieldPaths.length ? t.fieldPaths.map(String) : ['metadata.name'];
    const opts = (isMap(t.options) ? t.options : {}) as Options;
    // kustomize 5.8 (which Argo CD 3.5 bundles) matches target selectors as anchored regular
    // expressions, the namespace against the object's own namespace field (#5863); 5.7 matched
    // ids exactly (ResId.IsSelectedBy, "default" and no namespace alike)
    const matcher = since58() ? regexSelector : exactSelector;
    const selects = matcher(select);
    const rejectors = rejects.filter((rj) => !isEmptyId(selectorId(rj))).map(matcher);
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
      if (rejectors.some((r) => ids.some(r)) || !ids.some(selects)) continue;
      for (const fp of fieldPaths) copyValue(res, fp, value, opts);
    }
  }
}

/** A target selector of kustomize 5.8: anchored regular expressions (types.SelectorRegex). */
function regexSelector(sel: JsonMap): (id: ResId) => boolean {
  const re = new SelectorRegex(sel as Selector);
  return (id) => re.matchGvk(id) && re.matchName(id.name) && re.matchNamespace(id.namespace);
}

/** A target selector of kustomize 5.7: the id's fields equal (ResId.IsSelectedBy). */
function exactSelector(sel: JsonMap): (id: ResId) => boolean {
  const want = selectorId(sel);
  return (id) => idIsSelectedBy(id, want);
}

function copyValue(res: Resource, fp: string, source: SourceValue, opts: Options): void {
  const kind = opts.create
    ? isMap(source.collection)
      ? 'map'
      : Array.isArray(source.collection)
        ? 'seq'
        : 'scalar'
    : undefined;
  // kustomize 5.8 first tries the path as one into a string holding JSON or YAML (kustomize#5679)
  if (since58() && setInStructuredData(res, fp, source, kind)) return;
  const holder = { v: res.obj as JsonValue };
  const retrievalError = opts.create
    ? `unable to find or create field "${fp}" in replacement target`
    : `unable to find field "${fp}" in replacement target`;
  let slots: Slot[];
  try {
    slots = matchPath({ get: () => holder.v, set: (v) => (holder.v = v) }, smarterSplit(fp), kind);
  } catch (e) {
    if (e instanceof SourceError && e.code === 'BAD_PATH')
      throw new SourceError('BAD_REPLACEMENT', `${retrievalError}: ${e.message}`, {
        file: res.origin?.file,
        line: res.origin?.line,
      });
    throw e;
  }
  if (slots.length === 0)
    throw new SourceError('BAD_REPLACEMENT', retrievalError, {
      file: res.origin?.file,
      line: res.origin?.line,
    });
  const where = `${fp} of ${res.curId().kind} ${res.curId().name}`;
  for (const slot of slots) {
    // kyaml sets these in a node nothing holds, so nothing changes and nothing is checked
    if (slot.lost) continue;
    const target = slot.get();
    const scalarTarget = !isMap(target) && !Array.isArray(target);
    let { text, collection } = source;
    if (opts.delimiter) {
      if (!scalarTarget)
        throw new SourceError('BAD_REPLACEMENT', 'delimiter option can only be used with scalar nodes');
      const tv = textAt(slot, target).split(opts.delimiter);
      const index = opts.index ?? 0;
      if (index < 0) tv.unshift(text);
      else if (index >= tv.length) tv.push(text);
      else tv[index] = text;
      text = tv.join(opts.delimiter);
      collection = undefined;
    }
    // a scalar target keeps its tag and takes the text; any other takes the source's node
    if (scalarTarget) slot.set(decodeAs(tagAt(slot, target), text, where));
    else slot.set(collection !== undefined ? deepClone(collection) : decodeAs(source.tag, text, where));
  }
}

/**
 * kustomize 5.8's setValueInStructuredData: the first string field along the path whose text
 * parses as YAML holds the rest of the path; the value is set there and the text written back
 * (structured.ts). False where kustomize goes on with the plain path: no such field, the rest of
 * the path not found in it, or values encoding/json cannot write.
 */
function setInStructuredData(res: Resource, fp: string, source: SourceValue, create: CreateKind): boolean {
  const parts = smarterSplit(fp);
  for (let i = 1; i < parts.length; i++) {
    let slot: Slot | undefined;
    try {
      slot = lookupPath(res.obj, parts.slice(0, i));
    } catch (e) {
      if (e instanceof SourceError) continue;
      throw e;
    }
    const v = slot?.get();
    if (!slot || v === undefined || isMap(v) || Array.isArray(v)) continue;
    const text = textAt(slot, v);
    const parsed = parseStructured(text);
    if ('error' in parsed) continue;
    const root: NodeSlot = { get: () => parsed.root, set: (n) => (parsed.doc.contents = n as never) };
    let targets: NodeSlot[];
    try {
      targets = matchNodes(root, parts.slice(i), create);
    } catch (e) {
      if (e instanceof PathError) return false;
      throw e;
    }
    if (targets.length === 0) return false;
    for (const t of targets) {
      const n = t.get();
      if (isScalar(n)) setScalarText(n, source.text);
      else t.set(nodeOf(source.collection ?? resolvePlain(source.text), source.text));
    }
    const out = serialize(parsed.doc, text);
    if (out === undefined) return false;
    slot.set(out);
    return true;
  }
  return false;
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
    try {
      const value = getReplacement(m, r);
      applyToTargets(m, value, Array.isArray(r.targets) ? r.targets : []);
    } catch (e) {
      // a fault of the source or the targets: name the kustomization that declares the replacement
      if (e instanceof SourceError && e.file === undefined)
        throw new SourceError(e.code, e.message, { file: kfile, hint: e.hint, cause: e.cause });
      throw e;
    }
  }
}
