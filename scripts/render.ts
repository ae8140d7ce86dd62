// `gitops render [ENV|OVERLAY...] [--out DIR]`: renders every overlay (or the named ones) in one
// process; to stdout, each overlay introduced by a comment, or one file per overlay under DIR.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine } from './lib/args.ts';
import { SourceError } from './lib/errors.ts';
import { DEFAULT_KUSTOMIZE_VERSION, parseKustomizeVersion } from './lib/kustomize/version.ts';
import { renderOverlays, selectOverlays } from './lib/render/overlays.ts';

const USAGE =
  'usage: gitops render [ENV|OVERLAY...] [--out DIR] [--enable-helm] [--kustomize-version 5.8.1|5.7.1]';

export async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(
    argv,
    {
      out: { type: 'string' },
      'enable-helm': { type: 'boolean' },
      'kustomize-version': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const overlays = selectOverlays(process.cwd(), parsed.positionals);
  if (overlays.length === 0)
    throw new SourceError('NO_OVERLAYS', 'no overlays to render', {
      hint: 'run from the repository root, which has overlays/<env>/kustomization.yaml',
    });
  const rendered = renderOverlays(overlays, {
    enableHelm: parsed.values['enable-helm'] === true,
    kustomizeVersion: parseKustomizeVersion(
      (parsed.values['kustomize-version'] as string | undefined) ?? DEFAULT_KUSTOMIZE_VERSION,
    ),
  });
  const out = parsed.values.out as string | undefined;
  if (out) {
    mkdirSync(out, { recursive: true });
    for (const r of rendered) {
      const file = join(out, `${r.env.replaceAll('/', '_')}.yaml`);
      // write then rename: a reader never sees a half-written file
      writeFileSync(`${file}.tmp`, r.result.yaml);
      renameSync(`${file}.tmp`, file);
    }
    process.stderr.write(`rendered ${rendered.length} overlay(s) into ${out}\n`);
    return 0;
  }
  for (const r of rendered) {
    if (rendered.length > 1) process.stdout.write(`# overlay: ${r.env}\n`);
    process.stdout.write(r.result.yaml);
    if (rendered.length > 1) process.stdout.write('---\n');
  }
  return 0;
}
