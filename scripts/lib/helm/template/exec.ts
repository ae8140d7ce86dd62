// Go's text/template executor (text/template/exec.go and funcs.go) over the Go value model of
// ../values.ts. `undefined` is Go's invalid reflect.Value ("<no value>"); `null` is nil.
import {
  bytesOf,
  GO_MAP_TYPE,
  type GoMap,
  type GoValue,
  isGoComplex,
  isGoMap,
  isGoStruct,
  templateMaps,
} from '../values.ts';
import { formatValue, goTypeName, sprint, sprintf, sprintln } from './fmt.ts';
import { type Arg, type AtNode, type Command, type Node, nodeString, type Pipe } from './parse.ts';

export type GoFunc = (...args: GoValue[]) => GoValue;

/** Go's names of the parameter types of funcs/signatures.ts. */
const GO_TYPE: Record<string, string> = {
  s: 'string',
  i: 'int',
  u: 'uint32',
  f: 'float64',
  b: 'bool',
  m: 'map[string]interface {}',
  l: '[]interface {}',
};
type Val = GoValue | undefined;

/**
 * An execution error, worded as Go's ExecError: `template: FILE:LINE:COL: executing "NAME" at
 * <NODE>: MESSAGE`. `cause` is the error it wraps (Go's %w), e.g. the one an include returned, so
 * Helm's formatting can walk the chain.
 */
export class TemplateExecError extends Error {
  constructor(
    message: string,
    readonly cause?: Error,
  ) {
    super(message);
  }
}

class Break {}
class Continue {}

export interface ExecOptions {
  missingKey: 'default' | 'zero' | 'error';
  /** Functions that receive their arguments unevaluated would be `and`/`or`: handled here. */
  funcs: Record<string, GoFunc>;
  /** Named templates (file templates and defines). */
  templates: Map<string, Node>;
  /** The template set's name, in "no template associated" errors (Helm's is gotpl). */
  rootName?: string;
  /** Go parameter types of functions (funcs/signatures.ts), checked as evalArg does. */
  signatures?: Record<string, string>;
  /** Nesting limit for template calls (Go: 100000; Helm's include has its own). */
  maxDepth?: number;
}

const MAX_DEPTH = 1000;
const MAX_INT = 2n ** 63n - 1n;
const MIN_INT = -(2n ** 63n);

export function truth(v: Val): boolean {
  if (v === undefined || v === null) return false;
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'number') return v !== 0;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'function') return true;
  if (isGoComplex(v)) return v.re !== 0 || v.im !== 0;
  if (isGoStruct(v)) return true;
  return Object.keys(v).length > 0;
}

function kindName(v: Val): string {
  if (v === undefined || v === null) return 'invalid';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float64';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return 'slice';
  if (typeof v === 'function') return 'func';
  if (isGoStruct(v)) return 'struct';
  return 'map';
}

/** eq/ne/lt... of text/template funcs.go on basic kinds. */
function basicKind(v: Val): 'bool' | 'int' | 'float' | 'string' | 'complex' | 'invalid' | 'other' {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'bigint') return 'int';
  if (typeof v === 'number') return 'float';
  if (typeof v === 'string') return 'string';
  if (v === undefined || v === null) return 'invalid';
  if (isGoComplex(v)) return 'complex';
  return 'other';
}

/** text/template's error for operands of different kinds (Go 1.25 names their types). */
function incompatible(a: Val, b: Val): Error {
  return new Error(`incompatible types for comparison: ${goTypeName(a)} and ${goTypeName(b)}`);
}

export function goEq(a: Val, ...bs: Val[]): boolean {
  if (bs.length === 0) throw new Error('missing argument for comparison');
  const ka = basicKind(a);
  for (const b of bs) {
    const kb = basicKind(b);
    let equal: boolean;
    if (ka === 'invalid' || kb === 'invalid') {
      equal = ka === kb;
    } else if (ka === 'other' || kb === 'other') {
      if (ka !== kb) throw incompatible(a, b);
      // canCompare: values of two types; then a map or slice cannot be compared at all
      if (goTypeName(a) !== goTypeName(b))
        throw new Error(sprintf('non-comparable types %s: %v, %s: %v', [a, goTypeName(a), goTypeName(b), b]));
      if (Array.isArray(b) || isGoMap(b))
        throw new Error(sprintf('non-comparable type %s: %v', [b, goTypeName(b)]));
      equal = a === b;
    } else if (ka !== kb) {
      throw incompatible(a, b);
    } else if (ka === 'complex') {
      const x = a as unknown as { re: number; im: number };
      const y = b as unknown as { re: number; im: number };
      equal = x.re === y.re && x.im === y.im;
    } else equal = a === b;
    if (equal) return true;
  }
  return false;
}

export function goLt(a: Val, b: Val): boolean {
  const ka = basicKind(a);
  const kb = basicKind(b);
  if (ka === 'other' || ka === 'invalid' || ka === 'bool' || ka === 'complex')
    throw new Error('invalid type for comparison');
  if (kb === 'other' || kb === 'invalid' || kb === 'bool' || kb === 'complex')
    throw new Error('invalid type for comparison');
  if (ka !== kb) throw incompatible(a, b);
  return (a as string | number | bigint) < (b as string | number | bigint);
}

function htmlEscape(s: string): string {
  return s.replace(
    /[\0"'&<>]/g,
    (c) =>
      ({ '\0': '\uFFFD', '"': '&#34;', "'": '&#39;', '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] as string,
  );
}

function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0) as number;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '"') out += '\\"';
    else if (ch === '<') out += '\\u003C';
    else if (ch === '>') out += '\\u003E';
    else if (ch === '&') out += '\\u0026';
    else if (ch === '=') out += '\\u003D';
    else if (cp < 0x20 || (ch !== ' ' && /[\p{C}\p{Z}]/u.test(ch)))
      out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    else out += ch;
  }
  return out;
}

function queryEscape(s: string): string {
  return Array.from(Buffer.from(s, 'utf8'))
    .map((b) => {
      const c = String.fromCharCode(b);
      if (/[A-Za-z0-9\-_.~]/.test(c)) return c;
      if (c === ' ') return '+';
      return `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** evalArgs of the escapers: print the arguments as fmt.Sprint does. */
function evalEscaperArgs(args: Val[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  // printableValue: nil (an invalid reflect.Value) prints as <no value>
  return sprint(args.map((a) => (a === undefined || a === null ? '<no value>' : a)));
}

function indexOne(item: Val, idx: Val): Val {
  if (item === undefined || item === null) throw new Error('index of untyped nil');
  if (Array.isArray(item) || typeof item === 'string') {
    if (typeof idx !== 'bigint') throw new Error(`cannot index slice/array with type ${kindName(idx)}`);
    const len = typeof item === 'string' ? Buffer.byteLength(item) : item.length;
    if (idx < 0n || idx >= BigInt(len)) throw new Error(`index out of range: ${idx}`);
    if (typeof item === 'string') return BigInt(Buffer.from(item, 'utf8')[Number(idx)] as number);
    return item[Number(idx)];
  }
  if (isGoStruct(item)) throw new Error(`can't index item of type struct`);
  if (typeof item === 'object') {
    if (typeof idx !== 'string') throw new Error(`value has type ${kindName(idx)}; should be string`);
    // an entry, not a method of a named map type (hidden properties)
    const v = Object.prototype.propertyIsEnumerable.call(item, idx) ? (item as GoMap)[idx] : undefined;
    return v === undefined ? null : v;
  }
  throw new Error(`can't index item of type ${kindName(item)}`);
}

function sliceOf(item: Val, idx: Val[]): Val {
  if (item === undefined || item === null) throw new Error('slice of untyped nil');
  if (idx.length > 3) throw new Error(`too many slice indexes: ${idx.length}`);
  const len = typeof item === 'string' ? Buffer.byteLength(item) : Array.isArray(item) ? item.length : -1;
  if (len < 0) throw new Error(`can't slice item of type ${kindName(item)}`);
  const n = idx.map((i) => {
    if (typeof i !== 'bigint') throw new Error(`cannot index slice/array with type ${kindName(i)}`);
    return Number(i);
  });
  if (typeof item === 'string' && n.length === 3) throw new Error('cannot 3-index slice a string');
  const lo = n[0] ?? 0;
  const hi = n[1] ?? len;
  const cap = n[2] ?? len;
  if (lo < 0 || hi < lo || hi > len || (n.length === 3 && (cap < hi || cap > len)))
    throw new Error(`invalid slice index: ${lo} > ${hi}`);
  if (typeof item === 'string') return Buffer.from(item, 'utf8').subarray(lo, hi).toString('utf8');
  return (item as GoValue[]).slice(lo, hi);
}

function lenOf(v: Val): bigint {
  if (v === undefined || v === null) throw new Error('len of nil pointer');
  if (typeof v === 'string') return BigInt(bytesOf(v).length);
  if (Array.isArray(v)) return BigInt(v.length);
  if (typeof v === 'object' && !isGoStruct(v)) return BigInt(Object.keys(v).length);
  throw new Error(`len of type ${kindName(v)}`);
}

/** The functions text/template defines itself (not and/or, which the executor evaluates lazily). */
export const BUILTINS: Record<string, GoFunc> = {
  not: (a) => !truth(a),
  len: (a) => lenOf(a),
  index: (item, ...idx) => {
    let v: Val = item;
    for (const i of idx) v = indexOne(v, i);
    return v === undefined ? null : (v as GoValue);
  },
  slice: (item, ...idx) => sliceOf(item, idx) as GoValue,
  print: (...a) => sprint(a),
  printf: (format, ...a) => {
    if (typeof format !== 'string')
      throw new Error(`wrong type for value; expected string; got ${kindName(format)}`);
    return sprintf(format, a);
  },
  println: (...a) => sprintln(a),
  html: (...a) => htmlEscape(evalEscaperArgs(a)),
  js: (...a) => jsEscape(evalEscaperArgs(a)),
  urlquery: (...a) => queryEscape(evalEscaperArgs(a)),
  eq: (a, ...b) => goEq(a, ...b),
  ne: (a, b) => !goEq(a, b),
  lt: (a, b) => goLt(a, b),
  le: (a, b) => goLt(a, b) || goEq(a, b),
  gt: (a, b) => !goLt(a, b) && !goEq(a, b),
  ge: (a, b) => !goLt(a, b),
  call: (fn, ...args) => {
    if (typeof fn !== 'function') throw new Error(`non-function of type ${kindName(fn)}`);
    return fn(...args);
  },
};

interface Frame {
  name: string;
  value: Val;
  /** The value is an int64 (a sprig arithmetic result), not an int. */
  int64?: boolean;
  /** Held as interface {} (a range element, not unwrapped by a pipeline), for error messages. */
  iface?: boolean;
}

/** Functions whose integer result is Go's int64 (sprig's arithmetic); other integers are int.
 * Both are bigint here, so the executor follows where an int64 came from: an int64 handed to an
 * `int` parameter fails as in Go, and typeOf/kindOf name it. */
const INT64_FUNCS = new Set([
  'add',
  'add1',
  'sub',
  'div',
  'mod',
  'mul',
  'max',
  'biggest',
  'min',
  'int64',
  'toDecimal',
]);
const TYPE_FUNCS = new Set(['typeOf', 'kindOf', 'typeIs', 'typeIsLike', 'kindIs']);
const INT64_SWITCH_FUNCS = new Set(['duration', 'durationRound']);

/** typeOf and its kin for an argument known to be an int64. */
function int64Type(name: string, argv: GoValue[]): GoValue {
  const target = String(argv[0]);
  if (name === 'typeOf' || name === 'kindOf') return 'int64';
  if (name === 'typeIs' || name === 'kindIs') return target === 'int64';
  // typeIsLike: the type or a pointer to it
  return target === 'int64' || target === '*int64';
}

export class Executor {
  private vars: Frame[] = [];
  private depth = 0;
  private current = '';
  /** The node being evaluated, for error messages (Go's state.at). */
  private node: AtNode | undefined;
  /** Whether the value just evaluated is an int64 (see INT64_FUNCS). */
  private int64 = false;
  /** Whether dot, and the variable last read, are held as interface {} (see walkDot). */
  private dotIface = false;
  private varIface = false;
  /** The same for the value piped into the command being evaluated. */
  private finalInt64 = false;
  constructor(private readonly opts: ExecOptions) {}

  execute(name: string, data: GoValue): string {
    const tmpl = this.opts.templates.get(name);
    if (!tmpl)
      throw new TemplateExecError(
        `template: no template "${name}" associated with template "${this.opts.rootName ?? name}"`,
      );
    const saved = { vars: this.vars, current: this.current, node: this.node };
    this.node = undefined;
    // a nil data is an invalid reflect.Value: fields of it are "no value", not errors
    const dot: Val = data === null ? undefined : data;
    this.vars = [{ name: '$', value: dot }];
    this.current = name;
    const out: string[] = [];
    try {
      this.walk(dot, tmpl, out);
    } finally {
      this.vars = saved.vars;
      this.current = saved.current;
      this.node = saved.node;
    }
    return out.join('');
  }

  /** state.errorf: the message located at the current node. */
  private error(msg: string, cause?: Error): never {
    const n = this.node;
    if (!n) throw new TemplateExecError(`template: ${this.current}: ${msg}`, cause);
    const { file, line, col } = n.pos;
    throw new TemplateExecError(
      `template: ${file}:${line}:${col}: executing "${this.current}" at <${nodeString(n)}>: ${msg}`,
      cause,
    );
  }

  /** evalCall's error: the function's own error, wrapped, located at the call. */
  private callError(at: AtNode, name: string, e: unknown): never {
    this.node = at;
    const err = e instanceof Error ? e : new Error(String(e));
    return this.error(`error calling ${name}: ${err.message}`, err);
  }

  private walk(dot: Val, node: Node, out: string[]): void {
    switch (node.type) {
      case 'list':
        for (const n of node.nodes) this.walk(dot, n, out);
        return;
      case 'text':
        out.push(node.text);
        return;
      case 'action': {
        const v = this.evalPipeline(dot, node.pipe);
        if (node.pipe.decl.length === 0) out.push(this.printable(v, node));
        return;
      }
      case 'if':
      case 'with': {
        const mark = this.vars.length;
        const v = this.evalPipeline(dot, node.pipe);
        try {
          if (truth(v)) {
            if (node.type === 'with') this.walkDot(v, false, node.list, out);
            else this.walk(dot, node.list, out);
          } else if (node.else) this.walk(dot, node.else, out);
        } finally {
          this.vars.length = mark;
        }
        return;
      }
      case 'range':
        this.walkRange(dot, node, out);
        return;
      case 'template': {
        const tmpl = this.opts.templates.get(node.name);
        this.node = node;
        if (!tmpl) this.error(`template ${JSON.stringify(node.name)} not defined`);
        // Go stops at 100000 nested calls; this stack stops sooner, with Go's message
        if (this.depth + 1 > (this.opts.maxDepth ?? MAX_DEPTH))
          this.error('exceeded maximum template depth (100000)');
        const pv = node.pipe ? this.evalPipeline(dot, node.pipe) : undefined;
        const v = pv === null ? undefined : pv;
        this.depth++;
        const saved = { vars: this.vars, current: this.current, node: this.node };
        this.vars = [{ name: '$', value: v }];
        this.current = node.name;
        try {
          this.walkDot(v, false, tmpl as Node, out);
        } finally {
          this.vars = saved.vars;
          this.current = saved.current;
          this.node = saved.node;
          this.depth--;
        }
        return;
      }
      case 'break':
        throw new Break();
      case 'continue':
        throw new Continue();
    }
  }

  /**
   * walk with a dot held as interface {} or not: Go's error for a field of a value that has
   * none names the static type, interface {} for a map's or list's element (range) and the
   * value's own type once a pipeline has unwrapped it (with, template).
   */
  private walkDot(dot: Val, iface: boolean, node: Node, out: string[]): void {
    const saved = this.dotIface;
    this.dotIface = iface;
    try {
      this.walk(dot, node, out);
    } finally {
      this.dotIface = saved;
    }
  }

  private walkRange(dot: Val, node: Extract<Node, { type: 'range' }>, out: string[]): void {
    const mark = this.vars.length;
    const val = this.evalPipeline(dot, node.pipe, true);
    // the declared variables were pushed by evalPipeline with the whole value; reset them per item
    this.vars.length = mark;
    const items: [Val, Val][] = [];
    if (val === undefined || val === null) {
      // nothing to iterate
    } else if (Array.isArray(val)) {
      for (const [i, v] of val.entries()) items.push([BigInt(i), v]);
    } else if (typeof val === 'bigint') {
      for (let i = 0n; i < val; i++) items.push([i, i]);
    } else if (typeof val === 'object' && !isGoStruct(val)) {
      for (const k of Object.keys(val).sort()) items.push([k, (val as GoMap)[k]]);
    } else this.error(`range can't iterate over ${formatValue(val)}`);
    if (items.length === 0) {
      if (node.else) this.walk(dot, node.else, out);
      return;
    }
    const decl = node.pipe.decl;
    // the elements of a list or map are interface {} values; the ints of `range 5` are ints
    const iface = typeof val !== 'bigint';
    // set once for the whole loop (see walkDot): a nested with or template restores it on leaving
    const savedIface = this.dotIface;
    this.dotIface = iface;
    try {
      for (const [k, v] of items) {
        const m = this.vars.length;
        this.int64 = false;
        if (decl.length === 1) this.setVar(decl[0] as string, v, node.pipe.isAssign, iface);
        else if (decl.length === 2) {
          this.setVar(decl[0] as string, k, node.pipe.isAssign);
          this.setVar(decl[1] as string, v, node.pipe.isAssign, iface);
        }
        try {
          this.walk(v, node.list, out);
        } catch (e) {
          if (e instanceof Break) {
            this.vars.length = m;
            break;
          }
          if (!(e instanceof Continue)) throw e;
        } finally {
          if (!node.pipe.isAssign) this.vars.length = m;
        }
      }
    } finally {
      this.dotIface = savedIface;
    }
    this.vars.length = mark;
  }

  private setVar(name: string, value: Val, assign: boolean, iface = false): void {
    if (assign) {
      for (let i = this.vars.length - 1; i >= 0; i--)
        if ((this.vars[i] as Frame).name === name) {
          (this.vars[i] as Frame).value = value;
          (this.vars[i] as Frame).int64 = this.int64 && typeof value === 'bigint';
          (this.vars[i] as Frame).iface = iface;
          return;
        }
      this.error(`undefined variable: ${name}`);
    }
    this.vars.push({ name, value, int64: this.int64 && typeof value === 'bigint', iface });
  }

  private varValue(name: string): Val {
    for (let i = this.vars.length - 1; i >= 0; i--)
      if ((this.vars[i] as Frame).name === name) {
        this.int64 = (this.vars[i] as Frame).int64 === true;
        this.varIface = (this.vars[i] as Frame).iface === true;
        return (this.vars[i] as Frame).value;
      }
    return this.error(`undefined variable: ${name}`);
  }

  private printable(v: Val, action: Extract<Node, { type: 'action' }>): string {
    if (typeof v === 'function') {
      this.node = action;
      this.error("can't print value of type func");
    }
    if (v === undefined || v === null) return '<no value>';
    // printValue takes the address of an addressable struct whose pointer is a Stringer
    return formatValue(v, true, true);
  }

  evalPipeline(dot: Val, pipe: Pipe, isRange = false): Val {
    this.node = pipe;
    let value: Val;
    let hasFinal = false;
    for (const cmd of pipe.cmds) {
      this.finalInt64 = hasFinal && this.int64;
      this.int64 = false;
      value = this.evalCommand(dot, cmd, value, hasFinal);
      hasFinal = true;
    }
    // a nil interface at the end of a pipeline becomes an invalid value (exec.go's "lovely"
    // unwrapping): `(.Values.missing).field` is then no value, not an error
    if (value === null) value = undefined;
    if (!isRange) for (const d of pipe.decl) this.setVar(d, value, pipe.isAssign);
    return value;
  }

  private evalCommand(dot: Val, cmd: Command, final: Val, hasFinal: boolean): Val {
    const first = cmd.args[0] as Arg;
    cmd.rest ??= cmd.args.slice(1);
    const rest = cmd.rest;
    switch (first.type) {
      case 'field':
        this.node = first;
        return this.evalFieldChain(dot, dot, first.ident, rest, final, hasFinal, first, this.dotIface);
      case 'chain': {
        this.node = first;
        const base = this.evalArg(dot, first.node);
        this.node = first;
        return this.evalFieldChain(dot, base, first.field, rest, final, hasFinal, first);
      }
      case 'identifier':
        this.node = first;
        return this.evalFunction(dot, first.name, rest, final, hasFinal, cmd);
      case 'pipe': {
        if (rest.length > 0 || hasFinal) this.error("can't give argument to non-function");
        const mark = this.vars.length;
        const v = this.evalPipeline(dot, first.pipe);
        this.vars.length = mark;
        return v;
      }
      case 'variable': {
        this.node = first;
        const v = this.varValue(first.ident[0] as string);
        if (first.ident.length === 1) {
          if (rest.length > 0 || hasFinal) this.error("can't give argument to non-function");
          return v;
        }
        return this.evalFieldChain(dot, v, first.ident.slice(1), rest, final, hasFinal, first, this.varIface);
      }
      default:
        break;
    }
    this.node = first;
    if (rest.length > 0 || hasFinal) this.error("can't give argument to non-function");
    switch (first.type) {
      case 'bool':
        return first.value;
      case 'dot':
        return dot;
      case 'nil':
        return this.error('nil is not a command');
      case 'number':
        return this.ideal(first);
      case 'string':
        return first.value;
    }
    return this.error(`can't evaluate command`);
  }

  /** idealConstant: an integer constant must fit an int. */
  private ideal(n: Extract<Arg, { type: 'number' }>): Val {
    if (typeof n.value === 'bigint' && (n.value > MAX_INT || n.value < MIN_INT))
      this.error(`${n.text} overflows int`);
    return n.value;
  }

  /** evalFieldChain: `at` is the field, chain or variable node (where a method call's error is). */
  private evalFieldChain(
    dot: Val,
    receiver: Val,
    ident: string[],
    args: Arg[],
    final: Val,
    hasFinal: boolean,
    at: AtNode,
    recvIface = false,
  ): Val {
    let r = receiver;
    // a map's value is an interface {}; a struct's field has its own type
    let iface = recvIface;
    for (let i = 0; i < ident.length - 1; i++) {
      const next = this.evalField(dot, ident[i] as string, r, [], undefined, false, at, iface);
      iface = typeof r === 'object' && r !== null && !Array.isArray(r) && !isGoStruct(r);
      r = next;
    }
    const v = this.evalField(dot, ident[ident.length - 1] as string, r, args, final, hasFinal, at, iface);
    // an integer in the values came from --set (strvals: int64); one in a dict is what the
    // template put there, taken as a literal int
    this.int64 = typeof v === 'bigint' && !(typeof r === 'object' && r !== null && templateMaps.has(r));
    return v;
  }

  private evalField(
    dot: Val,
    name: string,
    receiver: Val,
    args: Arg[],
    final: Val,
    hasFinal: boolean,
    at: AtNode,
    iface = false,
  ): Val {
    const hasArgs = args.length > 0 || hasFinal;
    if (receiver === undefined) {
      if (this.opts.missingKey === 'error') this.error(`nil data; no entry for key "${name}"`);
      return undefined;
    }
    if (receiver === null) this.error(`nil pointer evaluating interface {}.${name}`);
    if (isGoStruct(receiver)) {
      const f = (receiver as Record<string, unknown>)[name];
      if (typeof f === 'function')
        return this.callMethod(dot, at, name, f as GoFunc, receiver, args, final, hasFinal);
      if (f === undefined)
        this.error(
          `can't evaluate field ${name} in type ${String(Object.getOwnPropertySymbols(receiver).length ? (receiver as never)[Object.getOwnPropertySymbols(receiver)[0] as never] : 'struct')}`,
        );
      if (hasArgs) this.error(`${name} has arguments but cannot be invoked as function`);
      return f as GoValue;
    }
    if (typeof receiver === 'object' && !Array.isArray(receiver)) {
      const v = (receiver as GoMap)[name];
      // a method of a map type (files.Files' Get, Glob, ...)
      if (typeof v === 'function' && !Object.keys(receiver).includes(name))
        return this.callMethod(dot, at, name, v as GoFunc, receiver, args, final, hasFinal);
      if (hasArgs) this.error(`${name} is not a method but has arguments`);
      if (v !== undefined || Object.hasOwn(receiver, name)) return v === undefined ? null : v;
      if (this.opts.missingKey === 'error') this.error(`map has no entry for key "${name}"`);
      return this.opts.missingKey === 'zero' ? null : undefined;
    }
    // a method of a named slice type (VersionSet.Has)
    if (
      Array.isArray(receiver) &&
      Object.hasOwn(receiver, name) &&
      typeof (receiver as unknown as Record<string, unknown>)[name] === 'function'
    )
      return this.callMethod(
        dot,
        at,
        name,
        (receiver as unknown as Record<string, GoFunc>)[name] as GoFunc,
        receiver,
        args,
        final,
        hasFinal,
      );
    return this.error(
      `can't evaluate field ${name} in type ${iface ? 'interface {}' : kindName(receiver) === 'slice' ? '[]interface {}' : kindName(receiver)}`,
    );
  }

  /** evalCall for a method (of a struct, a named map or a named slice): arguments evaluated, nil
   * for no value, the method's error wrapped at `at`. */
  private callMethod(
    dot: Val,
    at: AtNode,
    name: string,
    method: GoFunc,
    receiver: Val,
    args: Arg[],
    final: Val,
    hasFinal: boolean,
  ): Val {
    const argv = args.map((a) => this.evalArg(dot, a));
    if (hasFinal) argv.push(final);
    try {
      return method.apply(
        receiver,
        argv.map((a) => (a === undefined ? null : (a as GoValue))),
      );
    } catch (e) {
      return this.callError(at, name, e);
    }
  }

  /** evalFunction and evalCall: `call` is the command (or the lone identifier) an error points at. */
  private evalFunction(
    dot: Val,
    name: string,
    args: Arg[],
    final: Val,
    hasFinal: boolean,
    call: AtNode,
  ): Val {
    if (name === 'and' || name === 'or') {
      const all: (() => Val)[] = args.map((a) => () => this.evalArg(dot, a));
      if (hasFinal) all.push(() => final);
      if (all.length === 0) this.error(`wrong number of args for ${name}: want at least 1 got 0`);
      let v: Val;
      for (const f of all) {
        v = f();
        if (name === 'and' ? !truth(v) : truth(v)) return v;
      }
      return v;
    }
    const fn = Object.hasOwn(this.opts.funcs, name)
      ? this.opts.funcs[name]
      : Object.hasOwn(BUILTINS, name)
        ? BUILTINS[name]
        : undefined;
    if (!fn) this.error(`function "${name}" not defined`);
    const sigs = this.opts.signatures;
    const sig = sigs && Object.hasOwn(sigs, name) ? sigs[name] : undefined;
    let argv: Val[];
    const flags: boolean[] = [];
    if (sig) argv = this.typedArgs(dot, name, sig, args, final, hasFinal, flags);
    else {
      const finalInt64 = this.finalInt64;
      argv = args.map((a) => {
        const v = this.evalArg(dot, a);
        flags.push(this.int64);
        return v;
      });
      if (hasFinal) {
        argv.push(final);
        flags.push(finalInt64);
      }
    }
    // functions see nil, never no value
    for (let i = 0; i < argv.length; i++) if (argv[i] === undefined) argv[i] = null;
    if (TYPE_FUNCS.has(name) && flags[flags.length - 1] === true && typeof argv[argv.length - 1] === 'bigint')
      return int64Type(name, argv as GoValue[]);
    // sprig's duration and durationRound switch on int64: a Go int (a template's literal) is none
    // of their cases, so it counts as 0
    if (INT64_SWITCH_FUNCS.has(name) && typeof argv[0] === 'bigint' && flags[0] !== true) argv[0] = null;
    try {
      const r = (fn as GoFunc)(...(argv as GoValue[]));
      this.int64 = INT64_FUNCS.has(name) && typeof r === 'bigint';
      return r === undefined ? null : r;
    } catch (e) {
      return this.callError(call, name, e);
    }
  }

  /** evalCall's argument checks for a function with typed parameters (see funcs/signatures.ts). */
  private typedArgs(
    dot: Val,
    name: string,
    sig: string,
    args: Arg[],
    final: Val,
    hasFinal: boolean,
    flags: boolean[],
  ): Val[] {
    const finalInt64 = this.finalInt64;
    const variadic = sig.endsWith('*');
    const params = variadic ? sig.slice(0, -1) : sig;
    const numIn = args.length + (hasFinal ? 1 : 0);
    if (variadic) {
      if (numIn < params.length - 1)
        this.error(`wrong number of args for ${name}: want at least ${params.length - 1} got ${args.length}`);
    } else if (numIn !== params.length)
      this.error(`wrong number of args for ${name}: want ${params.length} got ${numIn}`);
    const param = (i: number) => params[variadic ? Math.min(i, params.length - 1) : i] as string;
    const argv: Val[] = args.map((a, i) => {
      const v = this.typedArg(dot, a, param(i));
      flags.push(this.int64);
      return v;
    });
    // the piped value: a nil interface was unwrapped to no value by the previous command
    if (hasFinal) {
      this.int64 = finalInt64;
      argv.push(this.checkValue(final === null ? undefined : final, param(numIn - 1)));
      flags.push(finalInt64);
    }
    return argv;
  }

  private typedArg(dot: Val, arg: Arg, t: string): Val {
    if (t === 'a') return this.evalArg(dot, arg);
    this.node = arg;
    this.int64 = false;
    const type = GO_TYPE[t] as string;
    switch (arg.type) {
      case 'string':
        if (t === 's') return arg.value;
        break;
      case 'number': {
        const v = arg.value;
        const integral = typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
        if ((t === 'i' || t === 'u') && integral) return typeof v === 'bigint' ? v : BigInt(v as number);
        if (t === 'f' && (typeof v === 'number' || typeof v === 'bigint')) return Number(v);
        break;
      }
      case 'bool':
        if (t === 'b') return arg.value;
        break;
      case 'nil':
        if (t === 'm' || t === 'l') return null;
        return this.error(`cannot assign nil to ${type}`);
      default:
        return this.checkValue(this.evalArg(dot, arg), t);
    }
    if (t === 'm' || t === 'l') return this.error(`can't handle ${nodeString(arg)} for arg of type ${type}`);
    const want = { s: 'string', i: 'integer', u: 'unsigned integer', f: 'float', b: 'bool' }[t] ?? type;
    return this.error(`expected ${want}; found ${nodeString(arg)}`);
  }

  /** validateType: a computed value against a parameter type. */
  private checkValue(v: Val, t: string): Val {
    if (t === 'a') return v === undefined ? null : v;
    const type = GO_TYPE[t] as string;
    if (v === undefined) {
      if (t === 'm' || t === 'l') return null;
      return this.error(`invalid value; expected ${type}`);
    }
    if ((t === 'i' || t === 'u') && typeof v === 'bigint' && this.int64)
      this.error(`wrong type for value; expected ${type}; got int64`);
    const ok =
      t === 's'
        ? typeof v === 'string'
        : t === 'i' || t === 'u'
          ? typeof v === 'bigint'
          : t === 'f'
            ? typeof v === 'number'
            : t === 'b'
              ? typeof v === 'boolean'
              : t === 'l'
                ? Array.isArray(v)
                : isGoMap(v) && (v as { [GO_MAP_TYPE]?: string })[GO_MAP_TYPE] !== 'engine.files';
    if (!ok)
      this.error(
        `wrong type for value; expected ${type}; got ${v === null ? 'interface {}' : typeof v === 'bigint' && this.int64 ? 'int64' : goTypeName(v)}`,
      );
    return v;
  }

  private evalArg(dot: Val, arg: Arg): Val {
    this.node = arg;
    this.int64 = false;
    switch (arg.type) {
      case 'dot':
        return dot;
      case 'nil':
        return null;
      case 'bool':
        return arg.value;
      case 'number':
        return this.ideal(arg);
      case 'string':
        return arg.value;
      case 'field':
        return this.evalFieldChain(dot, dot, arg.ident, [], undefined, false, arg, this.dotIface);
      case 'variable': {
        const v = this.varValue(arg.ident[0] as string);
        return arg.ident.length === 1
          ? v
          : this.evalFieldChain(dot, v, arg.ident.slice(1), [], undefined, false, arg, this.varIface);
      }
      case 'pipe': {
        const mark = this.vars.length;
        const v = this.evalPipeline(dot, arg.pipe);
        this.vars.length = mark;
        return v;
      }
      case 'chain': {
        const base = this.evalArg(dot, arg.node);
        this.node = arg;
        return this.evalFieldChain(dot, base, arg.field, [], undefined, false, arg);
      }
      case 'identifier':
        return this.evalFunction(dot, arg.name, [], undefined, false, arg);
    }
  }
}
