// The bump flow on real git: a copy of this repository as a working clone of a bare remote.
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTrailers } from '../../../scripts/lib/audit/history.ts';
import { verify } from '../../../scripts/lib/audit/index.ts';
import { readImages, setImage } from '../../../scripts/lib/bump/edit.ts';
import { type BumpRequest, git, runBump } from '../../../scripts/lib/bump/flow.ts';
import { openMergeRequest } from '../../../scripts/lib/bump/mr.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const gitEnv = {
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_AUTHOR_NAME: 'Platform Engineer',
  GIT_AUTHOR_EMAIL: 'pe@example.com',
  GIT_COMMITTER_NAME: 'Platform Engineer',
  GIT_COMMITTER_EMAIL: 'pe@example.com',
};
Object.assign(process.env, gitEnv);

const SALES = 'registry.dw.example.com/dw/dags-sales';
const digest = (c: string) => `sha256:${c.repeat(64)}`;

/** A bare remote holding this repository's manifests on main, and a clone of it. */
function setup(): { remote: string; clone: string } {
  const seed = mkdtempSync(join(tmpdir(), 'gitops-bump-seed-'));
  for (const d of ['base', 'overlays', 'clusters', 'policies'])
    cpSync(join(root, d), join(seed, d), { recursive: true });
  git(seed, ['init', '-q', '-b', 'main']);
  git(seed, ['add', '-A']);
  git(seed, ['commit', '-q', '-m', 'initial layout']);
  const remote = mkdtempSync(join(tmpdir(), 'gitops-bump-remote-'));
  git(remote, ['init', '-q', '--bare', '-b', 'main']);
  git(seed, ['push', '-q', remote, 'main']);
  const clone = mkdtempSync(join(tmpdir(), 'gitops-bump-clone-'));
  git(clone, ['clone', '-q', remote, '.']);
  return { remote, clone };
}

function request(clone: string, over: Partial<BumpRequest>): BumpRequest {
  return {
    repoRoot: clone,
    env: 'dev',
    changes: [{ image: SALES, tag: '2026.11.25-0000001' }],
    push: true,
    targetBranch: 'main',
    allowDowngrade: false,
    dryRun: false,
    digestRequired: ['prod'],
    pipelineId: '100',
    pipelineUrl: 'https://gitlab.example.com/dw/sales/-/pipelines/100',
    sourceCommit: 'abc1234',
    log: () => {},
    ...over,
  };
}

const state = (dir: string) => ({
  head: git(dir, ['rev-parse', 'HEAD']).out.trim(),
  status: git(dir, ['status', '--porcelain']).out,
  branches: git(dir, ['branch', '--list']).out,
});

describe('the images: edit', () => {
  it('changes only the value, keeping comments, quoting and order', () => {
    const text = readFileSync(join(root, 'overlays/prod/kustomization.yaml'), 'utf8');
    const out = setImage(text, 'k', SALES, { newTag: '2026.11.25-aaaaaaa', digest: digest('a') });
    const a = text.split('\n');
    const b = out.split('\n');
    expect(b.length).toBe(a.length);
    expect(b.filter((l, i) => l !== a[i])).toEqual([
      '    newTag: 2026.11.25-aaaaaaa',
      `    digest: ${digest('a')}`,
    ]);
    expect(readImages(out, 'k').find((e) => e.name === SALES)).toEqual({
      name: SALES,
      newName: undefined,
      newTag: '2026.11.25-aaaaaaa',
      digest: digest('a'),
    });
  });

  it('adds a missing entry and a missing images: list', () => {
    const withEntry = setImage('images:\n  # ours\n  - name: a\n    newTag: "1"\nreplicas: []\n', 'k', 'b', {
      newTag: '2',
    });
    expect(withEntry).toBe(
      'images:\n  # ours\n  - name: a\n    newTag: "1"\n  - name: b\n    newTag: "2"\nreplicas: []\n',
    );
    expect(setImage('resources: [x]\n', 'k', 'b', { newTag: 'v1.0' })).toBe(
      'resources: [x]\nimages:\n- name: b\n  newTag: v1.0\n',
    );
  });
});

describe('bump-image', () => {
  let remote: string;
  let clone: string;
  beforeAll(() => {
    ({ remote, clone } = setup());
  });

  it('refuses bad references, latest, and tags alone in prod', async () => {
    await expect(runBump(request(clone, { changes: [{ image: SALES, tag: 'latest' }] }))).rejects.toThrow(
      /refusing the tag "latest"/,
    );
    await expect(
      runBump(request(clone, { changes: [{ image: 'Registry/UPPER', tag: '1' }] })),
    ).rejects.toThrow(/not a valid image name/);
    await expect(
      runBump(request(clone, { changes: [{ image: SALES, digest: 'sha256:xyz' }] })),
    ).rejects.toThrow(/not a sha256 digest/);
    await expect(runBump(request(clone, { env: 'prod' }))).rejects.toThrow(
      /prod requires images pinned by digest/,
    );
  });

  it('commits the change with auditable trailers and pushes it; the audit verifies it', async () => {
    const r = await runBump(request(clone, {}));
    expect(r.status).toBe('committed');
    const remoteHead = git(remote, ['rev-parse', 'main']).out.trim();
    expect(remoteHead).toBe(r.commit);
    const msg = git(remote, ['log', '-1', '--format=%B', 'main']).out;
    expect(msg.split('\n')[0]).toBe('deploy(dev): dags-sales 2026.11.24-d41e9a0 -> 2026.11.25-0000001');
    const t = parseTrailers(msg);
    expect(t.Environment).toEqual(['dev']);
    expect(t.Image).toEqual([`${SALES}:2026.11.25-0000001`]);
    expect(t.Previous).toEqual([`${SALES}:2026.11.24-d41e9a0`]);
    expect(t['Source-Pipeline']).toEqual(['https://gitlab.example.com/dw/sales/-/pipelines/100']);
    expect(t['Image-Order']).toEqual(['pipeline:100']);
    expect(t['Rendered-Digest']?.[0]).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(t['Checked-By']?.[0]).toMatch(/^airflow-gitops@\S+ policies:sha256:[0-9a-f]{64}$/);
    expect(msg).toContain('Check: check: 1 environment');
    // only the overlay's kustomization changed, by one line
    const diff = git(remote, ['diff', '--numstat', 'main~1', 'main']).out.trim();
    expect(diff).toBe('1\t1\toverlays/dev/kustomization.yaml');
    git(clone, ['pull', '-q', 'origin', 'main']);
    expect(verify(clone).mismatches).toEqual([]);
  });

  it('the same value again is up to date, an older pipeline is superseded', async () => {
    const before = git(remote, ['rev-parse', 'main']).out.trim();
    expect((await runBump(request(clone, {}))).status).toBe('up-to-date');
    const older = await runBump(
      request(clone, { pipelineId: '99', changes: [{ image: SALES, tag: '2026.11.24-0000000' }] }),
    );
    expect(older.status).toBe('superseded');
    expect(git(remote, ['rev-parse', 'main']).out.trim()).toBe(before);
    const forced = await runBump(
      request(clone, {
        pipelineId: '99',
        allowDowngrade: true,
        changes: [{ image: SALES, tag: '2026.11.24-0000000' }],
      }),
    );
    expect(forced.status).toBe('committed');
  });

  it('a failing check leaves the repository exactly as it was', async () => {
    git(clone, ['pull', '-q', 'origin', 'main']);
    const before = state(clone);
    const remoteBefore = git(remote, ['rev-parse', 'main']).out.trim();
    const r = await runBump(
      request(clone, {
        pipelineId: '200',
        changes: [{ image: SALES, newName: 'docker.io/library/busybox', tag: '1.36' }],
      }),
    );
    expect(r.status).toBe('check-failed');
    expect(r.report).toContain('init-containers');
    expect(state(clone)).toEqual(before);
    expect(git(remote, ['rev-parse', 'main']).out.trim()).toBe(remoteBefore);
    expect(git(clone, ['worktree', 'list']).out.trim().split('\n')).toHaveLength(1);
  });

  it('a rejected push fails clearly and leaves the clone whole', async () => {
    const { remote: r2, clone: c2 } = setup();
    writeFileSync(join(r2, 'hooks', 'pre-receive'), '#!/bin/sh\necho "protected branch" >&2\nexit 1\n', {
      mode: 0o755,
    });
    const before = state(c2);
    await expect(runBump(request(c2, { maxAttempts: 2 }))).rejects.toThrow(/push to origin main failed/);
    expect(state(c2)).toEqual(before);
  });

  it('ten bumps at once against one remote all land', async () => {
    const { remote: r3, clone: base } = setup();
    const images = Array.from({ length: 10 }, (_, i) => `registry.dw.example.com/dw/dags-p${i}`);
    const clones = images.map(() => {
      const c = mkdtempSync(join(tmpdir(), 'gitops-bump-par-'));
      git(c, ['clone', '-q', r3, '.']);
      return c;
    });
    void base;
    const run = promisify(execFile);
    const bin = join(root, 'node_modules', '.bin', 'gitops');
    await Promise.all(
      clones.map((c, i) =>
        run(
          bin,
          [
            'bump-image',
            '--env',
            'dev',
            '--image',
            images[i] as string,
            '--tag',
            `1.0.${i}`,
            '--pipeline-id',
            String(300 + i),
            '--push',
            '--target-branch',
            'main',
          ],
          {
            cwd: c,
            env: { ...process.env, ...gitEnv },
          },
        ),
      ),
    );
    const final = git(r3, ['show', 'main:overlays/dev/kustomization.yaml']).out;
    const entries = readImages(final, 'k');
    for (const [i, img] of images.entries())
      expect(entries.find((e) => e.name === img)?.newTag).toBe(`1.0.${i}`);
    expect(git(r3, ['rev-list', '--count', 'main']).out.trim()).toBe('11');
  }, 120_000);
});

describe('merge requests through the real client libraries', () => {
  async function server(handler: (req: IncomingMessage, body: string) => { status: number; body: unknown }) {
    const seen: string[] = [];
    const s = createServer(async (req: IncomingMessage, res: ServerResponse) => {
      let body = '';
      for await (const c of req) body += c;
      seen.push(`${req.method} ${req.url?.split('?')[0]}`);
      const out = handler(req, body);
      res.writeHead(out.status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(out.body));
    });
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
    return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, seen, close: () => s.close() };
  }

  it('GitLab: creates once, then updates the open one, and sets auto-merge', async () => {
    let open: unknown[] = [];
    const srv = await server((req, body) => {
      if (req.method === 'GET') return { status: 200, body: open };
      if (req.method === 'POST') {
        const mr = {
          iid: 7,
          web_url: 'https://gitlab.example.com/p/-/merge_requests/7',
          ...JSON.parse(body),
        };
        open = [mr];
        return { status: 201, body: mr };
      }
      return { status: 200, body: { iid: 7, web_url: 'https://gitlab.example.com/p/-/merge_requests/7' } };
    });
    const env = { CI_SERVER_URL: srv.url, CI_PROJECT_ID: '42', GITLAB_TOKEN: 'glpat-secret-token' };
    const input = {
      provider: 'gitlab' as const,
      sourceBranch: 'deploy/dev/x-1',
      targetBranch: 'main',
      title: 't',
      description: 'd',
      autoMerge: true,
      env,
    };
    expect(await openMergeRequest(input)).toEqual({
      url: 'https://gitlab.example.com/p/-/merge_requests/7',
      id: '!7',
      created: true,
    });
    expect((await openMergeRequest(input)).created).toBe(false);
    expect(srv.seen).toEqual([
      'GET /api/v4/projects/42/merge_requests',
      'POST /api/v4/projects/42/merge_requests',
      'PUT /api/v4/projects/42/merge_requests/7/merge',
      'GET /api/v4/projects/42/merge_requests',
      'PUT /api/v4/projects/42/merge_requests/7',
      'PUT /api/v4/projects/42/merge_requests/7/merge',
    ]);
    srv.close();
  });

  it('GitHub: creates the pull request and enables auto-merge; errors never show the token', async () => {
    const srv = await server((req) => {
      if (req.method === 'GET') return { status: 200, body: [] };
      if (req.url === '/graphql')
        return { status: 200, body: { data: { enablePullRequestAutoMerge: { clientMutationId: null } } } };
      return {
        status: 201,
        body: { number: 12, html_url: 'https://github.com/o/r/pull/12', node_id: 'PR_1' },
      };
    });
    const env = { GITHUB_API_URL: srv.url, GITHUB_REPOSITORY: 'o/r', GITHUB_TOKEN: 'ghp_secret_token_1' };
    const input = {
      provider: 'github' as const,
      sourceBranch: 'deploy/dev/x-1',
      targetBranch: 'main',
      title: 't',
      description: 'd',
      autoMerge: true,
      env,
    };
    expect(await openMergeRequest(input)).toEqual({
      url: 'https://github.com/o/r/pull/12',
      id: '#12',
      created: true,
    });
    expect(srv.seen).toEqual(['GET /repos/o/r/pulls', 'POST /repos/o/r/pulls', 'POST /graphql']);
    srv.close();
    const denied = await server(() => ({
      status: 401,
      body: { message: 'Bad credentials ghp_secret_token_1' },
    }));
    const err = await openMergeRequest({ ...input, env: { ...env, GITHUB_API_URL: denied.url } }).catch(
      (e: Error) => e,
    );
    expect((err as Error).message).toMatch(/^GitHub API: the token was refused \(401\)/);
    expect((err as Error).message).not.toContain('ghp_secret_token_1');
    denied.close();
  });
});

describe('capacity in the merge request', () => {
  it('an image bump leaves the capacity figures alone, so the merge request shows none', async () => {
    const { clone } = setup();
    const plain = await runBump(request(clone, { dryRun: true }));
    expect(plain.status).toBe('dry-run');
    expect(plain.capacityDiff).toBeUndefined();
  });
});

describe('an interrupted run', () => {
  it('killed during the push: the clone is whole and the next bump lands', async () => {
    const { remote, clone } = setup();
    // a remote that takes its time accepting pushes
    writeFileSync(join(remote, 'hooks', 'pre-receive'), '#!/bin/sh\nsleep 20\n', { mode: 0o755 });
    const before = state(clone);
    const bin = join(root, 'node_modules', '.bin', 'gitops');
    const { spawn } = await import('node:child_process');
    const child = spawn(
      bin,
      [
        'bump-image',
        '--env',
        'dev',
        '--image',
        SALES,
        '--tag',
        '9.9.9',
        '--pipeline-id',
        '900',
        '--push',
        '--target-branch',
        'main',
      ],
      {
        cwd: clone,
        env: { ...process.env, ...gitEnv },
        stdio: 'ignore',
      },
    );
    const exited = new Promise((r) => child.on('exit', r));
    // wait until the push is under way (the hook runs), then kill the whole run
    for (let i = 0; i < 200 && !existsInWorktrees(clone); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGKILL');
    await exited;
    expect(state(clone)).toEqual(before);
    const { rmSync } = await import('node:fs');
    rmSync(join(remote, 'hooks', 'pre-receive'));
    const r = await runBump(
      request(clone, { pipelineId: '901', changes: [{ image: SALES, tag: '9.9.10' }] }),
    );
    expect(r.status).toBe('committed');
    expect(git(clone, ['worktree', 'list']).out.trim().split('\n')).toHaveLength(1);
  }, 60_000);
});

function existsInWorktrees(clone: string): boolean {
  return git(clone, ['worktree', 'list'], { allowFail: true }).out.trim().split('\n').length > 1;
}
