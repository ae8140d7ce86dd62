// Go's text/template parser (text/template/parse): the lexer's tokens, trim markers, comments,
// actions, pipelines with declarations, control structures, define/template/block, break/continue.
// Node shapes follow Go's parse tree so the executor reads like exec.go.

import { type GoValue, goComplex } from '../values.ts';

export class TemplateSyntaxError extends Error {}

export type Node =
  | { type: 'list'; nodes: Node[] }
  | { type: 'text'; text: string }
  | { type: 'action'; pipe: Pipe; pos: Pos }
  | { type: 'if' | 'with'; pipe: Pipe; list: Node; else?: Node; pos: Pos }
  | { type: 'range'; pipe: Pipe; list: Node; else?: Node; pos: Pos }
  | { type: 'template'; name: string; pipe?: Pipe; pos: Pos }
  | { type: 'break' | 'continue'; pos: Pos };

/** A parsed text: its name (Go's ParseName) and, once asked for, where its lines start. */
class Source {
  private starts: number[] | undefined;
  constructor(
    readonly name: string,
    private readonly text: string,
  ) {}

  /** 1-based line and 0-based column of offset `p`, by binary search over the line starts. */
  lineCol(p: number): [number, number] {
    if (!this.starts) {
      this.starts = [0];
      for (let i = this.text.indexOf('\n'); i >= 0; i = this.text.indexOf('\n', i + 1))
        this.starts.push(i + 1);
    }
    const starts = this.starts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= p) lo = mid;
      else hi = mid - 1;
    }
    return [lo + 1, p - (starts[lo] as number)];
  }
}

/** Where a node starts: the file it was parsed from (Go's ParseName), line, and byte column from
 * 0; line and column are worked out only when an error needs them. */
export class Pos {
  constructor(
    private readonly off: number,
    private readonly src: Source,
  ) {}
  get file(): string {
    return this.src.name;
  }
  get line(): number {
    return this.src.lineCol(this.off)[0];
  }
  get col(): number {
    return this.src.lineCol(this.off)[1];
  }
}

export interface Pipe {
  decl: string[];
  isAssign: boolean;
  cmds: Command[];
  pos: Pos;
}

export interface Command {
  args: Arg[];
  pos: Pos;
  /** args without the first, kept once the executor has asked for them. */
  rest?: Arg[];
}

export type Arg = (
  | { type: 'field'; ident: string[] }
  | { type: 'variable'; ident: string[] }
  | { type: 'identifier'; name: string }
  | { type: 'chain'; node: Arg; field: string[] }
  | { type: 'dot' }
  | { type: 'nil' }
  | { type: 'bool'; value: boolean }
  | { type: 'number'; text: string; value: bigint | number | GoValue }
  | { type: 'string'; value: string; quoted: string }
  | { type: 'pipe'; pipe: Pipe }
) & { pos: Pos };

type TokType =
  | 'text'
  | 'left'
  | 'right'
  | 'space'
  | 'ident'
  | 'field'
  | 'variable'
  | 'string'
  | 'raw'
  | 'char'
  | 'number'
  | 'bool'
  | 'nil'
  | 'dot'
  | 'lparen'
  | 'rparen'
  | 'pipe'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'keyword'
  | 'eof';

interface Tok {
  t: TokType;
  v: string;
  pos: number;
}

const KEYWORDS = new Set([
  'if',
  'else',
  'end',
  'range',
  'with',
  'define',
  'template',
  'block',
  'break',
  'continue',
]);

// token patterns, matched in place (sticky) rather than on a copy of the rest of the text
const VARIABLE = /\$[\p{L}_0-9]*/uy;
const DOT_NUMBER = /\.[0-9][0-9_]*([eE][-+]?[0-9_]+)?/y;
const FIELD = /\.[\p{L}_][\p{L}\p{N}_]*/uy;
const NUMBER =
  /[-+]?(0[xX][0-9a-fA-F_]*(\.[0-9a-fA-F_]*)?([pP][-+]?[0-9_]+)?|0[bB][01_]+|0[oO][0-7_]+|[0-9][0-9_]*(\.[0-9_]*)?([eE][-+]?[0-9_]+)?|\.[0-9][0-9_]*([eE][-+]?[0-9_]+)?)i?/y;
const COMPLEX = /[-+]?[0-9][0-9_.eE]*[-+][0-9][0-9_.eE]*i/y;
const IDENT = /[\p{L}_][\p{L}\p{N}_]*/uy;

// the same, tested in place for the common tokens (no match array to allocate)
const SPACES = /[ \t\r\n]+/y;
const FIELD_END = /\.[\p{L}_][\p{L}\p{N}_]*/uy;
const SIMPLE_STRING = /"(?:[^"\\\n]|\\[^\n])*"/y;

/**
 * The end of the identifier characters (letters, digits, _) from `p`: scanned by character code
 * while they are ASCII, by the Unicode pattern from the first that is not.
 */
function identEnd(src: string, p: number): number {
  let e = p;
  for (;;) {
    const c = src.charCodeAt(e);
    if ((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95) e++;
    else if (c >= 128) return endAt(IDENT_REST, src, e);
    else return e;
  }
}
const IDENT_REST = /[\p{L}\p{N}_]*/uy;

/** The end of the token `re` matches at `p`, or -1. */
function endAt(re: RegExp, src: string, p: number): number {
  re.lastIndex = p;
  return re.test(src) ? re.lastIndex : -1;
}

function matchAt(re: RegExp, src: string, p: number): RegExpExecArray | null {
  re.lastIndex = p;
  return re.exec(src);
}

/** text/template/parse/lex.go: text and actions with `{{`/`}}`, `{{- ` and ` -}}` trimming. */
function lex(src: string, name: string): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  const isSpace = (c: string | undefined) => c === ' ' || c === '\t' || c === '\r' || c === '\n';
  const lineOf = (p: number) => src.slice(0, p).split('\n').length;
  const fail = (msg: string, p: number): never => {
    throw new TemplateSyntaxError(`template: ${name}:${lineOf(p)}: ${msg}`);
  };
  while (i < src.length) {
    const open = src.indexOf('{{', i);
    if (open < 0) {
      toks.push({ t: 'text', v: src.slice(i), pos: i });
      break;
    }
    let text = src.slice(i, open);
    let p = open + 2;
    const trimLeft = src[p] === '-' && isSpace(src[p + 1]);
    if (trimLeft) {
      text = text.replace(/[ \t\r\n]+$/, '');
      p += 1;
    }
    if (text) toks.push({ t: 'text', v: text, pos: i });
    // a comment: {{/* ... */}} (only spaces and trim markers around it)
    let q = p;
    while (isSpace(src[q])) q++;
    if (src.startsWith('/*', q)) {
      const end = src.indexOf('*/', q + 2);
      if (end < 0) fail('unclosed comment', q);
      let r = end + 2;
      let trimRight = false;
      if (src[r] === ' ' && src[r + 1] === '-' && src.startsWith('}}', r + 2)) {
        trimRight = true;
        r += 2;
      } else if (!src.startsWith('}}', r)) fail('comment ends before closing delimiter', r);
      i = r + 2;
      if (trimRight) while (isSpace(src[i])) i++;
      continue;
    }
    toks.push({ t: 'left', v: '{{', pos: open });
    // inside the action
    let depth = 0;
    while (true) {
      if (p >= src.length) fail('unclosed action', open);
      const cc = src.charCodeAt(p);
      // the common tokens first, by their first character
      if (cc === 46 /* . */) {
        const c1 = src.charCodeAt(p + 1);
        const e =
          c1 === 95 || (c1 >= 97 && c1 <= 122) || (c1 >= 65 && c1 <= 90)
            ? identEnd(src, p + 2)
            : endAt(FIELD_END, src, p);
        if (e > 0) {
          toks.push({ t: 'field', v: src.slice(p, e), pos: p });
          p = e;
          continue;
        }
      } else if (cc === 34 /* " */) {
        const e = endAt(SIMPLE_STRING, src, p);
        if (e > 0) {
          toks.push({ t: 'string', v: src.slice(p, e), pos: p });
          p = e;
          continue;
        }
      } else if (cc === 95 || (cc >= 97 && cc <= 122) || (cc >= 65 && cc <= 90)) {
        const e = identEnd(src, p + 1);
        const w = src.slice(p, e);
        toks.push({
          t: KEYWORDS.has(w)
            ? 'keyword'
            : w === 'true' || w === 'false'
              ? 'bool'
              : w === 'nil'
                ? 'nil'
                : 'ident',
          v: w,
          pos: p,
        });
        p = e;
        continue;
      }
      const c = src[p] as string;
      if (cc === 32 || cc === 10 || cc === 9 || cc === 13) {
        const s = endAt(SPACES, src, p);
        // ` -}}` closes with trimming
        if (src[s] === '-' && src.startsWith('}}', s + 1) && s > p) {
          toks.push({ t: 'right', v: '}}', pos: s });
          i = s + 3;
          while (isSpace(src[i])) i++;
          break;
        }
        // newlines are allowed inside actions (Go 1.16+)
        toks.push({ t: 'space', v: src.slice(p, s), pos: p });
        p = s;
        continue;
      }
      if (src.startsWith('}}', p)) {
        if (depth > 0) fail('unclosed left paren', p);
        toks.push({ t: 'right', v: '}}', pos: p });
        i = p + 2;
        break;
      }
      if (c === '(') {
        depth++;
        toks.push({ t: 'lparen', v: c, pos: p++ });
        continue;
      }
      if (c === ')') {
        if (depth === 0) fail('unexpected right paren', p);
        depth--;
        toks.push({ t: 'rparen', v: c, pos: p++ });
        continue;
      }
      if (c === '|') {
        toks.push({ t: 'pipe', v: c, pos: p++ });
        continue;
      }
      if (c === ',') {
        toks.push({ t: 'comma', v: c, pos: p++ });
        continue;
      }
      if (c === ':' && src[p + 1] === '=') {
        toks.push({ t: 'declare', v: ':=', pos: p });
        p += 2;
        continue;
      }
      if (c === '=') {
        toks.push({ t: 'assign', v: '=', pos: p++ });
        continue;
      }
      if (c === '"') {
        let s = p + 1;
        while (s < src.length && src[s] !== '"') {
          if (src[s] === '\\') s++;
          if (src[s] === '\n') fail('unterminated quoted string', p);
          s++;
        }
        if (s >= src.length) fail('unterminated quoted string', p);
        toks.push({ t: 'string', v: src.slice(p, s + 1), pos: p });
        p = s + 1;
        continue;
      }
      if (c === '`') {
        const s = src.indexOf('`', p + 1);
        if (s < 0) fail('unterminated raw quoted string', p);
        toks.push({ t: 'raw', v: src.slice(p, s + 1), pos: p });
        p = s + 1;
        continue;
      }
      if (c === "'") {
        let s = p + 1;
        while (s < src.length && src[s] !== "'") {
          if (src[s] === '\\') s++;
          if (src[s] === '\n') fail('unterminated character constant', p);
          s++;
        }
        if (s >= src.length) fail('unterminated character constant', p);
        toks.push({ t: 'char', v: src.slice(p, s + 1), pos: p });
        p = s + 1;
        continue;
      }
      if (c === '$') {
        const m = matchAt(VARIABLE, src, p) as RegExpExecArray;
        toks.push({ t: 'variable', v: m[0], pos: p });
        p += m[0].length;
        continue;
      }
      if (c === '.') {
        if (/[0-9]/.test(src[p + 1] ?? '')) {
          const m = matchAt(DOT_NUMBER, src, p) as RegExpExecArray;
          toks.push({ t: 'number', v: m[0], pos: p });
          p += m[0].length;
          continue;
        }
        const m = matchAt(FIELD, src, p);
        if (m) {
          toks.push({ t: 'field', v: m[0], pos: p });
          p += m[0].length;
        } else {
          toks.push({ t: 'dot', v: '.', pos: p });
          p++;
        }
        continue;
      }
      if (/[-+0-9]/.test(c)) {
        const m = matchAt(NUMBER, src, p);
        if (!m || m[0] === '-' || m[0] === '+')
          fail(`bad number syntax: "${src.slice(p, p + 10).split(/[\s}]/)[0]}"`, p);
        // a complex constant: 1+2i, with no spaces
        const cm = matchAt(COMPLEX, src, p);
        if (cm && !(m as RegExpExecArray)[0].endsWith('i')) {
          toks.push({ t: 'number', v: cm[0], pos: p });
          p += cm[0].length;
          continue;
        }
        const after = src[p + (m as RegExpExecArray)[0].length] ?? '';
        if (/[\p{L}\p{N}_.]/u.test(after))
          fail(`bad number syntax: "${src.slice(p).split(/[\s})|]/)[0]}"`, p);
        toks.push({ t: 'number', v: (m as RegExpExecArray)[0], pos: p });
        p += (m as RegExpExecArray)[0].length;
        continue;
      }
      const m = matchAt(IDENT, src, p);
      if (m) {
        const w = m[0];
        let t: TokType = 'ident';
        if (KEYWORDS.has(w)) t = 'keyword';
        else if (w === 'true' || w === 'false') t = 'bool';
        else if (w === 'nil') t = 'nil';
        toks.push({ t, v: w, pos: p });
        p += w.length;
        // a field chained on an identifier or a closing paren: (x).Field handled by parser
        continue;
      }
      fail(`unrecognized character in action: ${JSON.stringify(c)}`, p);
    }
  }
  toks.push({ t: 'eof', v: '', pos: src.length });
  return toks;
}

function unquote(tok: Tok, fail: (m: string) => never): string {
  if (tok.t === 'raw') return tok.v.slice(1, -1).replaceAll('\r', '');
  const body = tok.v.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const n = body[++i];
    const simple: Record<string, string> = {
      n: '\n',
      t: '\t',
      r: '\r',
      '\\': '\\',
      '"': '"',
      "'": "'",
      a: '\x07',
      b: '\b',
      f: '\f',
      v: '\v',
    };
    if (n !== undefined && n in simple) {
      if ((n === "'" && tok.t === 'string') || (n === '"' && tok.t === 'char')) fail(`invalid syntax`);
      out += simple[n];
    } else if (n === 'x') {
      out += String.fromCharCode(Number.parseInt(body.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (n === 'u') {
      out += String.fromCodePoint(Number.parseInt(body.slice(i + 1, i + 5), 16));
      i += 4;
    } else if (n === 'U') {
      out += String.fromCodePoint(Number.parseInt(body.slice(i + 1, i + 9), 16));
      i += 8;
    } else if (n !== undefined && /[0-7]/.test(n)) {
      out += String.fromCharCode(Number.parseInt(body.slice(i, i + 3), 8));
      i += 2;
    } else fail('invalid syntax');
  }
  return out;
}

const MAX_INT64 = 2n ** 63n - 1n;
const MIN_INT64 = -(2n ** 63n);
const MAX_UINT64 = 2n ** 64n - 1n;

function parseNumber(text: string, fail: (m: string) => never): { value: bigint | number | GoValue } {
  let t = text.replaceAll('_', '');
  if (t.endsWith('i')) {
    const cm =
      /^(?:([-+]?[0-9][0-9.]*(?:[eE][-+]?[0-9]+)?)(?=[-+]))?([-+]?[0-9.][0-9.]*(?:[eE][-+]?[0-9]+)?)i$/.exec(
        text.replaceAll('_', ''),
      );
    if (!cm) fail(`bad number syntax: "${text}"`);
    return { value: goComplex(Number((cm as RegExpExecArray)[1] ?? 0), Number((cm as RegExpExecArray)[2])) };
  }
  const neg = t.startsWith('-');
  if (t.startsWith('+') || t.startsWith('-')) t = t.slice(1);
  const isHex = /^0[xX]/.test(t);
  const isFloat = (!isHex && /[.eE]/.test(t)) || (isHex && /[.pP]/.test(t));
  if (!isFloat) {
    let v: bigint;
    if (/^0[0-7]+$/.test(t)) v = BigInt(`0o${t.slice(1)}`);
    else v = BigInt(t);
    if (neg) v = -v;
    if (v > MAX_INT64 || v < MIN_INT64) {
      if (v <= MAX_UINT64 && v >= 0n) return { value: v };
      return { value: Number(v) };
    }
    return { value: v };
  }
  const f = isHex ? hexFloat(t) : Number(t);
  if (Number.isNaN(f)) fail(`bad number syntax: "${text}"`);
  return { value: neg ? -f : f };
}

function hexFloat(t: string): number {
  const m = /^0[xX]([0-9a-fA-F]*)(?:\.([0-9a-fA-F]*))?[pP]([-+]?\d+)$/.exec(t);
  if (!m) return Number.NaN;
  const mant = Number.parseInt(`${m[1] || '0'}${m[2] ?? ''}`, 16) / 16 ** (m[2]?.length ?? 0);
  return mant * 2 ** Number(m[3]);
}

/** A template with nothing but blank text may be redefined (parse.IsEmptyTree). */
export function isEmptyTree(n: Node): boolean {
  if (n.type === 'list') return n.nodes.every(isEmptyTree);
  if (n.type === 'text') return n.text.trim() === '';
  return false;
}

export interface ParsedTemplate {
  name: string;
  root: Node;
  /** Templates defined inside with {{define}} or {{block}}. */
  defines: Map<string, Node>;
}

/** Parses one template text; `name` is used in error messages. */
/**
 * Parses a template. With `hasFunction`, an identifier that names no function fails here, as Go's
 * parser fails (`function "x" not defined`), whether or not the action would ever run.
 */
export function parse(src: string, name: string, hasFunction?: (name: string) => boolean): ParsedTemplate {
  const toks = lex(src, name);
  let k = 0;
  const defines = new Map<string, Node>();
  const source = new Source(name, src);
  const lineCol = (p: number): Pos => new Pos(p, source);
  const fail = (msg: string, p = toks[k]?.pos ?? 0): never => {
    throw new TemplateSyntaxError(`template: ${name}:${lineCol(p).line}: ${msg}`);
  };
  const peek = (skipSpace = true): Tok => {
    let j = k;
    while (skipSpace && toks[j]?.t === 'space') j++;
    return toks[j] as Tok;
  };
  const next = (skipSpace = true): Tok => {
    while (skipSpace && toks[k]?.t === 'space') k++;
    return toks[k++] as Tok;
  };
  let rangeDepth = 0;

  function parseList(terminators: string[]): { list: Node; end: string } {
    const nodes: Node[] = [];
    while (true) {
      const t = toks[k] as Tok;
      if (t.t === 'eof') {
        if (terminators.length > 0) fail(`unexpected EOF`);
        return { list: { type: 'list', nodes }, end: 'eof' };
      }
      if (t.t === 'text') {
        nodes.push({ type: 'text', text: t.v });
        k++;
        continue;
      }
      // an action
      k++; // {{
      const kw = peek();
      if (kw.t === 'keyword' && (kw.v === 'end' || kw.v === 'else')) {
        if (!terminators.includes(kw.v)) fail(`unexpected {{${kw.v}}}`);
        next();
        // {{end}} closes here; {{else}} may go on with `if`/`with` (the caller reads on)
        if (kw.v === 'end') expectRight('end');
        return { list: { type: 'list', nodes }, end: kw.v };
      }
      const node = parseAction();
      if (node) nodes.push(node);
    }
  }

  function expectRight(ctx: string): void {
    const t = next();
    if (t.t !== 'right') fail(`unexpected "${t.v}" in ${ctx}`, t.pos);
  }

  function parseControl(type: 'if' | 'with' | 'range', pos: Pos): Node {
    const pipe = parsePipeline(type, type === 'range');
    expectRight(type);
    if (type === 'range') rangeDepth++;
    const body = parseList(['end', 'else']);
    if (type === 'range') rangeDepth--;
    let elseList: Node | undefined;
    if (body.end === 'else') {
      // else if / else with chains
      const nk = peek();
      if (
        (type === 'if' && nk.t === 'keyword' && nk.v === 'if') ||
        (type === 'with' && nk.t === 'keyword' && nk.v === 'with')
      ) {
        next();
        const inner = parseControl(type, lineCol(nk.pos));
        elseList = { type: 'list', nodes: [inner] };
        return { type, pipe, list: body.list, else: elseList, pos } as Node;
      }
      expectRight('else');
      const e = parseList(['end']);
      elseList = e.list;
    }
    return { type, pipe, list: body.list, else: elseList, pos } as Node;
  }

  function parseAction(): Node | undefined {
    const t = peek();
    const pos = lineCol(t.pos);
    if (t.t === 'keyword') {
      next();
      switch (t.v) {
        case 'if':
        case 'with':
        case 'range':
          return parseControl(t.v, pos);
        case 'break':
        case 'continue': {
          if (rangeDepth === 0) fail(`{{${t.v}}} outside {{range}}`);
          expectRight(t.v);
          return { type: t.v, pos };
        }
        case 'template':
        case 'block': {
          const nt = next();
          if (nt.t !== 'string' && nt.t !== 'raw') fail(`unexpected "${nt.v}" in ${t.v} clause`, nt.pos);
          const tname = unquote(nt, fail);
          let pipe: Pipe | undefined;
          if (peek().t !== 'right') pipe = parsePipeline(t.v, false);
          else if (t.v === 'block') fail('missing pipeline in block clause');
          expectRight(t.v);
          if (t.v === 'block') {
            const body = parseList(['end']);
            defines.set(tname, body.list);
          }
          return { type: 'template', name: tname, pipe, pos: lineCol(nt.pos) };
        }
        case 'define': {
          const nt = next();
          if (nt.t !== 'string' && nt.t !== 'raw') fail(`unexpected "${nt.v}" in define clause`, nt.pos);
          const tname = unquote(nt, fail);
          expectRight('define');
          const body = parseList(['end']);
          const prev = defines.get(tname);
          if (prev && !isEmptyTree(prev) && !isEmptyTree(body.list))
            fail(`template: multiple definition of template "${tname}"`);
          if (!prev || !isEmptyTree(body.list)) defines.set(tname, body.list);
          return undefined;
        }
        default:
          fail(`unexpected keyword ${t.v}`);
      }
    }
    const pipe = parsePipeline('command', false);
    expectRight('command');
    return { type: 'action', pipe, pos };
  }

  function parsePipeline(context: string, allowTwoDecls: boolean): Pipe {
    const pos = lineCol(peek().pos);
    const decl: string[] = [];
    let isAssign = false;
    // declarations: $x := or $x, $y := or $x =
    const save = k;
    const v1 = next();
    if (v1.t === 'variable') {
      const after = next();
      if (after.t === 'declare' || after.t === 'assign') {
        decl.push(v1.v);
        isAssign = after.t === 'assign';
      } else if (after.t === 'comma' && allowTwoDecls) {
        const v2 = next();
        if (v2.t !== 'variable') fail(`range can only initialize variables`);
        const d = next();
        if (d.t !== 'declare' && d.t !== 'assign') fail(`expected := or = in range`);
        decl.push(v1.v, v2.v);
        isAssign = d.t === 'assign';
      } else k = save;
    } else k = save;
    const cmds: Command[] = [];
    while (true) {
      const t = peek();
      if (t.t === 'right' || t.t === 'rparen') break;
      cmds.push(parseCommand());
      const sep = peek();
      if (sep.t === 'pipe') {
        next();
        continue;
      }
      if (sep.t === 'right' || sep.t === 'rparen') break;
      fail(`unexpected "${sep.v}" in ${context}`, sep.pos);
    }
    if (cmds.length === 0) fail(`missing value for ${context}`);
    return { decl, isAssign, cmds, pos };
  }

  function parseCommand(): Command {
    const pos = lineCol(peek().pos);
    const args: Arg[] = [];
    while (true) {
      // operands are separated by spaces
      const t = peek(false);
      if (t.t === 'space') {
        k++;
        const n = peek(false);
        if (n.t === 'right' || n.t === 'rparen' || n.t === 'pipe') break;
        continue;
      }
      if (t.t === 'right' || t.t === 'rparen' || t.t === 'pipe') break;
      if (args.length > 0 && toks[k - 1]?.t !== 'space') fail(`unexpected "${t.v}" in operand`, t.pos);
      args.push(parseOperand());
    }
    if (args.length === 0) fail('empty command');
    return { args, pos };
  }

  function parseTerm(): Arg {
    const t = next(false);
    const pos = lineCol(t.pos);
    switch (t.t) {
      case 'ident':
        if (hasFunction && !hasFunction(t.v)) fail(`function ${JSON.stringify(t.v)} not defined`, t.pos);
        return { type: 'identifier', name: t.v, pos };
      case 'dot':
        return { type: 'dot', pos };
      case 'nil':
        return { type: 'nil', pos };
      case 'variable':
        return { type: 'variable', ident: [t.v], pos };
      case 'field':
        return { type: 'field', ident: [t.v.slice(1)], pos };
      case 'bool':
        return { type: 'bool', value: t.v === 'true', pos };
      case 'char': {
        const s = unquote(t, fail);
        if (Array.from(s).length !== 1) fail(`malformed character constant: ${t.v}`);
        return { type: 'number', text: t.v, value: BigInt(s.codePointAt(0) as number), pos };
      }
      case 'number':
        return { type: 'number', text: t.v, ...parseNumber(t.v, fail), pos };
      case 'string':
      case 'raw':
        return { type: 'string', value: unquote(t, fail), quoted: t.v, pos };
      case 'lparen': {
        const pipe = parsePipeline('parenthesized pipeline', false);
        const r = next();
        if (r.t !== 'rparen') fail(`unclosed left paren`, r.pos);
        return { type: 'pipe', pipe, pos: pipe.pos };
      }
      default:
        return fail(`unexpected "${t.v}" in operand`, t.pos);
    }
  }

  function parseOperand(): Arg {
    let node = parseTerm();
    // .Field chains directly after a term: $x.a.b, (pipe).a, .a.b; like Go's chain node, the
    // result is positioned at the first chained field
    const fields: string[] = [];
    const at = toks[k]?.t === 'field' ? (toks[k] as Tok).pos : 0;
    while (toks[k]?.t === 'field') fields.push((toks[k++] as Tok).v.slice(1));
    if (fields.length === 0) return node;
    const pos = lineCol(at);
    switch (node.type) {
      case 'field':
        return { type: 'field', ident: [...node.ident, ...fields], pos };
      case 'variable':
        return { type: 'variable', ident: [...node.ident, ...fields], pos };
      case 'bool':
      case 'string':
      case 'number':
      case 'nil':
      case 'dot':
        return fail(`unexpected . after term "${node.type === 'dot' ? '.' : 'value'}"`);
      default:
        node = { type: 'chain', node, field: fields, pos };
        return node;
    }
  }

  const { list, end } = parseList([]);
  if (end !== 'eof') fail(`unexpected {{${end}}}`);
  return { name, root: list, defines };
}

// ---- Go's String() of parse nodes, for "executing ... at <node>" in errors ---------------------------

/** A node execution errors can point at (Go's state.at). */
export type AtNode = Exclude<Node, { type: 'list' } | { type: 'text' }> | Command | Pipe | Arg;

export function nodeString(n: AtNode): string {
  if ('cmds' in n) return pipeString(n);
  if ('args' in n) return commandString(n);
  switch (n.type) {
    case 'action':
      return `{{${pipeString(n.pipe)}}}`;
    case 'template':
      return n.pipe
        ? `{{template ${JSON.stringify(n.name)} ${pipeString(n.pipe)}}}`
        : `{{template ${JSON.stringify(n.name)}}}`;
    case 'if':
    case 'with':
    case 'range':
      return `{{${n.type} ${pipeString(n.pipe)}}}`;
    case 'break':
    case 'continue':
      return `{{${n.type}}}`;
    default:
      return argString(n);
  }
}

function pipeString(p: Pipe): string {
  const decl = p.decl.length ? `${p.decl.join(', ')}${p.isAssign ? ' = ' : ' := '}` : '';
  return decl + p.cmds.map(commandString).join(' | ');
}

function commandString(c: Command): string {
  return c.args.map((a) => (a.type === 'pipe' ? `(${pipeString(a.pipe)})` : argString(a))).join(' ');
}

function argString(a: Arg): string {
  switch (a.type) {
    case 'field':
      return a.ident.map((i) => `.${i}`).join('');
    case 'variable':
      return a.ident.join('.');
    case 'identifier':
      return a.name;
    case 'chain':
      return (
        (a.node.type === 'pipe' ? `(${pipeString(a.node.pipe)})` : argString(a.node)) +
        a.field.map((f) => `.${f}`).join('')
      );
    case 'dot':
      return '.';
    case 'nil':
      return 'nil';
    case 'bool':
      return String(a.value);
    case 'number':
      return a.text;
    case 'string':
      return a.quoted;
    case 'pipe':
      return pipeString(a.pipe);
  }
}
