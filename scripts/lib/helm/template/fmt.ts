// Go's fmt for the values templates print: %v of every kind (maps sorted, slices, nil, float64
// shortest 'g'), and Printf with verbs, flags, width, precision and Go's error forms
// (%!d(string=x), %!s(MISSING), %!(EXTRA ...)).
import {
  binaryStrings,
  bytesOf,
  bytesOfSlice,
  GO_MAP_TYPE,
  GO_STRUCT,
  GO_VALUE_FIELDS,
  type GoValue,
  goString,
  isGoComplex,
  isGoStruct,
} from '../values.ts';

/** strconv.FormatFloat(f, 'g', -1, 64) as fmt's %v prints float64. */
export function formatFloat(f: number, fmtVerb: 'g' | 'e' | 'f' = 'g', prec = -1): string {
  if (Number.isNaN(f)) return 'NaN';
  if (f === Number.POSITIVE_INFINITY) return '+Inf';
  if (f === Number.NEGATIVE_INFINITY) return '-Inf';
  if (fmtVerb === 'f') {
    if (prec < 0) {
      // shortest digits, no exponent
      if (f === 0) return Object.is(f, -0) ? '-0' : '0';
      const [mant, e] = Math.abs(f).toExponential().split('e') as [string, string];
      const digits = mant.replace('.', '');
      const exp = Number(e);
      let out: string;
      if (exp < 0) out = `0.${'0'.repeat(-exp - 1)}${digits}`;
      else if (digits.length <= exp + 1) out = digits + '0'.repeat(exp + 1 - digits.length);
      else out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
      return f < 0 ? `-${out}` : out;
    }
    return toFixedExact(f, prec);
  }
  if (fmtVerb === 'e') {
    const s = prec < 0 ? f.toExponential() : f.toExponential(prec);
    return s.replace(/e([+-])(\d)$/, 'e$10$2');
  }
  if (f === 0) return Object.is(f, -0) ? '-0' : '0';
  let digits: string;
  let exp: number;
  if (prec < 0) {
    const [mant, e] = Math.abs(f).toExponential().split('e') as [string, string];
    digits = mant.replace('.', '');
    exp = Number(e);
  } else {
    const p = prec === 0 ? 1 : prec;
    const [mant, e] = Math.abs(f)
      .toExponential(p - 1)
      .split('e') as [string, string];
    digits = mant.replace('.', '').replace(/0+$/, '') || '0';
    exp = Number(e);
  }
  // strconv: %e when the exponent is < -4 or >= the precision (6 for the shortest form)
  const eprec = prec < 0 ? 6 : prec === 0 ? 1 : prec;
  const useExp = exp < -4 || exp >= eprec;
  let out: string;
  if (useExp) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ae = Math.abs(exp);
    out = `${m}e${exp < 0 ? '-' : '+'}${ae < 10 ? `0${ae}` : ae}`;
  } else if (exp < 0) out = `0.${'0'.repeat(-exp - 1)}${digits}`;
  else if (digits.length <= exp + 1) out = digits + '0'.repeat(exp + 1 - digits.length);
  else out = `${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
  return f < 0 ? `-${out}` : out;
}

function toFixedExact(f: number, prec: number): string {
  if (Math.abs(f) < 1e21) return f.toFixed(prec);
  const s = BigInt(Math.round(f)).toString();
  return prec > 0 ? `${s}.${'0'.repeat(prec)}` : s;
}

/** %v of a float64 as fmt prints it: %g with the shortest digits (1000000 prints 1e+06). */
export function formatFloatV(f: number): string {
  return formatFloat(f, 'g', -1);
}

/** The Go type name of a value, as %T and typeOf print it. */
export function goTypeName(v: GoValue | undefined): string {
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float64';
  if (Array.isArray(v)) return (v as { [GO_MAP_TYPE]?: string })[GO_MAP_TYPE] ?? '[]interface {}';
  if (typeof v === 'function') return 'func';
  if (isGoStruct(v)) return String(v[GO_STRUCT]);
  return (v as { [GO_MAP_TYPE]?: string })[GO_MAP_TYPE] ?? 'map[string]interface {}';
}

/** fmt %v. */
export function formatValue(v: GoValue | undefined, top = true, addressable = false): string {
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return formatFloatV(v);
  if (Array.isArray(v)) return `[${v.map((x) => formatValue(x, false)).join(' ')}]`;
  if (typeof v === 'function') return '0x0';
  if (isGoComplex(v)) return formatComplex(v, 'g', -1);
  if (isGoStruct(v)) {
    const byValue = (v as unknown as { [GO_VALUE_FIELDS]?: GoValue[] })[GO_VALUE_FIELDS];
    if (byValue && !addressable) return `{${byValue.map((x) => formatValue(x, false)).join(' ')}}`;
    const str = (v as unknown as { String?: unknown }).String;
    if (typeof str === 'function') return String((str as () => unknown)());
    const fields = Object.keys(v).filter((k) => typeof (v as Record<string, unknown>)[k] !== 'function');
    return `{${fields.map((k) => formatValue((v as Record<string, unknown>)[k] as GoValue, false)).join(' ')}}`;
  }
  const keys = Object.keys(v).sort();
  void top;
  return `map[${keys.map((k) => `${k}:${formatValue((v as Record<string, GoValue>)[k], false)}`).join(' ')}]`;
}

/** An int as a rune: beyond Unicode (or negative, as a uint64) or a surrogate, it is U+FFFD. */
function runeOf(v: bigint): number {
  if (v < 0n || v > 0x10ffffn) return 0xfffd;
  const r = Number(v);
  return r >= 0xd800 && r <= 0xdfff ? 0xfffd : r;
}

function quoteGo(s: string): string {
  // a string of bytes that are not UTF-8 (binaryStrings): its invalid bytes as \xNN
  const raw = binaryStrings.get(s);
  if (raw) return quoteBytes(raw);
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === '"') out += '\\"';
    else if (ch === '\\') out += '\\\\';
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (cp === 7) out += '\\a';
    else if (cp === 8) out += '\\b';
    else if (cp === 12) out += '\\f';
    else if (cp === 11) out += '\\v';
    else if (cp < 0x20 || cp === 0x7f) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp === 0xfffd && ch !== '\ufffd') out += '\\ufffd';
    else if ((cp >= 0x80 && cp < 0xa0) || cp === 0xad) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return `${out}"`;
}

/** strconv.Quote of bytes: valid UTF-8 as quoteGo writes it, each invalid byte as \xNN. */
function quoteBytes(b: Buffer): string {
  let out = '"';
  let i = 0;
  while (i < b.length) {
    const lead = b[i] as number;
    const n =
      lead < 0x80
        ? 1
        : lead >= 0xc2 && lead < 0xe0
          ? 2
          : lead >= 0xe0 && lead < 0xf0
            ? 3
            : lead >= 0xf0 && lead < 0xf5
              ? 4
              : 0;
    let ok = n > 0 && i + n <= b.length;
    for (let k = 1; ok && k < n; k++) ok = ((b[i + k] as number) & 0xc0) === 0x80;
    const seg = b.subarray(i, i + n);
    const text = ok ? seg.toString('utf8') : '';
    // overlong, surrogate and out-of-range forms decode to U+FFFD, which does not encode back to
    // the same bytes: invalid, as Go sees them (a genuine U+FFFD round-trips and stays)
    if (ok && n > 1) ok = Buffer.from(text, 'utf8').equals(seg);
    if (!ok) {
      out += `\\x${lead.toString(16).padStart(2, '0')}`;
      i++;
      continue;
    }
    out += quoteGo(text).slice(1, -1);
    i += n;
  }
  return `${out}"`;
}

export { quoteGo };

interface Spec {
  minus: boolean;
  plus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  width?: number;
  prec?: number;
}

function pad(s: string, spec: Spec, numeric = false): string {
  if (spec.width === undefined || Array.from(s).length >= spec.width) return s;
  const n = spec.width - Array.from(s).length;
  if (spec.minus) return s + ' '.repeat(n);
  if (spec.zero && numeric) {
    const sign = /^[+-]/.test(s) ? (s[0] as string) : '';
    return sign + '0'.repeat(n) + s.slice(sign.length);
  }
  return ' '.repeat(n) + s;
}

function badVerb(verb: string, v: GoValue | undefined): string {
  if (v === undefined || v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${formatValue(v)})`;
}

function fmtInt(v: bigint, verb: string, spec: Spec): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  let s: string;
  switch (verb) {
    case 'd':
    case 'v':
      s = a.toString();
      break;
    case 'b':
      s = a.toString(2);
      break;
    case 'o':
      s = a.toString(8);
      if (spec.sharp) s = `0${s}`;
      break;
    case 'O':
      s = `0o${a.toString(8)}`;
      break;
    case 'x':
      s = a.toString(16);
      if (spec.sharp) s = `0x${s}`;
      break;
    case 'X':
      s = a.toString(16).toUpperCase();
      if (spec.sharp) s = `0X${s}`;
      break;
    case 'c':
      return pad(String.fromCodePoint(runeOf(v)), spec);
    case 'q': {
      // strconv.QuoteRune: escaped as in a string, but ' is escaped and " is not
      const r = runeOf(v);
      const inner = r === 0x27 ? "\\'" : r === 0x22 ? '"' : quoteGo(String.fromCodePoint(r)).slice(1, -1);
      return pad(`'${inner}'`, spec);
    }
    case 'U':
      return pad(`U+${a.toString(16).toUpperCase().padStart(4, '0')}`, spec);
    default:
      return badVerb(verb, v);
  }
  if (spec.prec !== undefined) s = s.padStart(spec.prec, '0');
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  return pad(sign + s, { ...spec, zero: spec.zero && spec.prec === undefined }, true);
}

function fmtFloatVerb(v: number, verb: string, spec: Spec): string {
  let s: string;
  switch (verb) {
    case 'v':
    case 'g':
      s = formatFloat(Math.abs(v), 'g', spec.prec ?? -1);
      break;
    case 'G':
      s = formatFloat(Math.abs(v), 'g', spec.prec ?? -1).toUpperCase();
      break;
    case 'e':
      s = formatFloat(Math.abs(v), 'e', spec.prec ?? 6);
      break;
    case 'E':
      s = formatFloat(Math.abs(v), 'e', spec.prec ?? 6).toUpperCase();
      break;
    case 'f':
    case 'F':
      s = formatFloat(Math.abs(v), 'f', spec.prec ?? 6);
      break;
    default:
      return badVerb(verb, v);
  }
  if (Number.isNaN(v)) return pad(spec.plus ? '+NaN' : 'NaN', spec);
  const neg = v < 0 || Object.is(v, -0);
  const sign = neg ? '-' : spec.plus ? '+' : spec.space ? ' ' : '';
  return pad(sign + s.replace(/^\+/, ''), spec, Number.isFinite(v));
}

function fmtString(s: string, verb: string, spec: Spec): string {
  switch (verb) {
    case 'v':
    case 's': {
      const t = spec.prec !== undefined ? Array.from(s).slice(0, spec.prec).join('') : s;
      return pad(t, spec);
    }
    case 'q':
      return pad(spec.sharp && !s.includes('`') ? `\`${s}\`` : quoteGo(s), spec);
    case 'x':
    case 'X': {
      const hex = bytesOf(s).toString('hex');
      return pad(verb === 'X' ? hex.toUpperCase() : hex, spec);
    }
    default:
      return badVerb(verb, s);
  }
}

function formatComplex(c: { re: number; im: number }, verb: 'g' | 'e' | 'f', prec: number): string {
  const im = formatFloat(c.im, verb, prec);
  return `(${formatFloat(c.re, verb, prec)}${im.startsWith('-') || im.startsWith('+') ? '' : '+'}${im}i)`;
}

function fmtOne(v: GoValue | undefined, verb: string, spec: Spec, nested = false): string {
  if (verb === 'T') return pad(goTypeName(v), spec);
  // %+v: the plus means field names (plusV), not a sign
  if (verb === 'v' && spec.plus) spec = { ...spec, plus: false };
  // a []byte is text to %s, %q, %x and %X
  const bytes = 'sqxX'.includes(verb) ? bytesOfSlice(v) : undefined;
  if (bytes) return fmtOne(goString(bytes), verb, spec);
  if (isGoComplex(v)) {
    const f = verb === 'e' || verb === 'E' ? 'e' : verb === 'f' || verb === 'F' ? 'f' : 'g';
    if (!'vgGeEfF'.includes(verb)) return badVerb(verb, v);
    return pad(formatComplex(v, f, spec.prec ?? (f === 'g' ? -1 : 6)), spec);
  }
  if (v === undefined || v === null) {
    // fmt prints a nil interface as <nil> only for %v: Sprintf("%s", nil) is %!s(<nil>); inside
    // a slice or map it is <nil> for every verb (printValue)
    if (verb === 'v' || nested) return pad('<nil>', spec);
    return badVerb(verb, v);
  }
  if (typeof v === 'bigint') return fmtInt(v, verb, spec);
  if (typeof v === 'number') return fmtFloatVerb(v, verb, spec);
  if (typeof v === 'string') return fmtString(v, verb, spec);
  if (typeof v === 'boolean')
    return verb === 'v' || verb === 't' ? pad(v ? 'true' : 'false', spec) : badVerb(verb, v);
  // printValue: a slice's elements, a map's keys and values, each printed with the verb and its
  // flags (a width pads each one, an unfit verb marks each one: map[a:%!s(int=1)])
  if (Array.isArray(v)) return `[${v.map((x) => fmtOne(x, verb, spec, true)).join(' ')}]`;
  if (typeof v === 'object' && !isGoStruct(v)) {
    const m = v as Record<string, GoValue>;
    const keys = Object.keys(m).sort();
    return `map[${keys.map((k) => `${fmtOne(k, verb, spec, true)}:${fmtOne(m[k], verb, spec, true)}`).join(' ')}]`;
  }
  if (verb === 'v' || verb === 's' || verb === 'd') return pad(formatValue(v), spec);
  return badVerb(verb, v);
}

/** fmt.Sprintf. */
export function sprintf(format: string, args: (GoValue | undefined)[]): string {
  let out = '';
  let argi = 0;
  for (let i = 0; i < format.length; i++) {
    const c = format[i] as string;
    if (c !== '%') {
      out += c;
      continue;
    }
    i++;
    const spec: Spec = { minus: false, plus: false, sharp: false, space: false, zero: false };
    for (; i < format.length; i++) {
      const f = format[i];
      if (f === '-') spec.minus = true;
      else if (f === '+') spec.plus = true;
      else if (f === '#') spec.sharp = true;
      else if (f === ' ') spec.space = true;
      else if (f === '0') spec.zero = !spec.minus;
      else break;
    }
    const num = () => {
      if (format[i] === '*') {
        i++;
        const a = args[argi++];
        return typeof a === 'bigint' ? Number(a) : undefined;
      }
      const m = /^\d+/.exec(format.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      return Number(m[0]);
    };
    spec.width = num();
    if (format[i] === '.') {
      i++;
      spec.prec = num() ?? 0;
    }
    const verb = format[i];
    if (verb === undefined) {
      out += '%!(NOVERB)';
      break;
    }
    if (verb === '%') {
      out += '%';
      continue;
    }
    if (argi >= args.length) {
      out += `%!${verb}(MISSING)`;
      continue;
    }
    out += fmtOne(args[argi++], verb, spec);
  }
  if (argi < args.length) {
    out += `%!(EXTRA ${args
      .slice(argi)
      .map((a) => `${goTypeName(a)}=${formatValue(a)}`)
      .join(', ')})`;
  }
  return out;
}

/** fmt.Sprint: spaces between operands when neither side is a string. */
export function sprint(args: (GoValue | undefined)[]): string {
  let out = '';
  args.forEach((a, i) => {
    if (i > 0 && typeof a !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += formatValue(a);
  });
  return out;
}

/** fmt.Sprintln: always spaces, and a newline. */
export function sprintln(args: (GoValue | undefined)[]): string {
  return `${args.map((a) => formatValue(a)).join(' ')}\n`;
}
