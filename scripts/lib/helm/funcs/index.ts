// The template functions of Helm v4: sprig v3.3.0's GenericFuncMap (strings, lists, dicts, math,
// encodings, regexes, semver, reflection) with Go's conversion rules (spf13/cast), and Helm's own
// (toYaml, fromYaml, toJson, include, tpl, required, lookup...). Values follow ../values.ts: ints
// are bigint, float64 are number.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { posix } from 'node:path';
import {
  type DocumentOptions,
  type ParseOptions,
  parseAllDocuments,
  type SchemaOptions,
  type YAMLError,
} from 'yaml';
import type { JsonValue } from '../../json.ts';
import {
  dropLineBreakAtEof,
  type PlainResolver,
  readSimpleYaml,
  type SchemaTags,
  schemaResolver,
} from '../../yaml/fast-read.ts';
import { goYamlSyntaxError } from '../../yaml/goyaml-errors.ts';
import { marshal } from '../../yaml/goyaml2.ts';
import { truth } from '../template/exec.ts';
import { formatFloatV, formatValue, goTypeName, quoteGo, sprintf } from '../template/fmt.ts';
import {
  bytesOf,
  bytesOfSlice,
  GO_JSON,
  GO_STRUCT,
  type GoMap,
  type GoValue,
  goMap,
  goString,
  isGoComplex,
  isGoMap,
  isGoStruct,
  templateMaps,
} from '../values.ts';
import { genCA, genSelfSignedCert, genSignedCert } from './certs.ts';
import type { FuncContext } from './context.ts';
import {
  agoNs,
  bcrypt,
  buildCustomCert,
  dateFmt,
  dateInZone,
  dateModify,
  decryptAES,
  derivePassword,
  durationRound,
  encryptAES,
  fromToml,
  genPrivateKey,
  goTime,
  htpasswd,
  mustToDate,
  nowMs,
  toDate,
  toToml,
  unixEpoch,
} from './extra.ts';

export type GoFunc = (...args: GoValue[]) => GoValue;

export { binaryStrings } from '../values.ts';

export type { FuncContext } from './context.ts';

// ---- conversions (spf13/cast and sprig's helpers) ------------------------------------------------

export function strval(v: GoValue): string {
  if (typeof v === 'string') return v;
  if (v === null) return '<nil>';
  const bytes = bytesOfSlice(v);
  if (bytes) return goString(bytes);
  return formatValue(v);
}

export function toInt64(v: GoValue): bigint {
  if (typeof v === 'bigint') return v;
  if (typeof v === 'number') {
    // Go's int64(f) on amd64: out of range, infinite or NaN gives the "integer indefinite" value
    const t = Math.trunc(v);
    return Number.isFinite(v) && t < 2 ** 63 && t >= -(2 ** 63) ? BigInt(t) : -(2n ** 63n);
  }
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'string') {
    const s = v.trim();
    const m = /^([-+]?)(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO]?[0-7_]+|[0-9][0-9_]*)$/.exec(s);
    if (m) {
      let body = (m[2] as string).replaceAll('_', '');
      if (/^0[0-7]+$/.test(body)) body = `0o${body.slice(1)}`;
      try {
        const n = BigInt(body.toLowerCase().replace(/^0o/, '0o'));
        return m[1] === '-' ? -n : n;
      } catch {
        return 0n;
      }
    }
    const f = Number(s);
    return s !== '' && Number.isFinite(f) && /^[-+]?[0-9.eE+-]+$/.test(s) ? BigInt(Math.trunc(f)) : 0n;
  }
  return 0n;
}

export function toFloat64(v: GoValue): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') {
    const f = Number(v.trim());
    return v.trim() !== '' && !Number.isNaN(f) ? f : 0;
  }
  return 0;
}

function isEmpty(v: GoValue): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === 'string') return v.length === 0;
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'bigint') return v === 0n;
  if (typeof v === 'number') return v === 0;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'function') return false;
  if (isGoStruct(v)) return false;
  return Object.keys(v).length === 0;
}

function strslice(v: GoValue): string[] {
  if (Array.isArray(v)) return v.filter((x) => x !== null).map(strval);
  if (v === null) return [];
  return [strval(v)];
}

function asList(v: GoValue, fn: string): GoValue[] {
  if (Array.isArray(v)) return v;
  throw new Error(`Cannot ${fn} on type ${goTypeName(v)}`);
}

/** A map argument: nil is Go's nil map, which reads as empty and cannot be written. */
function asMap(v: GoValue, write = false): GoMap {
  if (isGoMap(v)) return v as GoMap;
  if (v === null) {
    if (write) throw new Error('assignment to entry in nil map');
    return goMap();
  }
  throw new Error(`wrong type for value; expected map[string]interface {}; got ${goTypeName(v)}`);
}

function deepCopy(v: GoValue): GoValue {
  if (Array.isArray(v)) return v.map(deepCopy);
  if (isGoMap(v)) {
    const m = goMap();
    for (const k of Object.keys(v as GoMap)) m[k] = deepCopy((v as GoMap)[k] as GoValue);
    return m;
  }
  return v;
}

/** mergo.Merge as sprig calls it: keys missing (or empty) in dst are filled; with overwrite, src
 * values replace dst's (an empty src value only below the top level, as mergo's map recursion
 * does); maps merge recursively. */
function mergeInto(dst: GoMap, src: GoMap, overwrite: boolean, depth = 0): void {
  for (const [k, sv] of Object.entries(src)) {
    const dv = dst[k];
    if (isGoMap(dv) && isGoMap(sv)) {
      mergeInto(dv as GoMap, sv as GoMap, overwrite, depth + 1);
      continue;
    }
    // mergo assigns src's maps by reference: a later merge into dst changes src too
    const dstEmpty = !(k in dst) || isEmpty(dv as GoValue);
    if (dstEmpty) dst[k] = sv;
    else if (overwrite && (depth > 0 || !isEmpty(sv))) dst[k] = sv;
  }
}

function camelCase(str: string): string {
  const isConn = (c: string) => c === '-' || c === '_' || /\s/.test(c);
  const rs = Array.from(str);
  if (rs.length === 0) return '';
  let out = '';
  let i = 0;
  let r0 = '';
  for (; i < rs.length; i++) {
    r0 = rs[i] as string;
    if (!isConn(r0)) {
      r0 = r0.toUpperCase();
      i++;
      break;
    }
    out += r0;
    r0 = '';
  }
  if (i >= rs.length) return out + r0;
  for (; i < rs.length; i++) {
    const r1 = r0;
    r0 = rs[i] as string;
    if (isConn(r0) && isConn(r1)) {
      out += r1;
      continue;
    }
    if (isConn(r1)) r0 = r0.toUpperCase();
    else out += r1;
  }
  return out + r0;
}

/** shopspring/decimal arithmetic on the shortest decimal forms of float64, as sprig's *f math. */
function dec(x: number): { n: bigint; s: number } {
  if (!Number.isFinite(x)) return { n: 0n, s: 0 };
  const [mant, e] = x.toExponential().split('e') as [string, string];
  const neg = mant.startsWith('-');
  const digits = mant.replace('-', '').replace('.', '');
  const scale = digits.length - 1 - Number(e);
  let n = BigInt(digits);
  if (neg) n = -n;
  return scale >= 0 ? { n, s: scale } : { n: n * 10n ** BigInt(-scale), s: 0 };
}
function decNum(d: { n: bigint; s: number }): number {
  return Number(`${d.n}e-${d.s}`);
}
function decAlign(a: { n: bigint; s: number }, b: { n: bigint; s: number }): [bigint, bigint, number] {
  const s = Math.max(a.s, b.s);
  return [a.n * 10n ** BigInt(s - a.s), b.n * 10n ** BigInt(s - b.s), s];
}

// ---- Go's encoding/json --------------------------------------------------------------------------

function jsonNumber(f: number): string {
  if (!Number.isFinite(f)) throw new Error(`json: unsupported value: ${formatValue(f)}`);
  const abs = Math.abs(f);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    const s = f.toExponential();
    return s.replace(/e([+-])(\d)$/, 'e$10$2').replace('e+', 'e+');
  }
  // String(-0) is "0"; encoding/json writes "-0"
  return Object.is(f, -0) ? '-0' : String(f);
}

function jsonString(s: string, escapeHTML: boolean): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20) out += `\\u00${cp.toString(16).padStart(2, '0')}`;
    else if (escapeHTML && (ch === '<' || ch === '>' || ch === '&')) out += `\\u00${cp.toString(16)}`;
    else if (cp === 0x2028 || cp === 0x2029) out += `\\u${cp.toString(16)}`;
    else out += ch;
  }
  return `${out}"`;
}

export function toJson(v: GoValue, escapeHTML = true, indent = '', level = ''): string {
  if (v === null || v === undefined) return 'null';
  const json = isGoStruct(v) ? (v as { [GO_JSON]?: () => GoValue })[GO_JSON] : undefined;
  if (json) return toJson(json(), escapeHTML, indent, level);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return jsonNumber(v);
  if (typeof v === 'string') return jsonString(v, escapeHTML);
  if (typeof v === 'function') throw new Error('json: unsupported type: func()');
  const bytes = bytesOfSlice(v);
  if (bytes) return jsonString(bytes.toString('base64'), escapeHTML);
  const inner = level + indent;
  const nl = indent ? `\n${inner}` : '';
  const end = indent ? `\n${level}` : '';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${v.map((x) => nl + toJson(x, escapeHTML, indent, inner)).join(',')}${end}]`;
  }
  const entries = Object.entries(v as Record<string, GoValue>).filter(([, x]) => typeof x !== 'function');
  const keys = isGoStruct(v) ? entries.map(([k]) => k) : entries.map(([k]) => k).sort();
  if (keys.length === 0) return '{}';
  const sep = indent ? ': ' : ':';
  return `{${keys.map((k) => `${nl}${jsonString(k, escapeHTML)}${sep}${toJson((v as Record<string, GoValue>)[k] as GoValue, escapeHTML, indent, inner)}`).join(',')}${end}}`;
}

export function jsonKind(v: GoValue): string {
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number' || typeof v === 'bigint') return 'number';
  return 'object';
}

/**
 * encoding/json's syntax error for `text` (its scanner, scanner.go, run until the first error):
 * "invalid character 'b' looking for beginning of object key string", "unexpected end of JSON
 * input"... JSON.parse only says where it stopped.
 */
function goJsonError(_e: Error, text: string): string {
  const quoteChar = (c: string) => {
    if (c === "'") return "'\\''";
    if (c === '"') return "'\"'";
    return `'${quoteGo(c).slice(1, -1)}'`;
  };
  const bad = (c: string, ctx: string) => `invalid character ${quoteChar(c)} ${ctx}`;
  const space = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
  const digit = (c: string) => c >= '0' && c <= '9';
  const stack: ('key' | 'value' | 'array')[] = [];
  type State = (c: string) => string | undefined;
  let step: State;
  const to = (next: State) => {
    step = next;
    return undefined;
  };
  const endValue: State = (c) => {
    const top = stack[stack.length - 1];
    if (top === undefined) {
      step = endTop;
      return endTop(c);
    }
    if (space(c)) return undefined;
    if (top === 'key') {
      if (c === ':') {
        stack[stack.length - 1] = 'value';
        return to(beginValue);
      }
      return bad(c, 'after object key');
    }
    if (top === 'value') {
      if (c === ',') {
        stack[stack.length - 1] = 'key';
        return to(beginString);
      }
      if (c === '}') {
        stack.pop();
        return to(endValue);
      }
      return bad(c, 'after object key:value pair');
    }
    if (c === ',') {
      return to(beginValue);
    }
    if (c === ']') {
      stack.pop();
      return to(endValue);
    }
    return bad(c, 'after array element');
  };
  const endTop: State = (c) => (space(c) ? undefined : bad(c, 'after top-level value'));
  const literal = (word: string, rest: string, next: State): State => {
    const want = rest[0] as string;
    return (c) => {
      if (c !== want) return bad(c, `in literal ${word} (expecting ${quoteChar(want)})`);
      step = rest.length > 1 ? literal(word, rest.slice(1), next) : next;
      return undefined;
    };
  };
  const number =
    (phase: 'neg' | 'int' | 'zero' | 'dot' | 'frac' | 'e' | 'esign' | 'exp'): State =>
    (c) => {
      const next = (p: typeof phase) => to(number(p));
      switch (phase) {
        case 'neg':
          if (c === '0') return next('zero');
          if (c >= '1' && c <= '9') return next('int');
          return bad(c, 'in numeric literal');
        case 'int':
          if (digit(c)) return undefined;
          return number('zero')(c);
        case 'zero':
          if (c === '.') return next('dot');
          if (c === 'e' || c === 'E') return next('e');
          step = endValue;
          return endValue(c);
        case 'dot':
          if (digit(c)) return next('frac');
          return bad(c, 'after decimal point in numeric literal');
        case 'frac':
          if (digit(c)) return undefined;
          if (c === 'e' || c === 'E') return next('e');
          step = endValue;
          return endValue(c);
        case 'e':
          if (c === '+' || c === '-') return next('esign');
          return number('esign')(c);
        case 'esign':
          if (digit(c)) return next('exp');
          return bad(c, 'in exponent of numeric literal');
        default:
          if (digit(c)) return undefined;
          step = endValue;
          return endValue(c);
      }
    };
  let hex = 0;
  const inString: State = (c) => {
    if (c === '"') step = endValue;
    else if (c === '\\') step = inEscape;
    else if (c < ' ') return bad(c, 'in string literal');
    return undefined;
  };
  const inEscape: State = (c) => {
    if ('bfnrt\\/"'.includes(c)) {
      return to(inString);
    }
    if (c === 'u') {
      hex = 0;
      return to(inHex);
    }
    return bad(c, 'in string escape code');
  };
  const inHex: State = (c) => {
    if (!/^[0-9a-fA-F]$/.test(c)) return bad(c, 'in \\u hexadecimal character escape');
    if (++hex === 4) step = inString;
    return undefined;
  };
  const beginValue: State = (c) => {
    if (space(c)) return undefined;
    switch (c) {
      case '{':
        stack.push('key');
        return to(beginStringOrEmpty);
      case '[':
        stack.push('array');
        return to(beginValueOrEmpty);
      case '"':
        return to(inString);
      case '-':
        return to(number('neg'));
      case '0':
        return to(number('zero'));
      case 't':
        return to(literal('true', 'rue', endValue));
      case 'f':
        return to(literal('false', 'alse', endValue));
      case 'n':
        return to(literal('null', 'ull', endValue));
    }
    if (c >= '1' && c <= '9') {
      return to(number('int'));
    }
    return bad(c, 'looking for beginning of value');
  };
  const beginString: State = (c) => {
    if (space(c)) return undefined;
    if (c === '"') {
      return to(inString);
    }
    return bad(c, 'looking for beginning of object key string');
  };
  const beginStringOrEmpty: State = (c) => {
    if (space(c)) return undefined;
    if (c === '}') {
      stack.pop();
      return to(endValue);
    }
    return beginString(c);
  };
  const beginValueOrEmpty: State = (c) => {
    if (space(c)) return undefined;
    if (c === ']') {
      stack.pop();
      return to(endValue);
    }
    return beginValue(c);
  };
  step = beginValue;
  for (const c of text) {
    const err = step(c);
    if (err) return err;
  }
  // the scanner's eof(): one more space, which an unfinished literal or exponent refuses
  return step(' ') ?? 'unexpected end of JSON input';
}

/** Helm's toYaml: YAML as sigs.k8s.io/yaml writes it, without the last newline; '' on error. */
export function toYaml(v: GoValue): string {
  try {
    return marshal(toJsonValue(v)).replace(/\n$/, '');
  } catch {
    return '';
  }
}

/** JSON text to Go values as encoding/json decodes into interface{} (numbers are float64). */
export function fromJsonValue(x: unknown): GoValue {
  if (x === null) return null;
  if (Array.isArray(x)) return x.map(fromJsonValue);
  if (typeof x === 'object') {
    const m = goMap();
    for (const [k, v] of Object.entries(x as object)) m[k] = fromJsonValue(v);
    return m;
  }
  return x as GoValue;
}

/** A Go value as JSON would carry it into sigs.k8s.io/yaml (for toYaml). */
function toJsonValue(v: GoValue): JsonValue {
  if (v === null || v === undefined) return null;
  const json = isGoStruct(v) ? (v as { [GO_JSON]?: () => GoValue })[GO_JSON] : undefined;
  if (json) return toJsonValue(json());
  if (typeof v === 'function') throw new Error('json: unsupported type: func()');
  const bytes = bytesOfSlice(v);
  if (bytes) return bytes.toString('base64');
  if (Array.isArray(v)) return v.map(toJsonValue);
  if (typeof v === 'object') {
    const out: Record<string, JsonValue> = {};
    for (const [k, x] of Object.entries(v)) if (typeof x !== 'function') out[k] = toJsonValue(x as GoValue);
    return out;
  }
  return v as JsonValue;
}

/** Values read from YAML as sigs.k8s.io/yaml reads them: through JSON, so every number is float64. */
export function yamlToGo(v: unknown): GoValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return v.toISOString();
  if (Array.isArray(v)) return v.map(yamlToGo);
  if (typeof v === 'object') {
    const m = goMap();
    for (const [k, x] of Object.entries(v as object)) m[k] = yamlToGo(x);
    return m;
  }
  return v as GoValue;
}

/** YAML 1.1 scalars as go-yaml v2 reads them, timestamps kept as strings, a repeated key overriding. */
const VALUES_YAML_OPTIONS = {
  version: '1.1',
  logLevel: 'error',
  intAsBigInt: false,
  merge: true,
  uniqueKeys: false,
  customTags: (tags: SchemaTags) => [
    // Go's ParseInt with base 0 reads 0o17 too
    {
      identify: (v: unknown) => typeof v === 'number',
      default: true,
      tag: 'tag:yaml.org,2002:int',
      test: /^[-+]?0o[0-7_]+$/,
      resolve: (t: string) =>
        (t.startsWith('-') ? -1 : 1) * Number.parseInt(t.replace(/^[-+]?0o/, '').replaceAll('_', ''), 8),
    },
    ...tags.filter((t) => (t as { tag?: string }).tag !== 'tag:yaml.org,2002:timestamp'),
  ],
} as const satisfies ParseOptions & DocumentOptions & SchemaOptions;

let plainResolver: PlainResolver | undefined;
/** How the full parser resolves a plain scalar under VALUES_YAML_OPTIONS, for the fast reader. */
export function resolvePlainScalar(): PlainResolver {
  plainResolver ??= schemaResolver(VALUES_YAML_OPTIONS, (v) => (typeof v === 'bigint' ? Number(v) : v));
  return plainResolver;
}

export function parseYamlValues(text: string): GoValue[] {
  // go-yaml v2, as `yaml.Unmarshal` reads: no line break after a block scalar that ends the text
  // (Helm 4's values files get one: its reader ends every line with a newline, see loader.ts)
  const fast = readSimpleYaml(text, resolvePlainScalar(), goMap, { eofLineBreak: false });
  const docs = fast ? [fast.value as GoValue] : readYamlValuesFully(text);
  // sigs.k8s.io/yaml goes through JSON, which has no infinities and no NaN
  for (const value of docs) {
    const bad = nonFinite(value);
    if (bad !== undefined)
      throw new Error(`error converting YAML to JSON: json: unsupported value: ${formatFloatV(bad)}`);
  }
  return docs;
}

/** parseYamlValues with the full parser: every document, go-yaml's form of the first error. */
export function readYamlValuesFully(text: string): GoValue[] {
  const docs = parseAllDocuments(text, VALUES_YAML_OPTIONS);
  const last = Array.isArray(docs) ? docs[docs.length - 1] : undefined;
  if (last && !last.errors.length) dropLineBreakAtEof(last, text);
  const all = Array.isArray(docs) ? docs : [docs];
  const bad = all.findIndex((d) => d.errors.length > 0);
  if (bad >= 0) {
    // go-yaml's own words and line (yaml.Unmarshal reads the first document), when it finds the
    // fault; else the full parser's, in go-yaml's form. The line is kept for the caller's location.
    const go = goYamlSyntaxError(text, { firstDocument: true });
    if (go)
      throw Object.assign(
        new Error(`error converting YAML to JSON: yaml: ${go.line ? `line ${go.line}: ` : ''}${go.message}`),
        { line: go.line },
      );
    if (bad === 0) {
      const err = all[0]?.errors[0] as YAMLError;
      const line = err.linePos?.[0]?.line;
      const what = (err.message.split('\n')[0] as string).replace(/ at line \d+, column \d+:?$/, '');
      throw Object.assign(
        new Error(`error converting YAML to JSON: yaml: ${line ? `line ${line}: ` : ''}${what}`),
        { line },
      );
    }
  }
  // a later document go-yaml never reads
  return all.slice(0, bad >= 0 ? bad : all.length).map((d) => yamlToGo(d.toJS({ maxAliasCount: 10000 })));
}

/** The first infinity or NaN in `v`, in the order encoding/json writes it (map keys sorted). */
function nonFinite(v: GoValue): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? undefined : v;
  if (Array.isArray(v)) {
    for (const x of v) {
      const bad = nonFinite(x);
      if (bad !== undefined) return bad;
    }
    return undefined;
  }
  if (isGoMap(v))
    for (const k of Object.keys(v).sort()) {
      const bad = nonFinite((v as GoMap)[k] as GoValue);
      if (bad !== undefined) return bad;
    }
  return undefined;
}

// ---- strings ----------------------------------------------------------------------------------------

/**
 * strings.Title: a letter after a separator is upper-cased; separators are ASCII characters other
 * than letters, digits and _, and Unicode white space (so "o'neil" is "O'Neil").
 */
function title(s: string): string {
  let out = '';
  let prev = ' ';
  for (const c of s) {
    const prevSep =
      prev <= '\x7f' ? !/[A-Za-z0-9_]/.test(prev) : /\s/u.test(prev) && !/[\p{L}\p{N}]/u.test(prev);
    out += prevSep && /\p{L}/u.test(c) ? simpleCase(c, 'upper') : c;
    prev = c;
  }
  return out;
}

/** Go's unicode.ToUpper/ToLower rune by rune: one rune for one (ß stays ß; İ lowers to i). */
function simpleCase(s: string, to: 'upper' | 'lower'): string {
  let out = '';
  for (const c of s) {
    const r = to === 'upper' ? c.toUpperCase() : c.toLowerCase();
    if ([...r].length === 1) out += r;
    else out += to === 'lower' && c === '\u0130' ? 'i' : c;
  }
  return out;
}

function words(s: string): string[] {
  return s
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
}

/** An RE2 expression as a JavaScript RegExp (global for the functions that find every match). */
function re2(p: string, global = false): RegExp {
  let flags = global ? 'gu' : 'u';
  let src = p;
  const m = /^\(\?([imsU]+)\)/.exec(src);
  if (m) {
    if ((m[1] as string).includes('i')) flags += 'i';
    if ((m[1] as string).includes('s')) flags += 's';
    if ((m[1] as string).includes('m')) flags += 'm';
    src = src.slice(m[0].length);
  }
  const problem = re2Problem(p);
  if (problem) throw new Error(`error parsing regexp: ${problem}`);
  src = re2ToJs(src.replaceAll('\\z', '$').replace(/\(\?P</g, '(?<'));
  try {
    return new RegExp(src, flags);
  } catch (e) {
    throw new Error(`error parsing regexp: ${(e as Error).message}`);
  }
}

/**
 * RE2 text as a JavaScript (u-mode) expression: what RE2 reads as literals but JavaScript refuses
 * is escaped: a `]` first in a class, a `[` inside one, braces that make no repetition.
 */
function re2ToJs(src: string): string {
  let out = '';
  let inClass = false;
  let classEscape = false; // the last thing in the class was \d, \w, \s or their negations
  for (let i = 0; i < src.length; i++) {
    const c = src[i] as string;
    if (c === '\\' && (src[i + 1] === 'p' || src[i + 1] === 'P')) {
      // Unicode classes: RE2's \pL and \p{Greek} are JavaScript's \p{L} and \p{Script=Greek}
      let negate = src[i + 1] === 'P';
      let name: string;
      if (src[i + 2] === '{') {
        const end = src.indexOf('}', i + 3);
        name = end < 0 ? '' : src.slice(i + 3, end);
        i = end < 0 ? src.length : end;
      } else {
        name = src[i + 2] ?? '';
        i += 2;
      }
      if (name.startsWith('^')) {
        negate = !negate;
        name = name.slice(1);
      }
      const category = /^(?:[LMNPSZC][a-z]?|Any)$/.test(name);
      out += `\\${negate ? 'P' : 'p'}{${name === 'Any' ? 'Any' : category ? name : `Script=${name}`}}`;
      classEscape = false;
    } else if (c === '\\') {
      out += c + (src[i + 1] ?? '');
      classEscape = inClass && /[dDwWsS]/.test(src[i + 1] ?? '');
      i++;
    } else if (inClass) {
      if (c === ']') inClass = false;
      // a - beside a class escape is a literal in RE2, an error in JavaScript
      const literalDash = c === '-' && (classEscape || /^\\[dDwWsS]/.test(src.slice(i + 1)));
      out += c === '[' ? '\\[' : literalDash ? '\\-' : c;
      classEscape = false;
    } else if (c === '[') {
      inClass = true;
      out += '[';
      if (src[i + 1] === '^') out += src[++i];
      if (src[i + 1] === ']') {
        out += '\\]';
        i++;
      }
    } else if (c === '{') {
      const rep = /^\{\d+(?:,\d*)?\}/.exec(src.slice(i));
      if (rep) {
        out += rep[0];
        i += rep[0].length - 1;
      } else out += '\\{';
    } else out += c === '}' ? '\\}' : c;
  }
  return out;
}

/** The syntax errors of Go's regexp/syntax that charts meet, in Go's words; undefined if none. */
function re2Problem(p: string): string | undefined {
  const ESCAPES = new Set('dDsSwWbBAzpPQEx0123456789afnrtv.\\+*?()|[]{}^$-/'.split(''));
  let depth = 0;
  let prevAtom = false; // something a repetition can apply to
  let prevRepeat = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i] as string;
    if (c === '\\') {
      const n = p[i + 1];
      if (n === undefined) return 'trailing backslash at end of expression: ``';
      if (!ESCAPES.has(n) && !/[^A-Za-z0-9]/.test(n)) return `invalid escape sequence: \`\\${n}\``;
      i++;
      prevAtom = true;
      prevRepeat = '';
      continue;
    }
    if (c === '[') {
      let j = i + 1;
      if (p[j] === '^') j++;
      const bodyStart = j; // a - or ] here is a literal
      if (p[j] === ']') j++;
      for (; j < p.length && p[j] !== ']'; j++) {
        if (p[j] === '\\') j++;
        else if (p[j] === '-' && j > bodyStart && p[j + 1] !== undefined && p[j + 1] !== ']') {
          const lo = p[j - 1] as string;
          const hi = p[j + 1] as string;
          if (lo > hi && p[j - 2] !== '\\') return `invalid character class range: \`${lo}-${hi}\``;
        }
      }
      if (j >= p.length) return `missing closing ]: \`${p.slice(i)}\``;
      i = j;
      prevAtom = true;
      prevRepeat = '';
      continue;
    }
    if (c === '(') {
      depth++;
      prevAtom = false;
      prevRepeat = '';
      if (p[i + 1] === '?') {
        // (?flags) and (?:...) (?P<name>...) (?<name>...): skip to the group's body
        const m = /^\(\?(?:P?<\w+>|[imsU-]*:?|)/.exec(p.slice(i));
        if (m) i += m[0].length - 1;
        if (m?.[0].endsWith(')')) depth--;
      }
      continue;
    }
    if (c === ')') {
      if (depth === 0) return `unexpected ): \`${p}\``;
      depth--;
      prevAtom = true;
      prevRepeat = '';
      continue;
    }
    if (c === '|') {
      prevAtom = false;
      prevRepeat = '';
      continue;
    }
    if (c === '*' || c === '+' || c === '?') {
      if (prevRepeat && !(c === '?' && prevRepeat.length === 1))
        return `invalid nested repetition operator: \`${prevRepeat}${c}\``;
      if (!prevAtom && !prevRepeat) return `missing argument to repetition operator: \`${c}\``;
      prevRepeat = prevRepeat ? `${prevRepeat}${c}` : c;
      prevAtom = false;
      continue;
    }
    prevAtom = true;
    prevRepeat = '';
  }
  if (depth > 0) return `missing closing ): \`${p}\``;
  return undefined;
}

/**
 * A replacer doing what Go's Regexp.Expand does with a template: `$$` a dollar, `${name}` and
 * `$name` (the longest run of letters, digits and _) a group by number or name, empty when there is
 * no such group (so `$1x` is the group named "1x"), a `$` that starts nothing a literal.
 */
function goRegexReplacement(template: string): (match: string, ...rest: unknown[]) => string {
  return (match, ...rest) => {
    const last = rest[rest.length - 1];
    const named = (typeof last === 'object' && last !== null ? last : {}) as Record<
      string,
      string | undefined
    >;
    const groups = rest.slice(0, typeof last === 'object' && last !== null ? -3 : -2) as (
      | string
      | undefined
    )[];
    let out = '';
    for (let i = 0; i < template.length; i++) {
      const c = template[i] as string;
      if (c !== '$') {
        out += c;
        continue;
      }
      if (template[i + 1] === '$') {
        out += '$';
        i++;
        continue;
      }
      let name: string | undefined;
      let end = i;
      if (template[i + 1] === '{') {
        const close = template.indexOf('}', i + 2);
        const inner = close < 0 ? '' : template.slice(i + 2, close);
        if (close >= 0 && /^\w+$/.test(inner)) {
          name = inner;
          end = close;
        }
      } else {
        const m = /^\w+/.exec(template.slice(i + 1));
        if (m) {
          name = m[0];
          end = i + m[0].length;
        }
      }
      if (name === undefined) {
        out += '$';
        continue;
      }
      i = end;
      if (/^\d+$/.test(name)) {
        const n = Number(name);
        out += n === 0 ? match : (groups[n - 1] ?? '');
      } else out += named[name] ?? '';
    }
    return out;
  };
}

// ---- semver (Masterminds/semver v3) ------------------------------------------------------------------

interface Ver {
  major: number;
  minor: number;
  patch: number;
  pre: string;
  meta: string;
  original: string;
}

export function parseSemver(s: string): Ver {
  const m = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/.exec(s.trim());
  if (!m) throw new Error('Invalid Semantic Version');
  return {
    major: Number(m[1]),
    minor: Number(m[2] ?? 0),
    patch: Number(m[3] ?? 0),
    pre: m[4] ?? '',
    meta: m[5] ?? '',
    original: s,
  };
}

function cmpPre(a: string, b: string): number {
  if (a === b) return 0;
  if (!a) return 1;
  if (!b) return -1;
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) {
      if (Number(x) !== Number(y)) return Number(x) < Number(y) ? -1 : 1;
    } else if (nx) return -1;
    else if (ny) return 1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function cmpVer(a: Ver, b: Ver): number {
  for (const k of ['major', 'minor', 'patch'] as const) if (a[k] !== b[k]) return a[k] < b[k] ? -1 : 1;
  return cmpPre(a.pre, b.pre);
}

export function satisfies(v: Ver, constraint: string): boolean {
  return constraint.split('||').some((group) =>
    group
      .trim()
      // an operator may be followed by spaces: ">= 1.23.0-0"
      .replace(/(>=|<=|!=|=>|=<|~>|>|<|=|~|\^)\s+/g, '$1')
      .replace(/\s*-\s+/g, ' - ')
      .split(/\s*,\s*|\s+(?!-)(?<!-\s)/)
      .filter(Boolean)
      .every((c) => checkOne(v, c.trim())),
  );
}

function checkOne(v: Ver, c: string): boolean {
  const hy = /^(\S+) - (\S+)$/.exec(c);
  if (hy) return checkOne(v, `>=${hy[1]}`) && checkOne(v, `<=${hy[2]}`);
  const m =
    /^(=|!=|>=|<=|>|<|~>|~|\^|=>|=<)?\s*v?([0-9xX*]+)(?:\.([0-9xX*]+))?(?:\.([0-9xX*]+))?(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(
      c,
    );
  if (!m) throw new Error(`improper constraint: ${c}`);
  const op = m[1] ?? '';
  const wild = (x: string | undefined) => x === undefined || /^[xX*]$/.test(x);
  const parts = [m[2], m[3], m[4]];
  const base: Ver = {
    major: wild(parts[0]) ? 0 : Number(parts[0]),
    minor: wild(parts[1]) ? 0 : Number(parts[1]),
    patch: wild(parts[2]) ? 0 : Number(parts[2]),
    pre: m[5] ?? '',
    meta: '',
    original: c,
  };
  // prereleases only satisfy constraints that name a prerelease
  if (v.pre && !base.pre) return false;
  const dotsGiven = parts.filter((p) => p !== undefined && !wild(p)).length;
  const upper = (level: number): Ver =>
    level === 0
      ? { ...base, major: base.major + 1, minor: 0, patch: 0, pre: '' }
      : { ...base, minor: base.minor + 1, patch: 0, pre: '' };
  const c0 = cmpVer(v, base);
  switch (op) {
    case '':
    case '=':
      if (dotsGiven < 3) return c0 >= 0 && cmpVer(v, upper(dotsGiven <= 1 ? 0 : 1)) < 0;
      return c0 === 0;
    case '!=':
      return c0 !== 0;
    case '>':
      if (dotsGiven < 3) return cmpVer(v, upper(dotsGiven <= 1 ? 0 : 1)) >= 0;
      return c0 > 0;
    case '<':
      return c0 < 0;
    case '>=':
    case '=>':
      return c0 >= 0;
    case '<=':
    case '=<':
      if (dotsGiven < 3) return cmpVer(v, upper(dotsGiven <= 1 ? 0 : 1)) < 0;
      return c0 <= 0;
    case '~':
    case '~>':
      return c0 >= 0 && cmpVer(v, upper(dotsGiven <= 1 ? 0 : 1)) < 0;
    case '^': {
      const lvl = base.major > 0 || dotsGiven <= 1 ? 0 : base.minor > 0 || dotsGiven === 2 ? 1 : 2;
      const up = lvl === 2 ? { ...base, patch: base.patch + 1, pre: '' } : upper(lvl);
      return c0 >= 0 && cmpVer(v, up) < 0;
    }
  }
  return false;
}

function semverValue(v: Ver): GoValue {
  const text = `${v.major}.${v.minor}.${v.patch}${v.pre ? `-${v.pre}` : ''}${v.meta ? `+${v.meta}` : ''}`;
  const other = (o: GoValue) =>
    parseSemver(strval((o as unknown as { String: () => string }).String?.() ?? o));
  return {
    Compare: (o: GoValue) => BigInt(cmpVer(v, other(o))),
    LessThan: (o: GoValue) => cmpVer(v, other(o)) < 0,
    GreaterThan: (o: GoValue) => cmpVer(v, other(o)) > 0,
    Equal: (o: GoValue) => cmpVer(v, other(o)) === 0,
    [Symbol.for('gitops.helm.struct')]: '*semver.Version',
    Major: () => BigInt(v.major),
    Minor: () => BigInt(v.minor),
    Patch: () => BigInt(v.patch),
    Prerelease: () => v.pre,
    Original: () => v.original,
    Metadata: () => v.meta,
    String: () => text,
    // Version.MarshalJSON: its String() as a JSON string
    [GO_JSON]: () => text,
  } as unknown as GoValue;
}

// ---- the map -----------------------------------------------------------------------------------------

function kindOf(v: GoValue): string {
  if (v === null || v === undefined) return 'invalid';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'function') return 'func';
  if (isGoComplex(v)) return 'complex128';
  // a struct is a pointer when its Go type says so (*chart.Metadata), a struct value otherwise
  if (isGoStruct(v))
    return String((v as unknown as { [GO_STRUCT]: string })[GO_STRUCT]).startsWith('*') ? 'ptr' : 'struct';
  return 'map';
}

function uniq(l: GoValue[]): GoValue[] {
  const out: GoValue[] = [];
  for (const x of l) if (!out.some((y) => deepEqualGo(x, y))) out.push(x);
  return out;
}

function deepEqualGo(a: GoValue, b: GoValue): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((x, i) => deepEqualGo(x, b[i] as GoValue));
  if (isGoMap(a) && isGoMap(b)) {
    const ka = Object.keys(a);
    return (
      ka.length === Object.keys(b).length &&
      ka.every((k) => deepEqualGo((a as GoMap)[k] as GoValue, (b as GoMap)[k] as GoValue))
    );
  }
  return false;
}

const int = (v: GoValue) => toInt64(v);

/** Helm's warnWrap: fail and required errors, found by HELM_WARNING in the error chain. */
export function warnWrap(msg: string): string {
  return `HELM_ERR_START${msg}HELM_ERR_END`;
}

export const HELM_WARNING = /HELM_ERR_START([\s\S]*)HELM_ERR_END/;

/**
 * The functions whose result is not a function of their arguments and the chart alone, by what
 * they read: `clock` the time of day (fixed by SOURCE_DATE_EPOCH), `random` a random source
 * (fixed by `--seed`), `entropy` randomness no option fixes (keys, certificates, AES IVs). A render
 * that calls one of them unfixed can differ from run to run, so it is never reused (render-cache.ts).
 */
export const IMPURE_FUNCS: Record<string, 'clock' | 'random' | 'entropy'> = {
  now: 'clock',
  date: 'clock',
  dateInZone: 'clock',
  date_in_zone: 'clock',
  htmlDate: 'clock',
  htmlDateInZone: 'clock',
  ago: 'clock',
  durationRound: 'clock',
  randAlphaNum: 'random',
  randAlpha: 'random',
  randNumeric: 'random',
  randAscii: 'random',
  randInt: 'random',
  randBytes: 'random',
  uuidv4: 'random',
  shuffle: 'random',
  bcrypt: 'random',
  htpasswd: 'random',
  genPrivateKey: 'entropy',
  encryptAES: 'entropy',
  genCA: 'entropy',
  genCAWithKey: 'entropy',
  genSelfSignedCert: 'entropy',
  genSelfSignedCertWithKey: 'entropy',
  genSignedCert: 'entropy',
  genSignedCertWithKey: 'entropy',
};

/** net/url's shouldEscape for the modes urlJoin and urlParse meet. */
function urlShouldEscape(c: string, mode: 'path' | 'fragment' | 'user'): boolean {
  if (/[A-Za-z0-9\-_.~]/.test(c)) return false;
  if ('$&+,/:;=?@'.includes(c)) {
    if (mode === 'path') return c === '?';
    if (mode === 'user') return c === '@' || c === '/' || c === '?' || c === ':';
    return false;
  }
  if (mode === 'fragment' && '!()*'.includes(c)) return false;
  return true;
}

function urlEscape(s: string, mode: 'path' | 'fragment' | 'user'): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out +=
      byte < 0x80 && !urlShouldEscape(c, mode) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** url.URL.String() of sprig's urlJoin. */
function goUrlString(
  scheme: string,
  userinfo: string,
  host: string,
  path: string,
  query: string,
  opaque: string,
  fragment: string,
): string {
  let out = scheme ? `${scheme}:` : '';
  if (opaque) out += opaque;
  else {
    if (scheme || host || userinfo) {
      if (host || path || userinfo) out += '//';
      if (userinfo) {
        // sprig reads it back through url.Parse("proto://USERINFO@host")
        if (/[^A-Za-z0-9\-._:~!$&'()*+,;=%@]/.test(userinfo))
          throw new Error(
            `unable to parse userinfo in dict: parse ${JSON.stringify(`proto://${userinfo}@host`)}: net/url: invalid userinfo`,
          );
        const i = userinfo.indexOf(':');
        const user = i < 0 ? userinfo : userinfo.slice(0, i);
        out += urlEscape(decodeURIComponent(user), 'user');
        if (i >= 0) out += `:${urlEscape(decodeURIComponent(userinfo.slice(i + 1)), 'user')}`;
        out += '@';
      }
      out += host;
    }
    const p = path === '*' ? '*' : urlEscape(path, 'path');
    if (p !== '' && !p.startsWith('/') && host) out += '/';
    if (out === '') {
      const colon = p.indexOf(':');
      if (colon >= 0 && !p.slice(0, colon).includes('/')) out += './';
    }
    out += p;
  }
  if (query) out += `?${query}`;
  if (fragment) out += `#${urlEscape(fragment, 'fragment')}`;
  return out;
}

/** net/url's Parse as sprig's urlParse reads it, relative references included. */
function goUrlParse(raw: string): GoValue {
  const urlUnescape = (x: string) => {
    try {
      return decodeURIComponent(x);
    } catch {
      throw new Error(`unable to parse url: parse ${JSON.stringify(raw)}: invalid URL escape`);
    }
  };
  let rest = raw;
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = urlUnescape(rest.slice(hash + 1));
    rest = rest.slice(0, hash);
  }
  let query = '';
  let scheme = '';
  const sm = /^([a-zA-Z][a-zA-Z0-9+.-]*):/.exec(rest);
  if (sm) {
    scheme = (sm[1] as string).toLowerCase();
    rest = rest.slice(sm[0].length);
  }
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  let opaque = '';
  let userinfo = '';
  let host = '';
  let path = '';
  if (scheme && !rest.startsWith('/')) opaque = rest;
  else {
    if ((scheme || !rest.startsWith('///')) && rest.startsWith('//')) {
      const end = rest.indexOf('/', 2);
      const authority = end < 0 ? rest.slice(2) : rest.slice(2, end);
      rest = end < 0 ? '' : rest.slice(end);
      const at = authority.lastIndexOf('@');
      if (at >= 0) {
        const ui = authority.slice(0, at);
        if (/[^A-Za-z0-9\-._:~!$&'()*+,;=%@]/.test(ui))
          throw new Error(`unable to parse url: parse ${JSON.stringify(raw)}: net/url: invalid userinfo`);
        const i = ui.indexOf(':');
        userinfo =
          i < 0
            ? urlEscape(urlUnescape(ui), 'user')
            : `${urlEscape(urlUnescape(ui.slice(0, i)), 'user')}:${urlEscape(urlUnescape(ui.slice(i + 1)), 'user')}`;
      }
      host = at >= 0 ? authority.slice(at + 1) : authority;
    }
    path = urlUnescape(rest);
  }
  const hostname = host.startsWith('[') ? host.slice(1, host.indexOf(']')) : host.replace(/:\d*$/, '');
  return goMap({ scheme, host, hostname, path, query, opaque, fragment, userinfo });
}

/** A key of a Go map: an own, enumerable entry (not one of the methods a named map type carries,
 * such as common.Values' YAML or Table, which are hidden properties). */
function hasEntry(m: GoMap, k: string): boolean {
  return Object.prototype.propertyIsEnumerable.call(m, k);
}

export function helmFuncs(ctx: FuncContext): Record<string, GoFunc> {
  const rnd = ctx.random;
  const randomString = (n: number, alphabet: string): string => {
    if (!rnd) return randomStringCrypto(n, alphabet);
    let out = '';
    for (let i = 0; i < n; i++) out += alphabet[Math.floor(rnd() * alphabet.length)];
    return out;
  };
  const f: Record<string, GoFunc> = {
    // strings
    upper: (s) => simpleCase(strval(s), 'upper'),
    lower: (s) => simpleCase(strval(s), 'lower'),
    title: (s) => title(strval(s)),
    untitle: (s) => strval(s).replace(/(^|\s)(\S)/g, (_m, p: string, c: string) => p + c.toLowerCase()),
    trim: (s) => strval(s).trim(),
    trimAll: (cut, s) => {
      const set = new Set(Array.from(strval(cut)));
      const a = Array.from(strval(s));
      let i = 0;
      let j = a.length;
      while (i < j && set.has(a[i] as string)) i++;
      while (j > i && set.has(a[j - 1] as string)) j--;
      return a.slice(i, j).join('');
    },
    trimPrefix: (p, s) => (strval(s).startsWith(strval(p)) ? strval(s).slice(strval(p).length) : strval(s)),
    trimSuffix: (p, s) =>
      strval(p) && strval(s).endsWith(strval(p)) ? strval(s).slice(0, -strval(p).length) : strval(s),
    contains: (sub, s) => strval(s).includes(strval(sub)),
    hasPrefix: (p, s) => strval(s).startsWith(strval(p)),
    hasSuffix: (p, s) => strval(s).endsWith(strval(p)),
    repeat: (n, s) => strval(s).repeat(Math.max(0, Number(int(n)))),
    replace: (o, n, s) => strval(s).split(strval(o)).join(strval(n)),
    nospace: (s) => strval(s).replace(/\s/g, ''),
    // trunc and substr count bytes, as Go slices strings
    trunc: (c, s) => {
      const n = Number(int(c));
      const str = strval(s);
      // ASCII: each byte is a character (a binary string always holds one that is not ASCII)
      if (Buffer.byteLength(str) === str.length) {
        if (n < 0) return str.length + n > 0 ? str.slice(str.length + n) : str;
        return str.length > n ? str.slice(0, n) : str;
      }
      const b = bytesOf(str);
      if (n < 0 && b.length + n > 0) return goString(b.subarray(b.length + n));
      if (n >= 0 && b.length > n) return goString(b.subarray(0, n));
      return strval(s);
    },
    abbrev: (w, s) => {
      const n = Number(int(w));
      const str = strval(s);
      if (n < 4 || str.length <= n) return str;
      return `${str.slice(0, n - 3)}...`;
    },
    substr: (a, b, s) => {
      const bytes = bytesOf(strval(s));
      const len = bytes.length;
      const start = Number(int(a));
      const end = Number(int(b));
      // out of range is Go's panic, which text/template reports
      const oob = (what: string) => new Error(`runtime error: slice bounds out of range ${what}`);
      if (start < 0) {
        if (end < 0 || end > len) throw oob(`[:${end}] with length ${len}`);
        return goString(bytes.subarray(0, end));
      }
      if (end < 0 || end > len) {
        if (start > len) throw oob(`[${start}:${len}]`);
        return goString(bytes.subarray(start));
      }
      if (start > end) throw oob(`[${start}:${end}]`);
      return goString(bytes.subarray(start, end));
    },
    indent: (n, s) => {
      const pad = ' '.repeat(Math.max(0, Number(int(n))));
      return pad + strval(s).split('\n').join(`\n${pad}`);
    },
    nindent: (n, s) => {
      const pad = ' '.repeat(Math.max(0, Number(int(n))));
      return `\n${pad}${strval(s).split('\n').join(`\n${pad}`)}`;
    },
    quote: (...a) =>
      a
        .filter((x) => x !== null)
        .map((x) => sprintf('%q', [strval(x)]))
        .join(' '),
    squote: (...a) =>
      a
        .filter((x) => x !== null)
        .map((x) => `'${strval(x)}'`)
        .join(' '),
    cat: (...a) =>
      a
        .filter((x) => x !== null)
        .map(strval)
        .join(' '),
    wrap: (n, s) => wrapText(strval(s), Number(int(n)), '', false),
    wrapWith: (n, sep, s) => wrapText(strval(s), Number(int(n)), strval(sep), true),
    plural: (one, many, n) => (int(n) === 1n ? strval(one) : strval(many)),
    snakecase: (s) =>
      words(strval(s))
        .map((w) => w.toLowerCase())
        .join('_'),
    kebabcase: (s) =>
      words(strval(s))
        .map((w) => w.toLowerCase())
        .join('-'),
    camelcase: (s) => camelCase(strval(s)),
    swapcase: (s) =>
      Array.from(strval(s))
        .map((c) => (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()))
        .join(''),
    initials: (s) =>
      strval(s)
        .split(/\s+/)
        .filter(Boolean)
        .map((w) => Array.from(w)[0])
        .join(''),
    split: (sep, s) => {
      const m = goMap();
      strval(s)
        .split(strval(sep))
        .forEach((p, i) => {
          m[`_${i}`] = p;
        });
      return m;
    },
    splitList: (sep, s) => strval(s).split(strval(sep)),
    splitn: (sep, n, s) => {
      const parts = strval(s).split(strval(sep));
      const k = Number(int(n));
      const out =
        k > 0 && parts.length > k ? [...parts.slice(0, k - 1), parts.slice(k - 1).join(strval(sep))] : parts;
      const m = goMap();
      out.forEach((p, i) => {
        m[`_${i}`] = p;
      });
      return m;
    },
    join: (sep, v) => strslice(v).join(strval(sep)),
    toString: (v: GoValue) => strval(v),
    toStrings: (v) => strslice(v),
    atoi: (s) => {
      const t = strval(s).trim();
      return /^[-+]?\d+$/.test(t) ? BigInt(t) : 0n;
    },
    int: (v) => int(v),
    int64: (v) => int(v),
    float64: (v) => toFloat64(v),
    toDecimal: (v) => {
      const t = strval(v);
      return /^[0-7]+$/.test(t) ? BigInt(`0o${t}`) : 0n;
    },
    // regular expressions
    // sprig's regexMatch ignores a bad expression (false); the must form reports it
    regexMatch: (re, s) => {
      try {
        return re2(strval(re)).test(strval(s));
      } catch {
        return false;
      }
    },
    mustRegexMatch: (re, s) => re2(strval(re)).test(strval(s)),
    regexFind: (re, s) => re2(strval(re)).exec(strval(s))?.[0] ?? '',
    regexFindAll: (re, s, n) => {
      const all = [...strval(s).matchAll(re2(strval(re), true))].map((m) => m[0]);
      const k = Number(int(n));
      return k < 0 ? all : all.slice(0, k);
    },
    regexReplaceAll: (re, s, repl) =>
      strval(s).replace(re2(strval(re), true), goRegexReplacement(strval(repl))),
    regexReplaceAllLiteral: (re, s, repl) => strval(s).replace(re2(strval(re), true), () => strval(repl)),
    regexSplit: (re, s, n) => {
      const k = Number(int(n));
      const str = strval(s);
      if (k === 0) return [];
      const rx = re2(strval(re), true);
      const out: string[] = [];
      let last = 0;
      for (const m of str.matchAll(rx)) {
        if (k > 0 && out.length === k - 1) break;
        if (m[0] === '' && (m.index === 0 || m.index === str.length)) continue;
        out.push(str.slice(last, m.index));
        last = (m.index as number) + m[0].length;
      }
      out.push(str.slice(last));
      return out;
    },
    regexQuoteMeta: (s) => strval(s).replace(/[\\.+*?()|[\]{}^$]/g, '\\$&'),
    // defaults and flow
    default: (d, ...given) =>
      given.length === 0 || isEmpty(given[0] as GoValue) ? d : (given[0] as GoValue),
    empty: (v) => isEmpty(v),
    coalesce: (...a) => a.find((x) => !isEmpty(x)) ?? null,
    all: (...a) => a.every((x) => !isEmpty(x)),
    any: (...a) => a.some((x) => !isEmpty(x)),
    ternary: (t, fv, c) => (truth(c) ? t : fv),
    // Helm marks its own failures so that the message can be found again in a chain of errors
    fail: (msg) => {
      throw new Error(warnWrap(strval(msg)));
    },
    required: (msg, v) => {
      if (v === null || v === undefined || (typeof v === 'string' && v === ''))
        throw new Error(warnWrap(strval(msg)));
      return v;
    },
    // lists
    list: (...a) => a,
    tuple: (...a) => a,
    first: (l) => (l === null ? null : (asList(l, 'find first').at(0) ?? null)),
    last: (l) => (l === null ? null : (asList(l, 'find last').at(-1) ?? null)),
    rest: (l) => asList(l, 'find rest').slice(1),
    initial: (l) => asList(l, 'find initial').slice(0, -1),
    reverse: (l) => [...asList(l, 'find reverse')].reverse(),
    uniq: (l) => uniq(asList(l, 'find uniq')),
    compact: (l) => asList(l, 'compact').filter((x) => !isEmpty(x)),
    without: (l, ...rm) => asList(l, 'find without').filter((x) => !rm.some((r) => deepEqualGo(x, r))),
    has: (needle, l) => (l === null ? false : asList(l, 'find has').some((x) => deepEqualGo(x, needle))),
    append: (l, v) => [...asList(l, 'push'), v],
    push: (l, v) => [...asList(l, 'push'), v],
    prepend: (l, v) => [v, ...asList(l, 'prepend')],
    concat: (...ls) => ls.flatMap((l) => asList(l, 'concat')),
    slice: (l, ...idx) => {
      const list = asList(l, 'slice');
      const a = idx.length > 0 ? Number(int(idx[0] as GoValue)) : 0;
      const b = idx.length > 1 ? Number(int(idx[1] as GoValue)) : list.length;
      if (a < 0 || b < a || b > list.length)
        throw new Error(`runtime error: slice bounds out of range [${a}:${b}] with capacity ${list.length}`);
      return list.slice(a, b);
    },
    chunk: (size, l) => {
      const n = Number(int(size));
      const list = asList(l, 'chunk');
      const out: GoValue[] = [];
      for (let i = 0; i < list.length; i += n) out.push(list.slice(i, i + n));
      return out;
    },
    sortAlpha: (l) => strslice(l).sort(),
    until: (n) => {
      const k = Number(int(n));
      const out: GoValue[] = [];
      if (k >= 0) for (let i = 0; i < k; i++) out.push(BigInt(i));
      else for (let i = 0; i > k; i--) out.push(BigInt(i));
      return out;
    },
    untilStep: (start, stop, step) => {
      const a = Number(int(start));
      const b = Number(int(stop));
      const s = Number(int(step));
      const out: GoValue[] = [];
      if (s === 0) return out;
      if (a < b) {
        if (s < 0) return out;
        for (let i = a; i < b; i += s) out.push(BigInt(i));
      } else {
        if (s > 0) return out;
        for (let i = a; i > b; i += s) out.push(BigInt(i));
      }
      return out;
    },
    seq: (...p) => {
      const n = p.map((x) => Number(int(x)));
      let [start, step, end] = [1, 1, 0];
      if (n.length === 1) end = n[0] as number;
      else if (n.length === 2) [start, end] = [n[0] as number, n[1] as number];
      else if (n.length === 3) [start, step, end] = n as [number, number, number];
      else return '';
      if (n.length < 3 && end < start) step = -1;
      const out: number[] = [];
      if (step === 0) return '';
      if (step > 0) for (let i = start; i <= end; i += step) out.push(i);
      else for (let i = start; i >= end; i += step) out.push(i);
      return out.join(' ');
    },
    // dicts
    dict: (...a) => {
      const m = goMap();
      for (let i = 0; i < a.length; i += 2)
        m[strval(a[i] as GoValue)] = i + 1 < a.length ? (a[i + 1] as GoValue) : '';
      templateMaps.add(m);
      return m;
    },
    get: (d, k) => {
      const m = asMap(d);
      return hasEntry(m, strval(k)) ? (m[strval(k)] as GoValue) : '';
    },
    set: (d, k, v) => {
      asMap(d, true)[strval(k)] = v;
      return d;
    },
    unset: (d, k) => {
      delete asMap(d)[strval(k)];
      return d;
    },
    hasKey: (d, k) => hasEntry(asMap(d), strval(k)),
    keys: (...ds) => ds.flatMap((d) => Object.keys(asMap(d))),
    values: (d) => Object.values(asMap(d)),
    pick: (d, ...ks) => {
      const m = goMap();
      const src = asMap(d);
      for (const k of ks) if (strval(k) in src) m[strval(k)] = src[strval(k)] as GoValue;
      return m;
    },
    omit: (d, ...ks) => {
      const m = goMap();
      const drop = new Set(ks.map(strval));
      for (const [k, v] of Object.entries(asMap(d))) if (!drop.has(k)) m[k] = v;
      return m;
    },
    pluck: (k, ...ds) =>
      ds
        .map((d) => asMap(d))
        .filter((m) => hasEntry(m, strval(k)))
        .map((m) => m[strval(k)] as GoValue),
    dig: (...a) => {
      if (a.length < 3) throw new Error('dig needs at least three arguments');
      const m = a[a.length - 1] as GoValue;
      const def = a[a.length - 2] as GoValue;
      let cur: GoValue = m;
      for (const k of a.slice(0, -2)) {
        if (!isGoMap(cur) || !(strval(k) in (cur as GoMap))) return def;
        cur = (cur as GoMap)[strval(k)] as GoValue;
      }
      return cur;
    },
    merge: (dst, ...srcs) => {
      for (const s of srcs) mergeInto(asMap(dst), asMap(s), false);
      return dst;
    },
    mergeOverwrite: (dst, ...srcs) => {
      for (const s of srcs) mergeInto(asMap(dst), asMap(s), true);
      return dst;
    },
    biggest: (a, ...b) => b.reduce((m: bigint, x) => (int(x) > m ? int(x) : m), int(a)),
    randInt: (lo, hi) => {
      const a = int(lo);
      const b = int(hi);
      return b <= a ? a : a + BigInt(Math.floor((rnd ?? Math.random)() * Number(b - a)));
    },
    b32dec: (s) => {
      const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
      let bits = 0;
      let value = 0;
      const out: number[] = [];
      for (const c of strval(s).replace(/=+$/, '')) {
        const i = alphabet.indexOf(c);
        if (i < 0) return `illegal base32 data at input byte ${strval(s).indexOf(c)}`;
        value = (value << 5) | i;
        bits += 5;
        if (bits >= 8) {
          out.push((value >>> (bits - 8)) & 255);
          bits -= 8;
        }
      }
      return Buffer.from(out).toString('utf8');
    },
    abbrevboth: (l, w, s) => {
      const str = strval(s);
      const left = Number(int(l));
      const width = Number(int(w));
      if (width < 4 || str.length <= width) return str;
      if (left <= 4) return `${str.slice(0, width - 3)}...`;
      const start = Math.min(left, str.length - (width - 3));
      if (width < 7) return str;
      if (start + width - 3 < str.length) return `...${str.slice(start, start + width - 6)}...`;
      return `...${str.slice(str.length - (width - 3))}`;
    },
    urlParse: (u) => goUrlParse(strval(u)),
    urlJoin: (d) => {
      const m = asMap(d);
      const g = (k: string) => (m[k] === undefined ? '' : strval(m[k] as GoValue));
      return goUrlString(
        g('scheme'),
        g('userinfo'),
        g('host'),
        g('path'),
        g('query'),
        g('opaque'),
        g('fragment'),
      );
    },
    // sprig's duration: a string of seconds or an int64; anything else (a template's int, a
    // float64 from values) is 0
    duration: (sec) => {
      let n = 0n;
      if (typeof sec === 'string') n = /^[+-]?\d+$/.test(sec) ? BigInt(sec) : 0n;
      else if (typeof sec === 'bigint') n = sec;
      return goDuration(Number(n) * 1e9);
    },
    deepCopy: (v) => deepCopy(v),
    // math
    add: (...a) => a.reduce((s: bigint, x) => s + int(x), 0n),
    add1: (a) => int(a) + 1n,
    sub: (a, b) => int(a) - int(b),
    mul: (a, ...b) => b.reduce((s: bigint, x) => s * int(x), int(a)),
    div: (a, b) => {
      if (int(b) === 0n) throw new Error('runtime error: integer divide by zero');
      return int(a) / int(b);
    },
    mod: (a, b) => {
      if (int(b) === 0n) throw new Error('runtime error: integer divide by zero');
      return int(a) % int(b);
    },
    max: (a, ...b) => b.reduce((m: bigint, x) => (int(x) > m ? int(x) : m), int(a)),
    min: (a, ...b) => b.reduce((m: bigint, x) => (int(x) < m ? int(x) : m), int(a)),
    addf: (...a) =>
      decNum(
        a.reduce(
          (acc: { n: bigint; s: number }, x) => {
            const [p, q, sc] = decAlign(acc, dec(toFloat64(x)));
            return { n: p + q, s: sc };
          },
          { n: 0n, s: 0 },
        ),
      ),
    add1f: (a) => toFloat64(a) + 1,
    subf: (a, ...b) =>
      decNum(
        b.reduce(
          (acc: { n: bigint; s: number }, x) => {
            const [p, q, sc] = decAlign(acc, dec(toFloat64(x)));
            return { n: p - q, s: sc };
          },
          dec(toFloat64(a)),
        ),
      ),
    mulf: (a, ...b) =>
      decNum(
        b.reduce(
          (acc: { n: bigint; s: number }, x) => {
            const d = dec(toFloat64(x));
            return { n: acc.n * d.n, s: acc.s + d.s };
          },
          dec(toFloat64(a)),
        ),
      ),
    divf: (a, ...b) => b.reduce((s: number, x) => s / toFloat64(x), toFloat64(a)),
    maxf: (a, ...b) => b.reduce((m: number, x) => Math.max(m, toFloat64(x)), toFloat64(a)),
    minf: (a, ...b) => b.reduce((m: number, x) => Math.min(m, toFloat64(x)), toFloat64(a)),
    floor: (a) => Math.floor(toFloat64(a)),
    ceil: (a) => Math.ceil(toFloat64(a)),
    round: (a, p, r) => {
      const places = Number(int(p));
      const roundOn = r === undefined || r === null ? 0.5 : toFloat64(r);
      const pow = 10 ** places;
      const digit = toFloat64(a) * pow;
      const [intPart, frac] = [Math.trunc(digit), Math.abs(digit - Math.trunc(digit))];
      const round = frac >= roundOn ? (digit >= 0 ? Math.ceil(digit) : Math.floor(digit)) : intPart;
      return round / pow;
    },
    // encodings and hashes
    b64enc: (s) => bytesOf(strval(s)).toString('base64'),
    b64dec: (s) => {
      const t = strval(s);
      if (!/^[A-Za-z0-9+/]*={0,2}$/.test(t) || t.length % 4 !== 0) {
        // encoding/base64: the first character that is not base64, else the start of the
        // unfinished last quantum
        const bad = t.search(/[^A-Za-z0-9+/=]/);
        return `illegal base64 data at input byte ${bad >= 0 ? bad : t.length - (t.length % 4 || 4)}`;
      }
      return goString(Buffer.from(t, 'base64'));
    },
    b32enc: (s) => base32(Buffer.from(strval(s), 'utf8')),
    sha1sum: (s) =>
      createHash('sha1')
        .update(bytesOf(strval(s)))
        .digest('hex'),
    sha256sum: (s) =>
      createHash('sha256')
        .update(bytesOf(strval(s)))
        .digest('hex'),
    sha512sum: (s) =>
      createHash('sha512')
        .update(bytesOf(strval(s)))
        .digest('hex'),
    adler32sum: (s) => {
      let a = 1;
      let b = 0;
      for (const byte of Buffer.from(strval(s), 'utf8')) {
        a = (a + byte) % 65521;
        b = (b + a) % 65521;
      }
      return String(((b << 16) | a) >>> 0);
    },
    uuidv4: () => {
      if (!rnd) return randomUUID();
      const b = Array.from({ length: 16 }, () => Math.floor(rnd() * 256));
      b[6] = ((b[6] as number) & 0x0f) | 0x40;
      b[8] = ((b[8] as number) & 0x3f) | 0x80;
      const h = b.map((x) => x.toString(16).padStart(2, '0')).join('');
      return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
    },
    randAlphaNum: (n) =>
      randomString(Number(int(n)), 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'),
    randAlpha: (n) => randomString(Number(int(n)), 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'),
    randNumeric: (n) => randomString(Number(int(n)), '0123456789'),
    randAscii: (n) =>
      randomString(
        Number(int(n)),
        Array.from({ length: 94 }, (_, i) => String.fromCharCode(33 + i)).join(''),
      ),
    // reflection
    typeOf: (v) => goTypeName(v),
    typeIs: (t, v) => strval(t) === goTypeName(v),
    typeIsLike: (t, v) => strval(t) === goTypeName(v) || strval(t) === `*${goTypeName(v)}`,
    kindOf: (v) => kindOf(v),
    kindIs: (k, v) => strval(k) === kindOf(v),
    deepEqual: (a, b) => deepEqualGo(a, b),
    // semver
    semver: (s) => semverValue(parseSemver(strval(s))),
    semverCompare: (c, v) => satisfies(parseSemver(strval(v)), strval(c)),
    // paths
    base: (p) => posix.basename(strval(p)) || '.',
    dir: (p) => posix.dirname(strval(p)),
    clean: (p) => posix.normalize(strval(p)).replace(/(.)\/$/, '$1'),
    ext: (p) => posix.extname(strval(p)),
    isAbs: (p) => strval(p).startsWith('/'),
    // Helm
    toYaml: (v) => toYaml(v),
    toYamlPretty: (v) => {
      try {
        return marshal(toJsonValue(v), { v3: true }).replace(/\n$/, '');
      } catch {
        return '';
      }
    },
    mustToYaml: (v) => marshal(toJsonValue(v)).replace(/\n$/, ''),
    fromYaml: (s) => {
      try {
        const v = parseYamlValues(strval(s))[0] ?? null;
        if (v === null || isGoMap(v)) return v ?? goMap();
        return goMap({
          Error: `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into Go value of type map[string]interface {}`,
        });
      } catch (e) {
        return goMap({ Error: (e as Error).message });
      }
    },
    fromYamlArray: (s) => {
      try {
        const v = parseYamlValues(strval(s))[0] ?? null;
        if (v === null || Array.isArray(v)) return v ?? [];
        return [
          `error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into Go value of type []interface {}`,
        ];
      } catch (e) {
        return [(e as Error).message];
      }
    },
    toJson: (v) => {
      try {
        return toJson(v);
      } catch {
        return '';
      }
    },
    mustToJson: (v) => toJson(v),
    toPrettyJson: (v) => toJson(v, true, '  '),
    toRawJson: (v) => toJson(v, false),
    // Helm's fromJson/fromJsonArray: into a map or a list, an error in the result
    fromJson: (s) => {
      try {
        const v = fromJsonValue(JSON.parse(strval(s)));
        if (v === null || isGoMap(v)) return v;
        return goMap({
          Error: `json: cannot unmarshal ${jsonKind(v)} into Go value of type map[string]interface {}`,
        });
      } catch (e) {
        return goMap({ Error: goJsonError(e as Error, strval(s)) });
      }
    },
    fromJsonArray: (s) => {
      try {
        const v = fromJsonValue(JSON.parse(strval(s)));
        if (v === null || Array.isArray(v)) return v;
        return [`json: cannot unmarshal ${jsonKind(v)} into Go value of type []interface {}`];
      } catch (e) {
        return [goJsonError(e as Error, strval(s))];
      }
    },
    // sprig's mustFromJson: any JSON value (Helm overrides only fromJson), an error when invalid
    mustFromJson: (s) => {
      try {
        return fromJsonValue(JSON.parse(strval(s)));
      } catch (e) {
        throw new Error(goJsonError(e as Error, strval(s)));
      }
    },
    derivePassword: (c, t, p, u, s) => derivePassword(c, t, p, u, s),
    htpasswd: (u, p) => htpasswd(u, p, rnd),
    bcrypt: (p) => bcrypt(p, rnd),
    genPrivateKey: (t) => genPrivateKey(t),
    buildCustomCert: (c, k) => buildCustomCert(c, k),
    encryptAES: (p, t) => encryptAES(p, t),
    decryptAES: (p, t) => decryptAES(p, t),
    toDate: (l, v) => toDate(l, v),
    date: (l, d) => dateFmt(l, d),
    dateInZone: (l, d, z) => dateInZone(l, d, z),
    date_in_zone: (l, d, z) => dateInZone(l, d, z),
    htmlDate: (d) => dateFmt('2006-01-02', d),
    htmlDateInZone: (d, z) => dateInZone('2006-01-02', d, z),
    dateModify: (m, d) => dateModify(m, d),
    date_modify: (m, d) => dateModify(m, d),
    mustDateModify: (m, d) => dateModify(m, d, true),
    must_date_modify: (m, d) => dateModify(m, d, true),
    mustToDate: (l, v) => mustToDate(l, v),
    unixEpoch: (d) => unixEpoch(d),
    ago: (d) => goDuration(agoNs(d)),
    hello: () => 'Hello!',
    genCA: (cn, d) => genCA(cn, d),
    genCAWithKey: (cn, d, k) => genCA(cn, d, k),
    genSelfSignedCert: (cn, ips, dns, d) => genSelfSignedCert(cn, ips, dns, d),
    genSelfSignedCertWithKey: (cn, ips, dns, d, k) => genSelfSignedCert(cn, ips, dns, d, k),
    genSignedCert: (cn, ips, dns, d, ca) => genSignedCert(cn, ips, dns, d, ca),
    genSignedCertWithKey: (cn, ips, dns, d, ca, k) => genSignedCert(cn, ips, dns, d, ca, k),
    // Helm answers DNS lookups with nothing unless --enable-dns, which `helm template` leaves off
    getHostByName: () => '',
    randBytes: (n) => {
      const count = Number(int(n));
      const bytes = rnd
        ? Buffer.from(Array.from({ length: count }, () => Math.floor(rnd() * 256)))
        : randomBytes(count);
      return bytes.toString('base64');
    },
    // xstrings.Shuffle: Fisher-Yates over the runes, from the end
    shuffle: (v) => {
      const runes = Array.from(strval(v));
      for (let i = runes.length - 1; i > 0; i--) {
        const j = Math.floor((rnd ?? Math.random)() * (i + 1));
        [runes[i], runes[j]] = [runes[j] as string, runes[i] as string];
      }
      return runes.join('');
    },
    fromToml: (s) => fromToml(strval(s)),
    now: () => goTime(nowMs()),
    durationRound: (v) => durationRound(v),
    toToml: (v) => toToml(v),
    // Helm 4.2: toToml that fails where toToml returns the encoder's error as its text
    ...(ctx.helm42
      ? {
          mustToToml: (v: GoValue) => {
            const out = toToml(v);
            if (Array.isArray(v) && out.startsWith('toml: ')) throw new Error(out);
            return out;
          },
        }
      : {}),
    include: (name, data) => ctx.include(strval(name), data),
    tpl: (text, data) => ctx.tpl(strval(text), data),
    lookup: (apiVersion, kind, ns, name) =>
      ctx.lookup ? ctx.lookup(strval(apiVersion), strval(kind), strval(ns), strval(name)) : goMap(),
  };
  // the must* variants that only differ by returning errors
  for (const n of [
    'first',
    'last',
    'rest',
    'initial',
    'reverse',
    'uniq',
    'compact',
    'without',
    'has',
    'append',
    'push',
    'prepend',
    'slice',
    'chunk',
    'merge',
    'mergeOverwrite',
    'deepCopy',
  ])
    f[`must${n[0]?.toUpperCase()}${n.slice(1)}`] = f[n] as GoFunc;
  // the must forms return Go's compile error; the others use regexp.MustCompile, whose panic
  // names the expression
  for (const n of ['regexFind', 'regexFindAll', 'regexReplaceAll', 'regexReplaceAllLiteral', 'regexSplit']) {
    const must = f[n] as GoFunc;
    f[`must${n[0]?.toUpperCase()}${n.slice(1)}`] = must;
    f[n] = (...a) => {
      try {
        return must(...a);
      } catch (e) {
        const m = (e as Error).message;
        if (!m.startsWith('error parsing regexp')) throw e;
        const expr = strval(a[0] as GoValue);
        // strconv.CanBackquote: no backquote and no control character but tab
        const canBackquote = ![...expr].some(
          (ch) => ch === '`' || (ch < ' ' && ch !== '\t') || ch === '\x7f',
        );
        const quoted = canBackquote ? `\`${expr}\`` : JSON.stringify(expr);
        throw new Error(`regexp: Compile(${quoted}): ${m}`);
      }
    };
  }
  f.mustToPrettyJson = f.toPrettyJson as GoFunc;
  f.mustToRawJson = f.toRawJson as GoFunc;
  f.trimall = f.trimAll as GoFunc;
  f.osBase = f.base as GoFunc;
  f.osDir = f.dir as GoFunc;
  f.osClean = f.clean as GoFunc;
  f.osExt = f.ext as GoFunc;
  f.osIsAbs = f.isAbs as GoFunc;
  return f;
}

/** Go's time.Duration.String. */
export function goDuration(ns: number): string {
  if (ns === 0) return '0s';
  const neg = ns < 0;
  let n = Math.abs(ns);
  if (n < 1e9) {
    const [u, d] = n < 1e3 ? ['ns', 1] : n < 1e6 ? ['µs', 1e3] : ['ms', 1e6];
    return `${neg ? '-' : ''}${formatValue(n / (d as number))}${u}`;
  }
  const h = Math.floor(n / 3.6e12);
  n -= h * 3.6e12;
  const m = Math.floor(n / 6e10);
  n -= m * 6e10;
  const s = n / 1e9;
  let out = '';
  if (h > 0) out += `${h}h`;
  if (h > 0 || m > 0) out += `${m}m`;
  out += `${formatValue(Number(s.toFixed(9)))}s`;
  return (neg ? '-' : '') + out;
}

/**
 * goutils' WrapCustom, which sprig's wrap (long words kept whole, "\n") and wrapWith (long words
 * cut) use: counted in bytes, a space at a line's start skipped, text that already holds newlines
 * wrapped as one line.
 */
function wrapText(str: string, width: number, sep: string, wrapLongWords: boolean): string {
  if (str === '') return '';
  const nl = Buffer.from(sep === '' ? '\n' : sep);
  const b = bytesOf(str);
  const w = Math.max(width, 1);
  const out: Buffer[] = [];
  let offset = 0;
  while (b.length - offset > w) {
    if (b[offset] === 0x20) {
      offset++;
      continue;
    }
    const end = Math.min(w + offset + 1, b.length);
    const space = b.subarray(offset, end).lastIndexOf(0x20);
    if (space >= 0) {
      out.push(b.subarray(offset, offset + space), nl);
      offset += space + 1;
    } else if (wrapLongWords) {
      out.push(b.subarray(offset, offset + w), nl);
      offset += w;
    } else {
      const next = b.indexOf(0x20, offset + w);
      if (next < 0) {
        out.push(b.subarray(offset));
        offset = b.length;
      } else {
        out.push(b.subarray(offset, next), nl);
        offset = next + 1;
      }
    }
  }
  out.push(b.subarray(offset));
  return goString(Buffer.concat(out));
}

function randomStringCrypto(n: number, alphabet: string): string {
  const bytes = randomBytes(Math.max(0, n));
  return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
}

function base32(buf: Buffer): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0;
  let value = 0;
  let out = '';
  for (const b of buf) {
    value = (value << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += alphabet[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
  }
  if (bits > 0) out += alphabet[(value << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}
