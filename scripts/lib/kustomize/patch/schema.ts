// What the strategic merge needs to know about a type: per field the schema of its value, per
// list its element schema and its patch strategy and merge keys (kyaml openapi.ResourceSchema:
// Field, Elements, PatchStrategyAndKeyList). Two implementations: the built-in Kubernetes types
// (k8s-schema.ts) and a custom OpenAPI document from a kustomization's `openapi:` (openapi.ts).

export interface SchemaNode {
  /** OpenAPI `type` is exactly ["array"]: only then do elements have a schema (kyaml Elements). */
  readonly isArray: boolean;
  /** x-kubernetes-patch-strategy, e.g. "merge" or "merge,retainKeys"; "" when absent. */
  readonly patchStrategy: string;
  /** x-kubernetes-patch-merge-key; "" when absent. */
  readonly patchMergeKey: string;
  /** x-kubernetes-list-map-keys, which take precedence over the merge key; empty when absent. */
  readonly listMapKeys: readonly string[];
  /** The schema of a field: a property, else the additionalProperties value schema. */
  field(name: string): SchemaNode | undefined;
  /** The schema of the elements of an array. */
  elements(): SchemaNode | undefined;
}

export interface PatchSchema {
  /** The schema of a resource type, by its x-kubernetes-group-version-kind. */
  forResource(apiVersion: string, kind: string): SchemaNode | undefined;
  /** An OpenAPI definition by name (io.k8s.api.core.v1.PodSpec), for `$ref`s of other documents. */
  definition(name: string): SchemaNode | undefined;
  /**
   * This schema with some of its definitions replaced by another document's, named as
   * kubernetes-models names them (IoK8sApiCoreV1PodSpec): kyaml resolves every `$ref` in one
   * shared table, so a later document's definition also changes the types that refer to it.
   */
  withOverrides?(defs: (name: string) => SchemaNode | undefined): PatchSchema;
}

/** kyaml schema.IsAssociative with a schema: the patch strategy lists "merge". */
export function isAssociative(s: SchemaNode): boolean {
  return s.patchStrategy.split(',').includes('merge');
}

/** kyaml PatchStrategyAndKeyList: list-map keys, else the merge key, else none. */
export function mergeKeys(s: SchemaNode): string[] {
  if (!s.patchStrategy) return [];
  if (s.listMapKeys.length > 0) return [...s.listMapKeys];
  return s.patchMergeKey ? [s.patchMergeKey] : [];
}
