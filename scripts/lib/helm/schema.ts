// values.schema.json checks, as `helm template` runs them before rendering: the JSON Schema
// keywords charts use (type, properties, required, additionalProperties, items, enum, const,
// pattern, min/max bounds and lengths, allOf/anyOf/oneOf/not, local $ref).
import { type GoMap, type GoValue, isGoMap } from './values.ts';

type Schema = Record<string, unknown> | boolean;

function typeOf(v: GoValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  if (typeof v === 'object') return 'object';
  return typeof v;
}

function resolveRef(root: Schema, ref: string): Schema {
  if (!ref.startsWith('#')) return true;
  let cur: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean))
    cur = (cur as Record<string, unknown>)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')];
  return (cur as Schema) ?? true;
}

export function validateValues(
  schema: Schema,
  v: GoValue,
  path = '',
  root: Schema = schema,
  out: string[] = [],
): string[] {
  if (schema === true) return out;
  if (schema === false) {
    out.push(`at '${path || '/'}': false schema does not allow this value`);
    return out;
  }
  const s = schema as Record<string, unknown>;
  if (typeof s.$ref === 'string') validateValues(resolveRef(root, s.$ref), v, path, root, out);
  const t = typeOf(v);
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type as string];
    if (!types.some((x) => x === t || (x === 'number' && t === 'integer'))) {
      out.push(`at '${path || '/'}': got ${t}, want ${types.join(' or ')}`);
      return out;
    }
  }
  if (
    Array.isArray(s.enum) &&
    !s.enum.some(
      (e) => JSON.stringify(e) === JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x)),
    )
  )
    out.push(`at '${path || '/'}': value must be one of ${s.enum.map((e) => JSON.stringify(e)).join(', ')}`);
  if (
    s.const !== undefined &&
    JSON.stringify(s.const) !== JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x))
  )
    out.push(`at '${path || '/'}': value must be ${JSON.stringify(s.const)}`);
  if (typeof v === 'string') {
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(v))
      out.push(`at '${path || '/'}': '${v}' does not match pattern '${s.pattern}'`);
    if (typeof s.minLength === 'number' && Array.from(v).length < s.minLength)
      out.push(`at '${path || '/'}': minLength: got ${Array.from(v).length}, want ${s.minLength}`);
    if (typeof s.maxLength === 'number' && Array.from(v).length > s.maxLength)
      out.push(`at '${path || '/'}': maxLength: got ${Array.from(v).length}, want ${s.maxLength}`);
  }
  if (typeof v === 'number' || typeof v === 'bigint') {
    const n = Number(v);
    if (typeof s.minimum === 'number' && n < s.minimum)
      out.push(`at '${path || '/'}': minimum: got ${n}, want ${s.minimum}`);
    if (typeof s.maximum === 'number' && n > s.maximum)
      out.push(`at '${path || '/'}': maximum: got ${n}, want ${s.maximum}`);
    if (typeof s.exclusiveMinimum === 'number' && n <= s.exclusiveMinimum)
      out.push(`at '${path || '/'}': exclusiveMinimum: got ${n}, want ${s.exclusiveMinimum}`);
    if (typeof s.exclusiveMaximum === 'number' && n >= s.exclusiveMaximum)
      out.push(`at '${path || '/'}': exclusiveMaximum: got ${n}, want ${s.exclusiveMaximum}`);
  }
  if (Array.isArray(v)) {
    if (typeof s.minItems === 'number' && v.length < s.minItems)
      out.push(`at '${path || '/'}': minItems: got ${v.length}, want ${s.minItems}`);
    if (typeof s.maxItems === 'number' && v.length > s.maxItems)
      out.push(`at '${path || '/'}': maxItems: got ${v.length}, want ${s.maxItems}`);
    if (s.items !== undefined && !Array.isArray(s.items))
      for (const [i, x] of v.entries()) validateValues(s.items as Schema, x, `${path}/${i}`, root, out);
  }
  if (isGoMap(v)) {
    const m = v as GoMap;
    for (const r of Array.isArray(s.required) ? (s.required as string[]) : [])
      if (!(r in m)) out.push(`at '${path || '/'}': missing property '${r}'`);
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const [k, x] of Object.entries(m)) {
      if (k in props) validateValues(props[k] as Schema, x, `${path}/${k}`, root, out);
      else if (s.additionalProperties === false)
        out.push(`at '${path || '/'}': additional properties '${k}' not allowed`);
      else if (typeof s.additionalProperties === 'object')
        validateValues(s.additionalProperties as Schema, x, `${path}/${k}`, root, out);
    }
  }
  for (const sub of Array.isArray(s.allOf) ? (s.allOf as Schema[]) : [])
    validateValues(sub, v, path, root, out);
  if (
    Array.isArray(s.anyOf) &&
    !(s.anyOf as Schema[]).some((sub) => validateValues(sub, v, path, root, []).length === 0)
  )
    out.push(`at '${path || '/'}': anyOf failed`);
  if (
    Array.isArray(s.oneOf) &&
    (s.oneOf as Schema[]).filter((sub) => validateValues(sub, v, path, root, []).length === 0).length !== 1
  )
    out.push(`at '${path || '/'}': oneOf failed`);
  if (s.not !== undefined && validateValues(s.not as Schema, v, path, root, []).length === 0)
    out.push(`at '${path || '/'}': not failed`);
  return out;
}
