// `gitops bump-image --env ENV|--overlay PATH --image NAME (--tag T | --digest sha256:... | both)
//   [--source-commit SHA] [--pipeline-url URL] [--pipeline-id N] [--push] [--target-branch BRANCH]
//   [--merge-request gitlab|github] [--auto-merge] [--allow-downgrade] [--dry-run] [--wait]`
// Changes one image in an overlay, proves the result passes the gate, commits with trailers,
// pushes and opens (or updates) the merge request. Exit 0: committed or already up to date;
// 1: the check failed (the repository is left as it was); 2: bad input.
import { parseCommandLine } from './lib/args.ts';
import { COMMON_OPTIONS, ciDefaults, runAndReport } from './lib/bump/cli.ts';
import { SourceError } from './lib/errors.ts';

const USAGE = `usage: gitops bump-image --env ENV|--overlay PATH --image NAME (--tag T | --digest sha256:... | both)
         [--source-commit SHA] [--pipeline-url URL] [--pipeline-id N] [--build-time ISO]
         [--push] [--target-branch BRANCH | --merge-request gitlab|github [--auto-merge]]
         [--allow-downgrade] [--dry-run] [--wait [--timeout 10m]]`;

export async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(
    argv,
    {
      ...COMMON_OPTIONS,
      env: { type: 'string' },
      overlay: { type: 'string' },
      image: { type: 'string' },
      'new-name': { type: 'string' },
      tag: { type: 'string' },
      digest: { type: 'string' },
    },
    USAGE,
    false,
  );
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!v.image) throw new SourceError('USAGE', 'bump-image needs --image NAME', { hint: USAGE });
  if (!v.env === !v.overlay)
    throw new SourceError('USAGE', 'give exactly one of --env ENV and --overlay PATH', { hint: USAGE });
  return runAndReport(
    {
      repoRoot: process.cwd(),
      env: v.env as string | undefined,
      overlay: v.overlay as string | undefined,
      changes: [
        {
          image: v.image as string,
          newName: v['new-name'] as string | undefined,
          tag: v.tag as string | undefined,
          digest: v.digest as string | undefined,
        },
      ],
      push: v.push === true,
      targetBranch: v['target-branch'] as string | undefined,
      baseBranch: v['base-branch'] as string | undefined,
      allowDowngrade: v['allow-downgrade'] === true,
      dryRun: v['dry-run'] === true,
      digestRequired: [],
      ...ciDefaults(v),
    },
    v,
  );
}
