// The reference kustomize (v5.7.1 inside kubectl v1.34.5, unpacked by `npm install` into .tools/).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

export const KUBECTL = join(import.meta.dirname, '..', '..', '.tools', 'kubectl');
export const hasReference = existsSync(KUBECTL);

export function referenceBuild(
  dir: string,
  flags: string[] = [],
): { ok: boolean; stdout: string; stderr: string } {
  const r = spawnSync(KUBECTL, ['kustomize', ...flags, dir], { encoding: 'utf8' });
  return { ok: r.status === 0, stdout: r.stdout, stderr: r.stderr };
}
