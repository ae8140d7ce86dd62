// Custom resources against their CustomResourceDefinition: the served version's structural
// openAPIV3Schema (types, required, enum, patterns, bounds, unknown fields, the x-kubernetes-*
// extensions) and its x-kubernetes-validations CEL rules, evaluated as the apiserver does on
// create (`self` is the value at the rule's node; rules that use oldSelf are transition rules and
// do not run on create).

import { isMap, type JsonMap, type JsonValue } from '../json.ts';
import { celEnvironment, rewriteNamespaced } from '../policy/cel.ts';
import { toCel } from '../policy/normalize.ts';
import { Quantity } from '../policy/quantity.ts';
import type { SchemaFinding } from './index.ts';

type Schema = JsonMap;

export interface CrdIndex {
  /** `group/version Kind` -> schema of the served version. */
  schemas: Map<string, Schema>;
}

export function indexCrds(crds: unknown[]): CrdIndex {
  const schemas = new Map<string, Schema>();
  for (const c of crds) {
    if (!isMap(c as JsonValue) || (c as JsonMap).kind !== 'CustomResourceDefinition') continue;
    const spec = (c as JsonMap).spec as JsonMap | undefined;
    if (!isMap(spec)) continue;
    const kind = String((spec.names as JsonMap | undefined)?.kind ?? '');
    for (const v of Array.isArray(spec.versions) ? spec.versions : []) {
      if (!isMap(v) || v.served === false) continue;
      const schema = (v.schema as JsonMap | undefined)?.openAPIV3Schema;
      schemas.set(
        `${String(spec.group)}/${String(v.name)} ${kind}`,
        (isMap(schema) ? schema : { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }) as Schema,
      );
    }
  }
  return { schemas };
}

function typeOf(v: JsonValue): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'bigint') return 'integer';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v === 'object' ? 'object' : typeof v;
}

function join(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$-]*$/.test(key)
    ? path
      ? `${path}.${key}`
      : key
    : `${path}[${JSON.stringify(key)}]`;
}

const compiled = new Map<string, (ctx: Record<string, unknown>) => unknown>();
function program(rule: string): (ctx: Record<string, unknown>) => unknown {
  let p = compiled.get(rule);
  if (!p) {
    const parsed = celEnvironment().parse(rewriteNamespaced(rule));
    p = (ctx) => parsed(ctx);
    compiled.set(rule, p);
  }
  return p;
}

function walk(
  schema: Schema,
  v: JsonValue | undefined,
  path: string,
  out: SchemaFinding[],
  root: boolean,
): void {
  if (v === undefined) return;
  if (v === null) {
    if (!schema.nullable && schema.type !== undefined)
      out.push({ path, message: `must be ${String(schema.type)}, not null` });
    return;
  }
  const t = typeOf(v);
  const want = schema.type as string | undefined;
  if (schema['x-kubernetes-int-or-string'] === true) {
    if (t !== 'integer' && t !== 'string')
      out.push({ path, message: `must be an integer or a string, not ${t}` });
  } else if (want) {
    const ok = want === t || (want === 'number' && t === 'integer');
    if (!ok) {
      out.push({ path, message: `Invalid type. Expected: ${want}, given: ${t}` });
      return;
    }
  }
  if (
    Array.isArray(schema.enum) &&
    !schema.enum.some(
      (e) => JSON.stringify(e) === JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? Number(x) : x)),
    )
  )
    out.push({
      path,
      message: `Unsupported value: ${JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x))}: supported values: ${schema.enum.map((e) => JSON.stringify(e)).join(', ')}`,
    });
  if (typeof v === 'string') {
    if (typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(v))
      out.push({ path, message: `should match '${schema.pattern}'` });
    if (typeof schema.maxLength === 'number' && Array.from(v).length > schema.maxLength)
      out.push({ path, message: `may not be longer than ${schema.maxLength}` });
    if (typeof schema.minLength === 'number' && Array.from(v).length < schema.minLength)
      out.push({ path, message: `should be at least ${schema.minLength} chars long` });
    if (schema.format === 'quantity' && !Quantity.isQuantity(v))
      out.push({ path, message: 'must be a quantity' });
    if (schema.format === 'date-time' && Number.isNaN(Date.parse(v)))
      out.push({ path, message: 'must be a date-time (RFC 3339)' });
  }
  if (typeof v === 'number' || typeof v === 'bigint') {
    const n = Number(v);
    if (
      typeof schema.minimum === 'number' &&
      (schema.exclusiveMinimum ? n <= schema.minimum : n < schema.minimum)
    )
      out.push({ path, message: `should be greater than or equal to ${schema.minimum}` });
    if (
      typeof schema.maximum === 'number' &&
      (schema.exclusiveMaximum ? n >= schema.maximum : n > schema.maximum)
    )
      out.push({ path, message: `should be less than or equal to ${schema.maximum}` });
  }
  if (Array.isArray(v)) {
    if (typeof schema.maxItems === 'number' && v.length > schema.maxItems)
      out.push({ path, message: `must have at most ${schema.maxItems} items` });
    if (typeof schema.minItems === 'number' && v.length < schema.minItems)
      out.push({ path, message: `should have at least ${schema.minItems} items` });
    if (isMap(schema.items))
      for (const [i, x] of v.entries()) walk(schema.items as Schema, x, join(path, i), out, false);
  }
  if (isMap(v)) {
    const props = isMap(schema.properties) ? schema.properties : {};
    for (const r of Array.isArray(schema.required) ? schema.required : [])
      if (!(String(r) in v)) out.push({ path: join(path, String(r)), message: 'Required value' });
    const preserve = schema['x-kubernetes-preserve-unknown-fields'] === true;
    const embedded = schema['x-kubernetes-embedded-resource'] === true || root;
    for (const [k, x] of Object.entries(v)) {
      if (isMap(props[k])) walk(props[k] as Schema, x, join(path, k), out, false);
      else if (isMap(schema.additionalProperties))
        walk(schema.additionalProperties as Schema, x, join(path, k), out, false);
      else if (embedded && ['apiVersion', 'kind', 'metadata'].includes(k)) continue;
      else if (
        !preserve &&
        schema.additionalProperties !== true &&
        (isMap(schema.properties) || schema.additionalProperties === false)
      )
        out.push({ path: join(path, k), message: `unknown field "${join(path, k)}"` });
    }
  }
  // CEL rules at this node
  for (const rule of Array.isArray(schema['x-kubernetes-validations'])
    ? schema['x-kubernetes-validations']
    : []) {
    if (!isMap(rule) || typeof rule.rule !== 'string') continue;
    if (/\boldSelf\b/.test(rule.rule)) continue; // a transition rule: nothing to compare on create
    let ok: unknown;
    try {
      ok = program(rule.rule)({ self: toCel(v) });
    } catch (err) {
      out.push({
        path,
        message: `Invalid value: ${JSON.stringify(typeOf(v))}: rule '${rule.rule}' failed: ${((err as Error).message.split('\n')[0] ?? '').replace(/^No such key/, 'no such key')}`,
      });
      continue;
    }
    if (ok === true) continue;
    let message =
      typeof rule.message === 'string' && rule.message ? rule.message : `failed rule: ${rule.rule}`;
    if (typeof rule.messageExpression === 'string') {
      try {
        const m = program(rule.messageExpression)({ self: toCel(v) });
        if (typeof m === 'string' && m.trim() && !m.includes('\n')) message = m.trim();
      } catch {
        // the static message stands
      }
    }
    const field = typeof rule.fieldPath === 'string' ? `${path}${rule.fieldPath}` : path;
    out.push({ path: field, message: `Invalid value: ${JSON.stringify(typeOf(v))}: ${message}` });
  }
}

export function validateAgainstCrd(schema: Schema, obj: JsonMap): SchemaFinding[] {
  const out: SchemaFinding[] = [];
  walk(schema, obj, '', out, true);
  return out;
}
