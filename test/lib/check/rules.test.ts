import { describe, expect, it } from 'vitest';
import { runCheck } from '../../../scripts/lib/check/index.ts';
import { selectorMatches } from '../../../scripts/lib/check/rules.ts';
import { writeTree, yaml } from '../../helpers/tmp.ts';

// A minimal repository: one overlay with a worker Deployment scaled by KEDA, a scheduler with its
// PDB, and a cluster directory whose Application deploys the overlay.
function repo(overrides: Record<string, string> = {}): string {
  return writeTree({
    'base/kustomization.yaml': yaml`
      resources: [worker.yaml, scaledobject.yaml, scheduler.yaml, pdb.yaml]
    `,
    'base/worker.yaml': yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: worker, labels: {component: worker}}
      spec:
        selector: {matchLabels: {component: worker}}
        template:
          metadata: {labels: {component: worker}}
          spec: {containers: [{name: w, image: apache/airflow:3.3.2}]}
    `,
    'base/scaledobject.yaml': yaml`
      apiVersion: keda.sh/v1alpha1
      kind: ScaledObject
      metadata: {name: worker}
      spec:
        scaleTargetRef: {name: worker}
        triggers: [{type: cron, metadata: {timezone: UTC, start: 0 0 * * *, end: 0 8 * * *, desiredReplicas: "2"}}]
    `,
    'base/scheduler.yaml': yaml`
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: scheduler, labels: {component: scheduler}}
      spec:
        replicas: 2
        selector: {matchLabels: {component: scheduler}}
        template:
          metadata: {labels: {component: scheduler, tier: airflow}}
          spec: {containers: [{name: s, image: apache/airflow:3.3.2}]}
    `,
    'base/pdb.yaml': yaml`
      apiVersion: policy/v1
      kind: PodDisruptionBudget
      metadata: {name: scheduler}
      spec: {maxUnavailable: 1, selector: {matchLabels: {component: scheduler}}}
    `,
    'overlays/prod/kustomization.yaml': yaml`
      namespace: airflow-prod
      resources: [../../base]
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
        syncPolicy:
          automated: {prune: true, selfHeal: true}
          syncOptions: [CreateNamespace=true, RespectIgnoreDifferences=true]
        ignoreDifferences:
          - {group: apps, kind: Deployment, name: worker, jsonPointers: [/spec/replicas]}
    `,
    ...overrides,
  });
}

const rulesOf = async (root: string) =>
  (await runCheck({ repoRoot: root, stages: [] })).findings.map((f) => `${f.policy} ${f.kind}/${f.name}`);

describe('repository rules', () => {
  it('a consistent repository passes', async () => {
    const result = await runCheck({ repoRoot: repo(), stages: [] });
    expect(result.findings).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.summary).toBe('check: 1 environment, 5 objects, 0 denied, 0 warnings');
    expect(Object.keys(result.renderedDigest)).toEqual(['prod', 'cluster/main']);
  });

  it('a scaled Deployment must not set replicas, and the target must exist', async () => {
    const withReplicas = repo({
      'overlays/prod/kustomization.yaml':
        'namespace: airflow-prod\nresources: [../../base]\nreplicas: [{name: worker, count: 3}]\n',
    });
    expect(await rulesOf(withReplicas)).toEqual(['repository/scaledobject-target Deployment/worker']);
    const missing = repo({
      'base/kustomization.yaml': 'resources: [scaledobject.yaml, scheduler.yaml, pdb.yaml]\n',
    });
    const result = await runCheck({ repoRoot: missing, stages: [] });
    expect(result.findings.map((f) => f.message)).toEqual([
      'scale target Deployment "worker" is not rendered in this overlay (namespace airflow-prod)',
    ]);
    expect(result.findings[0]?.source?.file).toBe('base/scaledobject.yaml');
    expect(result.exitCode).toBe(1);
  });

  it('every overlay has exactly one Application, whose path exists', async () => {
    const none = repo({ 'clusters/main/kustomization.yaml': 'resources: []\n' });
    expect(await rulesOf(none)).toEqual(['repository/application-per-overlay /']);
    const once = repo();
    const { readFileSync } = await import('node:fs');
    const twice = repo({
      'clusters/other/kustomization.yaml': 'resources: [app.yaml]\nnameSuffix: -copy\n',
      'clusters/other/app.yaml': readFileSync(`${once}/clusters/main/app.yaml`, 'utf8'),
    });
    const dup = await runCheck({ repoRoot: twice, stages: [] });
    expect(dup.findings.map((f) => f.message)).toEqual([
      '2 Applications deploy overlays/prod (airflow-prod, airflow-prod-copy); exactly one must',
    ]);
    const wrongPath = repo({
      'clusters/main/extra.yaml': yaml`
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: ghost, namespace: argocd}
        spec: {project: airflow, source: {repoURL: x, path: overlays/ghost, targetRevision: main}}
      `,
      'clusters/main/kustomization.yaml': 'resources: [app.yaml, extra.yaml]\n',
    });
    expect(await rulesOf(wrongPath)).toEqual(['repository/application-path Application/ghost']);
  });

  it('an Application of a KEDA-scaled overlay ignores replicas and respects it', async () => {
    const root = repo({
      'clusters/main/app.yaml': yaml`
        apiVersion: argoproj.io/v1alpha1
        kind: Application
        metadata: {name: airflow-prod, namespace: argocd}
        spec:
          project: airflow
          source: {repoURL: x, path: overlays/prod, targetRevision: main}
          syncPolicy: {syncOptions: [CreateNamespace=true]}
      `,
    });
    expect(await rulesOf(root)).toEqual([
      'repository/application-ignores-replicas Application/airflow-prod',
      'repository/application-ignores-replicas Application/airflow-prod',
    ]);
  });

  it('a Secret with data is refused wherever it comes from', async () => {
    const root = repo({
      'overlays/prod/kustomization.yaml': yaml`
        namespace: airflow-prod
        resources: [../../base]
        secretGenerator: [{name: db, literals: [password=hunter2]}]
      `,
    });
    const result = await runCheck({ repoRoot: root, stages: [] });
    expect(result.findings.map((f) => f.policy)).toEqual(['repository/no-plaintext-secrets']);
    expect(result.report).not.toContain('hunter2');
  });

  it('the scheduler without a PDB is denied in prod and a warning elsewhere', async () => {
    const prod = repo({
      'base/kustomization.yaml': 'resources: [worker.yaml, scaledobject.yaml, scheduler.yaml]\n',
    });
    const r1 = await runCheck({ repoRoot: prod, stages: [] });
    expect(r1.findings.map((f) => `${f.action} ${f.policy}`)).toEqual(['Deny repository/scheduler-pdb']);
    const dev = repo({
      'base/kustomization.yaml': 'resources: [worker.yaml, scaledobject.yaml, scheduler.yaml]\n',
      'clusters/main/app.yaml': '',
      'clusters/main/kustomization.yaml': 'resources: []\n',
      'overlays/dev/kustomization.yaml': 'namespace: airflow-dev\nresources: [../../base]\n',
      'overlays/prod/kustomization.yaml': 'namespace: airflow-prod\nresources: [../../base]\n',
    });
    const r2 = await runCheck({ repoRoot: dev, envs: ['dev'], stages: [] });
    expect(r2.findings.filter((f) => f.policy === 'repository/scheduler-pdb').map((f) => f.action)).toEqual([
      'Warn',
    ]);
    expect(r2.exitCode).toBe(1); // the missing Application still denies
  });

  it('label selectors match as Kubernetes matches them', () => {
    const labels = { a: '1', b: '2' };
    expect(selectorMatches({ matchLabels: { a: '1' } }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { a: '2' } }, labels)).toBe(false);
    expect(
      selectorMatches({ matchExpressions: [{ key: 'b', operator: 'In', values: ['2', '3'] }] }, labels),
    ).toBe(true);
    expect(selectorMatches({ matchExpressions: [{ key: 'c', operator: 'Exists' }] }, labels)).toBe(false);
    expect(selectorMatches({ matchExpressions: [{ key: 'c', operator: 'DoesNotExist' }] }, labels)).toBe(
      true,
    );
    expect(
      selectorMatches({ matchExpressions: [{ key: 'a', operator: 'NotIn', values: ['1'] }] }, labels),
    ).toBe(false);
    expect(selectorMatches({}, labels)).toBe(true);
    expect(selectorMatches(undefined, labels)).toBe(false);
  });
});

describe('the batch-window rule', () => {
  it('denies a declared window the cron floor does not cover', async () => {
    const root = repo({
      'base/scaledobject.yaml': yaml`
        apiVersion: keda.sh/v1alpha1
        kind: ScaledObject
        metadata: {name: worker, annotations: {gitops.dw.example.com/batch-window: "00:00-08:00 UTC"}}
        spec:
          scaleTargetRef: {name: worker}
          triggers: [{type: cron, metadata: {timezone: UTC, start: 0 0 * * *, end: 0 6 * * *, desiredReplicas: "2"}}]
      `,
    });
    const result = await runCheck({ repoRoot: root, stages: [] });
    expect(result.findings.map((f) => `${f.action} ${f.policy} ${f.kind}/${f.name}`)).toEqual([
      'Deny repository/batch-window ScaledObject/worker',
    ]);
    expect(result.findings[0]?.source?.file).toBe('base/scaledobject.yaml');
  });
});
