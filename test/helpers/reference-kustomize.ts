// The reference kustomize releases, unpacked by `npm install` into .tools/: v5.7.1 inside kubectl
// v1.34.5 and v5.8.1 (what Argo CD 3.3 to 3.5 bundle) inside kubectl v1.36.3.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { KustomizeVersion } from '../../scripts/lib/kustomize/version.ts';

const tools = join(import.meta.dirname, '..', '..', '.tools');
export const KUBECTL = join(tools, 'kubectl');
export const hasReference = existsSync(KUBECTL);

/** Each release with the kubectl that carries it, those present on this machine. */
export const REFERENCES: { version: KustomizeVersion; kubectl: string }[] = (
  [
    { version: '5.7.1', kubectl: KUBECTL },
    { version: '5.8.1', kubectl: join(tools, 'kubectl-1.36') },
  ] as const
).filter((r) => existsSync(r.kubectl));

export function referenceBuild(
  dir: string,
  flags: string[] = [],
  kubectl = KUBECTL,
): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync(kubectl, ['kustomize', ...flags, dir], { encoding: 'utf8' });
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}

/** The release a differential tool run by hand compares with: KUSTOMIZE_REF (5.7.1 or 5.8.1), by
 * default 5.8.1, the engine's default. */
export function fuzzReference(): { version: KustomizeVersion; kubectl: string } {
  const want = process.env.KUSTOMIZE_REF ?? '5.8.1';
  const ref = REFERENCES.find((r) => r.version === want);
  if (!ref) throw new Error(`no reference kustomize ${want} in .tools (run npm install)`);
  return ref;
}
