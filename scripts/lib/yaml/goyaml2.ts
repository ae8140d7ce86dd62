// What kustomize prints: sigs.k8s.io/yaml JSONToYAML of each resource's JSON, i.e. the JSON decoded
// by go-yaml v2 (YAML 1.1 scalar resolution, Go number types) and marshalled by go-yaml v2 (keys in
// its natural order, block style, scalar styles chosen by libyaml's analysis, 80-column folding).
// This is a port of the parts of gopkg.in/yaml.v2 (encode.go, sorter.go, resolve.go, emitterc.go)
// that such documents reach; see README.md for why it is written by hand.
import type { JsonValue } from '../json.ts';

// ---- values as go-yaml v2 sees them after decoding the JSON ------------------------------------

/** A Go number: int/uint printed in decimal, or float64 printed with strconv 'g'. */
type GoNumber = { int: string } | { float: number };

const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** The number encoding/json writes, read back by go-yaml v2's resolver. */
export function goNumber(v: number | bigint): GoNumber {
  if (typeof v === 'bigint') {
    if (v >= INT64_MIN && v <= UINT64_MAX) return { int: v.toString() };
    return { float: Number(v) };
  }
  if (Number.isInteger(v) && Math.abs(v) < 1e21) {
    // encoding/json writes a float64 with its shortest digits (1.2345678901234567e19 as
    // 12345678901234567000), which go-yaml reads back as an integer
    const b = BigInt(String(v));
    if (b >= INT64_MIN && b <= UINT64_MAX) return { int: b.toString() };
  }
  return { float: v };
}

/** strconv.FormatFloat(f, 'g', -1, 64), with go-yaml's names for the infinities and NaN. */
export function formatFloatG(f: number): string {
  if (Number.isNaN(f)) return '.nan';
  if (f === Number.POSITIVE_INFINITY) return '.inf';
  if (f === Number.NEGATIVE_INFINITY) return '-.inf';
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  const neg = f < 0;
  // shortest digits that round-trip, as Go's shortest formatting picks them
  const [mant, e] = Math.abs(f).toExponential().split('e') as [string, string];
  const digits = mant.replace('.', '');
  const exp = Number(e);
  let out: string;
  if (exp < -4 || exp >= 6) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ae = Math.abs(exp);
    out = `${m}e${exp < 0 ? '-' : '+'}${ae < 10 ? `0${ae}` : ae}`;
  } else if (exp < 0) {
    out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  } else if (digits.length <= exp + 1) {
    out = digits + '0'.repeat(exp + 1 - digits.length);
  } else {
    out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  }
  return neg ? `-${out}` : out;
}

/** A raw U+0085 (NEL) inside a JSON string is a line break to go-yaml's scanner, folded like one
 * in a double-quoted scalar: a single break becomes a space, n breaks become n-1 newlines. */
function foldNel(s: string): string {
  if (!s.includes('\u0085')) return s;
  return s.replace(/\u0085+/g, (run) => (run.length === 1 ? ' ' : '\n'.repeat(run.length - 1)));
}

// ---- resolve.go: would this text, unquoted, read back as something other than a string? ------

const RESOLVE_MAP = new Set([
  'y',
  'Y',
  'yes',
  'Yes',
  'YES',
  'true',
  'True',
  'TRUE',
  'on',
  'On',
  'ON',
  'n',
  'N',
  'no',
  'No',
  'NO',
  'false',
  'False',
  'FALSE',
  'off',
  'Off',
  'OFF',
  '',
  '~',
  'null',
  'Null',
  'NULL',
  '.nan',
  '.NaN',
  '.NAN',
  '.inf',
  '.Inf',
  '.INF',
  '+.inf',
  '+.Inf',
  '+.INF',
  '-.inf',
  '-.Inf',
  '-.INF',
  // '<<' (the merge key) is in go-yaml's table too, but '<' has no resolve hint: it stays a string
]);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const GO_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

function parsesAsGoInt(s: string): boolean {
  const m = /^[-+]?(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return false;
  const body = m[1] as string;
  const digits = /^0[0-7]+$/.test(body) ? `0o${body.slice(1)}` : body.toLowerCase();
  let n = BigInt(digits);
  if (s.startsWith('-')) n = -n;
  return n >= INT64_MIN && n <= UINT64_MAX;
}

const DAYS = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function validDate(y: number, mo: number, d: number): boolean {
  if (mo < 1 || mo > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return d <= (mo === 2 && !leap ? 28 : (DAYS[mo - 1] as number));
}

/**
 * go-yaml v2's parseTimestamp: the four layouts it tries with time.Parse, which reads a fraction of
 * a second after a period or a comma, and a zone offset of up to 24 hours and 60 minutes.
 */
export function isTimestamp(s: string): boolean {
  if (!/^[0-9]{4}-/.test(s)) return false;
  const date = /^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})/.exec(s);
  if (!date) return false;
  if (!validDate(Number(date[1]), Number(date[2]), Number(date[3]))) return false;
  const rest = s.slice(date[0].length);
  if (rest === '') return true;
  const t = /^([Tt ])([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2})([.,][0-9]+)?(.*)$/.exec(rest);
  if (!t) return false;
  if (Number(t[2]) > 23 || Number(t[3]) > 59 || Number(t[4]) > 59) return false;
  const zone = t[6] as string;
  if (t[1] === ' ') return zone === '';
  const offset = /^[+-]([0-9]{2}):([0-9]{2})$/.exec(zone);
  return zone === 'Z' || (offset !== null && Number(offset[1]) <= 24 && Number(offset[2]) <= 60);
}

/** True when resolve("", s) gives the !!str tag. */
export function resolvesToString(s: string): boolean {
  if (RESOLVE_MAP.has(s)) return false;
  const c = s.charAt(0);
  if (c === '.') return !GO_FLOAT.test(s);
  if (/^[-+0-9]$/.test(c)) {
    if (isTimestamp(s)) return false;
    const plain = s.replaceAll('_', '');
    if (parsesAsGoInt(plain)) return false;
    if (YAML_STYLE_FLOAT.test(plain)) return false;
    if (/^-?0b[01]+$/.test(plain)) return false;
  }
  return true;
}

const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

function isBase60Float(s: string): boolean {
  if (s === '') return false;
  const c = s.charAt(0);
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9')) || !s.includes(':')) return false;
  return BASE60_FLOAT.test(s);
}

// ---- sorter.go -----------------------------------------------------------------------------------

const LETTER = /^\p{L}$/u;
const DIGIT = /^\p{Nd}$/u;

/** keyList.Less for two string keys. */
export function keyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const x = ar[i] as string;
    const y = br[i] as string;
    if (x === y) continue;
    const al = LETTER.test(x);
    const bl = LETTER.test(y);
    if (al && bl) return (x.codePointAt(0) as number) < (y.codePointAt(0) as number);
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (x === '0' || y === '0') {
      for (let j = i - 1; j >= 0 && DIGIT.test(ar[j] as string); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && DIGIT.test(ar[ai] as string); ai++)
      an = BigInt.asIntN(64, an * 10n + BigInt((ar[ai] as string).codePointAt(0) as number) - 48n);
    let bi = i;
    for (; bi < br.length && DIGIT.test(br[bi] as string); bi++)
      bn = BigInt.asIntN(64, bn * 10n + BigInt((br[bi] as string).codePointAt(0) as number) - 48n);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return (x.codePointAt(0) as number) < (y.codePointAt(0) as number);
  }
  return ar.length < br.length;
}

export function sortKeys(keys: string[]): string[] {
  return [...keys].sort((a, b) => (keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0));
}

// ---- emitterc.go ---------------------------------------------------------------------------------

enum Style {
  Plain,
  Single,
  Double,
  Literal,
}

const isBreakCp = (cp: number) => cp === 0x0a || cp === 0x0d || cp === 0x85 || cp === 0x2028 || cp === 0x2029;
const isPrintableCp = (cp: number) =>
  cp === 0x0a ||
  (cp >= 0x20 && cp <= 0x7e) ||
  (cp >= 0xa0 && cp <= 0xd7ff) ||
  (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);

interface Analysis {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

function analyze(value: string[]): Analysis {
  if (value.length === 0)
    return { multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true, block: false };
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  const joined = value.join('');
  if (joined.startsWith('---') || joined.startsWith('...')) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  for (let i = 0; i < value.length; i++) {
    const ch = value[i] as string;
    const cp = ch.codePointAt(0) as number;
    const next = value[i + 1];
    const followedByWhitespace =
      next === undefined || next === ' ' || next === '\t' || isBreakCp(next.codePointAt(0) as number);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) {
        flowIndicators = true;
        blockIndicators = true;
      } else if (ch === '?' || ch === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      } else if (ch === '-') {
        if (followedByWhitespace) {
          flowIndicators = true;
          blockIndicators = true;
        }
      }
    } else if (',?[]{}'.includes(ch)) {
      flowIndicators = true;
    } else if (ch === ':') {
      flowIndicators = true;
      if (followedByWhitespace) blockIndicators = true;
    } else if (ch === '#' && precededByWhitespace) {
      flowIndicators = true;
      blockIndicators = true;
    }
    if (!isPrintableCp(cp)) special = true;
    if (ch === ' ') {
      if (i === 0) leadingSpace = true;
      if (i === value.length - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreakCp(cp)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === value.length - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = ch === ' ' || ch === '\t' || isBreakCp(cp) || cp === 0;
  }
  const a: Analysis = {
    multiline: lineBreaks,
    flowPlain: true,
    blockPlain: true,
    singleQuoted: true,
    block: true,
  };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.flowPlain = false;
    a.blockPlain = false;
  }
  if (trailingSpace) a.block = false;
  if (breakSpace) {
    a.flowPlain = false;
    a.blockPlain = false;
    a.singleQuoted = false;
  }
  if (spaceBreak || special) {
    a.flowPlain = false;
    a.blockPlain = false;
    a.singleQuoted = false;
    a.block = false;
  }
  if (lineBreaks) {
    a.flowPlain = false;
    a.blockPlain = false;
  }
  if (flowIndicators) a.flowPlain = false;
  if (blockIndicators) a.blockPlain = false;
  return a;
}

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

/** How to marshal: go-yaml v2 through JSON (toYaml, kustomize), or go-yaml v3's encoder as
 * Helm's toYamlPretty uses it (sequences indented under their key, no folding of long lines,
 * numbers as Go holds them: a float64 in strconv 'g' form). */
export interface MarshalOptions {
  v3?: boolean;
}

class Emitter {
  private readonly opts: MarshalOptions;
  private readonly bestWidth: number;
  constructor(opts: MarshalOptions = {}) {
    this.opts = opts;
    this.bestWidth = opts.v3 ? Number.POSITIVE_INFINITY : BEST_WIDTH;
  }
  private out: string[] = [];
  private column = 0;
  private indent = -1;
  private readonly indents: number[] = [];
  private whitespace = true;
  private indention = true;
  private flowLevel = 0;

  text(): string {
    return this.out.join('');
  }

  private put(s: string): void {
    this.out.push(s);
    this.column++;
  }

  private putBreak(): void {
    this.out.push('\n');
    this.column = 0;
  }

  /** write(): one character, one column. */
  private write(ch: string): void {
    this.out.push(ch);
    this.column++;
  }

  private writeBreak(ch: string): void {
    if (ch === '\n') this.putBreak();
    else {
      this.write(ch);
      this.column = 0;
    }
  }

  private writeIndent(): void {
    const indent = Math.max(this.indent, 0);
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace))
      this.putBreak();
    while (this.column < indent) this.put(' ');
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndicator(
    indicator: string,
    needWhitespace: boolean,
    isWhitespace: boolean,
    isIndention: boolean,
  ): void {
    if (needWhitespace && !this.whitespace) this.put(' ');
    for (const ch of indicator) this.write(ch);
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop() as number;
  }

  // -- nodes --

  node(v: JsonValue, ctx: { sequence: boolean; mapping: boolean; simpleKey: boolean }): void {
    if (Array.isArray(v)) this.sequence(v, ctx);
    else if (v !== null && typeof v === 'object') this.mapping(v as Record<string, JsonValue>, ctx);
    else this.scalar(v, ctx.simpleKey);
  }

  private sequence(items: JsonValue[], ctx: { mapping: boolean }): void {
    if (items.length === 0) {
      // an empty sequence is written in flow style: `[]`
      this.writeIndicator('[', true, true, false);
      this.increaseIndent(true, false);
      this.popIndent();
      this.writeIndicator(']', false, false, false);
      return;
    }
    this.increaseIndent(false, !this.opts.v3 && ctx.mapping && !this.indention);
    for (const item of items) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.node(item, { sequence: true, mapping: false, simpleKey: false });
    }
    this.popIndent();
  }

  private mapping(map: Record<string, JsonValue>, _ctx: { mapping: boolean }): void {
    const keys = sortKeys(Object.keys(map));
    if (keys.length === 0) {
      this.writeIndicator('{', true, true, false);
      this.increaseIndent(true, false);
      this.popIndent();
      this.writeIndicator('}', false, false, false);
      return;
    }
    this.increaseIndent(false, false);
    for (const key of keys) {
      this.writeIndent();
      const k = stringScalar(key);
      const a = analyze(Array.from(k.value));
      const simple = !a.multiline && Buffer.byteLength(k.value) <= 128;
      if (simple) {
        this.scalarText(k.value, k.style, a, true);
        this.writeIndicator(':', false, false, false);
      } else {
        this.writeIndicator('?', true, false, true);
        this.scalarText(k.value, k.style, a, false);
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(map[key] as JsonValue, { sequence: false, mapping: true, simpleKey: false });
    }
    this.popIndent();
  }

  private scalar(v: JsonValue, simpleKey: boolean): void {
    let text: string;
    let style: Style;
    if (v === null) {
      text = 'null';
      style = Style.Plain;
    } else if (typeof v === 'boolean') {
      text = v ? 'true' : 'false';
      style = Style.Plain;
    } else if (typeof v === 'number' || typeof v === 'bigint') {
      const n: GoNumber = this.opts.v3 && typeof v === 'number' ? { float: v } : goNumber(v);
      text = 'int' in n ? n.int : formatFloatG(n.float);
      style = Style.Plain;
    } else {
      const s = stringScalar(String(v));
      text = s.value;
      style = s.style;
    }
    this.scalarText(text, style, analyze(Array.from(text)), simpleKey);
  }

  /** select_scalar_style, then increase_indent(flow) and the writer, as emit_scalar does. */
  private scalarText(value: string, requested: Style, a: Analysis, simpleKey: boolean): void {
    let style = requested;
    if (simpleKey && a.multiline) style = Style.Double;
    if (style === Style.Plain) {
      if ((this.flowLevel > 0 && !a.flowPlain) || (this.flowLevel === 0 && !a.blockPlain))
        style = Style.Single;
      if (value.length === 0 && (this.flowLevel > 0 || simpleKey)) style = Style.Single;
    }
    if (style === Style.Single && !a.singleQuoted) style = Style.Double;
    if (style === Style.Literal && (!a.block || this.flowLevel > 0 || simpleKey)) style = Style.Double;
    this.increaseIndent(true, false);
    const chars = Array.from(value);
    switch (style) {
      case Style.Plain:
        this.writePlain(chars, !simpleKey);
        break;
      case Style.Single:
        this.writeSingleQuoted(chars, !simpleKey);
        break;
      case Style.Double:
        this.writeDoubleQuoted(chars, !simpleKey);
        break;
      case Style.Literal:
        this.writeLiteral(chars);
        break;
    }
    this.popIndent();
  }

  private writePlain(value: string[], allowBreaks: boolean): void {
    if (!this.whitespace) this.put(' ');
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < value.length; i++) {
      const ch = value[i] as string;
      if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > this.bestWidth && value[i + 1] !== ' ')
          this.writeIndent();
        else this.write(ch);
        spaces = true;
      } else if (isBreakCp(ch.codePointAt(0) as number)) {
        if (!breaks && ch === '\n') this.putBreak();
        this.writeBreak(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.write(ch);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuoted(value: string[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false;
    let breaks = false;
    for (let i = 0; i < value.length; i++) {
      const ch = value[i] as string;
      if (ch === ' ') {
        if (
          allowBreaks &&
          !spaces &&
          this.column > this.bestWidth &&
          i > 0 &&
          i < value.length - 1 &&
          value[i + 1] !== ' '
        )
          this.writeIndent();
        else this.write(ch);
        spaces = true;
      } else if (isBreakCp(ch.codePointAt(0) as number)) {
        if (!breaks && ch === '\n') this.putBreak();
        this.writeBreak(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (ch === "'") this.put("'");
        this.write(ch);
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(value: string[], allowBreaks: boolean): void {
    let spaces = false;
    // libyaml's is_bom looks at the start of the value whatever the position: a value that starts
    // with a byte order mark has every character escaped
    const bom = value[0] === '\ufeff';
    this.writeIndicator('"', true, false, false);
    for (let i = 0; i < value.length; i++) {
      const ch = value[i] as string;
      const cp = ch.codePointAt(0) as number;
      if (bom || !isPrintableCp(cp) || isBreakCp(cp) || ch === '"' || ch === '\\') {
        this.put('\\');
        const short: Record<number, string> = {
          0: '0',
          7: 'a',
          8: 'b',
          9: 't',
          10: 'n',
          11: 'v',
          12: 'f',
          13: 'r',
          27: 'e',
          34: '"',
          92: '\\',
          133: 'N',
          160: '_',
          8232: 'L',
          8233: 'P',
        };
        const s = short[cp];
        if (s !== undefined) this.put(s);
        else {
          const [letter, width] = cp <= 0xff ? ['x', 2] : cp <= 0xffff ? ['u', 4] : ['U', 8];
          this.put(letter);
          for (const d of cp.toString(16).toUpperCase().padStart(width, '0')) this.put(d);
        }
        spaces = false;
      } else if (ch === ' ') {
        if (allowBreaks && !spaces && this.column > this.bestWidth && i > 0 && i < value.length - 1) {
          this.writeIndent();
          if (value[i + 1] === ' ') this.put('\\');
        } else this.write(ch);
        spaces = true;
      } else {
        this.write(ch);
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(value: string[]): void {
    this.writeIndicator('|', true, false, false);
    // block scalar hints: an indentation indicator when the text starts with a space or a break,
    // then the chomping indicator
    const first = value[0];
    if (first === ' ' || (first !== undefined && isBreakCp(first.codePointAt(0) as number)))
      this.writeIndicator(String(BEST_INDENT), false, false, false);
    let chomp = '';
    if (value.length === 0) chomp = '-';
    else {
      const last = value[value.length - 1] as string;
      if (!isBreakCp(last.codePointAt(0) as number)) chomp = '-';
      else if (value.length === 1) chomp = '+';
      else if (isBreakCp((value[value.length - 2] as string).codePointAt(0) as number)) chomp = '+';
    }
    if (chomp) this.writeIndicator(chomp, false, false, false);
    this.putBreak();
    this.indention = true;
    this.whitespace = true;
    let breaks = true;
    for (const ch of value) {
      if (isBreakCp(ch.codePointAt(0) as number)) {
        this.writeBreak(ch);
        this.indention = true;
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        this.write(ch);
        this.indention = false;
        breaks = false;
      }
    }
  }

  /** The end of the document: a final line break unless the output already ends on one. */
  documentEnd(): void {
    this.indent = -1;
    this.writeIndent();
  }
}

/** encoder.stringv: the style go-yaml v2 asks for (the emitter may still change it). */
function stringScalar(raw: string): { value: string; style: Style } {
  const value = foldNel(raw);
  if (value.includes('\n')) return { value, style: Style.Literal };
  const canUsePlain = resolvesToString(value) && !isBase60Float(value);
  return { value, style: canUsePlain ? Style.Plain : Style.Double };
}

/** yaml.Marshal of a JSON-decoded value, as sigs.k8s.io/yaml.JSONToYAML prints it. */
export function marshal(value: JsonValue, opts: MarshalOptions = {}): string {
  const e = new Emitter(opts);
  e.node(value, { sequence: false, mapping: false, simpleKey: false });
  e.documentEnd();
  return e.text();
}
