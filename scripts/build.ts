// `gitops build DIR`: prints what `kustomize build DIR` prints, rendered in-process.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { SourceError } from './lib/errors.ts';
import type { BuildOptions } from './lib/kustomize/api.ts';
import { build } from './lib/kustomize/index.ts';

const USAGE = `usage: gitops build DIR [--load-restrictor LoadRestrictionsRootOnly|LoadRestrictionsNone]
                    [--enable-helm] [--helm-command PATH] [--reorder legacy|none]
                    [--enable-managedby-label] [--output DIR|FILE]`;

export function parseBuildArgs(argv: string[]): { dir: string; options: BuildOptions; output?: string } {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'load-restrictor': { type: 'string' },
        'load_restrictor': { type: 'string' },
        'enable-helm': { type: 'boolean' },
        'helm-command': { type: 'string' },
        reorder: { type: 'string' },
        'enable-managedby-label': { type: 'boolean' },
        'enable-alpha-plugins': { type: 'boolean' },
        'enable-exec': { type: 'boolean' },
        output: { type: 'string', short: 'o' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (err) {
    throw new SourceError('USAGE', (err as Error).message, { hint: USAGE });
  }
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v['enable-exec']) throw new SourceError('PLUGIN_REFUSED', 'exec functions are refused: this build runs no external programs');
  const restrictor = (v['load-restrictor'] ?? v.load_restrictor ?? 'LoadRestrictionsRootOnly') as string;
  if (restrictor !== 'LoadRestrictionsRootOnly' && restrictor !== 'LoadRestrictionsNone') {
    throw new SourceError('USAGE', `illegal flag value --load-restrictor ${restrictor}; legal values: [LoadRestrictionsNone LoadRestrictionsRootOnly]`);
  }
  const reorder = v.reorder as string | undefined;
  if (reorder !== undefined && reorder !== 'legacy' && reorder !== 'none') {
    throw new SourceError('USAGE', `illegal flag value --reorder ${reorder}; legal values: [legacy none]`);
  }
  if (parsed.positionals.length > 1) throw new SourceError('USAGE', 'specify one path to a kustomization directory', { hint: USAGE });
  return {
    dir: parsed.positionals[0] ?? '.',
    output: v.output as string | undefined,
    options: {
      loadRestrictor: restrictor,
      enableHelm: v['enable-helm'] === true,
      helmCommand: v['helm-command'] as string | undefined,
      reorder: reorder as BuildOptions['reorder'],
      enableManagedByLabel: v['enable-managedby-label'] === true,
    },
  };
}

export async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { dir, options, output } = parseBuildArgs(argv);
  const result = build(dir, options);
  for (const w of result.warnings) process.stderr.write(`${w}\n`);
  if (options.reorder) process.stderr.write('Flag --reorder has been deprecated, use the \'sortOptions\' field in kustomization file.\n');
  if (options.enableManagedByLabel) process.stderr.write('Flag --enable-managedby-label has been deprecated, use the \'managedByLabel\' option in the \'buildMetadata\' field instead.\n');
  if (output) {
    writeOutput(output, result.yaml, result.resources.map((r) => r.object));
    return 0;
  }
  process.stdout.write(result.yaml);
  return 0;
}

function writeOutput(output: string, yaml: string, objects: Record<string, unknown>[]): void {
  let isDir = false;
  try {
    isDir = (require('node:fs') as typeof import('node:fs')).statSync(output).isDirectory();
  } catch {
    isDir = false;
  }
  if (!isDir) {
    writeFileSync(output, yaml);
    return;
  }
  mkdirSync(output, { recursive: true });
  const docs = yaml.split(/^---\n/m);
  objects.forEach((o, i) => {
    const md = (o.metadata ?? {}) as Record<string, unknown>;
    const name = `${String(o.apiVersion ?? '').replace('/', '_')}_${String(o.kind ?? '').toLowerCase()}_${String(md.name ?? '')}.yaml`;
    writeFileSync(join(output, name), docs[i] ?? '');
  });
}
