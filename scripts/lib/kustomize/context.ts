// State shared by every kustomization of one build: options, warnings, the custom OpenAPI schema.
import type { BuildOptions } from './api.ts';

export interface BuildContext {
  options: BuildOptions;
  warnings: string[];
  /** Whether a Helm chart was inflated: only one can make two renders differ (random and clock
   * functions); the kustomize engine itself reads neither. */
  usedHelm?: boolean;
}
