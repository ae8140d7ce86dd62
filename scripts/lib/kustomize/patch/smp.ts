// Strategic merge patch as kustomize applies it: kyaml merge2.Merge(patch, resource) with
// ListIncreaseDirection=prepend (api/filters/patchstrategicmerge). A port of kyaml's walker
// (yaml/walk: walk.go, map.go, associative_sequence.go) and merge2's visitor, in the same order
// of steps, because the output order and the odd corners (`$patch` elision, null handling,
// elements without a merge key) follow from that order. kyaml ignores the apimachinery-only
// directives ($setElementOrder, $retainKeys, $deleteFromPrimitiveList): they merge as fields.
import type { JsonMap } from '../../json.ts';
import { directive } from './directive.ts';
import {
  clearField,
  elementList,
  errorIfInvalid,
  field,
  fromNode,
  isEmptyMap,
  isMissingOrNull,
  isNilOrEmpty,
  isNull,
  type MapNode,
  matchField,
  type Node,
  plainScalar,
  setElement,
  textOf,
  toNode,
} from './node.ts';
import { isAssociative, mergeKeys, type PatchSchema, type SchemaNode } from './schema.ts';

/** Sources of one walk step: [dest (the resource), origin (the patch)], either may be missing. */
type Sources = [Node | undefined, Node | undefined];

/**
 * Merges `patch` into `target`; returns the new object, or null when the patch deletes it
 * (`$patch: delete` at the top). Neither argument is modified.
 */
export function strategicMerge(
  target: JsonMap,
  patch: JsonMap,
  schema: PatchSchema | undefined,
): JsonMap | null {
  const walker = new Walker(schema);
  const out = walker.walk([toNode(target), toNode(patch)], undefined);
  if (out === undefined || out.kind !== 'map') return null;
  return fromNode(out) as JsonMap;
}

class Walker {
  constructor(private readonly schemas: PatchSchema | undefined) {}

  walk(sources: Sources, given: SchemaNode | undefined): Node | undefined {
    const schema = this.schemaOf(sources, given);
    const kind = sources.find((s) => !isMissingOrNull(s))?.kind;
    for (const s of sources) errorIfInvalid(s, kind ?? 'map');
    if (kind === 'seq') {
      if (schema !== undefined && isAssociative(schema)) return this.walkAssociativeList(sources, schema);
      return sources[1] ?? sources[0];
    }
    if (kind === 'scalar') return sources[1] ?? sources[0];
    return this.walkMap(sources, schema);
  }

  /** walk.GetSchema: the schema handed down, else the schema of the node's own apiVersion/kind. */
  private schemaOf(sources: Sources, given: SchemaNode | undefined): SchemaNode | undefined {
    if (given !== undefined || this.schemas === undefined) return given;
    for (const s of sources) {
      if (s === undefined || isMissingOrNull(s)) continue;
      const apiVersion = metaText(s, 'apiVersion');
      const kind = metaText(s, 'kind');
      if (!apiVersion || !kind) continue;
      const found = this.schemas.forResource(apiVersion, kind);
      if (found) return found;
    }
    return undefined;
  }

  private walkMap(sources: Sources, schema: SchemaNode | undefined): Node | undefined {
    const dest = visitMap(sources);
    sources[0] = dest;
    if (dest === undefined) return undefined;
    const names = new Set<string>();
    for (const s of sources) if (s?.kind === 'map') for (const e of s.entries) names.add(e.key);
    for (const key of [...names].sort(compareGo)) {
      const child: Sources = [field(sources[0], key), field(sources[1], key)];
      const val = this.walk(child, schema?.field(key));
      if (dest.kind === 'map') setField(dest, key, val);
    }
    return dest;
  }

  private walkAssociativeList(sources: Sources, schema: SchemaNode): Node | undefined {
    const dest = visitAssociativeList(sources);
    sources[0] = dest;
    if (dest === undefined) return undefined;
    const keys = mergeKeys(schema);
    const values = elementValues(sources, keys);
    if (values.length > 0 || keys.length > 0) return this.setElements(sources, values, keys, dest, schema);
    return this.setElements(sources, primitiveValues(sources), [''], dest, schema);
  }

  /** setAssociativeSequenceElements: merge element by element, patch order first. */
  private setElements(
    sources: Sources,
    valuesList: string[][],
    keys: string[],
    dest: Node,
    schema: SchemaNode,
  ): Node | undefined {
    const added: Node = { kind: 'seq', items: [] };
    const elemSchema = schema.isArray ? schema.elements() : undefined;
    if (keys.length > 1) mergeValues(valuesList);
    let validKeys: string[] = [];
    let validValues: string[] = [];
    for (const values of valuesList) {
      if (values.length === 0) continue;
      [validKeys, validValues] = validateKeys(valuesList, values, keys);
      const val = this.walk(elementSources(sources, validKeys, validValues), elemSchema);
      let removed = false;
      for (const [i, key] of validKeys.entries()) {
        if (isEmptyMap(val)) {
          setElement(dest, validKeys, validValues);
          removed = true;
        } else if (field(val, key) === undefined && validValues[i] !== '') {
          setElementKey(val as Node, key, validValues[i] as string);
        }
      }
      if (removed) continue;
      setElement(added, validKeys, validValues, val);
    }
    let out: Node = dest;
    if (valuesList.length > 0) out = appendList(added, dest, validKeys);
    return isMissingOrNull(out) ? undefined : out;
  }
}

/** merge2 VisitMap. */
function visitMap(sources: Sources): Node | undefined {
  const [dest, origin] = sources;
  if (isMissingOrNull(dest)) {
    const ps = directive(origin, true);
    if (ps === 'delete') return undefined;
    // a `key: null` the patch does not touch stays (kyaml MakePersistentNullNode)
    if (origin === undefined && dest?.kind === 'scalar' && dest.text.length > 0)
      return { ...dest, keep: true };
    return origin;
  }
  if (isNull(origin)) return undefined;
  const ps = directive(origin, false);
  if (ps === 'delete') return undefined;
  if (ps === 'replace') return origin;
  return dest;
}

/** merge2 VisitList for an associative list. */
function visitAssociativeList(sources: Sources): Node | undefined {
  const [dest, origin] = sources;
  if (isMissingOrNull(dest)) return origin;
  if (isNull(origin)) return undefined;
  const ps = directive(origin, false);
  if (ps === 'delete') return undefined;
  if (ps === 'replace') return origin;
  return dest;
}

/** yaml.FieldSetter: a missing or null value clears the field; an existing field keeps its place. */
function setField(dest: MapNode, key: string, val: Node | undefined): void {
  if (val === undefined || (isNull(val) && !(val.kind === 'scalar' && val.keep))) {
    clearField(dest, key);
    return;
  }
  const entry = dest.entries.find((e) => e.key === key);
  if (entry) entry.value = val;
  else dest.entries.push({ key, value: val });
}

/** SetField(key, NewScalarRNode(value)) on a merged element that lacks its key. */
function setElementKey(val: Node, key: string, value: string): void {
  if (key === '') {
    errorIfInvalid(val, 'scalar');
    return; // same text, same style: the printed scalar does not change
  }
  errorIfInvalid(val, 'map');
  if (val.kind === 'map') setField(val, key, plainScalar(value));
}

/** The text of a top-level apiVersion or kind field, as GetMeta reads it. */
function metaText(n: Node, name: string): string {
  const v = field(n, name);
  return isNilOrEmpty(v) ? '' : textOf(v);
}

/** Go's sort.Strings: byte order of the UTF-8 encoding. */
function compareGo(a: string, b: string): number {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return Buffer.compare(x, y);
}

/** elementValues with prepend: the key texts of each element, patch elements first, no repeats. */
function elementValues(sources: Sources, keys: string[]): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const src of [sources[1], sources[0]]) {
    if (src === undefined || src.kind !== 'seq') continue;
    for (const elem of src.items) {
      const values = keys.map((k) => {
        const v = field(elem, k);
        return isNilOrEmpty(v) ? '' : textOf(v);
      });
      const id = JSON.stringify(values);
      if (values.length === 0 || seen.has(id)) continue;
      out.push(values);
      seen.add(id);
    }
  }
  return out;
}

/** elementPrimitiveValues with prepend: each distinct element text, patch first. */
function primitiveValues(sources: Sources): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const src of [sources[1], sources[0]]) {
    if (src === undefined || src.kind !== 'seq') continue;
    for (const item of src.items) {
      const t = textOf(item);
      if (seen.has(t)) continue;
      out.push([t]);
      seen.add(t);
    }
  }
  return out;
}

/** The keys some element has a value for (all keys if none has); values kept in step. */
function validateKeys(valuesList: string[][], values: string[], keys: string[]): [string[], string[]] {
  const valid = new Set<string>();
  for (const vs of valuesList) for (const [i, v] of vs.entries()) if (v !== '') valid.add(keys[i] as string);
  if (valid.size === 0) return [keys, values];
  const validKeys = keys.filter((k) => valid.has(k));
  const validValues = values.filter((v, i) => v !== '' || valid.has(keys[i] as string));
  return [validKeys, validValues];
}

/** mergeValues: entries that agree on every key both have a value for are unified (in place). */
function mergeValues(valuesList: string[][]): void {
  for (let i = 0; i < valuesList.length; i++) {
    const values1 = valuesList[i] as string[];
    for (let j = 0; j < valuesList.length; j++) {
      const merged = matchValues(values1, valuesList[j] as string[]);
      if (merged) {
        valuesList[i] = merged;
        valuesList[j] = merged;
      }
    }
  }
}

function matchValues(a: string[], b: string[]): string[] | undefined {
  if (a.length !== b.length) return undefined;
  let common = false;
  const out: string[] = [];
  for (const [i, x] of a.entries()) {
    const y = b[i] as string;
    if (x === y) {
      common = true;
      out.push(x);
    } else if (x !== '' && y !== '') {
      return undefined;
    } else {
      out.push(x !== '' ? x : y);
    }
  }
  return common ? out : undefined;
}

/** elementValueList: the element with these key values in each source. */
function elementSources(sources: Sources, keys: string[], values: string[]): Sources {
  const [ks, vs] = validateKeys([values], values, keys);
  const pick = (s: Node | undefined) => (s === undefined ? undefined : elementList(s, ks, vs));
  return [pick(sources[0]), pick(sources[1])];
}

/** appendListNode(dst, src): set each src element into dst by its keys (kyaml's prepend order). */
function appendList(dst: Node, src: Node, keys: string[]): Node {
  if (src.kind !== 'seq') return dst;
  for (const elem of [...src.items]) {
    if (keys[0] === '' || keys.length === 0) {
      setElement(dst, [''], [textOf(elem)], elem);
      continue;
    }
    const v: string[] = [];
    for (const key of keys) {
      const valueNode = matchField(elem, key, '');
      if (valueNode === undefined) {
        if (dst.kind === 'seq') dst.items.push(elem);
        continue;
      }
      v.push(textOf(valueNode));
    }
    if (keys.length > 1) setElement(dst, keys, v);
    setElement(dst, keys, v, elem);
  }
  return dst;
}
