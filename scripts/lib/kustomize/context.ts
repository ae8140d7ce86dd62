// State shared by every kustomization of one build: options, warnings, the custom OpenAPI schema.
import type { BuildOptions } from './api.ts';

export interface BuildContext {
  options: BuildOptions;
  warnings: string[];
  /** Helm charts inflated so far: only they can make two renders differ (random and clock
   * functions); the kustomize engine itself reads neither. */
  helmCharts?: number;
}
