// `kustomize build` in-process: build(dir) returns the resources with their origins and the exact
// bytes kustomize v5.8.1 prints (v5.7.1 with options.kustomizeVersion, see version.ts). The steps after accumulation mirror api/krusty/kustomizer.go.
import { SourceError } from '../errors.ts';
import type { BuildOptions, BuildResult } from './api.ts';
import type { BuildContext } from './context.ts';
import { emitResource } from './emit.ts';
import { diskFs, type Fs } from './fs.ts';
import { hashResource } from './generators/hash.ts';
import { Loader } from './loader.ts';
import { noteUnknownScope, resetCustomSchema, setCustomSchema } from './patching.ts';
import { setUnknownScopeListener } from './resid.ts';
import { ANNO } from './resource.ts';
import { Target } from './target.ts';
import { fixNameReferences } from './transformers/nameref.ts';
import { resolveVars } from './transformers/refvar.ts';
import { transformMapEntries } from './transformers/simple.ts';
import { sortByOptions, sortLegacy } from './transformers/sort.ts';
import { kustomizeVersion, setKustomizeVersion } from './version.ts';

export type { BuildOptions, BuildResult, Origin, Resource } from './api.ts';

export function build(dir: string, options: BuildOptions = {}, fs: Fs = diskFs): BuildResult {
  const ctx: BuildContext = { options, warnings: [] };
  try {
    return buildWith(ctx, dir, options, fs);
  } catch (err) {
    // kustomize prints its warnings as it meets them, so those met before a failure still show
    if (err instanceof SourceError) err.warnings = ctx.warnings;
    throw err;
  }
}

function buildWith(ctx: BuildContext, dir: string, options: BuildOptions, fs: Fs): BuildResult {
  resetCustomSchema();
  setKustomizeVersion(options.kustomizeVersion);
  setUnknownScopeListener(noteUnknownScope);
  const ldr = Loader.atRoot(fs, dir, options.loadRestrictor ?? 'LoadRestrictionsRootOnly');
  const kt = new Target(ldr, ctx);
  if ((kt.k.buildMetadata ?? []).length > 0) kt.origin = '';
  const api = kt.k.openapi ?? {};
  setCustomSchema(
    api.path ? ldr.load(api.path, kt.kfile) : undefined,
    api.path ? ldr.display(api.path) : kt.kfile,
    api.version,
    true,
  );
  const ra = kt.accumulate();
  const m = ra.resMap;

  for (const r of m.list) {
    if (!r.needHashSuffix()) continue;
    const h = hashResource(r.obj);
    r.storePreviousId();
    r.setName(`${r.getName()}-${h}`);
  }
  fixNameReferences(m, ra.config.nameReference);
  resolveVars(m, ra.vars, ra.config.varReference, ctx.warnings);
  m.list = m.list.filter((r) => {
    const v = r.getAnnotations()['config.kubernetes.io/local-config'];
    return v === undefined || v === 'false';
  });

  if (kt.k.sortOptions) {
    if (options.reorder) {
      ctx.warnings.push(
        "Warning: Sorting order is set both in 'kustomization.yaml' ('sortOptions') and in a CLI flag ('--reorder'). Using the kustomization file over the CLI flag.",
      );
    }
    sortByOptions(m, kt.k.sortOptions, kt.kfile);
  } else if (options.reorder !== 'none') {
    sortLegacy(m);
  }
  const buildMetadata = kt.k.buildMetadata ?? [];
  if (options.enableManagedByLabel || buildMetadata.includes('managedByLabel')) {
    transformMapEntries(m, { 'app.kubernetes.io/managed-by': `kustomize-v${kustomizeVersion()}` }, [
      { path: 'metadata/labels', create: true },
    ]);
  }
  for (const r of m.list) r.removeBuildAnnotations();
  for (const r of m.list) {
    const a = r.getAnnotations();
    if (!buildMetadata.includes('originAnnotations')) delete a[ANNO.origin];
    r.setAnnotations(a);
  }
  for (const r of m.list) {
    const a = r.getAnnotations();
    if (!buildMetadata.includes('transformerAnnotations')) delete a[ANNO.transformations];
    r.setAnnotations(a);
  }
  const yaml = m.list.map((r) => emitResource(r.obj)).join('---\n');
  return {
    resources: m.list.map((r) => ({ object: r.obj, origin: r.origin })),
    yaml,
    warnings: ctx.warnings,
    usedHelm: ctx.usedHelm === true,
  };
}

export { SourceError };
