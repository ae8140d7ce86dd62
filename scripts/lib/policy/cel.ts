// The CEL environment of a ValidatingAdmissionPolicy: @marcbachmann/cel-js plus the Kubernetes
// libraries a policy may call (k8s.io/apiserver/pkg/cel/library): quantity, lists, sets, regex
// (find/findAll), strings extensions, semver, url, ip/cidr, and the two-variable comprehensions.
import { Environment } from '@marcbachmann/cel-js';
import { Quantity } from './quantity.ts';

/** Go's RE2 syntax into a JavaScript RegExp (the common subset, plus (?i) and \z). */
export function re2(pattern: string): RegExp {
  let flags = 'u';
  let p = pattern;
  const m = /^\(\?([imsU]+)\)/.exec(p);
  if (m) {
    if ((m[1] as string).includes('i')) flags += 'i';
    if ((m[1] as string).includes('s')) flags += 's';
    if ((m[1] as string).includes('m')) flags += 'm';
    p = p.slice(m[0].length);
  }
  p = p.replaceAll('\\z', '$').replace(/\(\?P</g, '(?<');
  return new RegExp(p, flags);
}

class Semver {
  constructor(
    readonly major: bigint,
    readonly minor: bigint,
    readonly patch: bigint,
    readonly pre: string,
  ) {}
  static parse(s: string): Semver | null {
    const m = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z.-]+))?(?:\+[0-9A-Za-z.-]+)?$/.exec(
      s,
    );
    return m
      ? new Semver(BigInt(m[1] as string), BigInt(m[2] as string), BigInt(m[3] as string), m[4] ?? '')
      : null;
  }
  compare(o: Semver): bigint {
    for (const k of ['major', 'minor', 'patch'] as const)
      if (this[k] !== o[k]) return this[k] < o[k] ? -1n : 1n;
    if (this.pre === o.pre) return 0n;
    if (!this.pre) return 1n;
    if (!o.pre) return -1n;
    return this.pre < o.pre ? -1n : 1n;
  }
}

class URLValue {
  constructor(readonly url: URL) {}
}

function parseIP(s: string): { v: 4 | 6; bytes: number[] } | null {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(s);
  if (v4) {
    const bytes = v4.slice(1).map(Number);
    if (bytes.some((b, i) => b > 255 || String(b) !== v4[i + 1])) return null;
    return { v: 4, bytes };
  }
  if (!s.includes(':') || s.includes('%')) return null;
  const [head, tail, extra] = s.split('::');
  if (extra !== undefined) return null;
  const parts = (x: string | undefined) => (x ? x.split(':') : []);
  const h = parts(head);
  const t = parts(tail);
  if (tail === undefined && h.length !== 8) return null;
  const groups = [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) return null;
  return { v: 6, bytes: groups.flatMap((g) => [Number.parseInt(g, 16) >> 8, Number.parseInt(g, 16) & 255]) };
}

class IPValue {
  constructor(
    readonly text: string,
    readonly ip: { v: 4 | 6; bytes: number[] },
  ) {}
}

class CIDRValue {
  constructor(
    readonly ip: IPValue,
    readonly prefix: number,
  ) {}
  contains(other: IPValue): boolean {
    if (other.ip.v !== this.ip.ip.v) return false;
    for (let bit = 0; bit < this.prefix; bit++) {
      const byte = bit >> 3;
      const mask = 0x80 >> (bit & 7);
      if (((this.ip.ip.bytes[byte] as number) & mask) !== ((other.ip.bytes[byte] as number) & mask))
        return false;
    }
    return true;
  }
}

function parseCIDR(s: string): CIDRValue | null {
  const [addr, pre] = s.split('/');
  if (addr === undefined || pre === undefined || !/^\d+$/.test(pre)) return null;
  const ip = parseIP(addr);
  if (!ip) return null;
  const prefix = Number(pre);
  if (prefix > (ip.v === 4 ? 32 : 128)) return null;
  return new CIDRValue(new IPValue(addr, ip), prefix);
}

function cmp(a: unknown, b: unknown): number {
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  const x = a as number | bigint;
  const y = b as number | bigint;
  return x < y ? -1 : x > y ? 1 : 0;
}

const NAMESPACED = /\b(sets|strings)\.(contains|equivalent|intersects|quote)\(/g;

/** cel-js has no namespaced global functions: `sets.contains(` is registered as `sets_contains(`
 * and rewritten so, outside string literals. */
export function rewriteNamespaced(expr: string): string {
  let out = '';
  let i = 0;
  while (i < expr.length) {
    const c = expr[i] as string;
    if (c === '"' || c === "'") {
      const triple = expr.startsWith(c.repeat(3), i);
      const end = triple ? c.repeat(3) : c;
      let j = i + end.length;
      while (j < expr.length && !expr.startsWith(end, j)) j += expr[j] === '\\' ? 2 : 1;
      out += expr.slice(i, j + end.length);
      i = j + end.length;
      continue;
    }
    let j = i;
    while (j < expr.length && expr[j] !== '"' && expr[j] !== "'") j++;
    out += expr.slice(i, j).replace(NAMESPACED, '$1_$2(');
    i = j;
  }
  return out;
}

// ---- two-variable comprehensions (cel-go ext.TwoVarComprehensions, in Kubernetes since 1.32) ----
// cel-js binds one iteration variable; these macros bind two (index or key, and value) through its
// macro hooks: all, exists, existsOne, transformList, transformMap.

interface CelType {
  kind?: string;
  keyType?: CelType;
  valueType?: CelType;
}
interface Ctx {
  forkWithVariable(name: string, type: CelType): Ctx;
  reuse(parent: Ctx): Ctx;
  iterValue?: unknown;
}
interface Checker {
  check(node: unknown, ctx: Ctx): CelType;
}
interface Evaluator {
  run(node: unknown, ctx: Ctx): unknown;
}
interface TwoVar {
  receiver: unknown;
  k: string;
  v: string;
  body: unknown;
  c1?: Ctx;
  c2?: Ctx;
}

let dynType: CelType | undefined;

function entriesOf(coll: unknown): [unknown, unknown][] {
  if (Array.isArray(coll)) return coll.map((x, i) => [BigInt(i), x]);
  if (coll instanceof Map) return [...coll.entries()];
  if (coll && typeof coll === 'object') return Object.entries(coll);
  throw new Error(`expected a list or a map, got ${typeof coll}`);
}

function twoVarMacro(
  returnType: string,
  run: (pairs: [unknown, unknown][], body: (k: unknown, v: unknown) => unknown, isList: boolean) => unknown,
) {
  return ({ args, receiver }: { args: { args: string }[]; receiver: unknown }) => ({
    receiver,
    k: args[0]?.args,
    v: args[1]?.args,
    body: args[2],
    typeCheck(checker: Checker, m: TwoVar, ctx: Ctx): CelType {
      const rt = checker.check(m.receiver, ctx);
      if (rt.kind === 'dyn') dynType = rt;
      const any = dynType ?? rt;
      const keyType = rt.kind === 'dyn' ? rt : (rt.keyType ?? any);
      const valueType = rt.kind === 'dyn' ? rt : (rt.valueType ?? any);
      m.c1 = ctx.forkWithVariable(m.k, keyType);
      m.c2 = m.c1.forkWithVariable(m.v, valueType);
      checker.check(m.body, m.c2);
      return returnType === 'bool' ? checker.check(m.body, m.c2) : any;
    },
    evaluate(ev: Evaluator, m: TwoVar, ctx: Ctx): unknown {
      const coll = ev.run(m.receiver, ctx);
      const body = (k: unknown, v: unknown) => {
        const c1 = (m.c1 as Ctx).reuse(ctx);
        c1.iterValue = k;
        const c2 = (m.c2 as Ctx).reuse(c1);
        c2.iterValue = v;
        return ev.run(m.body, c2);
      };
      return run(entriesOf(coll), body, Array.isArray(coll));
    },
  });
}

function registerTwoVarComprehensions(env: Environment): void {
  const macros: [string, string, Parameters<typeof twoVarMacro>[1]][] = [
    ['all', 'bool', (pairs, body) => pairs.every(([k, v]) => body(k, v) === true)],
    ['exists', 'bool', (pairs, body) => pairs.some(([k, v]) => body(k, v) === true)],
    ['existsOne', 'bool', (pairs, body) => pairs.filter(([k, v]) => body(k, v) === true).length === 1],
    ['transformList', 'list', (pairs, body) => pairs.map(([k, v]) => body(k, v))],
    [
      'transformMap',
      'map',
      (pairs, body, isList) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of pairs) out[isList ? String(k) : String(k)] = body(k, v);
        return out;
      },
    ],
  ];
  for (const [name, ret, run] of macros)
    for (const recv of ['dyn'])
      env.registerFunction(
        `${recv}.${name}(ast, ast, ast): ${ret === 'bool' ? 'bool' : 'dyn'}`,
        twoVarMacro(ret, run) as never,
      );
}

let shared: Environment | undefined;

/** One environment for every policy (building it is the expensive part). */
export function celEnvironment(): Environment {
  if (shared) return shared;
  const env = new Environment({
    unlistedVariablesAreDyn: true,
    enableOptionalTypes: true,
    homogeneousAggregateLiterals: false,
  });
  env
    .registerType('Quantity', Quantity)
    .registerFunction('quantity(string): Quantity', (s: string) => Quantity.parse(s))
    .registerFunction('isQuantity(string): bool', (s: string) => Quantity.isQuantity(s))
    .registerFunction('Quantity.compareTo(Quantity): int', (a: Quantity, b: Quantity) =>
      BigInt(a.compareTo(b)),
    )
    .registerFunction(
      'Quantity.isGreaterThan(Quantity): bool',
      (a: Quantity, b: Quantity) => a.compareTo(b) > 0,
    )
    .registerFunction('Quantity.isLessThan(Quantity): bool', (a: Quantity, b: Quantity) => a.compareTo(b) < 0)
    .registerFunction('Quantity.add(Quantity): Quantity', (a: Quantity, b: Quantity) => a.add(b))
    .registerFunction('Quantity.add(int): Quantity', (a: Quantity, b: bigint) =>
      a.add(Quantity.parse(String(b))),
    )
    .registerFunction('Quantity.sub(Quantity): Quantity', (a: Quantity, b: Quantity) => a.sub(b))
    .registerFunction('Quantity.sub(int): Quantity', (a: Quantity, b: bigint) =>
      a.sub(Quantity.parse(String(b))),
    )
    .registerFunction('Quantity.sign(): int', (a: Quantity) => BigInt(a.sign()))
    .registerFunction('Quantity.isInteger(): bool', (a: Quantity) => a.isInteger())
    .registerFunction('Quantity.asInteger(): int', (a: Quantity) => a.asInteger())
    .registerFunction('Quantity.asApproximateFloat(): double', (a: Quantity) => a.asApproximateFloat())
    // regex library
    .registerFunction('string.find(string): string', (s: string, p: string) => re2(p).exec(s)?.[0] ?? '')
    .registerFunction('string.findAll(string): list<string>', (s: string, p: string) =>
      [...s.matchAll(new RegExp(re2(p).source, `${re2(p).flags}g`))].map((m) => m[0]),
    )
    .registerFunction('string.findAll(string, int): list<string>', (s: string, p: string, n: bigint) => {
      const all = [...s.matchAll(new RegExp(re2(p).source, `${re2(p).flags}g`))].map((m) => m[0]);
      return n < 0n ? all : all.slice(0, Number(n));
    })
    // lists library
    .registerFunction('list.isSorted(): bool', (l: unknown[]) =>
      l.every((x, i) => i === 0 || cmp(l[i - 1], x) <= 0),
    )
    .registerFunction('list.sum(): dyn', (l: unknown[]) =>
      l.length === 0 ? 0n : l.reduce((a, b) => (a as bigint) + (b as bigint)),
    )
    .registerFunction('list.min(): dyn', (l: unknown[]) => {
      if (l.length === 0) throw new Error('min called on empty list');
      return l.reduce((a, b) => (cmp(b, a) < 0 ? b : a));
    })
    .registerFunction('list.max(): dyn', (l: unknown[]) => {
      if (l.length === 0) throw new Error('max called on empty list');
      return l.reduce((a, b) => (cmp(b, a) > 0 ? b : a));
    })
    .registerFunction('list.indexOf(dyn): int', (l: unknown[], x: unknown) => BigInt(l.indexOf(x)))
    .registerFunction('list.lastIndexOf(dyn): int', (l: unknown[], x: unknown) => BigInt(l.lastIndexOf(x)))
    .registerFunction('list.slice(int, int): list', (l: unknown[], a: bigint, b: bigint) =>
      l.slice(Number(a), Number(b)),
    )
    .registerFunction('list.reverse(): list', (l: unknown[]) => [...l].reverse())
    .registerFunction('list.distinct(): list', (l: unknown[]) => [...new Set(l)])
    .registerFunction('list.flatten(): list', (l: unknown[]) =>
      l.flatMap((x) => (Array.isArray(x) ? x : [x])),
    )
    // sets library
    .registerFunction('sets_contains(list, list): bool', (a: unknown[], b: unknown[]) =>
      b.every((x) => a.includes(x)),
    )
    .registerFunction(
      'sets_equivalent(list, list): bool',
      (a: unknown[], b: unknown[]) => a.every((x) => b.includes(x)) && b.every((x) => a.includes(x)),
    )
    .registerFunction('sets_intersects(list, list): bool', (a: unknown[], b: unknown[]) =>
      a.some((x) => b.includes(x)),
    )
    // strings extensions beyond cel-js's own
    .registerFunction('string.replace(string, string): string', (s: string, a: string, b: string) =>
      s.split(a).join(b),
    )
    .registerFunction(
      'string.replace(string, string, int): string',
      (s: string, a: string, b: string, n: bigint) => {
        if (n < 0n) return s.split(a).join(b);
        let out = s;
        let from = 0;
        for (let i = 0n; i < n; i++) {
          const at = out.indexOf(a, from);
          if (at < 0) break;
          out = out.slice(0, at) + b + out.slice(at + a.length);
          from = at + b.length;
        }
        return out;
      },
    )
    .registerFunction('string.charAt(int): string', (s: string, i: bigint) => Array.from(s)[Number(i)] ?? '')
    .registerFunction('string.reverse(): string', (s: string) => Array.from(s).reverse().join(''))
    .registerFunction('string.format(list): string', (s: string, args: unknown[]) => {
      let i = 0;
      return s.replace(/%([sdfxXob%])/g, (_m, verb: string) => {
        if (verb === '%') return '%';
        const v = args[i++];
        if (verb === 'd') return String(v);
        if (verb === 'f') return Number(v).toFixed(6);
        if (verb === 'x')
          return typeof v === 'string' ? Buffer.from(v).toString('hex') : (v as bigint).toString(16);
        if (verb === 'X')
          return (
            typeof v === 'string' ? Buffer.from(v).toString('hex') : (v as bigint).toString(16)
          ).toUpperCase();
        if (verb === 'o') return (v as bigint).toString(8);
        if (verb === 'b') return (v as bigint).toString(2);
        return Array.isArray(v) ? `[${v.join(', ')}]` : String(v);
      });
    })
    .registerFunction('strings_quote(string): string', (s: string) => JSON.stringify(s))
    // semver library
    .registerType('Semver', Semver)
    .registerFunction('isSemver(string): bool', (s: string) => Semver.parse(s) !== null)
    .registerFunction('semver(string): Semver', (s: string) => {
      const v = Semver.parse(s);
      if (!v) throw new Error(`could not parse semver: ${s}`);
      return v;
    })
    .registerFunction('Semver.major(): int', (v: Semver) => v.major)
    .registerFunction('Semver.minor(): int', (v: Semver) => v.minor)
    .registerFunction('Semver.patch(): int', (v: Semver) => v.patch)
    .registerFunction('Semver.compareTo(Semver): int', (a: Semver, b: Semver) => a.compare(b))
    .registerFunction('Semver.isGreaterThan(Semver): bool', (a: Semver, b: Semver) => a.compare(b) > 0n)
    .registerFunction('Semver.isLessThan(Semver): bool', (a: Semver, b: Semver) => a.compare(b) < 0n)
    // url library
    .registerType('URL', URLValue)
    .registerFunction('isURL(string): bool', (s: string) => URL.canParse(s))
    .registerFunction('url(string): URL', (s: string) => {
      if (!URL.canParse(s)) throw new Error(`URL parse error during conversion from string: ${s}`);
      return new URLValue(new URL(s));
    })
    .registerFunction('URL.getScheme(): string', (u: URLValue) => u.url.protocol.replace(/:$/, ''))
    .registerFunction('URL.getHost(): string', (u: URLValue) => u.url.host)
    .registerFunction('URL.getHostname(): string', (u: URLValue) => u.url.hostname.replace(/^\[|\]$/g, ''))
    .registerFunction('URL.getPort(): string', (u: URLValue) => u.url.port)
    .registerFunction('URL.getEscapedPath(): string', (u: URLValue) => u.url.pathname)
    // ip and cidr libraries
    .registerType('IP', IPValue)
    .registerType('CIDR', CIDRValue)
    .registerFunction('isIP(string): bool', (s: string) => parseIP(s) !== null)
    .registerFunction('ip(string): IP', (s: string) => {
      const v = parseIP(s);
      if (!v) throw new Error(`IP Address '${s}' parse error during conversion from string`);
      return new IPValue(s, v);
    })
    .registerFunction('IP.family(): int', (ip: IPValue) => BigInt(ip.ip.v))
    .registerFunction('IP.isLoopback(): bool', (ip: IPValue) =>
      ip.ip.v === 4 ? ip.ip.bytes[0] === 127 : ip.ip.bytes.every((b, i) => b === (i === 15 ? 1 : 0)),
    )
    .registerFunction('isCIDR(string): bool', (s: string) => parseCIDR(s) !== null)
    .registerFunction('cidr(string): CIDR', (s: string) => {
      const v = parseCIDR(s);
      if (!v) throw new Error(`network address parse error during conversion from string: ${s}`);
      return v;
    })
    .registerFunction('CIDR.containsIP(IP): bool', (c: CIDRValue, ip: IPValue) => c.contains(ip))
    .registerFunction('CIDR.containsIP(string): bool', (c: CIDRValue, s: string) => {
      const ip = parseIP(s);
      return ip ? c.contains(new IPValue(s, ip)) : false;
    })
    .registerFunction('CIDR.prefixLength(): int', (c: CIDRValue) => BigInt(c.prefix));
  registerTwoVarComprehensions(env);
  shared = env;
  return env;
}
