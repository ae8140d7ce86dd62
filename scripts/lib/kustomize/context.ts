// State shared by every kustomization of one build: options, warnings, the custom OpenAPI schema.
import type { BuildOptions } from './api.ts';

export interface BuildContext {
  options: BuildOptions;
  warnings: string[];
}
