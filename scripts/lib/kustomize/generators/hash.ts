// The name-suffix hash of generated ConfigMaps and Secrets (api/hasher): sha256 over a JSON
// encoding of kind, name, data (Go encoding/json), first ten hex digits with vowels remapped.
// As in kustomize, the name looked up as "metadata/name" is always empty in the encoding.
import { createHash } from 'node:crypto';
import { isMap, type JsonMap, type JsonValue } from '../../json.ts';
import { goJson } from '../go-json.ts';
import { scalarText } from '../resource.ts';

function encode(hex: string): string {
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => map[c] ?? c).join('');
}

function nodeValue(v: JsonValue | undefined): JsonValue {
  if (v === undefined) return '';
  if (isMap(v) || Array.isArray(v)) return v;
  return scalarText(v);
}

export function hashResource(obj: JsonMap): string {
  const kind = scalarText(obj.kind);
  let encoded: string;
  if (kind === 'ConfigMap') {
    const m: JsonMap = { kind: 'ConfigMap', name: '', data: nodeValue(obj.data) };
    if (isMap(obj.binaryData)) m.binaryData = obj.binaryData;
    encoded = goJson(m);
  } else if (kind === 'Secret') {
    const m: JsonMap = { kind: 'Secret', type: nodeValue(obj.type), name: '', data: nodeValue(obj.data) };
    if (isMap(obj.stringData)) m.stringData = obj.stringData;
    encoded = goJson(m);
  } else {
    encoded = goJson(obj);
  }
  return encode(createHash('sha256').update(encoded).digest('hex'));
}
