// `gitops build DIR`: prints what `kustomize build DIR` prints, rendered in-process.
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine } from './lib/args.ts';
import { SourceError } from './lib/errors.ts';
import type { BuildOptions, BuildResult } from './lib/kustomize/api.ts';
import { build } from './lib/kustomize/index.ts';
import { effectiveNamespace, parseGroupVersion, TOTALLY_NOT_A_NAMESPACE } from './lib/kustomize/resid.ts';
import { DEFAULT_KUSTOMIZE_VERSION, parseKustomizeVersion } from './lib/kustomize/version.ts';

const USAGE = `usage: gitops build DIR [--load-restrictor LoadRestrictionsRootOnly|LoadRestrictionsNone]
                    [--enable-helm] [--helm-command PATH] [--reorder legacy|none]
                    [--enable-managedby-label] [--output DIR|FILE]
                    [--kustomize-version 5.8.1|5.7.1]`;

export function parseBuildArgs(argv: string[]): { dir: string; options: BuildOptions; output?: string } {
  const parsed = parseCommandLine(
    argv,
    {
      'load-restrictor': { type: 'string' },
      load_restrictor: { type: 'string' },
      'enable-helm': { type: 'boolean' },
      'helm-command': { type: 'string' },
      reorder: { type: 'string' },
      'enable-managedby-label': { type: 'boolean' },
      'enable-alpha-plugins': { type: 'boolean' },
      'enable-exec': { type: 'boolean' },
      output: { type: 'string', short: 'o' },
      'kustomize-version': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v['enable-exec'])
    throw new SourceError(
      'PLUGIN_REFUSED',
      'exec functions are refused: this build runs no external programs',
    );
  const restrictor = (v['load-restrictor'] ?? v.load_restrictor ?? 'LoadRestrictionsRootOnly') as string;
  if (restrictor !== 'LoadRestrictionsRootOnly' && restrictor !== 'LoadRestrictionsNone') {
    throw new SourceError(
      'USAGE',
      `illegal flag value --load-restrictor ${restrictor}; legal values: [LoadRestrictionsNone LoadRestrictionsRootOnly]`,
    );
  }
  const reorder = v.reorder as string | undefined;
  if (reorder !== undefined && reorder !== 'legacy' && reorder !== 'none') {
    throw new SourceError('USAGE', `illegal flag value --reorder ${reorder}; legal values: [legacy none]`);
  }
  if (parsed.positionals.length > 1)
    throw new SourceError('USAGE', 'specify one path to a kustomization directory', { hint: USAGE });
  return {
    dir: parsed.positionals[0] ?? '.',
    output: v.output as string | undefined,
    options: {
      loadRestrictor: restrictor,
      enableHelm: v['enable-helm'] === true,
      helmCommand: v['helm-command'] as string | undefined,
      reorder: reorder as BuildOptions['reorder'],
      enableManagedByLabel: v['enable-managedby-label'] === true,
      kustomizeVersion: parseKustomizeVersion(
        (v['kustomize-version'] as string | undefined) ?? DEFAULT_KUSTOMIZE_VERSION,
      ),
    },
  };
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { dir, options, output } = parseBuildArgs(argv);
  let result: ReturnType<typeof build>;
  try {
    result = build(dir, options);
  } catch (err) {
    if (err instanceof SourceError) for (const w of err.warnings ?? []) process.stderr.write(`${w}\n`);
    throw err;
  }
  for (const w of result.warnings) process.stderr.write(`${w}\n`);
  if (options.reorder)
    process.stderr.write(
      "Flag --reorder has been deprecated, use the 'sortOptions' field in kustomization file.\n",
    );
  if (options.enableManagedByLabel)
    process.stderr.write(
      "Flag --enable-managedby-label has been deprecated, use the 'managedByLabel' option in the 'buildMetadata' field instead.\n",
    );
  if (output) {
    writeOutput(output, result.yaml, result.resources);
    return 0;
  }
  process.stdout.write(result.yaml);
  return 0;
}

/** --output: a file gets the whole stream; a directory one file per object (kustomize's Writer). */
function writeOutput(output: string, yaml: string, resources: BuildResult['resources']): void {
  if (!existsSync(output) || !statSync(output).isDirectory()) {
    writeFileSync(output, yaml);
    return;
  }
  const docs = yaml.split(/^---\n/m);
  const items = resources.map((r, i) => {
    const o = r.object as Record<string, unknown>;
    const md = (o.metadata ?? {}) as Record<string, unknown>;
    const { group, version } = parseGroupVersion(String(o.apiVersion ?? ''));
    const gvk = { group, version, kind: String(o.kind ?? '') };
    const id = { ...gvk, name: String(md.name ?? ''), namespace: String(md.namespace ?? '') };
    const base = `${[group, version, gvk.kind].filter(Boolean).join('_')}_${id.name}`.toLowerCase();
    return { ns: effectiveNamespace(id), file: `${base}.yaml`, doc: docs[i] ?? '' };
  });
  const namespaces = new Set(items.filter((x) => x.ns !== TOTALLY_NOT_A_NAMESPACE).map((x) => x.ns));
  for (const x of items) {
    const prefix = x.ns !== TOTALLY_NOT_A_NAMESPACE && namespaces.size > 1 ? `${x.ns.toLowerCase()}_` : '';
    writeFileSync(join(output, prefix + x.file), x.doc);
  }
}
