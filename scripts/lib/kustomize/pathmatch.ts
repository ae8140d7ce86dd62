// kyaml's field paths used by replacements and vars: "spec.template.spec.containers.[name=app].image",
// "spec.containers.*.image", "spec.ports.0.port", with optional creation (kyaml/yaml/match.go
// PathMatcher), and kyaml's Lookup (PathGetter) for the value a replacement or var reads.
import { SourceError } from '../errors.ts';
import { isMap, type JsonValue, scalarTextOf } from '../json.ts';
import { nodeKind, type Slot, splitPath, wrongNodeKind } from './fieldspec.ts';
import { scalarText } from './resource.ts';
import { parseStructured, valueCopy } from './structured.ts';
import { since58 } from './version.ts';

/** SmarterPathSplitter: split on the delimiter, keeping "[a=b.c]" together. */
export function smarterSplit(path: string, delimiter = '.'): string[] {
  const split = splitPath(path, delimiter);
  const out: string[] = [];
  for (let i = 0; i < split.length; i++) {
    const elem = split[i] as string;
    if (elem.startsWith('[') && !elem.endsWith(']')) {
      const parts = [elem];
      while (i < split.length - 1) {
        i++;
        parts.push(split[i] as string);
        if ((split[i] as string).endsWith(']')) break;
      }
      const joined = parts.join(delimiter);
      out.push(joined.includes('=') ? joined : joined.replace(/^\[+|\]+$/g, ''));
    } else out.push(elem);
  }
  return out;
}

export const isIdx = (p: string) => /^\+?\d+$/.test(p);
export const isListIndex = (p: string) => p.startsWith('[') && p.endsWith(']');

function splitIndexNameValue(p: string): [string, string] {
  const elem = p.replace(/\]$/, '').replace(/^\[/, '');
  const i = elem.indexOf('=');
  if (i < 0)
    throw new SourceError(
      'BAD_PATH',
      'list path element must contain fieldName=fieldValue for element to match',
    );
  return [elem.slice(0, i), elem.slice(i + 1)];
}

/** The text kyaml compares when matching list elements: the scalar's YAML text. */
function elemText(v: JsonValue): string {
  if (v === null) return 'null';
  if (isMap(v) || Array.isArray(v)) return JSON.stringify(v);
  return scalarText(v);
}

/**
 * kyaml's ErrorIfInvalid: a path part met a node of another kind than it walks (an index or
 * `[k=v]` a map or scalar, a field a list or scalar). A null node passes.
 */
function checkKind(node: JsonValue | undefined, expected: 'MappingNode' | 'SequenceNode'): void {
  if (node === null || node === undefined || nodeKind(node) === expected) return;
  throw new SourceError('BAD_PATH', wrongNodeKind(expected, node).trimEnd());
}

export type CreateKind = 'scalar' | 'map' | 'seq' | undefined;

/** The kind a part the matcher creates takes: from the next part, or `create` for the last. */
export function partKind(next: string | undefined, create: CreateKind): CreateKind {
  if (next === undefined || next === '') return create;
  if (next === '-' || isIdx(next) || isListIndex(next)) return 'seq';
  return 'map';
}

function empty(kind: CreateKind): JsonValue {
  return kind === 'map' ? {} : kind === 'seq' ? [] : null;
}

/** Every place the path reaches from root (PathMatcher.Filter), creating parts when create is set. */
export function matchPath(root: Slot, path: string[], create?: CreateKind): Slot[] {
  const out: Slot[] = [];
  // kyaml walks the parts as split, untrimmed (its cleanPath is never called)
  walk(root, path, create, out);
  return out;
}

function walk(slot: Slot, path: string[], create: CreateKind, out: Slot[]): void {
  if (path.length === 0) {
    out.push(slot);
    return;
  }
  const head = path[0] as string;
  const rest = path.slice(1);
  const node = slot.get();
  if (isIdx(head)) {
    checkKind(node, 'SequenceNode');
    const idx = Number(head);
    if (!Array.isArray(node)) {
      // a null node has no elements
      if (node === null && !create)
        throw new SourceError('BAD_PATH', `index ${idx} specified but only 0 elements found`);
      return;
    }
    const created = node.length === idx && create !== undefined;
    if (created) node.push(empty(partKind(rest[0], create)));
    if (node.length < idx + 1)
      throw new SourceError('BAD_PATH', `index ${idx} specified but only ${node.length} elements found`);
    walk({ get: () => node[idx] as JsonValue, set: (v) => (node[idx] = v), created }, rest, create, out);
    return;
  }
  if (isListIndex(head)) {
    checkKind(node, 'SequenceNode');
    if (!Array.isArray(node)) return;
    const [field, pattern] = splitIndexNameValue(head);
    const re = new RegExp(pattern);
    const before = out.length;
    for (let i = 0; i < node.length; i++) {
      const el = node[i] as JsonValue;
      const idx = i;
      if (field === '') {
        if (re.test(elemText(el).trim()))
          out.push({ get: () => node[idx] as JsonValue, set: (v) => (node[idx] = v) });
      } else if (isMap(el) && Object.hasOwn(el, field) && el[field] !== undefined) {
        if (re.test(elemText(el[field] as JsonValue).trim()))
          walk({ get: () => node[idx] as JsonValue, set: (v) => (node[idx] = v) }, rest, create, out);
      }
    }
    if (out.length > before || !create) return;
    node.push(field === '' ? pattern : { [field]: pattern });
    walk(slot, path, create, out);
    return;
  }
  if (head === '*') {
    // every element of a list (a map's values are not matched: kyaml visits elements only)
    checkKind(node, 'SequenceNode');
    if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const idx = i;
        walk({ get: () => node[idx] as JsonValue, set: (v) => (node[idx] = v) }, rest, create, out);
      }
    }
    return;
  }
  if (head === '') {
    // a field with no name (FieldMatcher without Name): a scalar whose value is empty matches
    // itself, a null none, a collection is refused
    if (isMap(node) || Array.isArray(node))
      throw new SourceError('BAD_PATH', wrongNodeKind('ScalarNode', node).trimEnd());
    if (node !== null && scalarText(node) === '') walk(slot, rest, create, out);
    return;
  }
  checkKind(node, 'MappingNode');
  if (node === null && create !== undefined) {
    // kyaml sets the field on the null node, which keeps its kind and loses the field: the walk
    // goes on in a node nothing holds, and what is set there is lost
    const detached = { v: empty(partKind(rest[0], create)) };
    const found: Slot[] = [];
    walk({ get: () => detached.v, set: (v) => (detached.v = v), created: true }, rest, create, found);
    out.push(...found.map((f) => ({ ...f, lost: true })));
    return;
  }
  if (!isMap(node)) return;
  let created = false;
  if (!Object.hasOwn(node, head)) {
    if (!create) return;
    node[head] = empty(partKind(rest[0], create));
    created = true;
  }
  const child = node[head] as JsonValue;
  if (since58() && !created && rest.length > 0 && !isMap(child) && !Array.isArray(child)) {
    walkIntoText(scalarTextOf(node, head), rest, create, out);
    return;
  }
  walk(
    { get: () => node[head] as JsonValue, set: (v) => (node[head] = v), parent: node, key: head, created },
    rest,
    create,
    out,
  );
}

/**
 * kustomize 5.8's path matcher meeting a scalar with more of the path to go
 * (handleStructuredDataInScalar): it parses the scalar's text and goes on in that copy, so what is
 * found is set in the copy and lost; text that is not YAML fails with the parser's words, an
 * empty one is a node of no kind.
 */
function walkIntoText(text: string, path: string[], create: CreateKind, out: Slot[]): void {
  const parsed = parseStructured(text);
  if ('error' in parsed) throw new SourceError('BAD_PATH', `yaml: ${parsed.error}`);
  if (parsed.root === null) {
    const head = path[0] as string;
    const want = isIdx(head) || isListIndex(head) || head === '*' ? 'SequenceNode' : 'MappingNode';
    throw new SourceError('BAD_PATH', `wrong node kind: expected ${want} but got : node contents:\nnull`);
  }
  const copy = { v: valueCopy(parsed.root) };
  const found: Slot[] = [];
  walk({ get: () => copy.v, set: (v) => (copy.v = v) }, path, create, found);
  out.push(...found.map((f) => ({ ...f, lost: true })));
}

/**
 * kyaml Lookup (PathGetter without creating): the place a path names, or undefined when a part is
 * missing or null. A number is an index (out of range: missing), `-` the last element, `[k=v]` the
 * first element whose field k (or, for `[=v]`, whose own value) reads exactly v, any other part a
 * field; a part meeting a node of another kind fails (checkKind), and `*` is refused.
 */
export function lookupPath(root: JsonValue, path: string[]): Slot | undefined {
  const holder = { v: root };
  let slot: Slot = { get: () => holder.v, set: (v) => (holder.v = v) };
  for (const part of path.map((p) => p.trim()).filter((p) => p !== '')) {
    const node = slot.get();
    if (/^[-+]?[0-9]+$/.test(part)) {
      const idx = Number(part);
      if (idx < 0) throw new SourceError('BAD_PATH', `array index ${idx} cannot be negative`);
      checkKind(node, 'SequenceNode');
      if (!Array.isArray(node) || idx >= node.length) return undefined;
      slot = { get: () => node[idx] as JsonValue, set: (v) => (node[idx] = v) };
    } else if (part === '-') {
      checkKind(node, 'SequenceNode');
      if (!Array.isArray(node) || node.length === 0) return undefined;
      const last = node.length - 1;
      slot = { get: () => node[last] as JsonValue, set: (v) => (node[last] = v) };
    } else if (part === '*') {
      throw new SourceError('BAD_PATH', 'wildcard is not supported in PathGetter');
    } else if (isListIndex(part)) {
      checkKind(node, 'SequenceNode');
      if (!Array.isArray(node)) return undefined;
      const [field, value] = splitIndexNameValue(part);
      const idx = node.findIndex((el) =>
        field === ''
          ? !isMap(el) && !Array.isArray(el) && elemText(el) === value
          : isMap(el) &&
            Object.hasOwn(el, field) &&
            !isMap(el[field]) &&
            !Array.isArray(el[field]) &&
            el[field] !== null &&
            scalarTextOf(el, field) === value,
      );
      if (idx < 0) return undefined;
      slot = { get: () => node[idx] as JsonValue, set: (v) => (node[idx] = v) };
    } else {
      checkKind(node, 'MappingNode');
      if (!isMap(node) || !Object.hasOwn(node, part)) return undefined;
      slot = { get: () => node[part] as JsonValue, set: (v) => (node[part] = v), parent: node, key: part };
    }
    const v = slot.get();
    if (v === null || v === undefined) return undefined;
  }
  return slot;
}
