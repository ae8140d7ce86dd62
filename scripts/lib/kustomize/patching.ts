// Adapter between the patch transformers and the merge engine in ./patch/ (strategic merge with
// the OpenAPI patch metadata, JSON 6902). TEMPORARY minimal merge until ./patch/ lands.
import { SourceError } from '../errors.ts';
import { deepClone, isMap, type JsonMap, type JsonValue } from '../json.ts';

let customSchema: { text?: string; file: string; version?: string } | undefined;

/** `openapi:` of a kustomization: a custom schema replaces the built-in one for patches. */
export function setCustomSchema(text: string | undefined, file: string, version?: string): void {
  customSchema = { text, file, version };
}
export function resetCustomSchema(): void {
  customSchema = undefined;
}

function merge(target: JsonValue, patch: JsonValue): JsonValue {
  if (!isMap(patch) || !isMap(target)) return deepClone(patch);
  const out: JsonMap = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = k in out ? merge(out[k] as JsonValue, v) : deepClone(v);
  }
  return out;
}

export function applyStrategicMerge(target: JsonMap, patch: JsonMap): JsonMap | null {
  void customSchema;
  return merge(target, patch) as JsonMap;
}

export function applyJsonPatch(target: JsonMap, ops: JsonValue[], file: string): JsonValue {
  throw new SourceError('UNSUPPORTED', `JSON patches are not available yet (${ops.length} ops)`, { file });
}
