// The environments of this repository: every directory under overlays/ with a kustomization, and
// rendering them in one process (the main job's first step, and what check, bump and audit use).
import { existsSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { SourceError } from '../errors.ts';
import type { BuildOptions, BuildResult } from '../kustomize/api.ts';
import { build } from '../kustomize/index.ts';
import { KUSTOMIZATION_FILE_NAMES } from '../kustomize/kustomization.ts';

export interface Overlay {
  /** The environment name: the directory's name under overlays/. */
  env: string;
  /** Absolute path of the overlay directory. */
  dir: string;
}

export interface RenderedOverlay extends Overlay {
  result: BuildResult;
}

function hasKustomization(dir: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.some((f) => existsSync(join(dir, f)));
}

export function listOverlays(repoRoot: string): Overlay[] {
  const base = join(repoRoot, 'overlays');
  if (!existsSync(base)) return [];
  return readdirSync(base, { withFileTypes: true })
    .filter((e) => e.isDirectory() && hasKustomization(join(base, e.name)))
    .map((e) => ({ env: e.name, dir: join(base, e.name) }))
    .sort((a, b) => a.env.localeCompare(b.env));
}

/** Resolves ENV names or overlay paths; no argument means every overlay. */
export function selectOverlays(repoRoot: string, names: string[]): Overlay[] {
  const all = listOverlays(repoRoot);
  if (names.length === 0) return all;
  return names.map((name) => {
    const byEnv = all.find((o) => o.env === name);
    if (byEnv) return byEnv;
    const dir = resolve(name);
    if (existsSync(dir) && hasKustomization(dir)) return { env: relative(repoRoot, dir) || name, dir };
    throw new SourceError('UNKNOWN_ENV', `no environment or overlay "${name}"`, {
      hint: `known environments: ${all.map((o) => o.env).join(', ') || '(none under overlays/)'}`,
    });
  });
}

export function renderOverlays(overlays: Overlay[], options: BuildOptions = {}): RenderedOverlay[] {
  return overlays.map((o) => ({ ...o, result: build(o.dir, options) }));
}
