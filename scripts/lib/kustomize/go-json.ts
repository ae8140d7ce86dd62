// encoding/json as Go writes it: map keys sorted, HTML-safe escaping (<, >, & as \u003c...),
// U+2028/U+2029 escaped, floats in Go's format. Used where kustomize hashes JSON.
import { isMap, type JsonValue } from '../json.ts';

function goString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0) as number;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
    }
    if (c < 0x20 || ch === '<' || ch === '>' || ch === '&' || c === 0x2028 || c === 0x2029) {
      out += `\\u${c.toString(16).padStart(4, '0')}`;
      continue;
    }
    out += ch;
  }
  return `${out}"`;
}

/** Go's float64 formatting in encoding/json ('f' between 1e-6 and 1e21, else 'e' with two-digit exponent). */
export function goJsonNumber(n: number): string {
  if (Number.isInteger(n) && Math.abs(n) < 1e21)
    return n.toFixed(0) === '-0' ? '-0' : String(n === 0 ? 0 : BigInt(n));
  const abs = Math.abs(n);
  if (abs !== 0 && (abs < 1e-6 || abs >= 1e21)) {
    let s = n.toExponential();
    s = s.replace(/e([+-])(\d)$/, 'e$10$2');
    return s;
  }
  return String(n);
}

export function goJson(v: JsonValue): string {
  if (v === null) return 'null';
  if (typeof v === 'string') return goString(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return goJsonNumber(v);
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (isMap(v)) {
    const keys = Object.keys(v).sort((a, b) =>
      Buffer.from(a) < Buffer.from(b) ? -1 : Buffer.compare(Buffer.from(a), Buffer.from(b)),
    );
    return `{${keys.map((k) => `${goString(k)}:${goJson(v[k] as JsonValue)}`).join(',')}}`;
  }
  return 'null';
}

/** json.MarshalIndent(v, "", "  "): one member per line, `"key": value`, empty ones as `{}`/`[]`. */
export function goJsonIndent(v: JsonValue, indent = ''): string {
  const inner = `${indent}  `;
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[\n${v.map((x) => inner + goJsonIndent(x, inner)).join(',\n')}\n${indent}]`;
  }
  if (isMap(v)) {
    const keys = Object.keys(v).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)));
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((k) => `${inner}${goString(k)}: ${goJsonIndent(v[k] as JsonValue, inner)}`).join(',\n')}\n${indent}}`;
  }
  return goJson(v);
}
