// Adapter between the patch transformers and the merge engine in ./patch/: which schema the
// strategic merge uses. As kyaml's global schema, the first `openapi:` met wins (the top
// kustomization's always does): a custom schema file, or a built-in Kubernetes version.
import { SourceError } from '../errors.ts';
import type { JsonMap, JsonValue } from '../json.ts';
import {
  applyJson6902,
  kubernetesSchema,
  loadOpenApiSchema,
  type PatchSchema,
  strategicMerge,
} from './patch/index.ts';

const BUILTIN_VERSION = 'v1.21.2';
let schema: PatchSchema = kubernetesSchema;
let schemaIsSet = false;
/**
 * kyaml parses its built-in schema lazily into one global table, so where a custom schema sits
 * relative to it depends on the build's history: 'yes' once a strategic merge used it, 'delayed'
 * once a kind outside its precomputed scope table was looked up (the parse then follows the
 * custom one's).
 */
let builtinParse: 'no' | 'delayed' | 'yes' = 'no';

export function resetCustomSchema(): void {
  schema = kubernetesSchema;
  schemaIsSet = false;
  builtinParse = 'no';
}

/** Called when a kind outside kyaml's precomputed scope table is looked up. */
export function noteUnknownScope(): void {
  if (!schemaIsSet && builtinParse === 'no') builtinParse = 'delayed';
}

/** openapi.SetSchema: `text` is a custom schema file's content; `version` a built-in version. */
export function setCustomSchema(
  text: string | undefined,
  file: string,
  version?: string,
  reset = false,
): void {
  if (schemaIsSet && !reset) return;
  if (text !== undefined) {
    if (version)
      throw new SourceError('OPENAPI', 'builtin version and custom schema provided, cannot use both', {
        file,
      });
    const parsed = builtinParse === 'yes' ? 'before' : builtinParse === 'delayed' ? 'after' : undefined;
    schema = loadOpenApiSchema(text, file, parsed ? { builtin: { schema: kubernetesSchema, parsed } } : {});
    schemaIsSet = true;
    return;
  }
  if (!version) return;
  if (version !== BUILTIN_VERSION) {
    throw new SourceError('OPENAPI', 'the specified OpenAPI version is not built in', {
      file,
      hint: `the built-in version is ${BUILTIN_VERSION}`,
    });
  }
  schema = kubernetesSchema;
  schemaIsSet = true;
}

export function applyStrategicMerge(target: JsonMap, patch: JsonMap): JsonMap | null {
  if (!schemaIsSet) builtinParse = 'yes';
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
