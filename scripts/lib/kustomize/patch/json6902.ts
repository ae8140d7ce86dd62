// JSON 6902 patches as kustomize applies them: gopkg.in/evanphx/json-patch.v4 v4.12.0
// (api/filters/patchjson6902), ported rather than taken from a library because its quirks are
// visible in builds: `replace` of a missing object key adds it, negative array indices count
// from the end, `test` compares strictly both ways, a missing or null value is written as
// null, and the error texts are the ones users search for. The result is re-read by kyaml from
// Go's JSON encoding, so its object keys come out sorted.
import { SourceError } from '../../errors.ts';
import { deepClone, deepEqual, isMap, type JsonMap, type JsonValue } from '../../json.ts';
import {
  containerAdd,
  containerGet,
  containerRemove,
  containerSet,
  type Doc,
  findObject,
  MISSING,
  PatchError,
} from './json6902-doc.ts';

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
    // v4.12.0 wraps a nil error here, so a scalar value is silently ignored; no value at all
    // makes it crash, which we report instead
    if (!Object.hasOwn(o, 'value')) throw fail('replace operation of the whole document has no value');
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
