// A fast reader for the YAML that values files, manifests and kustomizations are nearly always
// made of: documents cut at `---` lines, block mappings and sequences, plain scalars (folded over
// more-indented lines), one-line quoted scalars, literal and folded block scalars, one-line flow
// collections, comments. It is a shortcut, not a parser: anything outside that subset (anchors,
// aliases, tags, directives, multi-line quoted scalars or flow collections, complex keys, tabs,
// odd indentation, anything that may be an error) makes it answer `undefined`, and the caller
// reads the text with the full parser, which also words the errors. What it does accept it must
// read exactly as the full parser does; test/lib/yaml/fast-read.test.ts checks that against the
// full parser on every YAML file of the repository and on seeded mutations of them.
//
// Why by hand: the full parser (`yaml`) builds a CST and a document of nodes before the values,
// ~150 ms for the official Airflow chart's values.yaml in a process that has just started; this
// reads the same text in a tenth of that. Plain scalars are resolved by the full parser's own
// schema tags, so the two cannot disagree on what `yes`, `0x1F` or `1e3` mean.

import {
  Document,
  type DocumentOptions,
  isScalar,
  type ParseOptions,
  type Scalar,
  type ScalarTag,
  type SchemaOptions,
  visit,
} from 'yaml';

/** The schema's own tags, as `yaml` hands them to a customTags function. */
export type SchemaTags = Parameters<Extract<SchemaOptions['customTags'], (...args: never[]) => unknown>>[0];

/** What a plain scalar means: the value, or BAIL when the caller's full parser should decide. */
export type PlainResolver = (text: string) => unknown;

export const BAIL: unique symbol = Symbol('bail');

/**
 * How `yaml` resolves an untagged plain scalar under `options`: its schema's default tags tried in
 * order, as its compose-scalar does, the value passed through `convert`.
 */
export function schemaResolver(
  options: ParseOptions & DocumentOptions & SchemaOptions,
  convert: (v: unknown) => unknown = (v) => v,
): PlainResolver {
  const tags = new Document(null, options).schema.tags.filter(
    (t): t is ScalarTag => t.default === true && t.test !== undefined && !t.collection,
  );
  const opts = { intAsBigInt: options.intAsBigInt ?? false };
  return (text) => {
    for (const tag of tags) {
      if (!(tag.test as RegExp).test(text)) continue;
      let failed = false;
      const v = (tag.resolve as ScalarTag['resolve'])(
        text,
        () => {
          failed = true;
        },
        opts as never,
      );
      return failed ? BAIL : convert(isScalar(v) ? v.value : v);
    }
    return text;
  };
}

/**
 * go-yaml (v2's Unmarshal and v3) gives a block scalar whose last line ends the text without a
 * newline no line break there (`a: |` then `  x` at the very end reads "x"); `yaml` reads it as if
 * the newline were there. Mends the last document `yaml` parsed from `text` (the full parser's
 * counterpart of `eofLineBreak: false`).
 */
export function dropLineBreakAtEof(doc: Document.Parsed, text: string): void {
  if (text.endsWith('\n') || /\n *$/.test(text)) return;
  let atEof: Scalar | undefined;
  visit(doc, {
    Scalar(_, node) {
      if (
        (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') &&
        (node.range?.[1] ?? 0) >= text.length
      )
        atEof = node;
    },
  });
  if (atEof && typeof atEof.value === 'string' && atEof.value.endsWith('\n'))
    atEof.value = atEof.value.slice(0, -1);
}

class Bail extends Error {}
const bail = (): never => {
  throw new Bail();
};

const SPACE = 32;
const HASH = 35;
const COLON = 58;
const DASH = 45;
const DOT = 46;
const PERCENT = 37;

export interface SimpleYamlOptions {
  /** A key repeated in a mapping is an error (left to the full parser) instead of overriding. */
  uniqueKeys?: boolean;
  /**
   * false: a block scalar whose last line ends the text without a newline keeps no line break
   * there, as go-yaml reads it (v2's Unmarshal, v3); by default it gets one, as the `yaml`
   * library reads it.
   */
  eofLineBreak?: boolean;
  /** What a folded (`>`) block scalar's value becomes once read (see kustomize/yaml-io.ts). */
  folded?: (value: string) => string;
  /**
   * Called for each mapping entry whose value is a plain scalar, with its text (`~`, `0x1F`...),
   * or has no value at all (text empty).
   */
  onPlain?: (map: Record<string, unknown>, key: string, text: string) => void;
}

/** A document of a stream, with the 1-based line and column where its content starts. */
export interface SimpleDoc {
  value: unknown;
  line: number;
  col: number;
}

const DOC_START = /^---( +#.*)? *$/;

/**
 * The single document in `text` as plain data (maps built by `newMap`), or undefined when the
 * text is outside the subset this reader handles, holds several documents or none.
 */
export function readSimpleYaml(
  text: string,
  resolvePlain: PlainResolver,
  newMap: () => Record<string, unknown>,
  opts: SimpleYamlOptions = {},
): { value: unknown } | undefined {
  const pieces = readPieces(text, resolvePlain, newMap, opts);
  if (!pieces) return undefined;
  // a first `---` may follow comments: they belong to the one document
  const [first, second] = pieces;
  if (pieces.length === 1 && first && first !== EMPTY) return first;
  if (pieces.length === 2 && first === EMPTY && second && second !== EMPTY) return second;
  return undefined;
}

/**
 * Every non-empty document of a YAML stream (empty ones, and those that are only null, skipped
 * as kio.ByteReader skips them), or undefined when any of them is outside the subset.
 */
export function readSimpleYamlStream(
  text: string,
  resolvePlain: PlainResolver,
  newMap: () => Record<string, unknown>,
  opts: SimpleYamlOptions = {},
): SimpleDoc[] | undefined {
  const pieces = readPieces(text, resolvePlain, newMap, opts);
  if (!pieces) return undefined;
  const docs: SimpleDoc[] = [];
  for (const p of pieces) if (p !== EMPTY && p.value !== null) docs.push(p);
  return docs;
}

/**
 * The first document of a stream (comments before a first `---` belong to it), null when there is
 * none or it is empty, undefined when any document of the stream is outside the subset.
 */
export function readFirstSimpleDocument(
  text: string,
  resolvePlain: PlainResolver,
  newMap: () => Record<string, unknown>,
  opts: SimpleYamlOptions = {},
): SimpleDoc | null | undefined {
  const pieces = readPieces(text, resolvePlain, newMap, opts);
  if (!pieces) return undefined;
  const first = pieces[0] === EMPTY && pieces.length > 1 ? pieces[1] : pieces[0];
  return first === EMPTY || first === undefined ? null : first;
}

const EMPTY: unique symbol = Symbol('empty');

/** The text cut at its `---` lines, each piece read on its own. */
function readPieces(
  text: string,
  resolvePlain: PlainResolver,
  newMap: () => Record<string, unknown>,
  opts: SimpleYamlOptions,
): (SimpleDoc | typeof EMPTY)[] | undefined {
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  const lines = text.split('\n');
  const terminated = text.endsWith('\n');
  // a final newline ends the last line; it does not start another
  const total = terminated ? lines.length - 1 : lines.length;
  const pieces: (SimpleDoc | typeof EMPTY)[] = [];
  let start = 0;
  for (let k = 0; k <= total; k++) {
    const l = k < total ? (lines[k] as string) : undefined;
    if (l !== undefined) {
      const c = l.charCodeAt(0);
      // document markers, directives: `---` alone is handled, anything else is not
      if (c !== DASH && c !== DOT && c !== PERCENT) continue;
      if (!l.startsWith('---') && !l.startsWith('...') && c !== PERCENT) continue;
      if (!DOC_START.test(l)) return undefined;
    }
    const doc = readDocument(lines, start, k, k < total || terminated, resolvePlain, newMap, opts);
    if (doc === undefined) return undefined;
    pieces.push(doc);
    start = k + 1;
  }
  return pieces;
}

/**
 * The document in lines [from, to), EMPTY when it holds only blank and comment lines, undefined
 * when it is outside the subset. `terminated`: a newline follows line to-1.
 */
function readDocument(
  lines: string[],
  from: number,
  to: number,
  terminated: boolean,
  resolvePlain: PlainResolver,
  newMap: () => Record<string, unknown>,
  opts: SimpleYamlOptions,
): SimpleDoc | typeof EMPTY | undefined {
  const n = to;
  let i = from;
  /** The text of the plain scalar just read, or empty for an entry without a value. */
  let lastPlain: string | undefined;

  const indentOf = (line: string): number => {
    let k = 0;
    while (line.charCodeAt(k) === SPACE) k++;
    return k;
  };
  /** Moves i to the next line holding a node, past blank and comment lines. */
  const skipBlank = (): void => {
    for (; i < n; i++) {
      const line = lines[i] as string;
      if (line.includes('\t')) bail();
      const k = indentOf(line);
      if (k < line.length && line.charCodeAt(k) !== HASH) return;
    }
  };
  /** The rest of a line after a node ends at `pos`: only spaces or a comment may follow. */
  const endOfLine = (line: string, pos: number): void => {
    let k = pos;
    while (line.charCodeAt(k) === SPACE) k++;
    if (k < line.length && !(line.charCodeAt(k) === HASH && k > pos)) bail();
  };
  const asKey = (v: unknown): string => {
    if (typeof v !== 'string' || v === '__proto__' || v === '<<' || v.length > 1000) bail();
    return v as string;
  };
  const plain = (s: string): unknown => {
    const v = resolvePlain(s);
    if (v === BAIL) bail();
    lastPlain = s;
    return v;
  };

  /** A quoted scalar starting at `pos` (on the quote); it must end on this line. */
  const quoted = (line: string, pos: number): [string, number] => {
    const q = line[pos];
    let out = '';
    let k = pos + 1;
    if (q === "'") {
      for (;;) {
        const end = line.indexOf("'", k);
        if (end < 0) bail();
        out += line.slice(k, end);
        if (line[end + 1] === "'") {
          out += "'";
          k = end + 2;
        } else return [out, end + 1];
      }
    }
    for (;;) {
      const quote = line.indexOf('"', k);
      const esc = line.indexOf('\\', k);
      if (quote < 0) bail();
      if (esc < 0 || quote < esc) return [out + line.slice(k, quote), quote + 1];
      out += line.slice(k, esc);
      const c = line[esc + 1];
      k = esc + 2;
      switch (c) {
        case '"':
        case '\\':
        case '/':
          out += c;
          break;
        case 'n':
          out += '\n';
          break;
        case 't':
          out += '\t';
          break;
        case 'r':
          out += '\r';
          break;
        case '0':
          out += '\0';
          break;
        case ' ':
          out += ' ';
          break;
        case 'u': {
          const hex = line.slice(k, k + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) bail();
          const code = Number.parseInt(hex, 16);
          if (code >= 0xd800 && code <= 0xdfff) bail();
          out += String.fromCharCode(code);
          k += 4;
          break;
        }
        default:
          bail();
      }
    }
  };

  /** Characters that may not begin a plain scalar in block context (others than - ? :). */
  const badPlainStart = (c: string | undefined): boolean =>
    c === undefined || ',[]{}#&*!|>\'"%@`'.includes(c);

  /** A flow collection starting at `pos` on `line`, closed on the same line. */
  const flow = (line: string, pos: number): [unknown, number] => {
    const open = line[pos];
    const close = open === '[' ? ']' : '}';
    const seq: unknown[] = [];
    const map = open === '{' ? newMap() : undefined;
    let k = pos + 1;
    const skip = () => {
      while (line.charCodeAt(k) === SPACE) k++;
    };
    const item = (): unknown => {
      skip();
      const c = line[k];
      if (c === '[' || c === '{') {
        const [v, end] = flow(line, k);
        k = end;
        return v;
      }
      if (c === '"' || c === "'") {
        const [v, end] = quoted(line, k);
        k = end;
        return v;
      }
      // - ? : begin a plain scalar only before a character that may be in one (here: not , [ ] { })
      const next = line[k + 1];
      if (
        badPlainStart(c) ||
        ((c === '-' || c === '?' || c === ':') && (next === undefined || ' ,[]{}'.includes(next)))
      )
        bail();
      const start = k;
      while (k < line.length) {
        const ch = line[k] as string;
        if (ch === ',' || ch === '[' || ch === ']' || ch === '{' || ch === '}') break;
        // ':' ends it before a space, a flow indicator or the end of the line (a key follows)
        if (ch === ':' && (k + 1 >= line.length || ' ,[]{}'.includes(line[k + 1] as string))) break;
        if (ch === '#' && line[k - 1] === ' ') break;
        k++;
      }
      const s = line.slice(start, k).trimEnd();
      if (s === '') bail();
      return plain(s);
    };
    skip();
    while (line[k] !== close) {
      if (map) {
        const key = asKey(item());
        skip();
        if (line[k] !== ':' || line[k + 1] !== ' ') bail();
        k++;
        if (opts.uniqueKeys && Object.hasOwn(map, key)) bail();
        lastPlain = undefined;
        const value = item();
        map[key] = value;
        if (lastPlain !== undefined && (value === null || typeof value !== 'object'))
          opts.onPlain?.(map, key, lastPlain);
      } else {
        seq.push(item());
      }
      skip();
      if (line[k] === ',') {
        k++;
        skip();
      } else if (line[k] !== close) bail();
    }
    return [map ?? seq, k + 1];
  };

  /**
   * A block scalar whose header (| or >) is at `pos` of line i, inside a node indented `parent`.
   * Leaves i after its last line.
   */
  const blockScalar = (line: string, pos: number, parent: number): string => {
    const m = /^([|>])([-+]?)( +#.*)? *$/.exec(line.slice(pos));
    if (!m || parent < 0) bail();
    const [, style, chomp] = m as RegExpExecArray;
    i++;
    // the content's indentation is that of its first non-blank line
    let first = i;
    while (first < n && /^ *$/.test(lines[first] as string)) first++;
    if (first >= n) bail();
    const indent = indentOf(lines[first] as string);
    if (indent <= parent) bail();
    for (let k = i; k < first; k++) if ((lines[k] as string).length > indent) bail();
    const body: string[] = [];
    let end = i;
    for (; end < n; end++) {
      const l = lines[end] as string;
      if (/^ *$/.test(l)) {
        if (l.length > indent) bail();
        body.push('');
        continue;
      }
      if (indentOf(l) < indent) break;
      body.push(l.slice(indent));
    }
    // a last line without a newline after it: as if it had one (go-yaml v2, `yaml`), or without
    // the line break it lacks (go-yaml v3, `eofLineBreak: false`); a blank one is left
    const atEof = end === n && !terminated;
    if (atEof && /^ *$/.test(lines[n - 1] as string)) bail();
    const noBreak = atEof && opts.eofLineBreak === false;
    i = end;
    let trailing = 0;
    while (body.length > 0 && body[body.length - 1] === '') {
      body.pop();
      trailing++;
    }
    let out: string;
    if (style === '|') out = body.join('\n');
    else {
      out = '';
      let empty = 0;
      let started = false;
      for (const l of body) {
        if (l === '') {
          empty++;
          continue;
        }
        const c = l.charCodeAt(0);
        if (c === SPACE || c === 9) bail();
        out += started ? (empty > 0 ? '\n'.repeat(empty) : ' ') : '\n'.repeat(empty);
        out += l;
        empty = 0;
        started = true;
      }
    }
    const value =
      chomp === '-' || noBreak ? out : chomp === '+' ? `${out}\n${'\n'.repeat(trailing)}` : `${out}\n`;
    return style === '>' && opts.folded ? opts.folded(value) : value;
  };

  /**
   * Where a plain mapping key on `line` from `pos` ends: the index of its ':' (followed by a space
   * or the end of the line), or -1 when the text there is not a mapping entry.
   */
  const keyEnd = (line: string, pos: number): number => {
    for (let k = line.indexOf(':', pos); k >= 0; k = line.indexOf(':', k + 1)) {
      const next = line.charCodeAt(k + 1);
      if (next === SPACE || Number.isNaN(next)) {
        const hash = line.indexOf(' #', pos);
        return hash >= 0 && hash < k ? -1 : k;
      }
    }
    return -1;
  };

  /**
   * A node on line i starting at column `col`, inside a node indented `parent` (-1 at the top).
   * Leaves i after its last line.
   */
  const node = (col: number, parent: number): unknown => {
    const line = lines[i] as string;
    const c = line[col];
    const next = line.charCodeAt(col + 1);
    if (c === '-' && (next === SPACE || Number.isNaN(next))) return sequence(col);
    if (c === '"' || c === "'") {
      const [v, end] = quoted(line, col);
      let k = end;
      while (line.charCodeAt(k) === SPACE) k++;
      if (line.charCodeAt(k) === COLON) return mapping(col);
      endOfLine(line, end);
      i++;
      return v;
    }
    if (c === '[' || c === '{') {
      const [v, end] = flow(line, col);
      endOfLine(line, end);
      i++;
      return v;
    }
    if (c === '|' || c === '>') return blockScalar(line, col, parent);
    if (badPlainStart(c) || ((c === '?' || c === ':') && (next === SPACE || Number.isNaN(next)))) bail();
    if (keyEnd(line, col) >= 0) return mapping(col);
    i++;
    return plainValue(line, col, parent);
  };

  /** Text of a plain scalar's line, without a comment; not a key, not the start of a comment. */
  const plainText = (text: string): string => {
    const hash = text.indexOf(' #');
    const s = (hash >= 0 ? text.slice(0, hash) : text).trimEnd();
    if (s.endsWith(':') || s.includes(': ')) bail();
    return s;
  };

  /**
   * A plain scalar from `pos` of the line before i, inside a node indented `parent`: its first line
   * and the lines more indented than `parent` that continue it, folded (a line break is a space,
   * each blank line between two a newline). A comment ends it. Leaves i after its last line.
   */
  const plainValue = (line: string, pos: number, parent: number): unknown => {
    let s = plainText(line.slice(pos));
    if (line.indexOf(' #', pos) >= 0) return plain(s);
    let empty = 0;
    for (let k = i; k < n; k++) {
      const l = lines[k] as string;
      const ind = indentOf(l);
      if (ind === l.length) {
        empty++;
        continue;
      }
      if (ind <= parent || l.charCodeAt(ind) === HASH) break;
      if (parent < 0 || l.includes('\t') || badPlainStart(l[ind]) || '-?:'.includes(l[ind] as string)) bail();
      const more = plainText(l.slice(ind));
      s += (empty > 0 ? '\n'.repeat(empty) : ' ') + more;
      empty = 0;
      i = k + 1;
      if (l.indexOf(' #', ind) >= 0) break;
    }
    return plain(s);
  };

  /** The value of a mapping entry whose ':' is at `pos` of line i, in a mapping indented `indent`. */
  const entryValue = (line: string, pos: number, indent: number): unknown => {
    let k = pos + 1;
    while (line.charCodeAt(k) === SPACE) k++;
    if (k >= line.length || (line.charCodeAt(k) === HASH && k > pos + 1)) {
      i++;
      skipBlank();
      if (i < n) {
        const l = lines[i] as string;
        const ind = indentOf(l);
        if (ind > indent) return node(ind, indent);
        if (ind === indent && l.charCodeAt(ind) === DASH) {
          const after = l.charCodeAt(ind + 1);
          if (after === SPACE || Number.isNaN(after)) return sequence(ind);
        }
      }
      lastPlain = '';
      return null;
    }
    const c = line[k];
    const next = line.charCodeAt(k + 1);
    if (c === '"' || c === "'") {
      const [v, end] = quoted(line, k);
      endOfLine(line, end);
      i++;
      return v;
    }
    if (c === '[' || c === '{') {
      const [v, end] = flow(line, k);
      endOfLine(line, end);
      i++;
      return v;
    }
    if (c === '|' || c === '>') return blockScalar(line, k, indent);
    if (badPlainStart(c) || ((c === '-' || c === '?' || c === ':') && (next === SPACE || Number.isNaN(next))))
      bail();
    i++;
    return plainValue(line, k, indent);
  };

  /** A block mapping whose first key is at column `indent` of line i. */
  const mapping = (indent: number): Record<string, unknown> => {
    const map = newMap();
    for (;;) {
      const line = lines[i] as string;
      if (indent === 0 && (line.startsWith('---') || line.startsWith('...'))) bail();
      let key: string;
      let colon: number;
      const c = line[indent];
      if (c === '"' || c === "'") {
        const [k, end] = quoted(line, indent);
        key = asKey(k);
        colon = end;
        while (line.charCodeAt(colon) === SPACE) colon++;
        const after = line.charCodeAt(colon + 1);
        if (line.charCodeAt(colon) !== COLON || !(after === SPACE || Number.isNaN(after))) bail();
      } else {
        const next = line.charCodeAt(indent + 1);
        if (
          badPlainStart(c) ||
          ((c === '-' || c === '?' || c === ':') && (next === SPACE || Number.isNaN(next)))
        )
          bail();
        colon = keyEnd(line, indent);
        if (colon < 0) bail();
        key = asKey(plain(line.slice(indent, colon).trimEnd()));
      }
      if (opts.uniqueKeys && Object.hasOwn(map, key)) bail();
      lastPlain = undefined;
      const value = entryValue(line, colon, indent);
      map[key] = value;
      if (lastPlain !== undefined && (value === null || typeof value !== 'object'))
        opts.onPlain?.(map, key, lastPlain);
      skipBlank();
      if (i >= n) return map;
      const l = lines[i] as string;
      const ind = indentOf(l);
      if (ind < indent) return map;
      if (ind > indent) bail();
      const d = l.charCodeAt(ind);
      const after = l.charCodeAt(ind + 1);
      // a sequence entry cannot follow a mapping's entry at its own indentation
      if (d === DASH && (after === SPACE || Number.isNaN(after))) bail();
    }
  };

  /** A block sequence whose first '-' is at column `indent` of line i. */
  const sequence = (indent: number): unknown[] => {
    const seq: unknown[] = [];
    for (;;) {
      const line = lines[i] as string;
      let k = indent + 1;
      while (line.charCodeAt(k) === SPACE) k++;
      if (k >= line.length || (line.charCodeAt(k) === HASH && k > indent + 1)) {
        i++;
        skipBlank();
        const ind = i < n ? indentOf(lines[i] as string) : -1;
        seq.push(ind > indent ? node(ind, indent) : null);
      } else {
        seq.push(node(k, indent));
      }
      skipBlank();
      if (i >= n) return seq;
      const l = lines[i] as string;
      const ind = indentOf(l);
      if (ind < indent) return seq;
      if (ind > indent) bail();
      const after = l.charCodeAt(ind + 1);
      // the parent (a mapping at this indentation) goes on, or fails
      if (l.charCodeAt(ind) !== DASH || !(after === SPACE || Number.isNaN(after))) return seq;
    }
  };

  try {
    skipBlank();
    if (i >= n) return EMPTY;
    const line = i + 1;
    const col = indentOf(lines[i] as string) + 1;
    const value = node(col - 1, -1);
    skipBlank();
    if (i < n) return undefined;
    return { value, line, col };
  } catch (e) {
    if (e instanceof Bail) return undefined;
    throw e;
  }
}
