// The repository itself: every overlay and cluster directory builds with the reference kustomize
// into the committed goldens, the in-process renderer prints the same bytes, every object passes
// its schema, and the structural promises hold.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { listClusters, runCheck } from '../scripts/lib/check/index.ts';
import { isMap, type JsonMap, type JsonValue } from '../scripts/lib/json.ts';
import { build } from '../scripts/lib/kustomize/index.ts';
import { listOverlays } from '../scripts/lib/render/overlays.ts';
import { createSchemaValidator } from '../scripts/lib/schema/index.ts';

const root = join(import.meta.dirname, '..');
// the kustomize Argo CD 3.3 to 3.5 bundle, v5.8.1
const kubectl = join(root, '.tools', 'kubectl-1.36');
const targets = [
  ...listOverlays(root).map((o) => ({ name: o.env, dir: o.dir })),
  ...listClusters(root).map((c) => ({ name: `cluster-${c.name}`, dir: c.dir })),
];
const golden = (name: string) => readFileSync(join(root, 'test', 'goldens', `${name}.yaml`), 'utf8');

describe('the repository', () => {
  it('has the three environments and a cluster directory for each', () => {
    expect(listOverlays(root).map((o) => o.env)).toEqual(['dev', 'prod', 'staging']);
    expect(listClusters(root).length).toBeGreaterThan(0);
  });

  describe.skipIf(!existsSync(kubectl))(
    'built by the reference kustomize v5.8.1 (.tools/kubectl-1.36)',
    () => {
      for (const t of targets)
        it(`${relative(root, t.dir)} builds into its golden (npm run goldens regenerates it)`, () => {
          const r = spawnSync(kubectl, ['kustomize', t.dir], { encoding: 'utf8', maxBuffer: 1 << 28 });
          expect(r.stderr).toBe('');
          expect(r.status).toBe(0);
          expect(r.stdout).toBe(golden(t.name));
        });
    },
  );

  for (const t of targets)
    it(`the in-process renderer prints ${relative(root, t.dir)} byte for byte as the golden`, () => {
      expect(build(t.dir).yaml).toBe(golden(t.name));
    });

  it('every rendered object passes its schema', () => {
    const v = createSchemaValidator();
    const problems: string[] = [];
    for (const t of targets)
      for (const r of build(t.dir).resources)
        for (const f of v.validate(r.object))
          problems.push(
            `${t.name} ${String(r.object.kind)}/${String((r.object.metadata as JsonMap).name)} ${f.path}: ${f.message}`,
          );
    expect(problems).toEqual([]);
  });

  it('passes the gate with nothing denied and no warning', async () => {
    const result = await runCheck({ repoRoot: root });
    expect(result.findings.map((f) => `${f.env} ${f.policy} ${f.kind}/${f.name}: ${f.message}`)).toEqual([]);
  });
});

function podSpecs(o: JsonMap): JsonMap[] {
  const spec = o.spec as JsonMap | undefined;
  if (!spec) return [];
  if (o.kind === 'CronJob')
    return [(((spec.jobTemplate as JsonMap).spec as JsonMap).template as JsonMap).spec as JsonMap];
  const t = spec.template as JsonMap | undefined;
  return t && isMap(t.spec) ? [t.spec] : [];
}

describe('structural promises', () => {
  const rendered = listOverlays(root).map((o) => ({
    env: o.env,
    objects: build(o.dir).resources.map((r) => r.object),
  }));

  it('every container and initContainer has requests, limits and a security context', () => {
    const missing: string[] = [];
    for (const { env, objects } of rendered)
      for (const o of objects)
        for (const spec of podSpecs(o))
          for (const c of [
            ...((spec.initContainers as JsonValue[]) ?? []),
            ...((spec.containers as JsonValue[]) ?? []),
          ] as JsonMap[]) {
            const res = (c.resources ?? {}) as JsonMap;
            for (const kind of ['requests', 'limits'])
              for (const r of ['cpu', 'memory'])
                if (!isMap(res[kind]) || (res[kind] as JsonMap)[r] === undefined)
                  missing.push(
                    `${env} ${String(o.kind)}/${String((o.metadata as JsonMap).name)} ${String(c.name)} ${kind}.${r}`,
                  );
            const sc = c.securityContext as JsonMap | undefined;
            if (sc?.allowPrivilegeEscalation !== false || sc.runAsNonRoot !== true)
              missing.push(
                `${env} ${String(o.kind)}/${String((o.metadata as JsonMap).name)} ${String(c.name)} securityContext`,
              );
          }
    expect(missing).toEqual([]);
  });

  it('the workers have no replicas and a ScaledObject with a cron floor and the queue trigger', () => {
    for (const { objects } of rendered) {
      const worker = objects.find(
        (o) => o.kind === 'Deployment' && (o.metadata as JsonMap).name === 'airflow-worker',
      ) as JsonMap;
      expect((worker.spec as JsonMap).replicas).toBeUndefined();
      const so = objects.find((o) => o.kind === 'ScaledObject') as JsonMap;
      const spec = so.spec as JsonMap;
      expect((spec.scaleTargetRef as JsonMap).name).toBe('airflow-worker');
      const triggers = spec.triggers as JsonMap[];
      const cron = triggers.find((t) => t.type === 'cron')?.metadata as JsonMap;
      expect(cron.timezone).toMatch(/^[A-Z][a-z]+\/[A-Za-z_]+$/);
      expect(cron.start).not.toBe(cron.end);
      expect(triggers.find((t) => t.type === 'postgresql')?.metadata).toMatchObject({
        targetQueryValue: '1',
      });
    }
  });

  it('the DAG projects reach every pod that parses or runs DAGs, their config read-only', () => {
    const prod = rendered.find((r) => r.env === 'prod')?.objects ?? [];
    for (const name of [
      'airflow-scheduler',
      'airflow-dag-processor',
      'airflow-triggerer',
      'airflow-worker',
    ]) {
      const spec = podSpecs(
        prod.find((o) => o.kind === 'Deployment' && (o.metadata as JsonMap).name === name) as JsonMap,
      )[0] as JsonMap;
      const inits = (spec.initContainers as JsonMap[]).map((c) => c.name);
      expect(inits).toEqual(['wait-for-migrations', 'dags-sales', 'dags-finance']);
      const mounts = ((spec.containers as JsonMap[])[0] as JsonMap).volumeMounts as JsonMap[];
      expect(mounts.filter((m) => String(m.name).endsWith('-config')).every((m) => m.readOnly === true)).toBe(
        true,
      );
    }
  });

  it('no Secret with data anywhere in git', () => {
    const found: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir)) {
        if (['node_modules', '.git', '.tools', '.cache', 'goldens'].includes(e)) continue;
        const p = join(dir, e);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.ya?ml$/.test(e))
          for (const doc of parseAllDocuments(readFileSync(p, 'utf8'))) {
            const o = doc.toJS?.() as JsonMap | null;
            if (isMap(o) && o.kind === 'Secret' && (o.data || o.stringData)) found.push(relative(root, p));
          }
      }
    };
    for (const d of ['base', 'overlays', 'clusters', 'policies'])
      if (existsSync(join(root, d))) walk(join(root, d));
    expect(found).toEqual([]);
  });
});
