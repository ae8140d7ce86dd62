// JSON 6902 patches as kustomize applies them: gopkg.in/evanphx/json-patch.v4 v4.12.0
// (api/filters/patchjson6902), ported rather than taken from a library because its quirks are
// visible in builds: `replace` of a missing object key adds it, negative array indices count
// from the end, `test` compares strictly both ways, a missing or null value is written as
// null, and the error texts are the ones users search for. The result is re-read by kyaml from
// Go's JSON encoding, so its object keys come out sorted.
import { SourceError } from '../../errors.ts';
import { deepClone, deepEqual, isMap, type JsonMap, type JsonValue } from '../../json.ts';

type Container = JsonMap | JsonValue[];
type Op = JsonMap;

/** Applies a list of JSON 6902 operations to a copy of `target`; throws SourceError JSON_PATCH. */
export function applyJson6902(target: JsonValue, ops: JsonValue): JsonValue {
  if (!Array.isArray(ops))
    throw fail(`json: cannot unmarshal ${goType(ops)} into Go value of type jsonpatch.Patch`);
  for (const op of ops) {
    if (op !== null && !isMap(op))
      throw fail(`json: cannot unmarshal ${goType(op)} into Go value of type jsonpatch.Operation`);
  }
  const doc = { root: deepClone(target) as JsonValue };
  if (!Array.isArray(doc.root) && !isMap(doc.root))
    throw fail(`json: cannot unmarshal ${goType(doc.root)} into Go value of type jsonpatch.partialDoc`);
  for (const op of ops as (Op | null)[]) {
    const o = op ?? {};
    const kind = typeof o.op === 'string' ? o.op : 'unknown';
    if (kind === 'add') add(doc, o);
    else if (kind === 'remove') remove(doc, o);
    else if (kind === 'replace') replace(doc, o);
    else if (kind === 'move') move(doc, o);
    else if (kind === 'test') test(doc, o);
    else if (kind === 'copy') copy(doc, o);
    else throw fail(`Unexpected kind: ${kind}`);
  }
  return sortKeys(doc.root);
}

interface Doc {
  root: JsonValue;
}

class PatchError extends Error {}
const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';

function fail(message: string): SourceError {
  return new SourceError('JSON_PATCH', message, {
    hint: 'check the JSON patch operations against the resource they target',
  });
}

/** errors.Wrapf: `msg: cause`. */
function wrap(msg: string, cause: string): SourceError {
  return fail(`${msg}: ${cause}`);
}

function pathOf(o: Op, field: 'path' | 'from'): string | PatchError {
  const v = o[field];
  if (v === undefined || v === null) {
    return new PatchError(
      field === 'path'
        ? `operation missing path field: ${MISSING}`
        : `operation, missing from field: ${MISSING}`,
    );
  }
  if (typeof v !== 'string')
    return new PatchError(`json: cannot unmarshal ${goType(v)} into Go value of type string`);
  return v;
}

/** Operation.value(): the value, null when absent (both encode as null). */
function opValue(o: Op): JsonValue {
  return Object.hasOwn(o, 'value') ? deepClone(o.value as JsonValue) : null;
}

function add(doc: Doc, o: Op): void {
  const path = pathOf(o, 'path');
  if (path instanceof PatchError) throw fail(`add operation failed to decode path: ${MISSING}`);
  const [con, key] = findObject(doc, path);
  if (!con) throw wrap(`add operation does not apply: doc is missing path: "${path}"`, MISSING);
  const err = containerAdd(con, key, opValue(o));
  if (err) throw wrap(`error in add for path: '${path}'`, err);
}

function remove(doc: Doc, o: Op): void {
  const path = pathOf(o, 'path');
  if (path instanceof PatchError) throw fail(`remove operation failed to decode path: ${MISSING}`);
  const [con, key] = findObject(doc, path);
  if (!con) throw wrap(`remove operation does not apply: doc is missing path: "${path}"`, MISSING);
  const err = containerRemove(con, key);
  if (err) throw wrap(`error in remove for path: '${path}'`, err);
}

function replace(doc: Doc, o: Op): void {
  const path = pathOf(o, 'path');
  if (path instanceof PatchError) throw wrap('replace operation failed to decode path', path.message);
  if (path === '') {
    // v4.12.0 wraps a nil error here, so a scalar value is silently ignored
    const v = opValue(o);
    if (isMap(v) || Array.isArray(v)) doc.root = v;
    return;
  }
  const [con, key] = findObject(doc, path);
  if (!con) throw wrap(`replace operation does not apply: doc is missing path: ${path}`, MISSING);
  if (containerGet(con, key) instanceof PatchError)
    throw wrap(`replace operation does not apply: doc is missing key: ${path}`, MISSING);
  const err = containerSet(con, key, opValue(o));
  if (err) throw wrap(`error in remove for path: '${path}'`, err);
}

function move(doc: Doc, o: Op): void {
  const from = pathOf(o, 'from');
  if (from instanceof PatchError) throw wrap('move operation failed to decode from', from.message);
  const [src, fromKey] = findObject(doc, from);
  if (!src) throw wrap(`move operation does not apply: doc is missing from path: ${from}`, MISSING);
  const val = containerGet(src, fromKey);
  if (val instanceof PatchError) throw wrap(`error in move for path: '${fromKey}'`, val.message);
  const removed = containerRemove(src, fromKey);
  if (removed) throw wrap(`error in move for path: '${fromKey}'`, removed);
  const path = pathOf(o, 'path');
  if (path instanceof PatchError) throw wrap('move operation failed to decode path', path.message);
  const [dst, key] = findObject(doc, path);
  if (!dst) throw wrap(`move operation does not apply: doc is missing destination path: ${path}`, MISSING);
  const err = containerAdd(dst, key, val ?? null);
  if (err) throw wrap(`error in move for path: '${path}'`, err);
}

function copy(doc: Doc, o: Op): void {
  const from = pathOf(o, 'from');
  if (from instanceof PatchError) throw wrap('copy operation failed to decode from', from.message);
  const [src, fromKey] = findObject(doc, from);
  if (!src) throw wrap(`copy operation does not apply: doc is missing from path: ${from}`, MISSING);
  const val = containerGet(src, fromKey);
  if (val instanceof PatchError) throw wrap(`error in copy for from: '${from}'`, val.message);
  const path = pathOf(o, 'path');
  if (path instanceof PatchError) throw fail(`copy operation failed to decode path: ${MISSING}`);
  const [dst, key] = findObject(doc, path);
  if (!dst) throw wrap(`copy operation does not apply: doc is missing destination path: ${path}`, MISSING);
  const err = containerAdd(dst, key, val === undefined ? null : deepClone(val));
  if (err) throw wrap('error while adding value during copy', err);
}

function test(doc: Doc, o: Op): void {
  const path = pathOf(o, 'path');
  if (path instanceof PatchError) throw wrap('test operation failed to decode path', path.message);
  const failed = wrap(`testing value ${path} failed`, 'test failed');
  if (path === '') {
    if (!Object.hasOwn(o, 'value') || !deepEqual(doc.root, o.value as JsonValue)) throw failed;
    return;
  }
  const [con, key] = findObject(doc, path);
  if (!con) throw wrap(`test operation does not apply: is missing path: ${path}`, MISSING);
  const val = containerGet(con, key);
  if (val instanceof PatchError) throw wrap(`error in test for path: '${path}'`, val.message);
  if (val === undefined || val === null) {
    if (o.value === null) return;
    throw failed;
  }
  if (!Object.hasOwn(o, 'value') || !deepEqual(val, o.value as JsonValue)) throw failed;
}

/** findObject: the container holding the last token of `path`, and that token decoded. */
function findObject(doc: Doc, path: string): [Container | undefined, string] {
  const split = path.split('/');
  if (split.length < 2) return [undefined, ''];
  let con = doc.root as Container;
  for (const part of split.slice(1, -1)) {
    const next = containerGet(con, decodeToken(part));
    if (next instanceof PatchError || next === undefined || next === null) return [undefined, ''];
    if (!Array.isArray(next) && !isMap(next)) return [undefined, ''];
    con = next;
  }
  return [con, decodeToken(split[split.length - 1] as string)];
}

function decodeToken(t: string): string {
  return t.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** The value at key; undefined for a missing object key; PatchError for a bad array index. */
function containerGet(con: Container, key: string): JsonValue | undefined | PatchError {
  if (!Array.isArray(con)) return Object.hasOwn(con, key) ? con[key] : undefined;
  const idx = atoi(key);
  if (idx instanceof PatchError) return idx;
  const i = normalizeIndex(idx, con.length);
  if (i instanceof PatchError) return i;
  if (i >= con.length) return invalidIndex(i);
  return con[i];
}

function containerSet(con: Container, key: string, val: JsonValue): string | undefined {
  if (!Array.isArray(con)) {
    con[key] = val;
    return undefined;
  }
  const idx = atoi(key);
  if (idx instanceof PatchError) return idx.message;
  const i = normalizeIndex(idx, con.length);
  if (i instanceof PatchError) return i.message;
  con[i] = val;
  return undefined;
}

function containerAdd(con: Container, key: string, val: JsonValue): string | undefined {
  if (!Array.isArray(con)) {
    con[key] = val;
    return undefined;
  }
  if (key === '-') {
    con.push(val);
    return undefined;
  }
  const idx = atoi(key);
  if (idx instanceof PatchError) return `value was not a proper array index: '${key}': ${idx.message}`;
  const size = con.length + 1;
  if (idx >= size) return invalidIndex(idx).message;
  const i = normalizeIndex(idx, size);
  if (i instanceof PatchError) return i.message;
  con.splice(i, 0, val);
  return undefined;
}

function containerRemove(con: Container, key: string): string | undefined {
  if (!Array.isArray(con)) {
    if (!Object.hasOwn(con, key)) return `Unable to remove nonexistent key: ${key}: ${MISSING}`;
    delete con[key];
    return undefined;
  }
  const idx = atoi(key);
  if (idx instanceof PatchError) return idx.message;
  if (idx >= con.length) return invalidIndex(idx).message;
  const i = normalizeIndex(idx, con.length);
  if (i instanceof PatchError) return i.message;
  con.splice(i, 1);
  return undefined;
}

/** Negative indices count from the end (SupportNegativeIndices, on by default). */
function normalizeIndex(idx: number, len: number): number | PatchError {
  if (idx >= 0) return idx;
  if (idx < -len) return invalidIndex(idx);
  return idx + len;
}

function invalidIndex(idx: number): PatchError {
  return new PatchError(`Unable to access invalid index: ${idx}: ${INVALID_INDEX}`);
}

/** strconv.Atoi, with its error texts. */
function atoi(s: string): number | PatchError {
  if (!/^[+-]?[0-9]+$/.test(s))
    return new PatchError(`strconv.Atoi: parsing ${JSON.stringify(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > 9223372036854775807n || n < -9223372036854775808n)
    return new PatchError(`strconv.Atoi: parsing ${JSON.stringify(s)}: value out of range`);
  return Number(n);
}

function goType(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (isMap(v)) return 'object';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  return 'number';
}

/** Go's encoding/json writes object keys in byte order; kyaml reads them back in that order. */
function sortKeys(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (!isMap(v)) return v;
  const out: JsonMap = {};
  for (const k of Object.keys(v).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b))))
    out[k] = sortKeys(v[k] as JsonValue);
  return out;
}
