// A mutable YAML-node model for the strategic merge: kyaml merges go-yaml nodes in place and
// compares list keys by their scalar text, so the port works on nodes with the same identity
// and text rules, then converts back to plain values. Also the kyaml list helpers the merge
// uses (ElementSetter, ElementMatcher, FieldMatcher), with their quirks kept.

import { stringify } from 'yaml';
import { SourceError } from '../../errors.ts';
import { isMap, type JsonScalar, type JsonValue, markScalarText, scalarTextOf } from '../../json.ts';
import { resolvePlain } from '../yaml-io.ts';

export type Node = MapNode | SeqNode | ScalarNode;
export interface MapNode {
  kind: 'map';
  entries: { key: string; value: Node }[];
}
export interface SeqNode {
  kind: 'seq';
  items: Node[];
}
export interface ScalarNode {
  kind: 'scalar';
  value: JsonScalar;
  /** go-yaml's Node.Value: the scalar's text, which kyaml compares. */
  text: string;
  /** kyaml's ShouldKeep: a null the merge must not turn into a deletion. */
  keep?: boolean;
}

export function toNode(v: JsonValue): Node {
  if (Array.isArray(v)) return { kind: 'seq', items: v.map(toNode) };
  if (isMap(v))
    return {
      kind: 'map',
      entries: Object.entries(v).map(([key, x]) => ({
        key,
        // a scalar keeps its YAML text: empty, `~`, `0x1F`...
        value:
          x === null || typeof x !== 'object'
            ? { kind: 'scalar', value: x, text: scalarTextOf(v, key) }
            : toNode(x),
      })),
    };
  return scalar(v);
}

export function scalar(v: JsonScalar): ScalarNode {
  return { kind: 'scalar', value: v, text: v === null ? 'null' : String(v) };
}

/** kyaml NewScalarRNode(text): an untagged scalar, read back as go-yaml resolves plain text. */
export function plainScalar(text: string): ScalarNode {
  return { kind: 'scalar', value: resolvePlain(text) as JsonScalar, text };
}

export function fromNode(n: Node): JsonValue {
  if (n.kind === 'seq') return n.items.map(fromNode);
  if (n.kind === 'map') {
    const out: Record<string, JsonValue> = {};
    for (const e of n.entries) {
      out[e.key] = fromNode(e.value);
      if (e.value.kind === 'scalar') markScalarText(out, e.key, e.value.text);
    }
    return out;
  }
  return n.value;
}

export function isNull(n: Node | undefined): boolean {
  return n !== undefined && n.kind === 'scalar' && n.value === null;
}

/** kyaml IsMissingOrNull. */
export function isMissingOrNull(n: Node | undefined): boolean {
  return n === undefined || isNull(n);
}

/** kyaml IsEmptyMap: missing, null or a map without fields. */
export function isEmptyMap(n: Node | undefined): boolean {
  return isMissingOrNull(n) || (n?.kind === 'map' && n.entries.length === 0);
}

/** kyaml IsNilOrEmpty of a field value: missing, null, empty map or empty list. */
export function isNilOrEmpty(n: Node | undefined): boolean {
  return isEmptyMap(n) || (n?.kind === 'seq' && n.items.length === 0);
}

/** go-yaml Node.Value: the text of a scalar, empty for maps and lists. */
export function textOf(n: Node | undefined): string {
  return n?.kind === 'scalar' ? n.text : '';
}

/** rn.Field(name): the value of a map's field; undefined for other kinds. */
export function field(n: Node | undefined, name: string): Node | undefined {
  if (n?.kind !== 'map') return undefined;
  return n.entries.find((e) => e.key === name)?.value;
}

export function clearField(n: MapNode, name: string): void {
  const i = n.entries.findIndex((e) => e.key === name);
  if (i >= 0) n.entries.splice(i, 1);
}

const KIND_NAMES = { map: 'MappingNode', seq: 'SequenceNode', scalar: 'ScalarNode' } as const;

/** kyaml ErrorIfInvalid: a null or missing node passes, any other kind mismatch is an error. */
export function errorIfInvalid(n: Node | undefined, kind: Node['kind']): void {
  if (n === undefined || isMissingOrNull(n) || n.kind === kind) return;
  const contents = stringify(fromNode(n), null, {
    collectionStyle: n.kind === 'seq' ? 'flow' : 'block',
  }).trimEnd();
  const message = `wrong node kind: expected ${KIND_NAMES[kind]} but got ${KIND_NAMES[n.kind]}: node contents:\n${contents}`;
  throw new SourceError('SMP_NODE_KIND', message, {
    hint: 'the patch gives a field a different shape (map, list or scalar) than the resource has',
  });
}

/** kyaml FieldMatcher{Name, StringValue}: the field's value when present (and equal, if a value is given). */
export function matchField(n: Node | undefined, name: string, value: string): Node | undefined {
  if (isMissingOrNull(n)) return undefined;
  if (name === '') {
    errorIfInvalid(n, 'scalar');
    return textOf(n) === value ? n : undefined;
  }
  errorIfInvalid(n, 'map');
  const v = field(n, name);
  if (v === undefined) return undefined;
  return value === '' || textOf(v) === value ? v : undefined;
}

/** kyaml MatchElementList: the first element whose keys all have the given texts. */
export function elementList(list: Node, keys: string[], values: string[]): Node | undefined {
  if (list.kind !== 'seq') return undefined;
  const ks = keys.length ? keys : [''];
  const vs = values.length ? values : [''];
  if (ks[0] === '') return list.items.find((x) => textOf(x) === vs[0]);
  for (const elem of list.items) {
    if (elem.kind !== 'map') continue;
    if (ks.every((k, i) => elem.entries.some((e) => e.key === k && textOf(e.value) === vs[i]))) return elem;
  }
  return undefined;
}

/**
 * kyaml ElementSetter: drops null and empty-map elements, replaces every element matching the
 * keys by `element` (or removes them when it is undefined), else appends `element`.
 */
export function setElement(list: Node, keys: string[], values: string[], element?: Node): void {
  const ks = keys.length ? keys : [''];
  errorIfInvalid(list, 'seq');
  if (list.kind !== 'seq') return;
  const mappingSetter = ks[0] !== '' && values.length > 0 && values[0] !== '';
  const out: Node[] = [];
  let matched = false;
  for (const elem of list.items) {
    if (isEmptyMap(elem)) continue;
    if (elem.kind !== 'map' && mappingSetter) {
      out.push(elem);
      continue;
    }
    let val: Node | undefined;
    let found = true;
    for (let j = 0; j < ks.length; j++) {
      if (j < values.length) val = matchField(elem, ks[j] as string, values[j] as string);
      if (val === undefined) {
        found = false;
        break;
      }
    }
    if (!found) {
      if (values.length > 0) out.push(elem);
      continue;
    }
    matched = true;
    if (element !== undefined) out.push(element);
  }
  list.items = out;
  if (element === undefined || isMissingOrNull(element)) return;
  if (!matched) list.items.push(element);
}
