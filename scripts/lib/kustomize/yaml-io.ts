// Reading YAML for the engine: multi-document files into values with the line of each document.
// Delegates to the yaml layer (scripts/lib/yaml) for go-yaml v3 scalar resolution.
import {
  type DocumentOptions,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type ParseOptions,
  parseAllDocuments,
  type SchemaOptions,
  visit,
} from 'yaml';
import { SourceError } from '../errors.ts';
import { isMap as isMapValue, type JsonMap, type JsonValue, markScalarText } from '../json.ts';
import {
  dropLineBreakAtEof,
  type PlainResolver,
  readSimpleYamlStream,
  type SchemaTags,
  schemaResolver,
} from '../yaml/fast-read.ts';

export interface YamlDoc {
  value: JsonValue;
  line: number;
  col: number;
}

// go-yaml v3's timestamps (parseTimestamp): a plain scalar that time.Parse reads with one of
// 2006-1-2T15:4:5.999999999Z07:00 (T or t), 2006-1-2 15:4:5.999999999 (UTC) or 2006-1-2 is a
// time, which reaches the output as encoding/json writes a time.Time (RFC 3339, fraction without
// trailing zeros, Z for a zero offset).
const V3_TIMESTAMP =
  /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})(?:(?:([Tt])([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,]([0-9]+))?(Z|[-+][0-9]{2}:[0-9]{2}))|(?: ([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})(?:[.,]([0-9]+))?))?$/;

/**
 * The RFC 3339 text of a timestamp V3_TIMESTAMP matched, undefined when time.Parse refuses it, or
 * an Error when encoding/json cannot write the time it reads (a zone offset of 24 hours or more).
 */
function v3Timestamp(text: string): string | Error | undefined {
  const m = V3_TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, , th, tm, ts, tf, zone, sh, sm, ss, sf] = m;
  const [hour, min, sec, frac] = th !== undefined ? [th, tm, ts, tf] : [sh, sm, ss, sf];
  const num = (v: string | undefined) => Number(v ?? 0);
  const year = num(y);
  const month = num(mo);
  const day = num(d);
  const daysIn = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysIn) return undefined;
  if (num(hour) > 23 || num(min) > 59 || num(sec) > 59) return undefined;
  const p2 = (v: number) => String(v).padStart(2, '0');
  let offset = 'Z';
  if (zone && zone !== 'Z') {
    const [zh, zm] = [num(zone.slice(1, 3)), num(zone.slice(4))];
    if (zh > 24 || zm > 60) return undefined;
    // time.Time keeps the offset in seconds (+05:60 is +06:00); MarshalJSON refuses 24 hours or more
    const minutes = zh * 60 + zm;
    if (minutes >= 24 * 60)
      return new Error(
        `timestamp ${text}: kustomize cannot write a zone offset of 24 hours or more (Time.MarshalJSON: timezone hour outside of range [0,23]); quote it to keep it as text`,
      );
    if (minutes > 0) offset = `${zone[0]}${p2(Math.floor(minutes / 60))}:${p2(minutes % 60)}`;
  }
  const fraction = (frac ?? '').slice(0, 9).replace(/0+$/, '');
  return `${y}-${p2(month)}-${p2(day)}T${p2(num(hour))}:${p2(num(min))}:${p2(num(sec))}${fraction ? `.${fraction}` : ''}${offset}`;
}

// go-yaml v3's numbers (resolve.go): a plain scalar starting with a digit or a sign, its
// underscores removed, is an int if strconv.ParseInt(s, 0, 64) reads it (0x, 0o, 0b prefixes in
// either case, a leading 0 for octal, a sign before any of them), else a uint64, else a float if
// it has the form of a YAML float; one starting with '.' is a float if ParseFloat reads it.
// YAML 1.2's core schema, which `yaml` follows, reads 0777 as 777 and 1_000 as a string.
const U = '_*';
const digits = (d: string) => `(?:${d}${U})+`;
const V3_INT = new RegExp(
  `^(?=[-+0-9])[-+]?${U}(?:0${U}[xX]${U}${digits('[0-9a-fA-F]')}|0${U}[oO]${U}${digits('[0-7]')}|0${U}[bB]${U}${digits('[01]')}|0${U}(?:[0-7]${U})*|[1-9]${U}(?:[0-9]${U})*)$`,
);
const V3_FLOAT = new RegExp(
  `^(?=[-+0-9])[-+]?${U}(?:\\.${U}${digits('[0-9]')}|${digits('[0-9]')}(?:\\.${U}(?:[0-9]${U})*)?)(?:[eE]${U}[-+]?${U}${digits('[0-9]')})?$`,
);
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
const UINT64_MAX = 2n ** 64n - 1n;

/** strconv.ParseInt(s, 0, 64), then ParseUint, for text V3_INT matched (underscores removed). */
function parseGoInt(plain: string): bigint | undefined {
  const neg = plain.startsWith('-');
  const body = plain.replace(/^[-+]/, '');
  const lower = body.toLowerCase();
  const n =
    lower.startsWith('0x') || lower.startsWith('0o') || lower.startsWith('0b')
      ? BigInt(`0${lower[1]}${body.slice(2)}`)
      : body.length > 1 && body.startsWith('0')
        ? BigInt(`0o${body.slice(1)}`)
        : BigInt(body);
  const v = neg ? -n : n;
  if (v >= INT64_MIN && v <= INT64_MAX) return v;
  // ParseUint takes no sign
  if (!/^[-+]/.test(plain) && v <= UINT64_MAX) return v;
  return undefined;
}

const V3_SCALAR_TAGS = [
  {
    identify: () => false,
    default: true,
    tag: 'tag:yaml.org,2002:timestamp',
    test: V3_TIMESTAMP,
    resolve: (text: string, onError: (message: string) => void) => {
      const t = v3Timestamp(text);
      if (t instanceof Error) onError(t.message);
      return typeof t === 'string' ? t : text;
    },
  },
  {
    identify: (v: unknown) => typeof v === 'bigint',
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: V3_INT,
    resolve: (text: string) => {
      const plain = text.replaceAll('_', '');
      const v = parseGoInt(plain);
      if (v !== undefined) return v;
      // out of range: a float when it is written as one, else a string
      return V3_FLOAT.test(text) ? Number(plain) : text;
    },
  },
  {
    identify: (v: unknown) => typeof v === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: V3_FLOAT,
    resolve: (text: string) => Number(text.replaceAll('_', '')),
  },
  {
    identify: (v: unknown) => typeof v === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^\.[0-9]+(?:[eE][-+]?[0-9]+)?$/,
    resolve: (text: string) => Number(text),
  },
];

const PARSE_OPTIONS = {
  intAsBigInt: true,
  merge: true,
  customTags: (tags: SchemaTags) => [...V3_SCALAR_TAGS, ...tags],
} as const satisfies ParseOptions & DocumentOptions & SchemaOptions;

let resolver: PlainResolver | undefined;
/** How the engine's readers resolve a plain scalar (PARSE_OPTIONS' tags, 64-bit ints kept). */
const plainResolver = (): PlainResolver =>
  (resolver ??= schemaResolver(PARSE_OPTIONS, (v) => safeInts(v as JsonValue)));

/** Parses every document of a YAML stream; empty documents are skipped as kio.ByteReader does. */
export function readYamlDocuments(
  text: string,
  file: string,
  opts: { uniqueKeys?: boolean } = {},
): YamlDoc[] {
  const uniqueKeys = opts.uniqueKeys ?? true;
  // plain YAML (nearly every resource file) by the fast reader; the rest, and errors, by `yaml`
  const fast = readSimpleYamlStream(text, plainResolver(), () => ({}), {
    uniqueKeys,
    eofLineBreak: false,
    onPlain: (map, key, text) => markScalarText(map as JsonMap, key, text),
    folded: v3FoldedRoundTrip,
  });
  return fast ? (fast as YamlDoc[]) : readYamlDocumentsFully(text, file, uniqueKeys);
}

/** readYamlDocuments by the full parser, which words the errors. */
export function readYamlDocumentsFully(text: string, file: string, uniqueKeys = true): YamlDoc[] {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { ...PARSE_OPTIONS, lineCounter: lc, uniqueKeys, logLevel: 'error' });
  const last = docs[docs.length - 1];
  if (last && !last.errors.length) dropLineBreakAtEof(last, text);
  for (const doc of docs)
    if (!doc.errors.length)
      visit(doc, {
        Scalar(_, node) {
          if (node.type === 'BLOCK_FOLDED' && typeof node.value === 'string')
            node.value = v3FoldedRoundTrip(node.value);
        },
      });
  const out: YamlDoc[] = [];
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      const pos = lc.linePos(err.pos[0]);
      throw new SourceError('BAD_YAML', err.message.split('\n')[0] as string, {
        file,
        line: pos.line,
        col: pos.col,
      });
    }
    const value = safeInts(doc.toJS({ maxAliasCount: 10000 }) as JsonValue);
    if (value === null || value === undefined) continue;
    markScalarTexts(doc.contents, value);
    const start = doc.contents?.range?.[0] ?? 0;
    const pos = lc.linePos(start);
    out.push({ value, line: pos.line, col: pos.col });
  }
  return out;
}

/**
 * Records the YAML text of the plain scalars of `value`'s maps (what toJS made of `node`), see
 * markScalarText. Aliases and merged (`<<`) fields are not followed: they read as their value.
 */
function markScalarTexts(node: unknown, value: JsonValue): void {
  if (isMap(node) && isMapValue(value)) {
    for (const pair of node.items) {
      if (!isPair(pair) || !isScalar(pair.key)) continue;
      const key = pair.key.value;
      if (typeof key !== 'string' || !Object.hasOwn(value, key)) continue;
      const v = pair.value;
      if (v === null) markScalarText(value, key, '');
      else if (isScalar(v)) {
        if (v.type === 'PLAIN' && v.tag === undefined) markScalarText(value, key, v.source ?? '');
        else if (v.type === 'PLAIN' && value[key] === null) markScalarText(value, key, '');
      } else markScalarTexts(v, value[key] as JsonValue);
    }
  } else if (isSeq(node) && Array.isArray(value) && node.items.length === value.length) {
    for (const [i, item] of node.items.entries()) markScalarTexts(item, value[i] as JsonValue);
  }
}

/** A control character other than tab and line feed, or a byte order mark: not printable in a block. */
function hasControl(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c < 0x20 && c !== 9 && c !== 10) || c === 0x7f || c === 0xfeff) return true;
  }
  return false;
}

/**
 * A folded (`>`) scalar's value as kustomize prints it. kyaml turns a resource into JSON by writing
 * it as YAML with go-yaml v3 (the scalar keeps its folded style) and reading that back. v3's folded
 * emitter (yaml_emitter_write_folded_scalar) adds an empty line after each line that does not start
 * with a blank, deciding by the value's first character instead of the next line's (it scans from
 * 0, not from i): read back, that empty line is lost before a normal line but becomes one more line
 * break before a more-indented line or at the end of a kept (`+`) value. Emulated here by writing
 * the scalar as that emitter does (without its 80-column folding) and folding it as v3 reads it.
 */
export function v3FoldedRoundTrip(value: string): string {
  // a trailing space, a space before a line break or a control character: written double-quoted
  if (value === '' || value.endsWith(' ') || / \n/.test(value) || hasControl(value)) return value;
  const first = value.search(/[^\n]/);
  const extra = first >= 0 && value[first] !== ' ' && value[first] !== '\t';
  // the emitter: the value's lines, an empty line after each content line that starts with no blank
  let emitted = '';
  let breaks = true;
  let leadingSpaces = true;
  for (const c of value) {
    if (c === '\n') {
      if (!breaks && !leadingSpaces && extra) emitted += '\n';
      emitted += '\n';
      breaks = true;
    } else {
      if (breaks) leadingSpaces = c === ' ' || c === '\t';
      emitted += c;
      breaks = false;
    }
  }
  // its chomping indicator: `-` without a final line break, `+` with two (or a lone one), else clip
  const chomp = !value.endsWith('\n') ? '-' : value === '\n' || value.endsWith('\n\n') ? '+' : '';
  // reading it back (yaml_parser_scan_block_scalar, folded)
  const lines = emitted.split('\n');
  const terminated = emitted.endsWith('\n');
  const count = terminated ? lines.length - 1 : lines.length;
  let s = '';
  let leadingBreak = '';
  let trailingBreaks = '';
  let leadingBlank = false;
  let i = 0;
  while (i < count && lines[i] === '') {
    trailingBreaks += '\n';
    i++;
  }
  while (i < count) {
    const line = lines[i] as string;
    const trailingBlank = line[0] === ' ' || line[0] === '\t';
    if (!leadingBlank && !trailingBlank && leadingBreak === '\n') {
      if (trailingBreaks === '') s += ' ';
    } else s += leadingBreak;
    s += trailingBreaks;
    trailingBreaks = '';
    leadingBlank = trailingBlank;
    s += line;
    i++;
    // the line just read is followed by a line break unless it ends the text
    leadingBreak = i < lines.length ? '\n' : '';
    while (i < count && lines[i] === '') {
      trailingBreaks += '\n';
      i++;
    }
  }
  if (chomp !== '-') s += leadingBreak;
  if (chomp === '+') s += trailingBreaks;
  return s;
}

const MIN_SAFE = BigInt(Number.MIN_SAFE_INTEGER);
const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/** Integers are read as bigint so that 64-bit values survive; those a double holds exactly
 * become numbers again (the value model's convention). */
function safeInts(v: JsonValue): JsonValue {
  if (typeof v === 'bigint') return v >= MIN_SAFE && v <= MAX_SAFE ? Number(v) : v;
  if (Array.isArray(v)) {
    for (let i = 0; i < v.length; i++) v[i] = safeInts(v[i] as JsonValue);
    return v;
  }
  if (v !== null && typeof v === 'object') {
    for (const k of Object.keys(v))
      (v as Record<string, JsonValue>)[k] = safeInts((v as Record<string, JsonValue>)[k] as JsonValue);
  }
  return v;
}

/** The tag go-yaml v3 gives a plain scalar (its node's Tag after parsing). */
export type V3Tag = 'null' | 'bool' | 'int' | 'float' | 'timestamp' | 'str';

/** The tag go-yaml v3 resolves a plain scalar's text to. */
export function plainTag(text: string): V3Tag {
  const v = resolvePlain(text);
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number')
    return V3_INT.test(text) && parseGoInt(text.replaceAll('_', '')) !== undefined ? 'int' : 'float';
  return v !== text ? 'timestamp' : 'str';
}

/** How go-yaml v3 resolves an untagged plain scalar: null, bool, int, float or string. */
export function resolvePlain(s: string): JsonValue {
  return plainResolver()(s) as JsonValue;
}
