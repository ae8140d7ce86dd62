// Flags shared by `gitops bump-image` and `gitops promote`, with defaults from the CI's variables
// (GitLab and GitHub), and the run that follows: flow, merge request, wait.
import { SourceError } from '../errors.ts';
import { type BumpRequest, type BumpResult, runBump } from './flow.ts';
import { openMergeRequest } from './mr.ts';

export const COMMON_OPTIONS = {
  'source-commit': { type: 'string' },
  'pipeline-url': { type: 'string' },
  'pipeline-id': { type: 'string' },
  'build-time': { type: 'string' },
  push: { type: 'boolean' },
  'target-branch': { type: 'string' },
  'base-branch': { type: 'string' },
  'merge-request': { type: 'string' },
  'auto-merge': { type: 'boolean' },
  'allow-downgrade': { type: 'boolean' },
  'dry-run': { type: 'boolean' },
  wait: { type: 'boolean' },
  timeout: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

export type CommonValues = Record<string, string | boolean | undefined>;

export function ciDefaults(v: CommonValues, env: NodeJS.ProcessEnv = process.env): Partial<BumpRequest> {
  const ghRun =
    env.GITHUB_RUN_ID && env.GITHUB_REPOSITORY
      ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  const authorName = env.GITLAB_USER_NAME ?? env.GITHUB_ACTOR;
  const authorEmail =
    env.GITLAB_USER_EMAIL ?? (env.GITHUB_ACTOR ? `${env.GITHUB_ACTOR}@users.noreply.github.com` : undefined);
  return {
    sourceCommit: (v['source-commit'] as string | undefined) ?? env.CI_COMMIT_SHA ?? env.GITHUB_SHA,
    pipelineUrl: (v['pipeline-url'] as string | undefined) ?? env.CI_PIPELINE_URL ?? ghRun,
    pipelineId: (v['pipeline-id'] as string | undefined) ?? env.CI_PIPELINE_ID ?? env.GITHUB_RUN_ID,
    buildTime: v['build-time'] as string | undefined,
    author: authorName && authorEmail ? { name: authorName, email: authorEmail } : undefined,
    digestRequired: (env.GITOPS_DIGEST_REQUIRED_ENVS ?? 'prod').split(/[ ,]+/).filter(Boolean),
  };
}

export async function runAndReport(req: BumpRequest, v: CommonValues): Promise<number> {
  const provider = v['merge-request'] as string | undefined;
  if (provider !== undefined && provider !== 'gitlab' && provider !== 'github')
    throw new SourceError('USAGE', `--merge-request must be gitlab or github, not "${provider}"`);
  if (provider && !req.push)
    throw new SourceError('USAGE', '--merge-request needs --push (the branch must exist on the remote)');
  if (provider && req.targetBranch)
    throw new SourceError('USAGE', '--merge-request and --target-branch exclude each other', {
      hint: '--target-branch pushes straight onto a branch; --merge-request pushes a deploy branch and opens a merge request',
    });
  const result: BumpResult = await runBump(req);
  if (result.status === 'check-failed') return 1;
  if (result.status !== 'committed') return 0;
  if (provider && result.branch) {
    const target = req.baseBranch ?? process.env.CI_DEFAULT_BRANCH ?? 'main';
    const description = [
      result.subject,
      '',
      '### Rendered diff',
      '```',
      result.renderedDiff ?? '',
      '```',
      ...(result.capacityDiff ? ['### Capacity (a reference day)', result.capacityDiff, ''] : []),
      '### Check',
      '```',
      result.check?.report.trimEnd() ?? '',
      '```',
    ].join('\n');
    const mr = await openMergeRequest({
      provider,
      sourceBranch: result.branch,
      targetBranch: target,
      title: result.subject ?? result.branch,
      description,
      autoMerge: v['auto-merge'] === true,
    });
    process.stderr.write(`${mr.created ? 'opened' : 'updated'} merge request ${mr.id}: ${mr.url}\n`);
  }
  if (v.wait && req.targetBranch && req.push) {
    const { waitForEnv } = await import('../../wait.ts');
    return waitForEnv(req.repoRoot, {
      env: req.env ?? '',
      revision: result.commit,
      timeout: v.timeout as string | undefined,
    });
  }
  process.stdout.write(`${result.commit}\n`);
  return 0;
}
