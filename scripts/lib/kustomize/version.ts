// Which kustomize the build reproduces. Argo CD 3.3, 3.4 and 3.5 bundle kustomize v5.8.1, so that
// is the default: what we check is what Argo CD deploys. v5.7.1 (kubectl 1.34 and 1.35) stays
// selectable (`gitops build --kustomize-version 5.7.1`) where the two differ; the differences are
// listed in README.md and each is tested against both releases.
import { SourceError } from '../errors.ts';

export const KUSTOMIZE_VERSIONS = ['5.8.1', '5.7.1'] as const;
export type KustomizeVersion = (typeof KUSTOMIZE_VERSIONS)[number];
export const DEFAULT_KUSTOMIZE_VERSION: KustomizeVersion = '5.8.1';

let current: KustomizeVersion = DEFAULT_KUSTOMIZE_VERSION;

/** The release a build reproduces, set once at its start (builds run one at a time, synchronously). */
export function setKustomizeVersion(v: KustomizeVersion | undefined): void {
  current = v ?? DEFAULT_KUSTOMIZE_VERSION;
}

export function kustomizeVersion(): KustomizeVersion {
  return current;
}

/** Whether the build follows kustomize 5.8's behaviour where it changed. */
export function since58(): boolean {
  return current !== '5.7.1';
}

/** A --kustomize-version value, checked. */
export function parseKustomizeVersion(v: string): KustomizeVersion {
  const bare = v.replace(/^v/, '');
  const known = KUSTOMIZE_VERSIONS.find((k) => k === bare);
  if (!known)
    throw new SourceError('USAGE', `unsupported --kustomize-version ${v}`, {
      hint: `give one of ${KUSTOMIZE_VERSIONS.join(', ')} (5.8.1 is what Argo CD 3.3 to 3.5 bundle)`,
    });
  return known;
}
