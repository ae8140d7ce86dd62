// Random strategic merge and JSON 6902 patches, applied by ./patch/ and by the real kustomize
// (`.tools/kubectl kustomize`, v5.7.1), compared as parsed YAML. Not part of `vitest run`: it
// needs the binary and takes a while. Deterministic for a seed; prints the first mismatches.
// Run: node --import tsx test/lib/kustomize/patch/differential.ts [seed] [rounds]
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { deepEqual, type JsonMap, type JsonValue } from '../../../../scripts/lib/json.ts';
import {
  applyJson6902,
  kubernetesSchema,
  strategicMerge,
} from '../../../../scripts/lib/kustomize/patch/index.ts';
import { readYamlDocuments } from '../../../../scripts/lib/kustomize/yaml-io.ts';

// biome-ignore lint/suspicious/noExplicitAny: loosely typed random test data
type Any = Record<string, any>;
const kubectl = join(import.meta.dirname, '../../../../.tools/kubectl');
let seed = Number(process.argv[2] ?? 1);
const rounds = Number(process.argv[3] ?? 5);

function rnd(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const pick = <T>(a: T[]): T => a[Math.floor(rnd() * a.length)] as T;
const chance = (p: number) => rnd() < p;
const some = <T>(a: T[], max: number): T[] =>
  Array.from({ length: Math.floor(rnd() * (max + 1)) }, () => pick(a));

function env(patch: boolean): Any[] {
  return some(['A', 'B', 'C', 'D'], 3).map((n) => {
    const e: Any = chance(0.08) ? {} : { name: n };
    if (patch && chance(0.15)) e.$patch = 'delete';
    else if (patch && chance(0.1)) e.value = null;
    else if (chance(0.7)) e.value = pick(['1', '2', 'x']);
    else e.valueFrom = { secretKeyRef: { name: 's', key: pick(['a', 'b']) } };
    return e;
  });
}

function container(name: string | undefined, patch: boolean): Any {
  const c: Any = name === undefined ? {} : { name };
  if (chance(0.6)) c.image = patch && chance(0.1) ? null : pick(['img:1', 'img:2']);
  if (chance(0.4)) c.env = env(patch);
  if (chance(0.3)) {
    c.ports = some([80, 53, 8080], 3).map((p) => ({
      containerPort: p,
      ...(chance(0.5) ? { protocol: pick(['TCP', 'UDP']) } : {}),
      ...(chance(0.6) ? { name: pick(['a', 'b']) } : {}),
    }));
  }
  if (chance(0.3)) c.args = some(['--a', '--b', '--c'], 3);
  if (chance(0.2)) c.volumeMounts = some(['/a', '/b'], 2).map((m) => ({ name: 'v', mountPath: m }));
  if (patch && chance(0.1)) c.$patch = pick(['delete', 'replace', 'merge']);
  return c;
}

function containers(patch: boolean): Any[] {
  const list = some(['a', 'b', 'c', 'd'], 4).map((n) => container(chance(0.05) ? undefined : n, patch));
  if (patch && chance(0.08)) list.unshift({ $patch: pick(['replace', 'delete', 'merge']) });
  return list;
}

function resource(name: string, kind: string, patch: boolean): Any {
  const spec: Any = {};
  if (!patch || chance(0.8)) spec.containers = containers(patch);
  if (chance(0.3)) spec.initContainers = containers(patch);
  if (chance(0.3))
    spec.volumes = some(['v', 'w'], 3).map((n) =>
      chance(0.5) ? { name: n, emptyDir: {} } : { name: n, configMap: { name: n } },
    );
  if (chance(0.2)) spec.tolerations = some(['k1', 'k2'], 2).map((k) => ({ key: k, operator: 'Exists' }));
  if (patch && chance(0.05)) spec.$patch = 'replace';
  const r: Any = {
    apiVersion: kind === 'Deployment' ? 'apps/v1' : 'example.com/v1',
    kind,
    metadata: { name },
  };
  if (chance(0.3)) r.metadata.finalizers = some(['x', 'y', 'z'], 3);
  if (chance(0.3))
    r.metadata.labels = { app: pick(['p', 'q']), ...(patch && chance(0.3) ? { gone: null } : {}) };
  r.spec = { template: { spec } };
  if (chance(0.3)) r.spec.replicas = patch && chance(0.3) ? null : pick([1, 2]);
  return r;
}

const JSON_PATHS = [
  '/spec/replicas',
  '/spec/list/0',
  '/spec/list/-',
  '/spec/list/5',
  '/spec/list/-1',
  '/spec/list/x',
  '/spec/map/a',
  '/spec/map/a~1b',
  '/spec/missing/x',
  '/spec/nul',
  '/metadata/labels/app',
  '/',
];
function jsonOp(): Any {
  const op: Any = { op: pick(['add', 'remove', 'replace', 'move', 'copy', 'test']), path: pick(JSON_PATHS) };
  if (op.op === 'move' || op.op === 'copy') op.from = pick(JSON_PATHS);
  else if (op.op !== 'remove') op.value = pick([1, 'x', null, { k: 'v' }, [1, 2], '1']);
  return op;
}

const dir = mkdtempSync(join(tmpdir(), 'patch-differential-'));

/** Builds one kustomization; the resources by name, or kustomize's error. */
function kustomize(resources: Any[], patches: Any[]): Map<string, JsonValue> | string {
  writeFileSync(join(dir, 'r.yaml'), resources.map((r) => stringify(r)).join('---\n'));
  writeFileSync(join(dir, 'kustomization.yaml'), stringify({ resources: ['r.yaml'], patches }));
  try {
    const out = execFileSync(kubectl, ['kustomize', dir], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Map(
      readYamlDocuments(out, 'out').map((d) => [
        ((d.value as JsonMap).metadata as JsonMap).name as string,
        d.value,
      ]),
    );
  } catch (err) {
    return String((err as { stderr?: string }).stderr).trim();
  }
}

function mine(f: () => JsonValue): JsonValue {
  try {
    return f();
  } catch (err) {
    return { error: (err as Error).message };
  }
}

let ok = 0;
let failed = 0;
function check(what: string, want: JsonValue, got: JsonValue, input: unknown): void {
  if (deepEqual(want, got) || (isError(want) && isError(got))) {
    ok++;
    return;
  }
  if (++failed <= 3)
    console.log(
      `MISMATCH ${what}\n${stringify(input)}\nkustomize: ${stringify(want)}\nours: ${stringify(got)}`,
    );
}
const isError = (v: JsonValue) => typeof v === 'object' && v !== null && 'error' in v;

for (let round = 0; round < rounds; round++) {
  const cases = Array.from({ length: 60 }, (_, i) => {
    const kind = chance(0.75) ? 'Deployment' : 'Widget';
    return { res: resource(`r${i}`, kind, false), patch: resource(`r${i}`, kind, true) };
  });
  const built = kustomize(
    cases.map((c) => c.res),
    cases.map((c) => ({ patch: stringify(c.patch) })),
  );
  for (const c of cases) {
    const name = c.res.metadata.name as string;
    const single = typeof built === 'string' ? kustomize([c.res], [{ patch: stringify(c.patch) }]) : built;
    const want = typeof single === 'string' ? { error: single } : (single.get(name) ?? { deleted: true });
    const got = mine(() => {
      const out = strategicMerge(structuredClone(c.res), structuredClone(c.patch), kubernetesSchema);
      if (out === null || Object.keys(out).length === 0) return { deleted: true } as JsonValue;
      return { ...out, kind: c.res.kind, metadata: { ...(out.metadata as JsonMap), name } } as JsonValue;
    });
    check('strategic merge', want, got, c);
  }
  for (let i = 0; i < 20; i++) {
    const res = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'cm', labels: { app: 'a' } },
      spec: { replicas: 1, list: [{ k: 1 }, 2], map: { a: 1, 'a/b': 2 }, nul: null },
    };
    const ops = Array.from({ length: 1 + Math.floor(rnd() * 3) }, jsonOp);
    const built = kustomize([res], [{ target: { kind: 'ConfigMap' }, patch: JSON.stringify(ops) }]);
    const want = typeof built === 'string' ? { error: built } : (built.get('cm') as JsonValue);
    const got = mine(() => {
      // kustomize patches the resource with its internal annotations on, then drops them
      const out = applyJson6902(
        { ...res, metadata: { ...res.metadata, annotations: { 'internal.config.kubernetes.io/x': 'y' } } },
        ops,
      ) as Any;
      delete out.metadata.annotations['internal.config.kubernetes.io/x'];
      if (Object.keys(out.metadata.annotations).length === 0) delete out.metadata.annotations;
      return out;
    });
    check('JSON 6902', want, got, ops);
  }
}
rmSync(dir, { recursive: true, force: true });
console.log(`${ok} equal, ${failed} different`);
process.exitCode = failed ? 1 : 0;
