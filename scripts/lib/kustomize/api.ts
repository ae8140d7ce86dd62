// The contract of the kustomize engine, shared by every consumer (check, bump-image, audit,
// capacity, drift). `build` renders one kustomization directory synchronously, in-process.
import type { JsonMap } from '../json.ts';
import type { KustomizeVersion } from './version.ts';

/** Where an object came from: the YAML file (absolute path) and the 1-based line/column of its document. */
export interface Origin {
  file: string;
  line: number;
  col: number;
}

export interface Resource {
  object: JsonMap;
  origin?: Origin;
}

export interface BuildOptions {
  loadRestrictor?: 'LoadRestrictionsRootOnly' | 'LoadRestrictionsNone';
  enableHelm?: boolean;
  helmCommand?: string;
  /** --helm-kube-version: the Kubernetes version charts see (.Capabilities.KubeVersion). */
  helmKubeVersion?: string;
  reorder?: 'legacy' | 'none';
  enableManagedByLabel?: boolean;
  /** The kustomize release reproduced where releases differ (version.ts); 5.8.1 by default. */
  kustomizeVersion?: KustomizeVersion;
}

export interface BuildResult {
  /** The objects in output order, each with its origin. */
  resources: Resource[];
  /** Exactly what `kustomize build` prints. */
  yaml: string;
  /** Deprecation warnings kustomize prints on stderr. */
  warnings: string[];
  /** Whether Helm charts were inflated (the only source of output that can change run to run). */
  usedHelm?: boolean;
}
