// Helm's strvals (pkg/strvals parser.go and literal_parser.go of Helm v4.1.4): the --set,
// --set-string, --set-json, --set-file and --set-literal lines, `a.b[0].c=v,d={x,y}`, read rune by
// rune as Helm reads them, into the values the -f files gave. Values typed as Helm types them
// (true/false/null in any case, int64 for integers not starting with 0, strings otherwise), `\`
// escaping the next rune (not in literal lines), `{a,b}` lists, nesting up to 30 names and indexes
// up to 65536, and Helm's errors, Go's type-assertion panics included ("unable to parse key:
// interface conversion: ..."), wrapped as Helm wraps them ("failed parsing --set data: ...").
import { readFileSync } from 'node:fs';
import { SourceError } from '../errors.ts';
import { fromJsonValue } from './funcs/index.ts';
import { mergeValues } from './loader.ts';
import { quoteGo } from './template/fmt.ts';
import { type GoMap, type GoValue, goMap, isGoMap } from './values.ts';

export type SetKind = 'set' | 'string' | 'json' | 'file' | 'literal';

const MAX_INDEX = 65536;
const MAX_NESTED_NAME_LEVEL = 30;

/** io.EOF: the end of the line, which ends the parse without an error. */
const EOF = Symbol('EOF');
type Eof = typeof EOF;

class Panic extends Error {}

/** Parses one line of `kind` into `dest`; `readFile` gives a --set-file value from its path. */
export function parseInto(
  line: string,
  dest: GoMap,
  kind: SetKind,
  readFile?: (path: string) => string,
): void {
  const p = new Parser(Array.from(line), kind, readFile);
  while (p.key(dest, 0) !== EOF) {
    // next name=value
  }
}

/** Go's type name of a value, as a failed type assertion names it. */
function goType(v: GoValue | undefined): string {
  if (v === null || v === undefined) return 'nil';
  if (Array.isArray(v)) return '[]interface {}';
  if (isGoMap(v)) return 'map[string]interface {}';
  if (typeof v === 'bigint') return 'int64';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'boolean') return 'bool';
  return typeof v === 'string' ? 'string' : 'interface {}';
}

function assertList(v: GoValue | undefined): GoValue[] {
  if (Array.isArray(v)) return v;
  throw new Panic(`interface conversion: interface {} is ${goType(v)}, not []interface {}`);
}

function assertMap(v: GoValue | undefined): GoMap {
  if (isGoMap(v)) return v as GoMap;
  throw new Panic(`interface conversion: interface {} is ${goType(v)}, not map[string]interface {}`);
}

function set(data: GoMap, key: string, val: GoValue): void {
  if (key !== '') data[key] = val;
}

function setIndex(list: GoValue[], index: number, val: GoValue): GoValue[] {
  if (index < 0) throw new Error(`negative ${index} index not allowed`);
  if (index > MAX_INDEX)
    throw new Error(`index of ${index} is greater than maximum supported index of ${MAX_INDEX}`);
  while (list.length <= index) list.push(null);
  list[index] = val;
  return list;
}

/** strconv.QuoteRune. */
function quoteRune(r: string): string {
  const escapes: Record<string, string> = { "'": "\\'", '\\': '\\\\', '\n': '\\n', '\t': '\\t', '\r': '\\r' };
  return `'${escapes[r] ?? r}'`;
}

/** strconv.Atoi. */
function atoi(s: string): number {
  if (!/^[+-]?[0-9]+$/.test(s)) throw new Error(`strconv.Atoi: parsing ${quoteGo(s)}: invalid syntax`);
  const n = BigInt(s);
  if (n > 2n ** 63n - 1n || n < -(2n ** 63n))
    throw new Error(`strconv.Atoi: parsing ${quoteGo(s)}: value out of range`);
  return Number(n);
}

/** typedVal: a --set value as Helm types it. */
function typedVal(val: string): GoValue {
  const lower = val.toLowerCase();
  if (lower === 'true') return true;
  if (lower === 'false') return false;
  if (lower === 'null') return null;
  if (val === '0') return 0n;
  if (val !== '' && val[0] !== '0' && /^[+-]?[0-9]+$/.test(val)) {
    const n = BigInt(val);
    if (n <= 2n ** 63n - 1n && n >= -(2n ** 63n)) return n;
  }
  return val;
}

class Parser {
  private i = 0;
  constructor(
    private readonly runes: string[],
    private readonly kind: SetKind,
    private readonly readFile?: (path: string) => string,
  ) {}

  private readRune(): string | Eof {
    return this.i < this.runes.length ? (this.runes[this.i++] as string) : EOF;
  }

  /** runesUntil: the runes before one of `stop` (which is consumed), `\` escaping one rune
   * except in literal lines. */
  private runesUntil(stop: string): [string, string | Eof] {
    let v = '';
    while (true) {
      const r = this.readRune();
      if (r === EOF) return [v, EOF];
      if (stop.includes(r)) return [v, r];
      if (r === '\\' && this.kind !== 'literal') {
        const next = this.readRune();
        if (next === EOF) return [v, EOF];
        v += next;
      } else v += r;
    }
  }

  private reader(rs: string): GoValue {
    if (this.kind === 'file') return (this.readFile as (p: string) => string)(rs);
    return this.kind === 'string' ? rs : typedVal(rs);
  }

  /** One name=value (or a nested name of one); EOF at the end of the line. */
  key(data: GoMap, level: number): Eof | null {
    try {
      return this.keyUnsafe(data, level);
    } catch (e) {
      if (e instanceof Panic) throw new Error(`unable to parse key: ${e.message}`);
      throw e;
    }
  }

  private keyUnsafe(data: GoMap, level: number): Eof | null {
    const literal = this.kind === 'literal';
    const [k, last] = this.runesUntil(literal ? '=[.' : '=[,.');
    if (last === EOF) {
      if (k.length === 0) return EOF;
      throw new Error(`key ${quoteGo(k)} has no value`);
    }
    if (last === '[') {
      const i = this.keyIndex();
      const list = k in data ? assertList(data[k]) : [];
      const [out, err] = this.listItem(list, i, level);
      set(data, k, out);
      return err;
    }
    if (last === '=') {
      if (literal) {
        set(data, k, this.rest());
        return null;
      }
      if (this.kind === 'json') {
        if (this.emptyVal()) {
          set(data, k, null);
          return null;
        }
        set(data, k, this.jsonValue());
        this.emptyVal();
        return null;
      }
      const vl = this.valList();
      if (vl === EOF) {
        set(data, k, '');
        return EOF;
      }
      if (vl !== null) {
        set(data, k, vl);
        return null;
      }
      // the end of the line, if val() met it, is found by the next key()
      const [rs] = this.runesUntil(',');
      set(data, k, this.reader(rs));
      return null;
    }
    if (last === ',') throw new Error(`key ${quoteGo(k)} has no value (cannot end with ,)`);
    // last === '.'
    if (++level > MAX_NESTED_NAME_LEVEL)
      throw new Error(
        `value name nested level is greater than maximum supported nested level of ${MAX_NESTED_NAME_LEVEL}`,
      );
    const inner = k in data ? assertMap(data[k]) : goMap();
    const e = this.key(inner, level);
    if (e === null && Object.keys(inner).length === 0) throw new Error(`key map ${quoteGo(k)} has no value`);
    if (Object.keys(inner).length !== 0) set(data, k, inner);
    return e;
  }

  private keyIndex(): number {
    const [v, last] = this.runesUntil(']');
    try {
      if (last === EOF) throw new Error('EOF');
      return atoi(v);
    } catch (e) {
      throw new Error(`error parsing index: ${(e as Error).message}`);
    }
  }

  private listItem(list: GoValue[], i: number, level: number): [GoValue[], Eof | null] {
    if (i < 0) throw new Error(`negative ${i} index not allowed`);
    const [k, last] = this.runesUntil('[.=');
    // %q of a []rune: each rune quoted, as a list
    if (k.length > 0)
      throw new Error(`unexpected data at end of array index: [${Array.from(k, quoteRune).join(' ')}]`);
    if (last === EOF) return [list, EOF];
    if (last === '=') {
      if (this.kind === 'literal') return [setIndex(list, i, this.rest()), null];
      if (this.kind === 'json') {
        if (this.emptyVal()) return [setIndex(list, i, null), null];
        const out = setIndex(list, i, this.jsonValue());
        this.emptyVal();
        return [out, null];
      }
      const vl = this.valList();
      if (vl === EOF) return [setIndex(list, i, ''), null];
      if (vl !== null) return [setIndex(list, i, vl), null];
      const [rs] = this.runesUntil(',');
      return [setIndex(list, i, this.reader(rs)), null];
    }
    if (last === '[') {
      const next = this.keyIndex();
      const existing = list.length > i && list[i] !== null ? assertList(list[i]) : [];
      const [inner, err] = this.listItem(existing, next, level);
      if (err) return [list, err];
      return [setIndex(list, i, inner), null];
    }
    // last === '.'
    let inner = goMap();
    if (list.length > i) {
      if (isGoMap(list[i])) inner = list[i] as GoMap;
      else list[i] = inner; // indexes out of order: an empty map
    }
    const e = this.key(inner, level);
    if (e) return [list, e];
    return [setIndex(list, i, inner), null];
  }

  /** valList: `{a,b}` as a list; null when the value is no list; EOF at the end of the line. */
  private valList(): GoValue[] | Eof | null {
    const r = this.readRune();
    if (r === EOF) return EOF;
    if (r !== '{') {
      this.i--;
      return null;
    }
    const list: GoValue[] = [];
    while (true) {
      const [rs, last] = this.runesUntil(',}');
      if (last === EOF) throw new Error("list must terminate with '}'");
      if (last === '}') {
        if (this.i < this.runes.length && this.runes[this.i] === ',') this.i++;
        list.push(this.reader(rs));
        return list;
      }
      list.push(this.reader(rs));
    }
  }

  /** The rest of a literal line. */
  private rest(): string {
    const v = this.runes.slice(this.i).join('');
    this.i = this.runes.length;
    return v;
  }

  /** emptyVal: spaces, then a comma or the end (true: no value), or anything else (unread). */
  private emptyVal(): boolean {
    while (true) {
      const r = this.readRune();
      if (r === EOF || r === ',') return true;
      if (!/^\s$/u.test(r)) {
        this.i--;
        return false;
      }
    }
  }

  /** json.Decoder.Decode of the one JSON value that starts here; what follows it stays. */
  private jsonValue(): GoValue {
    const text = this.runes.slice(this.i).join('');
    let j = 0;
    while (j < text.length && /\s/.test(text[j] as string)) j++;
    const start = j;
    const c = text[j];
    if (c === '{' || c === '[') {
      let depth = 0;
      for (; j < text.length; j++) {
        const ch = text[j];
        if (ch === '"') {
          for (j++; j < text.length && text[j] !== '"'; j++) if (text[j] === '\\') j++;
        } else if (ch === '{' || ch === '[') depth++;
        else if (ch === '}' || ch === ']') {
          depth--;
          if (depth === 0) {
            j++;
            break;
          }
        }
      }
    } else if (c === '"') {
      for (j++; j < text.length && text[j] !== '"'; j++) if (text[j] === '\\') j++;
      j++;
    } else while (j < text.length && !/[\s,{}[\]"]/.test(text[j] as string)) j++;
    const value = JSON.parse(text.slice(start, j)) as unknown;
    this.i += Array.from(text.slice(0, j)).length;
    return fromJsonValue(value);
  }
}

/**
 * values.Options.MergeValues after the -f files: every --set-json (a JSON object merged, or
 * key=json pairs), then every --set, --set-string, --set-file and --set-literal, each kind in the
 * order given (not the order of the command line), with Helm's errors.
 */
export function applySets(base: GoMap, sets: { expr: string; kind: SetKind }[], usage: string): GoMap {
  let values = base;
  const flag = {
    set: '--set',
    string: '--set-string',
    json: '--set-json',
    file: '--set-file',
    literal: '--set-literal',
  };
  for (const kind of ['json', 'set', 'string', 'file', 'literal'] as const)
    for (const s of sets.filter((x) => x.kind === kind)) {
      if (kind === 'json' && s.expr.trim().startsWith('{')) {
        let obj: unknown;
        try {
          obj = JSON.parse(s.expr.trim());
        } catch {
          obj = null;
        }
        if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
          throw new SourceError('USAGE', `failed parsing --set-json data JSON: ${s.expr}`, { hint: usage });
        values = mergeValues(values, fromJsonValue(obj) as GoMap);
        continue;
      }
      try {
        parseInto(s.expr, values, kind, (path) => {
          try {
            return readFileSync(path, 'utf8');
          } catch (e) {
            const code = (e as { code?: string }).code;
            throw new Error(
              code === 'ENOENT' ? `open ${path}: no such file or directory` : (e as Error).message,
            );
          }
        });
      } catch (e) {
        throw new SourceError(
          'USAGE',
          kind === 'json'
            ? `failed parsing --set-json data ${s.expr}`
            : `failed parsing ${flag[kind]} data: ${(e as Error).message}`,
          { hint: usage },
        );
      }
    }
  return values;
}
