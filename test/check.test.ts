// `gitops check` end to end on copies of this repository with one thing broken.
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { main } from '../scripts/check.ts';
import { repositoryRules } from '../scripts/lib/check/rules.ts';
import { formatError } from '../scripts/lib/errors.ts';

const root = join(import.meta.dirname, '..');

function copyRepo(): string {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-check-'));
  for (const d of ['base', 'overlays', 'clusters', 'policies'])
    cpSync(join(root, d), join(dir, d), { recursive: true });
  return dir;
}

async function run(dir: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((s) => {
    out.push(String(s));
    return true;
  });
  const before = process.cwd();
  process.chdir(dir);
  try {
    return { code: await main(argv), out: out.join(''), err: '' };
  } catch (e) {
    return { code: (e as { exitCode?: number }).exitCode ?? 70, out: out.join(''), err: formatError(e) };
  } finally {
    process.chdir(before);
    spy.mockRestore();
  }
}

describe('gitops check', () => {
  it('passes this repository', async () => {
    const r = await run(root, ['--quiet']);
    expect(r.out).toBe('check: 3 environments, 113 objects, 0 denied, 0 warnings\n');
    expect(r.code).toBe(0);
  });

  it('denies one scheduler in prod, naming the file the object came from', async () => {
    const dir = copyRepo();
    writeFileSync(
      join(dir, 'overlays/prod/kustomization.yaml'),
      `${await import('node:fs').then((fs) => fs.readFileSync(join(root, 'overlays/prod/kustomization.yaml'), 'utf8'))}replicas:\n  - name: airflow-scheduler\n    count: 1\n`,
    );
    const r = await run(dir, []);
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAIL prod (overlays/prod): 36 objects, 1 denied, 0 warnings');
    expect(r.out).toContain(
      '  Deployment airflow-prod/airflow-scheduler  (base/scheduler/deployment.yaml:2)',
    );
    expect(r.out).toContain(
      '    deny  scheduler-ha [scheduler-ha-prod]: the scheduler runs 1 replica(s); production needs at least 2',
    );
    const json = JSON.parse((await run(dir, ['prod', '--format', 'json'])).out);
    expect(json.findings).toEqual([
      {
        env: 'prod',
        policy: 'scheduler-ha',
        binding: 'scheduler-ha-prod',
        action: 'Deny',
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: 'airflow-prod',
        name: 'airflow-scheduler',
        message: 'the scheduler runs 1 replica(s); production needs at least 2',
        source: { file: 'base/scheduler/deployment.yaml', line: 2 },
      },
    ]);
  });

  it('a broken policy is broken input: exit 2 with file and line', async () => {
    const dir = copyRepo();
    writeFileSync(
      join(dir, 'policies/zz-broken.yaml'),
      'apiVersion: admissionregistration.k8s.io/v1\nkind: ValidatingAdmissionPolicy\nmetadata:\n  name: broken\nspec:\n  validations:\n    - expression: "object.spec.replicas >"\n',
    );
    const r = await run(dir, []);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /^policies\/zz-broken\.yaml:1: error BAD_POLICY: broken: spec\.validations\[0\]\.expression: invalid CEL expression/,
    );
  });

  it('broken YAML in an overlay is broken input: exit 2 with file and line', async () => {
    const dir = copyRepo();
    writeFileSync(
      join(dir, 'overlays/dev/scaledobject.yaml'),
      'apiVersion: keda.sh/v1alpha1\nkind: ScaledObject\nmetadata: [oops\n',
    );
    const r = await run(dir, []);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/overlays\/dev\/scaledobject\.yaml:\d+(:\d+)?: error/);
  });
});

describe('the deterministic-render rule', () => {
  const unit = (usedHelm: boolean) => ({
    env: 'dev',
    dir: '/repo/overlays/dev',
    kind: 'overlay' as const,
    resources: [],
    yaml: 'a: 1\nb: 2\n',
    usedHelm,
  });

  it('renders again what inflated a Helm chart, and denies output that changed', () => {
    const rerender = vi.fn(() => 'a: 1\nb: 3\n');
    const findings = repositoryRules({ repoRoot: '/repo', units: [unit(true)], rerender });
    expect(rerender).toHaveBeenCalledTimes(1);
    expect(
      findings.filter((f) => f.policy === 'repository/deterministic-render').map((f) => f.message),
    ).toEqual(['two renders differ, first at output line 2: "b: 2" vs "b: 3"']);
  });

  it('does not render again what inflated no chart: the kustomize engine reads no clock or random source', () => {
    const rerender = vi.fn(() => 'different\n');
    const findings = repositoryRules({ repoRoot: '/repo', units: [unit(false)], rerender });
    expect(findings.filter((f) => f.policy === 'repository/deterministic-render')).toEqual([]);
    expect(rerender).not.toHaveBeenCalled();
  });
});
