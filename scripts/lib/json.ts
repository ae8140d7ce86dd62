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
 * The YAML text of map fields whose value is not the text itself: nulls (empty, `~`, `NULL`),
 * numbers (`0x1F`, `1.0`), booleans (`True`), timestamps. go-yaml keeps a scalar's text and
 * kustomize reads it: a strategic merge drops the empty values of the resource it patches but
 * keeps written nulls (kyaml merge2 VisitMap) and compares list keys by text, and annotations are
 * read as text. The kustomize engine's YAML readers record the text where it differs from the
 * value's own, deepClone and the merge's nodes carry it, and readers of text ask scalarTextOf.
 */
const scalarTexts = new WeakMap<JsonMap, Map<string, { text: string; value: JsonValue | undefined }>>();

/** A scalar's text when nothing else is known: how JSON would write it (strings as themselves). */
export function canonicalText(v: JsonValue | undefined): string {
  return v === null || v === undefined ? 'null' : typeof v === 'string' ? v : String(v);
}

export function markScalarText(m: JsonMap, key: string, text: string): void {
  if (text === canonicalText(m[key])) return;
  let texts = scalarTexts.get(m);
  if (!texts) {
    texts = new Map();
    scalarTexts.set(m, texts);
  }
  texts.set(key, { text, value: m[key] });
}

/**
 * The YAML text of the scalar m[key]: as read (see markScalarText), else canonicalText. A text
 * is kept with the value it was read with: once the field is given another value, the text of
 * the old one no longer answers.
 */
export function scalarTextOf(m: JsonMap, key: string): string {
  const t = scalarTexts.get(m)?.get(key);
  return t !== undefined && Object.is(t.value, m[key]) ? t.text : canonicalText(m[key]);
}

export function deepClone<T extends JsonValue>(v: T): T {
  if (Array.isArray(v)) return v.map((x) => deepClone(x)) as T;
  if (isMap(v)) {
    const out: JsonMap = {};
    for (const [k, x] of Object.entries(v)) out[k] = deepClone(x);
    const texts = scalarTexts.get(v);
    if (texts) scalarTexts.set(out, new Map(texts));
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
