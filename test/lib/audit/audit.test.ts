import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatLedger } from '../../../scripts/lib/audit/format.ts';
import { parseTrailers } from '../../../scripts/lib/audit/history.ts';
import {
  buildLedger,
  deployedAt,
  renderedDiff,
  renderedDigestOf,
  verify,
} from '../../../scripts/lib/audit/index.ts';
import { build } from '../../../scripts/lib/kustomize/index.ts';
import { gitRepo, type TestRepo } from '../../helpers/git.ts';
import { yaml } from '../../helpers/tmp.ts';

const base = {
  'base/kustomization.yaml': 'resources: [worker.yaml]\n',
  'base/worker.yaml': yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: worker}
    spec:
      selector: {matchLabels: {component: worker}}
      template:
        metadata: {labels: {component: worker}}
        spec:
          initContainers: [{name: dags-sales, image: registry.dw.example.com/dw/dags-sales}]
          containers: [{name: worker, image: apache/airflow}]
  `,
};

const overlay = (ns: string, sales: string) => yaml`
  namespace: ${ns}
  resources: [../../base]
  images:
    - name: apache/airflow
      newTag: 3.3.2
    # the sales project's DAG code
    - name: registry.dw.example.com/dw/dags-sales
      newTag: "${sales}"
`;

/** What the bump flow records: the trailers, with the digest of the overlay as rendered on disk. */
function bumpMessage(repo: TestRepo, env: string, from: string, to: string, extra = ''): string {
  const digest = renderedDigestOf([{ env, yaml: build(join(repo.dir, 'overlays', env)).yaml }]);
  return [
    `deploy(${env}): dags-sales ${from} -> ${to}`,
    '',
    'Rendered diff: 1 object changed.',
    '',
    `Environment: ${env}`,
    `Image: registry.dw.example.com/dw/dags-sales:${to}`,
    `Previous: registry.dw.example.com/dw/dags-sales:${from}`,
    'Source-Commit: 9f8e7d6c5b4a',
    'Source-Pipeline: https://gitlab.example.com/dw/sales/-/pipelines/4242',
    `Rendered-Digest: sha256:${extra || digest}`,
    'Checked-By: airflow-gitops@0.1.0 policies sha256:abc',
  ].join('\n');
}

let repo: TestRepo;
const c: Record<string, string> = {};

beforeAll(() => {
  repo = gitRepo(mkdtempSync(join(tmpdir(), 'gitops-audit-')));
  c.init = repo.commit(
    {
      ...base,
      'overlays/dev/kustomization.yaml': overlay('airflow-dev', '1.0'),
      'overlays/prod/kustomization.yaml': overlay('airflow-prod', '1.0'),
    },
    'initial layout',
    { date: '2026-01-01T00:00:00Z' },
  );
  // a bump through a merge request: the bump commit on a branch, merged with a merge commit
  repo.git('checkout', '-q', '-b', 'deploy/prod/dags-sales-1.1');
  repo.commit({ 'overlays/prod/kustomization.yaml': overlay('airflow-prod', '1.1') }, 'placeholder', {
    date: '2026-01-02T00:00:00Z',
    author: 'airflow-gitops-bot <bot@example.com>',
  });
  repo.gitAt(
    '2026-01-02T00:00:00Z',
    'commit',
    '-q',
    '--amend',
    '-m',
    bumpMessage(repo, 'prod', '1.0', '1.1'),
  );
  c.bump = repo.git('rev-parse', 'HEAD').trim();
  repo.git('checkout', '-q', 'main');
  repo.gitAt(
    '2026-01-02T01:00:00Z',
    'merge',
    '-q',
    '--no-ff',
    '-m',
    "Merge branch 'deploy/prod/dags-sales-1.1' into 'main'\n\nSee merge request dw/airflow-gitops!7",
    c.bump,
  );
  c.merge = repo.git('rev-parse', 'HEAD').trim();
  c.base = repo.commit(
    {
      'base/worker.yaml': base['base/worker.yaml'].replace(
        'metadata: {name: worker}',
        'metadata: {name: worker, labels: {tier: batch}}',
      ),
    },
    'label the worker',
    { date: '2026-01-03T00:00:00Z' },
  );
  c.hand = repo.commit(
    { 'overlays/prod/kustomization.yaml': overlay('airflow-prod', '1.2') },
    'quick fix in prod',
    {
      date: '2026-01-04T00:00:00Z',
      author: 'Someone <someone@example.com>',
    },
  );
  c.readme = repo.commit({ 'README.md': '# airflow\n' }, 'docs', { date: '2026-01-05T00:00:00Z' });
  // recorded digest that does not match what the commit renders (edited after the check)
  repo.commit({ 'overlays/dev/kustomization.yaml': overlay('airflow-dev', '1.3') }, 'placeholder', {
    date: '2026-01-06T00:00:00Z',
  });
  repo.gitAt(
    '2026-01-06T00:00:00Z',
    'commit',
    '-q',
    '--amend',
    '-m',
    bumpMessage(repo, 'dev', '1.0', '1.3', 'f'.repeat(64)),
  );
  c.bad = repo.git('rev-parse', 'HEAD').trim();
});

describe('ledger', () => {
  it('lists every change that altered a rendering, with who, when, images and the gate', () => {
    const ledger = buildLedger(repo.dir);
    const rows = ledger.entries.map((e) => [
      e.env,
      e.commit,
      e.check,
      e.images.map((i) => `${i.from} -> ${i.to}`).join(';'),
    ]);
    const img = (t: string) => `registry.dw.example.com/dw/dags-sales:${t}`;
    expect(rows).toEqual([
      ['dev', c.init, 'unverified', `null -> apache/airflow:3.3.2;null -> ${img('1.0')}`],
      ['prod', c.init, 'unverified', `null -> apache/airflow:3.3.2;null -> ${img('1.0')}`],
      ['prod', c.merge, 'passed', `${img('1.0')} -> ${img('1.1')}`],
      ['dev', c.base, 'unverified', ''],
      ['prod', c.base, 'unverified', ''],
      ['prod', c.hand, 'unverified', `${img('1.1')} -> ${img('1.2')}`],
      ['dev', c.bad, 'passed', `${img('1.0')} -> ${img('1.3')}`],
    ]);
    const merged = ledger.entries[2];
    expect(merged?.mergeRequest).toBe('dw/airflow-gitops!7');
    expect(merged?.pipeline).toBe('https://gitlab.example.com/dw/sales/-/pipelines/4242');
    expect(merged?.objects).toEqual({
      added: [],
      removed: [],
      changed: ['apps/v1 Deployment airflow-prod/worker'],
    });
    expect(ledger.entries[3]?.objects.changed).toEqual(['apps/v1 Deployment airflow-dev/worker']);
    expect(ledger.entries[5]?.author).toBe('Someone <someone@example.com>');
    // the README commit renders nothing new, and a prod-only change reuses dev's render
    expect(ledger.renders).toBeLessThan(ledger.commits * 2);
    expect(ledger.reused).toBeGreaterThan(0);
  });

  it('filters by environment, image and time', () => {
    expect(buildLedger(repo.dir, { env: 'dev' }).entries.map((e) => e.commit)).toEqual([
      c.init,
      c.base,
      c.bad,
    ]);
    expect(buildLedger(repo.dir, { image: 'dags-sales', env: 'prod' }).entries.map((e) => e.commit)).toEqual([
      c.init,
      c.merge,
      c.hand,
    ]);
    expect(
      buildLedger(repo.dir, {
        since: new Date('2026-01-03T00:00:00Z'),
        until: new Date('2026-01-04T12:00:00Z'),
      }).entries.map((e) => `${e.env}@${e.commit}`),
    ).toEqual([`dev@${c.base}`, `prod@${c.base}`, `prod@${c.hand}`]);
  });

  it('prints as table, markdown, csv and json', () => {
    const { entries } = buildLedger(repo.dir, { env: 'prod' });
    const table = formatLedger('table', entries).split('\n');
    expect(table[0]).toMatch(/^time\s+env\s+commit\s+author/);
    expect(table).toHaveLength(entries.length + 2);
    expect(formatLedger('markdown', entries).split('\n')[1]).toMatch(/^\| --- \|/);
    const csv = formatLedger('csv', entries).split('\r\n');
    expect(csv[2]).toContain('dw/airflow-gitops!7');
    expect(JSON.parse(formatLedger('json', entries)).entries).toHaveLength(entries.length);
  });
});

describe('audit at, diff, verify', () => {
  it('tells what was deployed at a moment', () => {
    const at = deployedAt(repo.dir, 'prod', new Date('2026-01-02T12:00:00Z'));
    expect(at.commit).toBe(c.merge);
    expect(at.images.find((i) => i.name.endsWith('dags-sales'))?.refs).toEqual([
      'registry.dw.example.com/dw/dags-sales:1.1',
    ]);
    expect(() => deployedAt(repo.dir, 'prod', new Date('2025-01-01T00:00:00Z'))).toThrow(
      /nothing was committed/,
    );
  });

  it('diffs the rendered objects between two points', () => {
    const d = renderedDiff(repo.dir, 'prod', c.init as string, c.base as string);
    expect(d.changed.map((x) => x.key)).toEqual(['apps/v1 Deployment airflow-prod/worker']);
    expect(d.changed[0]?.diff).toContain('+      "tier": "batch"');
    expect(d.changed[0]?.diff).toContain('-            "image": "registry.dw.example.com/dw/dags-sales:1.0"');
    expect(() => renderedDiff(repo.dir, 'prod', 'nope', 'HEAD')).toThrow(/not a commit/);
  });

  it('re-renders recorded deployments from git objects and reports mismatches', () => {
    const r = verify(repo.dir);
    expect(r.checked).toBe(2);
    expect(r.mismatches.map((m) => m.commit)).toEqual([c.bad]);
    expect(r.mismatches[0]?.recorded).toBe('f'.repeat(64));
    expect(verify(repo.dir, { since: new Date('2026-01-05T00:00:00Z') }).checked).toBe(1);
  });
});

describe('trailers', () => {
  it('reads the last paragraph only when every line is a trailer', () => {
    expect(parseTrailers('s\n\nbody\n\nEnvironment: prod\nImage: a:1\n')).toEqual({
      Environment: ['prod'],
      Image: ['a:1'],
    });
    expect(parseTrailers('s\n\nNot a trailer here\nImage: a')).toEqual({});
    expect(parseTrailers('subject only: yes')).toEqual({});
  });
});
