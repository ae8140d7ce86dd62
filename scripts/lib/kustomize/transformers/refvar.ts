// Vars (deprecated, still supported): `$(NAME)` in the fields of varReference is replaced by the
// value of the field the var names (api/filters/refvar, internal/accumulator/refvartransformer.go).
import { SourceError } from '../../errors.ts';
import { isMap, type JsonValue } from '../../json.ts';
import type { FieldSpec, Slot } from '../fieldspec.ts';
import { walkFieldSpec } from '../fieldspec.ts';
import { lookupPath, smarterSplit } from '../pathmatch.ts';
import { gvkString } from '../resid.ts';
import type { ResMap } from '../resmap.ts';
import type { Var } from '../target.ts';

type Primitive = string | number | bigint | boolean;

function replaceIn(input: string, lookup: (name: string) => Primitive | undefined): Primitive {
  let buf = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] === '$' && cursor + 1 < input.length) {
      buf += input.slice(checkpoint, cursor);
      const rest = input.slice(cursor + 1);
      let read: string;
      let isVar = false;
      let advance = 1;
      if (rest[0] === '$') read = '$';
      else if (rest[0] === '(') {
        const close = rest.indexOf(')', 1);
        if (close > 0) {
          read = rest.slice(1, close);
          isVar = true;
          advance = close + 1;
        } else read = '$(';
      } else read = `$${rest[0]}`;
      if (isVar) {
        const mapped = lookup(read);
        const value = mapped === undefined ? `$(${read})` : mapped;
        if (input === `$(${read})`) return value;
        buf += String(value);
      } else buf += read;
      cursor += advance;
      checkpoint = cursor + 1;
    }
  }
  return buf + input.slice(checkpoint);
}

/** %v of a types.Var after Defaulting: {name Kind.version.group {fieldPath}}. */
function varString(v: Var): string {
  const o = v.objref ?? {};
  let group = o.group ?? '';
  let version = o.version ?? '';
  if (o.apiVersion) {
    const i = o.apiVersion.indexOf('/');
    [group, version] = i > -1 ? [o.apiVersion.slice(0, i), o.apiVersion.slice(i + 1)] : ['', o.apiVersion];
  }
  const gvk = gvkString({ group, version, kind: o.kind ?? '' });
  return `{${v.name} ${gvk} {${v.fieldref?.fieldPath || 'metadata.name'}}}`;
}

export function resolveVars(m: ResMap, vars: Var[], specs: FieldSpec[], warnings: string[]): void {
  if (vars.length === 0) return;
  const values = new Map<string, JsonValue>();
  for (const v of vars) {
    const res = m.list.find((r) => r.refVarNames.includes(v.name));
    if (!res)
      throw new SourceError(
        'VAR',
        `var '${varString(v)}' cannot be mapped to a field in the set of known resources`,
        {
          hint: 'a var names one resource (objref: kind, name, and apiVersion or namespace where two match)',
        },
      );
    const path = v.fieldref?.fieldPath || 'metadata.name';
    const slot = lookupPath(res.obj, smarterSplit(path.replace(/\[(\d+)\]/g, '.$1')));
    if (!slot || slot.get() === undefined)
      throw new SourceError('VAR', `field specified in var '${v.name}' not found in corresponding resource`);
    values.set(v.name, slot.get());
  }
  const used = new Set<string>();
  const lookup = (name: string): Primitive | undefined => {
    if (!values.has(name)) return undefined;
    const v = values.get(name);
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') {
      used.add(name);
      return v;
    }
    return undefined;
  };
  const setString = (slot: Slot) => {
    const v = slot.get();
    if (typeof v === 'string') slot.set(replaceIn(v, lookup));
  };
  for (const r of m.list) {
    for (const fs of specs) {
      walkFieldSpec(r.obj, fs, undefined, (slot) => {
        const v = slot.get();
        if (v === null || v === undefined) return;
        if (isMap(v)) {
          for (const k of Object.keys(v)) setString({ get: () => v[k] as JsonValue, set: (x) => (v[k] = x) });
        } else if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            if (typeof v[i] !== 'string') throw new SourceError('VAR', 'invalid value type expect a string');
            setString({ get: () => v[i] as JsonValue, set: (x) => (v[i] = x) });
          }
        } else setString(slot);
      });
    }
  }
  const unused = [...values.keys()].filter((k) => !used.has(k));
  if (unused.length) warnings.push(`well-defined vars that were never replaced: ${unused.join(',')}`);
}
