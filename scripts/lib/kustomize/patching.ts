// Adapter between the patch transformers and the merge engine in ./patch/: which schema the
// strategic merge uses. As kyaml's global schema, the first `openapi:` met wins (the top
// kustomization's always does): a custom schema file, or a built-in Kubernetes version.
import { SourceError } from '../errors.ts';
import type { JsonMap, JsonValue } from '../json.ts';
import { applyJson6902, kubernetesSchema, loadOpenApiSchema, type PatchSchema, strategicMerge } from './patch/index.ts';

const BUILTIN_VERSION = 'v1.21.2';
let schema: PatchSchema = kubernetesSchema;
let schemaIsSet = false;

export function resetCustomSchema(): void {
  schema = kubernetesSchema;
  schemaIsSet = false;
}

/** openapi.SetSchema: `text` is a custom schema file's content; `version` a built-in version. */
export function setCustomSchema(text: string | undefined, file: string, version?: string, reset = false): void {
  if (schemaIsSet && !reset) return;
  if (text !== undefined) {
    if (version) throw new SourceError('OPENAPI', 'builtin version and custom schema provided, cannot use both', { file });
    schema = loadOpenApiSchema(text, file);
    schemaIsSet = true;
    return;
  }
  if (!version) return;
  if (version !== BUILTIN_VERSION) {
    throw new SourceError('OPENAPI', 'the specified OpenAPI version is not built in', { file, hint: `the built-in version is ${BUILTIN_VERSION}` });
  }
  schema = kubernetesSchema;
  schemaIsSet = true;
}

export function applyStrategicMerge(target: JsonMap, patch: JsonMap): JsonMap | null {
  return strategicMerge(target, patch, schema);
}

export function applyJsonPatch(target: JsonMap, ops: JsonValue[], file: string): JsonValue {
  try {
    return applyJson6902(target, ops);
  } catch (err) {
    if (err instanceof SourceError && !err.file) {
      throw new SourceError(err.code, err.message, { file, hint: err.hint });
    }
    throw err;
  }
}
