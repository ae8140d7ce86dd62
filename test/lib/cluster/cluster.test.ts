import { cpSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { connect } from '../../../scripts/lib/cluster/client.ts';
import {
  appStatus,
  drift,
  environments,
  fetchApplication,
  formatDrift,
  waitFor,
} from '../../../scripts/lib/cluster/view.ts';
import { type FakeKube, fakeKube, status } from '../../helpers/fake-kube.ts';
import { gitRepo } from '../../helpers/git.ts';
import { writeTree, yaml } from '../../helpers/tmp.ts';

const repo = writeTree({
  'base/kustomization.yaml': 'resources: [worker.yaml, scaledobject.yaml]\n',
  'base/worker.yaml': yaml`
    apiVersion: apps/v1
    kind: Deployment
    metadata: {name: worker, labels: {component: worker}}
    spec:
      selector: {matchLabels: {component: worker}}
      template:
        metadata: {labels: {component: worker}}
        spec:
          terminationGracePeriodSeconds: 600
          containers:
            - name: worker
              image: apache/airflow
              resources: {requests: {cpu: 1000m, memory: 2Gi}, limits: {cpu: "2", memory: 2Gi}}
  `,
  'base/scaledobject.yaml': yaml`
    apiVersion: keda.sh/v1alpha1
    kind: ScaledObject
    metadata: {name: worker}
    spec: {scaleTargetRef: {name: worker}, minReplicaCount: 1, maxReplicaCount: 10}
  `,
  'overlays/prod/kustomization.yaml': yaml`
    namespace: airflow-prod
    resources: [../../base]
    images: [{name: apache/airflow, newTag: 3.3.2}]
  `,
  'clusters/main/kustomization.yaml': 'resources: [app.yaml]\n',
  'clusters/main/app.yaml': yaml`
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata: {name: airflow-prod, namespace: argocd}
    spec:
      project: airflow
      source: {repoURL: https://git.example.com/a.git, path: overlays/prod, targetRevision: main}
      destination: {server: https://kubernetes.default.svc, namespace: airflow-prod}
      ignoreDifferences: [{group: apps, kind: Deployment, name: worker, jsonPointers: [/spec/replicas]}]
  `,
});

const REV_OLD = 'a'.repeat(40);
const REV_NEW = 'b'.repeat(40);
const APP_PATH = '/apis/argoproj.io/v1alpha1/namespaces/argocd/applications/airflow-prod';

function application(over: {
  sync?: string;
  health?: string;
  revision?: string;
  phase?: string;
  message?: string;
  images?: string[];
  degraded?: boolean;
}) {
  return {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Application',
    metadata: { name: 'airflow-prod', namespace: 'argocd', resourceVersion: '1234' },
    spec: {
      project: 'airflow',
      source: { repoURL: 'https://git.example.com/a.git', path: 'overlays/prod', targetRevision: 'main' },
    },
    status: {
      sync: { status: over.sync ?? 'Synced', revision: over.revision ?? REV_NEW },
      health: { status: over.health ?? 'Healthy' },
      operationState: {
        phase: over.phase ?? 'Succeeded',
        message: over.message ?? 'successfully synced (all tasks run)',
        startedAt: '2026-11-24T01:00:00Z',
        finishedAt: '2026-11-24T01:02:03Z',
        syncResult: { revision: over.revision ?? REV_NEW },
      },
      history: [{ id: 7, revision: over.revision ?? REV_NEW, deployedAt: '2026-11-24T01:02:03Z' }],
      summary: { images: over.images ?? ['apache/airflow:3.3.2'] },
      resources: [
        {
          group: 'apps',
          version: 'v1',
          kind: 'Deployment',
          namespace: 'airflow-prod',
          name: 'worker',
          status: 'Synced',
          health: over.degraded
            ? { status: 'Degraded', message: 'Deployment "worker" exceeded its progress deadline' }
            : { status: 'Healthy' },
        },
      ],
      reconciledAt: '2026-11-24T01:03:00Z',
    },
  };
}

let kube: FakeKube;
beforeAll(async () => {
  kube = await fakeKube(repo);
  process.env.KUBECONFIG = kube.kubeconfig;
});
afterAll(async () => {
  await kube.close();
});

describe('status', () => {
  it('reads the Application of each environment and compares images with git', async () => {
    kube.objects.set(APP_PATH, application({ images: ['apache/airflow:3.3.1'] }));
    const [app] = environments(repo);
    expect(app?.name).toBe('airflow-prod');
    const s = appStatus(
      app as NonNullable<typeof app>,
      await fetchApplication(connect(), app as NonNullable<typeof app>),
    );
    expect([s.sync, s.health, s.revision, s.syncedAt]).toEqual([
      'Synced',
      'Healthy',
      REV_NEW,
      '2026-11-24T01:02:03Z',
    ]);
    expect(s.imagesOnlyInGit).toEqual(['apache/airflow:3.3.2']);
    expect(s.imagesOnlyLive).toEqual(['apache/airflow:3.3.1']);
    expect(kube.requests.at(-1)?.headers.authorization).toBe('Bearer sekret-token-123');
  });
});

describe('wait', () => {
  it('polls until Synced and Healthy at the revision', async () => {
    let calls = 0;
    kube.handlers.length = 0;
    kube.handlers.push((r) => {
      if (r.path !== APP_PATH) return undefined;
      calls++;
      if (calls === 1) return { status: 200, body: application({ revision: REV_OLD }) };
      if (calls === 2)
        return {
          status: 200,
          body: application({
            sync: 'Synced',
            health: 'Progressing',
            phase: 'Running',
            message: 'waiting for healthy state',
          }),
        };
      return { status: 200, body: application({}) };
    });
    const [app] = environments(repo);
    const progress: string[] = [];
    const r = await waitFor(connect(), app as NonNullable<typeof app>, {
      revision: REV_NEW.slice(0, 7),
      timeoutMs: 5000,
      intervalMs: 10,
      onProgress: (w) => progress.push(w),
    });
    expect(r.ok).toBe(true);
    expect(progress[0]).toContain(`at revision ${REV_OLD.slice(0, 12)}, waiting for ${REV_NEW.slice(0, 7)}`);
    expect(progress[1]).toContain('health Progressing');
    kube.handlers.length = 0;
  });

  it('fails at once on a failed sync, and with the reasons on timeout', async () => {
    kube.objects.set(
      APP_PATH,
      application({
        sync: 'OutOfSync',
        health: 'Degraded',
        phase: 'Failed',
        message: 'one or more objects failed to apply',
        degraded: true,
      }),
    );
    const [app] = environments(repo);
    const failed = await waitFor(connect(), app as NonNullable<typeof app>, {
      revision: REV_NEW,
      timeoutMs: 5000,
      intervalMs: 10,
    });
    expect(failed).toMatchObject({ ok: false, why: 'sync failed: one or more objects failed to apply' });
    kube.objects.set(APP_PATH, application({ health: 'Degraded', phase: 'Succeeded', degraded: true }));
    const t0 = Date.now();
    const timedOut = await waitFor(connect(), app as NonNullable<typeof app>, {
      revision: REV_NEW,
      timeoutMs: 60,
      intervalMs: 20,
    });
    expect(Date.now() - t0).toBeLessThan(2000);
    expect(timedOut.ok).toBe(false);
    expect(timedOut.why).toMatch(
      /^timed out after 0 s: health Degraded; Deployment airflow-prod\/worker Degraded: Deployment "worker" exceeded its progress deadline/,
    );
  });
});

describe('drift', () => {
  const DEPLOY = '/apis/apps/v1/namespaces/airflow-prod/deployments/worker';
  const SO = '/apis/keda.sh/v1alpha1/namespaces/airflow-prod/scaledobjects/worker';
  const live = (image: string) => ({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: 'worker',
      namespace: 'airflow-prod',
      labels: { component: 'worker' },
      uid: 'u-1',
      resourceVersion: '99',
      generation: 4,
      annotations: { 'deployment.kubernetes.io/revision': '4' },
    },
    spec: {
      replicas: 7,
      selector: { matchLabels: { component: 'worker' } },
      strategy: { type: 'RollingUpdate' },
      template: {
        metadata: { labels: { component: 'worker' } },
        spec: {
          terminationGracePeriodSeconds: 600,
          dnsPolicy: 'ClusterFirst',
          containers: [
            {
              name: 'worker',
              image,
              imagePullPolicy: 'IfNotPresent',
              resources: { requests: { cpu: '1', memory: '2Gi' }, limits: { cpu: '2', memory: '2Gi' } },
            },
          ],
        },
      },
    },
    status: { replicas: 7 },
  });

  it('ignores defaults, controller fields, canonical quantities and KEDA replicas', async () => {
    kube.objects.set(DEPLOY, live('apache/airflow:3.3.2'));
    kube.objects.set(SO, {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: { name: 'worker', namespace: 'airflow-prod' },
      spec: { scaleTargetRef: { name: 'worker' }, minReplicaCount: 1, maxReplicaCount: 10 },
    });
    const [app] = environments(repo);
    expect(await drift(connect(), app as NonNullable<typeof app>)).toEqual([]);
  });

  it('reports changed and missing objects readably', async () => {
    kube.objects.set(DEPLOY, live('apache/airflow:3.3.1'));
    kube.objects.delete(SO);
    const [app] = environments(repo);
    const items = await drift(connect(), app as NonNullable<typeof app>);
    expect(formatDrift('prod', items)).toBe(
      [
        'prod: 2 object(s) drifted',
        '  ~ Deployment airflow-prod/worker',
        '      /spec/template/spec/containers/0/image: git "apache/airflow:3.3.2", live "apache/airflow:3.3.1"',
        '  - ScaledObject airflow-prod/worker: in git, missing from the cluster',
        '',
      ].join('\n'),
    );
  });
});

describe('server dry run', () => {
  it('reports what the apiserver rejects and accepts the rest', async () => {
    kube.handlers.length = 0;
    kube.handlers.push((r) => {
      if (r.method !== 'PATCH') return undefined;
      expect(r.query.get('dryRun')).toBe('All');
      expect(r.headers['content-type']).toBe('application/apply-patch+yaml');
      if (r.path.endsWith('/scaledobjects/worker'))
        return status(
          422,
          'Invalid',
          'ScaledObject.keda.sh "worker" is invalid: spec.maxReplicaCount: Invalid value: 0',
        );
      return { status: 200, body: JSON.parse(r.body) };
    });
    const cluster = connect();
    const [app] = environments(repo);
    const verdicts = [];
    for (const o of (app as NonNullable<typeof app>).objects) verdicts.push(await cluster.dryRunApply(o));
    expect(verdicts).toEqual([
      null,
      {
        status: 422,
        message: 'ScaledObject.keda.sh "worker" is invalid: spec.maxReplicaCount: Invalid value: 0',
      },
    ]);
    kube.handlers.length = 0;
  });
});

describe('errors', () => {
  it('401, 403, 404, refused and timeout each give one clear error without the token', async () => {
    const [app] = environments(repo);
    const a = app as NonNullable<typeof app>;
    const msg = async (f: () => Promise<unknown>) => {
      try {
        await f();
        return 'no error';
      } catch (err) {
        return `${(err as { code: string }).code}: ${(err as Error).message}`;
      }
    };
    expect(await msg(() => fetchApplication(connect({ context: 'stale' }), a))).toBe(
      `UNAUTHORIZED: ${kube.url} refused the credentials (401 Unauthorized) reading applications.argoproj.io argocd/airflow-prod`,
    );
    kube.handlers.push((r) =>
      r.path === APP_PATH
        ? status(
            403,
            'Forbidden',
            'applications.argoproj.io "airflow-prod" is forbidden: User "system:serviceaccount:ci:gitops" cannot get resource "applications"',
          )
        : undefined,
    );
    expect(await msg(() => fetchApplication(connect(), a))).toMatch(
      /^FORBIDDEN: .* forbids reading .*cannot get resource "applications"$/,
    );
    kube.handlers.length = 0;
    kube.objects.delete(APP_PATH);
    expect(await msg(() => fetchApplication(connect(), a))).toBe(
      `NOT_FOUND: applications.argoproj.io argocd/airflow-prod does not exist on ${kube.url} (404 Not Found)`,
    );
    expect(await msg(() => fetchApplication(connect({ context: 'down' }), a))).toBe(
      'UNREACHABLE: cannot connect to http://127.0.0.1:9: connection refused',
    );
    kube.handlers.push(() => ({ status: -1, body: null }));
    expect(await msg(() => fetchApplication(connect({ requestTimeoutMs: 100 }), a))).toMatch(
      /^TIMEOUT: .* did not answer in time/,
    );
    kube.handlers.length = 0;
    expect(await msg(async () => connect({ context: 'nope' }))).toMatch(
      /^UNKNOWN_CONTEXT: no context "nope"/,
    );
    for (const m of [await msg(() => fetchApplication(connect({ context: 'stale' }), a))])
      expect(m).not.toContain('expired-token');
  });
});

describe('commands that reach the cluster', () => {
  async function run(main: (argv: string[]) => Promise<number>, argv: string[], cwd: string) {
    const out: string[] = [];
    const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
      out.push(String(s));
      return true;
    });
    const before = process.cwd();
    process.chdir(cwd);
    try {
      return { code: await main(argv), out: out.join('') };
    } finally {
      process.chdir(before);
      spy.mockRestore();
    }
  }

  it('check --server-dry-run reports what the apiserver rejects as denied findings', async () => {
    kube.handlers.length = 0;
    kube.handlers.push((r) =>
      r.method === 'PATCH' && r.path.endsWith('/deployments/worker')
        ? status(
            422,
            'Invalid',
            'Deployment.apps "worker" is invalid: spec.template.spec.containers[0].image: Required value',
          )
        : r.method === 'PATCH'
          ? { status: 200, body: JSON.parse(r.body) }
          : undefined,
    );
    const { main } = await import('../../../scripts/check.ts');
    const { code, out } = await run(main, ['--server-dry-run', '--format', 'json'], repo);
    kube.handlers.length = 0;
    const findings = JSON.parse(out).findings.filter(
      (f: { policy: string }) => f.policy === 'server-dry-run',
    );
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'Deployment',
        name: 'worker',
        action: 'Deny',
        message: `${kube.url} rejects it (422): Deployment.apps "worker" is invalid: spec.template.spec.containers[0].image: Required value`,
        source: { file: 'base/worker.yaml', line: 1 },
      }),
    ]);
    expect(code).toBe(1);
  });

  it('audit --with-sync adds when Argo CD synced each commit', async () => {
    const g = gitRepo();
    cpSync(repo, g.dir, { recursive: true, filter: (src) => !src.endsWith('kubeconfig') });
    const sha = g.commit({}, 'initial layout', { date: '2026-11-20T00:00:00Z' });
    const app = application({ revision: sha });
    app.status.history = [{ id: 1, revision: sha, deployedAt: '2026-11-20T00:05:00Z' }];
    kube.objects.set(APP_PATH, app);
    const { main } = await import('../../../scripts/audit.ts');
    const { code, out } = await run(main, ['--with-sync', '--format', 'json'], g.dir);
    expect(code).toBe(0);
    expect(
      JSON.parse(out).entries.map((e: { commit: string; syncedAt: string }) => [e.commit, e.syncedAt]),
    ).toEqual([[sha, '2026-11-20T00:05:00Z']]);
  });
});
