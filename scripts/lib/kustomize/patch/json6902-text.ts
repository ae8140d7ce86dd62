// JSON 6902 operations from patch text, as kustomize reads them (jsonPatchFromBytes): text that
// starts with `[` is JSON; anything else is YAML converted by sigs.k8s.io/yaml (go-yaml v2, YAML
// 1.1 scalars; see ../yaml-v2-read.ts). Only the first YAML document counts.
import { SourceError } from '../../errors.ts';
import type { JsonValue } from '../../json.ts';
import { readFirstDocumentV2 } from '../yaml-v2-read.ts';

export function parseJson6902(text: string, file: string): JsonValue {
  if (text === '') throw new SourceError('JSON_PATCH', 'empty json patch operations', { file });
  if (text.startsWith('[')) {
    try {
      return JSON.parse(text) as JsonValue;
    } catch (err) {
      throw new SourceError('JSON_PATCH', (err as Error).message, { file });
    }
  }
  return readFirstDocumentV2(text, file, 'JSON_PATCH').value;
}
