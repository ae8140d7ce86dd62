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

/**
 * The YAML text of null map fields that were not written `null`: empty (`key:`), `~`, `Null`,
 * `NULL`. go-yaml keeps a null scalar's text and kustomize reads it: a strategic merge drops the
 * empty ones of the resource it patches and keeps the others (kyaml merge2 VisitMap), and
 * annotations are read as their text. All decode to null here, so the kustomize engine's YAML
 * readers record the text, deepClone and the merge's nodes carry it, and readers of text ask.
 */
const nullTexts = new WeakMap<JsonMap, Map<string, string>>();

export function markNullText(m: JsonMap, key: string, text: string): void {
  if (text === 'null') return;
  let texts = nullTexts.get(m);
  if (!texts) {
    texts = new Map();
    nullTexts.set(m, texts);
  }
  texts.set(key, text);
}

/** The YAML text of m[key] when it is null: as read (see markNullText), else `null`. */
export function nullText(m: JsonMap, key: string): string {
  return nullTexts.get(m)?.get(key) ?? 'null';
}

export function deepClone<T extends JsonValue>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => deepClone(x)) as T;
  if (isMap(v)) {
    const out: JsonMap = {};
    for (const [k, x] of Object.entries(v)) out[k] = deepClone(x);
    const texts = nullTexts.get(v);
    if (texts) nullTexts.set(out, new Map(texts));
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
