// The Go values Helm templates work on, modelled in JavaScript. Shared by the text/template engine
// (scripts/lib/helm/template/) and the function library (scripts/lib/helm/funcs/), so both agree on
// what an int, a float64, a map and nil are.
//
//   Go                                  JavaScript
//   nil (untyped, or nil interface)     null   (undefined never escapes a function)
//   bool                                boolean
//   string                              string
//   int, int64 (and other ints)         bigint            e.g. template literal 3, sprig `add`
//   float64                             number            e.g. every number read from values.yaml
//   []interface{} (and other slices)    Array<GoValue>
//   map[string]interface{}              GoMap: a plain object with a null prototype, or a Map
//   struct / pointer to struct          GoStruct: object whose exported fields/methods are keys
//   func (method values)                Function
//
// Numbers from YAML/JSON values are float64 (Helm decodes values through encoding/json), so
// `{{ .Values.n }}` with n: 1000000 prints 1e+06, exactly as Helm does; `--set n=1000000` gives
// int64 (strvals) and prints 1000000.

export type GoValue =
  | null
  | boolean
  | string
  | bigint
  | number
  | GoValue[]
  | GoMap
  | GoStruct
  | ((...args: GoValue[]) => GoValue);

export interface GoMap {
  [key: string]: GoValue;
}

/** A struct (Release, Chart, Capabilities, Files, ...): marked so `kindOf`, printing and
 * field access can tell it from a map. */
export interface GoStruct {
  readonly [GO_STRUCT]: string; // the Go type name, e.g. "chartutil.Capabilities"
  [field: string]: unknown;
}

export const GO_STRUCT: unique symbol = Symbol.for('gitops.helm.struct');

/** A struct whose String method has a pointer receiver (Helm's *KubeVersion): the template prints
 * a field of that type through String, but a copy handed to a function (quote, print) prints as
 * the struct `{...}` of the values listed here, unexported fields included, as fmt does. */
export const GO_VALUE_FIELDS: unique symbol = Symbol.for('gitops.helm.valuefields');

/** A struct whose JSON differs from its fields (json tags, omitempty): a function giving what
 * encoding/json writes, as a struct (keys kept in order) or a map. */
export const GO_JSON: unique symbol = Symbol.for('gitops.helm.json');

/** The Go type of a map whose type is named (Helm's .Files is engine.files): such a map is not a
 * map[string]interface {} to a typed function parameter, and %T prints the name. */
export const GO_MAP_TYPE: unique symbol = Symbol.for('gitops.helm.maptype');

export function goMap(entries?: Record<string, GoValue>): GoMap {
  const m = Object.create(null) as GoMap;
  if (entries) for (const [k, v] of Object.entries(entries)) m[k] = v;
  return m;
}

export function isGoStruct(v: unknown): v is GoStruct {
  return typeof v === 'object' && v !== null && GO_STRUCT in v;
}

export function isGoMap(v: unknown): v is GoMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isGoStruct(v);
}

/** complex128, printed by fmt as (re+imi). */
export function goComplex(re: number, im: number): GoValue {
  return { [GO_STRUCT]: 'complex128', re, im } as unknown as GoValue;
}

export function isGoComplex(v: unknown): v is { re: number; im: number } {
  return isGoStruct(v) && (v as GoStruct)[GO_STRUCT] === 'complex128';
}

/** Go strings are bytes; text that is not UTF-8 (a .bz2 from .Files.Get, b64dec of random bytes)
 * is carried as a latin1 JS string remembered here with its bytes, so len, b64enc and the hashes
 * see the original bytes. */
export const binaryStrings = new Map<string, Buffer>();

export function bytesOf(s: string): Buffer {
  return binaryStrings.get(s) ?? Buffer.from(s, 'utf8');
}

/** A Go []byte (.Files.GetBytes): a slice of its bytes as ints, typed `[]uint8`, so that it prints
 * as Go prints one ([0 1 255]) and encoding/json writes it as base64. */
export function goBytes(bytes: Buffer): GoValue[] {
  const out: GoValue[] = [...bytes].map((b) => BigInt(b));
  Object.defineProperty(out, GO_MAP_TYPE, { value: '[]uint8', enumerable: false });
  return out;
}

/** The bytes of a Go []byte made by goBytes, or undefined for any other value. */
export function bytesOfSlice(v: unknown): Buffer | undefined {
  if (!Array.isArray(v) || (v as { [GO_MAP_TYPE]?: string })[GO_MAP_TYPE] !== '[]uint8') return undefined;
  return Buffer.from(v.map((b) => Number(b)));
}

/** Bytes as a Go string: UTF-8 text as itself, other bytes as a remembered binary string. */
let utf8: TextDecoder | undefined;
export function goString(bytes: Buffer): string {
  try {
    utf8 ??= new TextDecoder('utf-8', { fatal: true });
    return utf8.decode(bytes);
  } catch {
    const s = bytes.toString('latin1');
    binaryStrings.set(s, bytes);
    return s;
  }
}

/** Maps a template made with dict: an integer in one is whatever the template put there (a
 * literal is an int), where an integer in the values came from --set (an int64). */
export const templateMaps = new WeakSet<object>();
