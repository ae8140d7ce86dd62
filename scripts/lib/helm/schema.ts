// values.schema.json checks, as `helm template` runs them before rendering, with the messages of
// the validator Helm v4.1.4 embeds (santhosh-tekuri/jsonschema v6), as Helm prints them: one line
// per error, `- at '/path': message`, the causes of allOf/anyOf/oneOf, of a $ref with several
// errors and of propertyNames indented beneath. The keywords charts use: type, const, enum, $ref
// (local), string, number, array and object bounds, pattern, uniqueItems, required,
// dependentRequired, propertyNames, properties, additionalProperties, allOf/anyOf/oneOf/not,
// if/then/else. Why by hand: no JavaScript validator words its errors as this Go library does,
// and the words are what a user reads when a value is refused.
import { formatFloatV, quoteGo } from './template/fmt.ts';
import { type GoMap, type GoValue, isGoMap } from './values.ts';

type Schema = Record<string, unknown> | boolean;

interface SchemaError {
  at: string;
  msg: string;
  causes?: SchemaError[];
}

/** The errors of `v` against `schema`, as the lines Helm prints under the chart's name. */
export function validateValues(schema: Schema, v: GoValue): string[] {
  const lines: string[] = [];
  const print = (e: SchemaError, indent: number) => {
    lines.push(`${'  '.repeat(indent)}- at ${quote(e.at)}: ${e.msg}`);
    for (const c of e.causes ?? []) print(c, indent + 1);
  };
  for (const e of validate(schema, v, '', schema)) print(e, 0);
  return lines;
}

/** The jsonschema library's quote: Go's %q, in single quotes. */
function quote(s: string): string {
  return `'${quoteGo(s).slice(1, -1).replaceAll('\\"', '"').replaceAll("'", "\\'")}'`;
}

/** A primitive as the library displays it (strings quoted, numbers as Go prints them). */
function display(v: unknown): string {
  if (typeof v === 'string') return quote(v);
  if (v === null) return '<nil>';
  if (typeof v === 'number' || typeof v === 'bigint') return formatFloatV(Number(v));
  if (typeof v === 'object') return 'value';
  return String(v);
}

const isNumber = (v: unknown): v is number | bigint => typeof v === 'number' || typeof v === 'bigint';

function jsonType(v: GoValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (isNumber(v)) return 'number';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

/** The order the library lists wanted types in. */
const TYPE_ORDER = ['null', 'boolean', 'number', 'integer', 'string', 'array', 'object'];

function isInteger(v: GoValue): boolean {
  return typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v));
}

function equal(a: unknown, b: unknown): boolean {
  if (isNumber(a) && isNumber(b)) return Number(a) === Number(b);
  if (Array.isArray(a) || Array.isArray(b))
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => equal(x, b[i]));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return (
      ka.length === kb.length &&
      ka.every(
        (k) =>
          k in (b as object) && equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
      )
    );
  }
  return a === b;
}

function resolveRef(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#')) return true;
  let cur: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean))
    cur = (cur as Record<string, unknown>)?.[
      decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~')
    ];
  return (cur as Schema) ?? true;
}

function validate(schema: Schema, v: GoValue, at: string, root: Schema): SchemaError[] {
  if (schema === true) return [];
  if (schema === false) return [{ at, msg: 'false schema' }];
  const s = schema as Record<string, unknown>;
  const errs: SchemaError[] = [];
  const err = (msg: string, causes?: SchemaError[]) => errs.push({ at, msg, ...(causes ? { causes } : {}) });
  const num = (k: string) => (typeof s[k] === 'number' ? (s[k] as number) : undefined);

  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    const t = jsonType(v);
    if (!types.some((x) => x === t || (x === 'integer' && isInteger(v))))
      return [
        {
          at,
          msg: `got ${t}, want ${[...types].sort((a, b) => TYPE_ORDER.indexOf(a) - TYPE_ORDER.indexOf(b)).join(' or ')}`,
        },
      ];
  }
  if ('const' in s) {
    if (!equal(s.const, v))
      err(
        s.const !== null && typeof s.const === 'object'
          ? "'const' failed"
          : `value must be ${display(s.const)}`,
      );
  } else if (Array.isArray(s.enum) && !s.enum.some((e) => equal(e, v))) {
    const primitive = s.enum.every((e) => e === null || typeof e !== 'object');
    if (!primitive) err("'enum' failed");
    else if (s.enum.length === 1) err(`value must be ${display(s.enum[0])}`);
    else err(`value must be one of ${s.enum.map(display).join(', ')}`);
  }
  if (typeof s.$ref === 'string') {
    const sub = validate(resolveRef(root, s.$ref), v, at, root);
    if (sub.length === 1) errs.push(sub[0] as SchemaError);
    else if (sub.length > 1) err('validation failed', sub);
  }
  if (typeof v === 'string') {
    const n = Array.from(v).length;
    if (num('minLength') !== undefined && n < (num('minLength') as number))
      err(`minLength: got ${n}, want ${num('minLength')}`);
    if (num('maxLength') !== undefined && n > (num('maxLength') as number))
      err(`maxLength: got ${n}, want ${num('maxLength')}`);
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v))
      err(`${quote(v)} does not match pattern ${quote(s.pattern)}`);
  }
  if (isNumber(v)) {
    const n = Number(v);
    const f = formatFloatV;
    const min = num('minimum');
    const max = num('maximum');
    const xmin = num('exclusiveMinimum');
    const xmax = num('exclusiveMaximum');
    const mult = num('multipleOf');
    if (min !== undefined && n < min) err(`minimum: got ${f(n)}, want ${f(min)}`);
    if (max !== undefined && n > max) err(`maximum: got ${f(n)}, want ${f(max)}`);
    if (xmin !== undefined && n <= xmin) err(`exclusiveMinimum: got ${f(n)}, want ${f(xmin)}`);
    if (xmax !== undefined && n >= xmax) err(`exclusiveMaximum: got ${f(n)}, want ${f(xmax)}`);
    if (mult !== undefined && mult > 0) {
      const q = n / mult;
      if (Math.abs(q - Math.round(q)) > 1e-9 * Math.max(1, Math.abs(q)))
        err(`multipleOf: got ${f(n)}, want ${f(mult)}`);
    }
  }
  if (Array.isArray(v)) {
    if (num('minItems') !== undefined && v.length < (num('minItems') as number))
      err(`minItems: got ${v.length}, want ${num('minItems')}`);
    if (num('maxItems') !== undefined && v.length > (num('maxItems') as number))
      err(`maxItems: got ${v.length}, want ${num('maxItems')}`);
    if (s.uniqueItems === true)
      search: for (let i = 0; i < v.length; i++)
        for (let j = i + 1; j < v.length; j++)
          if (equal(v[i], v[j])) {
            err(`items at ${i} and ${j} are equal`);
            break search;
          }
    const prefix = Array.isArray(s.prefixItems) ? (s.prefixItems as Schema[]) : [];
    for (const [i, x] of v.entries()) {
      const sub =
        i < prefix.length
          ? prefix[i]
          : s.items !== undefined && !Array.isArray(s.items)
            ? (s.items as Schema)
            : undefined;
      if (sub !== undefined) errs.push(...validate(sub, x, `${at}/${i}`, root));
    }
  }
  if (isGoMap(v)) {
    const m = v as GoMap;
    const keys = Object.keys(m);
    if (num('minProperties') !== undefined && keys.length < (num('minProperties') as number))
      err(`minProperties: got ${keys.length}, want ${num('minProperties')}`);
    if (num('maxProperties') !== undefined && keys.length > (num('maxProperties') as number))
      err(`maxProperties: got ${keys.length}, want ${num('maxProperties')}`);
    const missing = (Array.isArray(s.required) ? (s.required as string[]) : []).filter((r) => !(r in m));
    if (missing.length === 1) err(`missing property ${quote(missing[0] as string)}`);
    else if (missing.length > 1) err(`missing properties ${missing.map(quote).join(', ')}`);
    const dependent = (s.dependentRequired ?? {}) as Record<string, string[]>;
    for (const [k, deps] of Object.entries(dependent)) {
      if (!(k in m) || !Array.isArray(deps)) continue;
      const absent = deps.filter((d) => !(d in m));
      if (absent.length) err(`properties ${absent.map(quote).join(', ')} required, if ${quote(k)} exists`);
    }
    if (s.propertyNames !== undefined)
      for (const k of keys) {
        // the library places these, and their causes, at the root
        const sub = validate(s.propertyNames as Schema, k, '', root);
        if (sub.length) errs.push({ at: '', msg: `invalid propertyName ${quote(k)}`, causes: sub });
      }
    const props = (s.properties ?? {}) as Record<string, Schema>;
    const patterns = Object.entries((s.patternProperties ?? {}) as Record<string, Schema>).map(
      ([p, sub]) => [new RegExp(p, 'u'), sub] as const,
    );
    const extra: string[] = [];
    for (const k of keys) {
      let matched = false;
      if (k in props) {
        matched = true;
        errs.push(...validate(props[k] as Schema, m[k] as GoValue, `${at}/${k}`, root));
      }
      for (const [re, sub] of patterns)
        if (re.test(k)) {
          matched = true;
          errs.push(...validate(sub, m[k] as GoValue, `${at}/${k}`, root));
        }
      if (matched) continue;
      if (s.additionalProperties === false) extra.push(k);
      else if (s.additionalProperties !== undefined && s.additionalProperties !== true)
        errs.push(...validate(s.additionalProperties as Schema, m[k] as GoValue, `${at}/${k}`, root));
    }
    if (extra.length) err(`additional properties ${extra.map(quote).join(', ')} not allowed`);
  }
  const subs = (k: string) => (Array.isArray(s[k]) ? (s[k] as Schema[]) : undefined);
  const allOf = subs('allOf');
  if (allOf) {
    const causes = allOf.flatMap((sub) => validate(sub, v, at, root));
    if (causes.length) err("'allOf' failed", causes);
  }
  const anyOf = subs('anyOf');
  if (anyOf) {
    const results = anyOf.map((sub) => validate(sub, v, at, root));
    if (!results.some((r) => r.length === 0)) err("'anyOf' failed", results.flat());
  }
  const oneOf = subs('oneOf');
  if (oneOf) {
    const results = oneOf.map((sub) => validate(sub, v, at, root));
    const matched = results.flatMap((r, i) => (r.length === 0 ? [i] : []));
    if (matched.length === 0) err("'oneOf' failed, none matched", results.flat());
    else if (matched.length > 1) err(`'oneOf' failed, subschemas ${matched[0]}, ${matched[1]} matched`);
  }
  if (s.not !== undefined && validate(s.not as Schema, v, at, root).length === 0) err("'not' failed");
  if (s.if !== undefined) {
    const branch = validate(s.if as Schema, v, at, root).length === 0 ? s.then : s.else;
    if (branch !== undefined) errs.push(...validate(branch as Schema, v, at, root));
  }
  return errs;
}
