// kyaml's field paths used by replacements and vars: "spec.template.spec.containers.[name=app].image",
// "data.*", "spec.ports.0.port", with optional creation (kyaml/yaml/match.go PathMatcher).
import { SourceError } from '../errors.ts';
import { isMap, type JsonValue } from '../json.ts';
import type { Slot } from './fieldspec.ts';
import { splitPath } from './fieldspec.ts';
import { scalarText } from './resource.ts';

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

const isIdx = (p: string) => /^\+?\d+$/.test(p);
const isListIndex = (p: string) => p.startsWith('[') && p.endsWith(']');

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

export type CreateKind = 'scalar' | 'map' | 'seq' | undefined;

function partKind(next: string | undefined, create: CreateKind): CreateKind {
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
  walk(
    root,
    path.filter((p) => p.trim() !== '').map((p) => p.trim()),
    create,
    out,
  );
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
    if (!Array.isArray(node)) return;
    const idx = Number(head);
    if (node.length === idx && create) node.push(empty(partKind(rest[0], create)));
    if (node.length < idx + 1)
      throw new SourceError('BAD_PATH', `index ${idx} specified but only ${node.length} elements found`);
    walk({ get: () => node[idx] as JsonValue, set: (v) => (node[idx] = v) }, rest, create, out);
    return;
  }
  if (isListIndex(head)) {
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
    if (isMap(node)) {
      for (const k of Object.keys(node))
        walk({ get: () => node[k] as JsonValue, set: (v) => (node[k] = v) }, rest, create, out);
    } else if (Array.isArray(node)) {
      for (let i = 0; i < node.length; i++) {
        const idx = i;
        walk({ get: () => node[idx] as JsonValue, set: (v) => (node[idx] = v) }, rest, create, out);
      }
    }
    return;
  }
  if (!isMap(node)) return;
  if (!Object.hasOwn(node, head)) {
    if (!create) return;
    node[head] = empty(partKind(rest[0], create));
  }
  walk({ get: () => node[head] as JsonValue, set: (v) => (node[head] = v) }, rest, create, out);
}

/** kyaml Lookup: the first place a path names, without creating anything. */
export function lookupPath(root: JsonValue, path: string[]): Slot | undefined {
  const holder = { v: root };
  const res = matchPath({ get: () => holder.v, set: (v) => (holder.v = v) }, path);
  return res[0];
}
