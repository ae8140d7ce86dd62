// `gitops promote --from ENV --to ENV [--image NAME]... [bump-image's flags]`: copies image versions
// (newName, tag, digest) from one environment's overlay to another's through the bump flow: one
// commit, checked, with trailers naming where they came from.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine } from './lib/args.ts';
import { COMMON_OPTIONS, ciDefaults, runAndReport } from './lib/bump/cli.ts';
import { readImages } from './lib/bump/edit.ts';
import { SourceError } from './lib/errors.ts';
import { KUSTOMIZATION_FILE_NAMES } from './lib/kustomize/kustomization.ts';

const USAGE = `usage: gitops promote --from ENV --to ENV [--image NAME]... [--push] [--target-branch BRANCH |
         --merge-request gitlab|github [--auto-merge]] [--allow-downgrade] [--dry-run] [--wait]`;

export async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(
    argv,
    {
      ...COMMON_OPTIONS,
      from: { type: 'string' },
      to: { type: 'string' },
      image: { type: 'string', multiple: true },
    },
    USAGE,
    false,
  );
  const v = parsed.values as Record<string, string | boolean | string[] | undefined>;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const from = v.from as string | undefined;
  const to = v.to as string | undefined;
  if (!from || !to || from === to)
    throw new SourceError('USAGE', 'promote needs --from ENV and --to ENV (different)', { hint: USAGE });
  const dir = join(process.cwd(), 'overlays', from);
  const file = KUSTOMIZATION_FILE_NAMES.map((f) => join(dir, f)).find((f) => existsSync(f));
  if (!file)
    throw new SourceError('UNKNOWN_ENV', `no overlay overlays/${from}`, {
      hint: 'run from the repository root',
    });
  const source = readImages(readFileSync(file, 'utf8'), `overlays/${from}`);
  const wanted = (v.image as string[] | undefined) ?? [];
  for (const w of wanted)
    if (!source.some((e) => e.name === w))
      throw new SourceError('UNKNOWN_IMAGE', `overlays/${from} pins no image "${w}"`, {
        hint: `its images: ${source.map((e) => e.name).join(', ')}`,
      });
  const changes = source
    .filter((e) => wanted.length === 0 || wanted.includes(e.name))
    .filter((e) => e.newTag !== undefined || e.digest !== undefined)
    .map((e) => ({ image: e.name, newName: e.newName, tag: e.newTag, digest: e.digest }));
  if (changes.length === 0)
    throw new SourceError('NOTHING_TO_PROMOTE', `overlays/${from} pins no image versions`);
  const common = v as Record<string, string | boolean | undefined>;
  return runAndReport(
    {
      repoRoot: process.cwd(),
      env: to,
      changes,
      push: v.push === true,
      targetBranch: v['target-branch'] as string | undefined,
      baseBranch: v['base-branch'] as string | undefined,
      allowDowngrade: v['allow-downgrade'] === true,
      dryRun: v['dry-run'] === true,
      promotedFrom: from,
      digestRequired: [],
      ...ciDefaults(common),
    },
    common,
  );
}
