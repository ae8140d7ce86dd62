// Field specs: "which field of which kinds" a transformer touches (kustomize types.FieldSpec),
// and the walker that finds those fields in an object (api/filters/fieldspec): a path of map
// keys, descending into every element of a list it meets, optionally creating missing fields.
import { SourceError } from '../errors.ts';
import { isMap, type JsonMap, type JsonValue } from '../json.ts';
import { marshal } from '../yaml/goyaml2.ts';
import { type Gvk, gvkIsLessThan, gvkString, parseGroupVersion } from './resid.ts';
import { scalarText } from './resource.ts';

export type NodeKind = 'MappingNode' | 'SequenceNode' | 'ScalarNode';

/** The kind of yaml node a value is (null and every scalar: ScalarNode). */
export function nodeKind(v: JsonValue): NodeKind {
  if (Array.isArray(v)) return 'SequenceNode';
  if (isMap(v)) return 'MappingNode';
  return 'ScalarNode';
}

/** kyaml's ErrorIfInvalid message: the kinds, then "node contents:" and the node as YAML. */
export function wrongNodeKind(expected: NodeKind, v: JsonValue): string {
  const contents = isMap(v) || Array.isArray(v) ? marshal(v) : `${scalarText(v)}\n`;
  return `wrong node kind: expected ${expected} but got ${nodeKind(v)}: node contents:\n${contents}`;
}

export interface FieldSpec {
  group?: string;
  version?: string;
  kind?: string;
  path: string;
  create?: boolean;
}

/** A place in an object: read it, or replace it. */
export interface Slot {
  get(): JsonValue;
  set(v: JsonValue): void;
  /** The map holding the place and its key, when it is a map field (for its YAML text). */
  parent?: JsonMap;
  key?: string;
  /** The place did not exist: the path matcher made it (an untagged node in kyaml). */
  created?: boolean;
  /** The place is in a node no object holds (kyaml walked into a copy): what is set is lost. */
  lost?: boolean;
}

export function fsGvk(fs: FieldSpec): Gvk {
  return { group: fs.group ?? '', version: fs.version ?? '', kind: fs.kind ?? '' };
}

export function fieldSpecString(fs: FieldSpec): string {
  return `${gvkString(fsGvk(fs))}:${fs.create ?? false}:${fs.path}`;
}

/** kyaml PathSplitter: split on "/", where "\/" is a literal slash. */
const splitCache = new Map<string, string[]>();

/** Field paths are split many times per build; the pieces are cached (callers get a copy). */
export function splitPath(path: string, delimiter = '/'): string[] {
  const key = `${delimiter}\0${path}`;
  const hit = splitCache.get(key);
  if (hit) return hit.slice();
  const res = splitPathUncached(path, delimiter);
  splitCache.set(key, res);
  return res.slice();
}

function splitPathUncached(path: string, delimiter: string): string[] {
  let ps = path.split(delimiter);
  if (ps.length > 1 && ps[0] === '') ps = ps.slice(1);
  const res: string[] = [ps[0] as string];
  for (let i = 1; i < ps.length; i++) {
    const last = res.length - 1;
    if ((res[last] as string).endsWith('\\'))
      res[last] = `${(res[last] as string).slice(0, -1)}${delimiter}${ps[i]}`;
    else res.push(ps[i] as string);
  }
  return res;
}

export function matchesGvk(fs: FieldSpec, obj: JsonMap): boolean {
  if (fs.kind && fs.kind !== scalarText(obj.kind)) return false;
  const { group, version } = parseGroupVersion(scalarText(obj.apiVersion));
  if (fs.group && fs.group !== group) return false;
  if (fs.version && fs.version !== version) return false;
  return true;
}

export type CreateKind = 'map' | 'scalar' | 'seq' | undefined;

/**
 * Calls visit for every place the field spec names in obj. With fs.create and a createKind, a
 * missing last field is created ({} / '' / []), missing intermediate fields as maps.
 */
export function walkFieldSpec(
  obj: JsonMap,
  fs: FieldSpec,
  createKind: CreateKind,
  visit: (slot: Slot) => void,
  idForErrors?: string,
): void {
  if (!matchesGvk(fs, obj)) return;
  const path = splitPath(fs.path);
  const root: Slot = { get: () => obj, set: () => {} };
  try {
    walk(root, path, fs.create === true, createKind, visit);
  } catch (err) {
    if (err instanceof SourceError) throw err;
    throw new SourceError(
      'FIELD_SPEC',
      `considering field '${fs.path}' of object ${idForErrors ?? ''}: ${(err as Error).message}`,
    );
  }
}

function emptyOf(kind: CreateKind): JsonValue {
  if (kind === 'map') return {};
  if (kind === 'seq') return [];
  return '';
}

function walk(
  slot: Slot,
  path: string[],
  create: boolean,
  createKind: CreateKind,
  visit: (slot: Slot) => void,
): void {
  if (path.length === 0) {
    visit(slot);
    return;
  }
  const node = slot.get();
  if (node === null || node === undefined) return;
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) {
      const idx = i;
      walk(
        { get: () => node[idx] as JsonValue, set: (v) => (node[idx] = v) },
        path,
        create,
        createKind,
        visit,
      );
    }
    return;
  }
  if (!isMap(node)) throw new Error('expected sequence or mapping node');
  const head = path[0] as string;
  const isSeq = head.endsWith('[]');
  const field = isSeq ? head.slice(0, -2) : head;
  if (field === '') throw new Error('cannot set or create an empty field name');
  let kind: CreateKind;
  if (!create || createKind === undefined || isSeq) {
    if (!Object.hasOwn(node, field)) return;
    kind = isSeq ? 'seq' : undefined;
  } else {
    kind = path.length <= 1 ? createKind : 'map';
    if (!Object.hasOwn(node, field)) node[field] = emptyOf(kind);
  }
  // a null field becomes the kind it is created as
  if (node[field] === null && kind !== undefined) node[field] = emptyOf(kind);
  walk(
    { get: () => node[field] as JsonValue, set: (v) => (node[field] = v), parent: node, key: field },
    path.slice(1),
    create,
    createKind,
    visit,
  );
}

// ---- FsSlice (types/fieldspec.go) -------------------------------------------------------------

function effectivelyEquals(a: FieldSpec, b: FieldSpec): boolean {
  const sel = fsGvk(b);
  const x = fsGvk(a);
  if (sel.group && x.group !== sel.group) return false;
  if (sel.version && x.version !== sel.version) return false;
  if (sel.kind && x.kind !== sel.kind) return false;
  return a.path === b.path;
}

export function mergeOneFs(s: FieldSpec[], x: FieldSpec): FieldSpec[] {
  const i = s.findIndex((y) => effectivelyEquals(y, x));
  if (i > -1) {
    if ((s[i]?.create ?? false) !== (x.create ?? false))
      throw new SourceError('CONFIG', 'conflicting fieldspecs');
    return s;
  }
  return [...s, x];
}

const mergeCache = new WeakMap<FieldSpec[], WeakMap<FieldSpec[], FieldSpec[]>>();

/** Merges are repeated with the same default tables on every transformer: cached by identity. */
export function mergeAllFs(s: FieldSpec[], incoming: FieldSpec[]): FieldSpec[] {
  let inner = mergeCache.get(s);
  const hit = inner?.get(incoming);
  if (hit) return hit;
  const result = mergeAllFsUncached(s, incoming);
  if (!inner) {
    inner = new WeakMap();
    mergeCache.set(s, inner);
  }
  inner.set(incoming, result);
  return result;
}

function mergeAllFsUncached(s: FieldSpec[], incoming: FieldSpec[]): FieldSpec[] {
  let result = s;
  for (const x of incoming) result = mergeOneFs(result, x);
  return result;
}

export function sortFs(s: FieldSpec[]): FieldSpec[] {
  return stableSort(s, (a, b) => gvkIsLessThan(fsGvk(a), fsGvk(b)));
}

export function stableSort<T>(s: T[], less: (a: T, b: T) => boolean): T[] {
  return s
    .map((v, i) => ({ v, i }))
    .sort((a, b) => (less(a.v, b.v) ? -1 : less(b.v, a.v) ? 1 : a.i - b.i))
    .map((x) => x.v);
}
