// Merge requests for a pushed deploy branch: GitLab through @gitbeaker/rest, GitHub through
// @octokit/rest. An open one for the same branch is updated, never duplicated. Tokens come from
// the environment and never appear in output or errors.
import { SourceError } from '../errors.ts';

export interface MergeRequestInput {
  provider: 'gitlab' | 'github';
  sourceBranch: string;
  targetBranch: string;
  title: string;
  description: string;
  autoMerge: boolean;
  env?: NodeJS.ProcessEnv;
}

export interface MergeRequestResult {
  url: string;
  id: string;
  created: boolean;
}

function redact(text: string, secrets: (string | undefined)[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 4) out = out.split(s).join('***');
  return out;
}

function apiError(provider: string, err: unknown, secrets: (string | undefined)[]): SourceError {
  const e = err as {
    status?: number;
    message?: string;
    cause?: { response?: { status?: number } };
    response?: { status?: number };
  };
  const status = e.status ?? e.cause?.response?.status ?? e.response?.status;
  const what =
    status === 401
      ? 'the token was refused (401)'
      : status === 403
        ? 'the token may not do this (403)'
        : `${status ?? 'error'}`;
  return new SourceError(
    'MERGE_REQUEST',
    `${provider} API: ${what}: ${redact(e.message ?? String(err), secrets)}`,
    {
      hint:
        provider === 'gitlab'
          ? 'set GITLAB_TOKEN (api scope) or run inside GitLab CI (CI_JOB_TOKEN); CI_SERVER_URL and CI_PROJECT_ID name the project'
          : 'set GITHUB_TOKEN with pull-requests: write; GITHUB_REPOSITORY names the repository',
    },
  );
}

export async function openMergeRequest(input: MergeRequestInput): Promise<MergeRequestResult> {
  const env = input.env ?? process.env;
  if (input.provider === 'gitlab') {
    const token = env.GITLAB_TOKEN;
    const jobToken = token ? undefined : env.CI_JOB_TOKEN;
    const host = env.CI_SERVER_URL ?? env.GITLAB_URL;
    const projectId = env.CI_PROJECT_ID ?? env.GITLAB_PROJECT;
    if (!host || !projectId || (!token && !jobToken))
      throw new SourceError(
        'MERGE_REQUEST',
        'GitLab needs CI_SERVER_URL, CI_PROJECT_ID and GITLAB_TOKEN (or CI_JOB_TOKEN)',
        {
          hint: 'inside GitLab CI these are set; elsewhere export them',
        },
      );
    const secrets = [token, jobToken];
    try {
      const { Gitlab } = await import('@gitbeaker/rest');
      const api = token ? new Gitlab({ host, token }) : new Gitlab({ host, jobToken: jobToken as string });
      const open = (await api.MergeRequests.all({
        projectId,
        sourceBranch: input.sourceBranch,
        state: 'opened',
      })) as {
        iid: number;
        web_url: string;
      }[];
      let mr: { iid: number; web_url: string };
      let created = false;
      if (open[0]) {
        mr = (await api.MergeRequests.edit(projectId, open[0].iid, {
          title: input.title,
          description: input.description,
        })) as typeof mr;
      } else {
        mr = (await api.MergeRequests.create(projectId, input.sourceBranch, input.targetBranch, input.title, {
          description: input.description,
          removeSourceBranch: true,
        })) as typeof mr;
        created = true;
      }
      if (input.autoMerge)
        await api.MergeRequests.accept(projectId, mr.iid, {
          mergeWhenPipelineSucceeds: true,
          shouldRemoveSourceBranch: true,
        });
      return { url: mr.web_url, id: `!${mr.iid}`, created };
    } catch (err) {
      throw apiError('GitLab', err, secrets);
    }
  }
  const token = env.GITHUB_TOKEN;
  const [owner, repo] = (env.GITHUB_REPOSITORY ?? '').split('/');
  if (!token || !owner || !repo)
    throw new SourceError('MERGE_REQUEST', 'GitHub needs GITHUB_TOKEN and GITHUB_REPOSITORY (owner/name)', {
      hint: 'inside GitHub Actions these are set; elsewhere export them',
    });
  try {
    const { Octokit } = await import('@octokit/rest');
    const octokit = new Octokit({ auth: token, baseUrl: env.GITHUB_API_URL ?? 'https://api.github.com' });
    const open = await octokit.pulls.list({
      owner,
      repo,
      head: `${owner}:${input.sourceBranch}`,
      state: 'open',
    });
    let pr: { number: number; html_url: string; node_id: string };
    let created = false;
    if (open.data[0]) {
      pr = (
        await octokit.pulls.update({
          owner,
          repo,
          pull_number: open.data[0].number,
          title: input.title,
          body: input.description,
        })
      ).data;
    } else {
      pr = (
        await octokit.pulls.create({
          owner,
          repo,
          head: input.sourceBranch,
          base: input.targetBranch,
          title: input.title,
          body: input.description,
        })
      ).data;
      created = true;
    }
    if (input.autoMerge)
      await octokit.graphql(
        'mutation($id: ID!) { enablePullRequestAutoMerge(input: {pullRequestId: $id, mergeMethod: MERGE}) { clientMutationId } }',
        { id: pr.node_id },
      );
    return { url: pr.html_url, id: `#${pr.number}`, created };
  } catch (err) {
    throw apiError('GitHub', err, [token]);
  }
}
