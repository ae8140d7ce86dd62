// The document side of evanphx/json-patch v4.12.0: JSON pointers resolved to the container
// holding their last token, and get/set/add/remove on objects and arrays with the library's
// index rules (negative indices from the end, `-` appends) and error texts.
import { isMap, type JsonMap, type JsonValue } from '../../json.ts';

export type Container = JsonMap | JsonValue[];

export interface Doc {
  root: JsonValue;
}

/** An error text to be wrapped by the operation, as the library's errors.Wrapf chains do. */
export class PatchError extends Error {}
export const MISSING = 'missing value';
const INVALID_INDEX = 'invalid index referenced';

/** findObject: the container holding the last token of `path`, and that token decoded. */
export function findObject(doc: Doc, path: string): [Container | undefined, string] {
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
export function containerGet(con: Container, key: string): JsonValue | undefined | PatchError {
  if (!Array.isArray(con)) return Object.hasOwn(con, key) ? con[key] : undefined;
  const idx = atoi(key);
  if (idx instanceof PatchError) return idx;
  const i = normalizeIndex(idx, con.length);
  if (i instanceof PatchError) return i;
  if (i >= con.length) return invalidIndex(i);
  return con[i];
}

export function containerSet(con: Container, key: string, val: JsonValue): string | undefined {
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

export function containerAdd(con: Container, key: string, val: JsonValue): string | undefined {
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

export function containerRemove(con: Container, key: string): string | undefined {
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
