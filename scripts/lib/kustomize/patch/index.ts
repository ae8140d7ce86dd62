// Patching for the kustomize engine: strategic merge (kyaml merge2 semantics) and JSON 6902.

export { applyJson6902 } from './json6902.ts';
export { parseJson6902 } from './json6902-text.ts';
export { kubernetesSchema } from './k8s-schema.ts';
export { loadOpenApiSchema } from './openapi.ts';
export type { PatchSchema, SchemaNode } from './schema.ts';
export { strategicMerge } from './smp.ts';
