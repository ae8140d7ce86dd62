// The value model every stage shares: what YAML or JSON decode to. Integers outside the safe range
// are bigint so that a 64-bit value survives a round trip; everything else is a plain JS value.
// Maps are plain objects (insertion order kept); resources never contain undefined.

export type JsonScalar = null | boolean | number | bigint | string;
export type JsonValue = JsonScalar | JsonValue[] | JsonMap;
export interface JsonMap {
  [key: string]: JsonValue;
}

export function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function deepClone<T extends JsonValue>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => deepClone(x)) as T;
  if (isMap(v)) {
    const out: JsonMap = {};
    for (const [k, x] of Object.entries(v)) out[k] = deepClone(x);
    return out as T;
  }
  return v;
}

export function deepEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => deepEqual(x, b[i] as JsonValue));
  }
  if (isMap(a)) {
    if (!isMap(b)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => k in b && deepEqual(a[k] as JsonValue, b[k] as JsonValue));
  }
  // a number and a bigint holding the same integer are equal
  if ((typeof a === 'number' && typeof b === 'bigint') || (typeof a === 'bigint' && typeof b === 'number')) {
    return String(a) === String(b);
  }
  return false;
}
