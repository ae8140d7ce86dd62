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
  errorIfInvalid,
  field,
  fromNode,
  isEmptyMap,
  isMissingOrNull,
  isNilOrEmpty,
  isNull,
  type MapNode,
  type Node,
  plainScalar,
  setElement,
  textOf,
  toNode,
} from './node.ts';
import { isAssociative, mergeKeys, type PatchSchema, type SchemaNode } from './schema.ts';
import {
  appendList,
  elementSources,
  elementValues,
  mergeValues,
  primitiveValues,
  type Sources,
  validateKeys,
} from './smp-lists.ts';

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
