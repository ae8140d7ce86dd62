// Output bytes: delegates to the go-yaml v2 emitter port in scripts/lib/yaml. TEMPORARY fallback.
import { stringify } from 'yaml';
import type { JsonMap } from '../json.ts';

export function emitResource(obj: JsonMap): string {
  return stringify(obj, { sortMapEntries: true, indentSeq: false, lineWidth: 0 });
}
