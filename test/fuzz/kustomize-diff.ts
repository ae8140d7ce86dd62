// Randomized differential check of the kustomize engine against the reference binary (not a
// unit test: run it by hand, `node --import tsx test/fuzz/kustomize-diff.ts [N] [SEED]`).
// It writes random bases and overlays that combine the kustomization features, builds them with
// both, and prints the first differing case of each kind so it can be turned into a table row.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { build } from '../../scripts/lib/kustomize/index.ts';
import { fuzzReference, referenceBuild } from '../helpers/reference-kustomize.ts';

// KUSTOMIZE_REF=5.7.1 compares with kustomize v5.7.1; v5.8.1 (Argo CD's) by default
const reference = fuzzReference();

let seed = Number(process.argv[3] ?? 1);
function rnd(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
const maybe = (p = 0.5) => rnd() < p;

const names = ['web', 'api', 'worker', 'db', 'cache'];
const images = [
  'nginx',
  'nginx:1.25',
  'registry.example.com/dw/dags:1.0',
  `busybox@sha256:${'0'.repeat(64)}`,
  'redis:7',
];

function podSpec(n: string): Record<string, unknown> {
  const c: Record<string, unknown> = { name: n, image: pick(images) };
  if (maybe()) c.envFrom = [{ configMapRef: { name: 'cfg' } }];
  if (maybe())
    c.env = [
      { name: 'P', valueFrom: { secretKeyRef: { name: 'sec', key: 'p' } } },
      { name: 'X', value: pick(['1', 'true', 'a b', '$(VAR)']) },
    ];
  if (maybe(0.3)) c.ports = [{ containerPort: 8080, name: 'http' }];
  const spec: Record<string, unknown> = { containers: [c] };
  if (maybe(0.3)) spec.initContainers = [{ name: 'init', image: pick(images) }];
  if (maybe()) spec.serviceAccountName = 'sa';
  if (maybe())
    spec.volumes = [
      { name: 'v', configMap: { name: 'cfg' } },
      { name: 's', secret: { secretName: 'sec' } },
    ];
  return spec;
}

function resource(kind: string, n: string): Record<string, unknown> {
  const md = {
    name: n,
    ...(maybe(0.3) ? { labels: { app: n } } : {}),
    ...(maybe(0.2) ? { namespace: 'ns1' } : {}),
  };
  const tpl = { metadata: { labels: { app: n } }, spec: podSpec(n) };
  switch (kind) {
    case 'Deployment':
      return {
        apiVersion: 'apps/v1',
        kind,
        metadata: md,
        spec: { ...(maybe() ? { replicas: 2 } : {}), selector: { matchLabels: { app: n } }, template: tpl },
      };
    case 'StatefulSet':
      return {
        apiVersion: 'apps/v1',
        kind,
        metadata: md,
        spec: {
          serviceName: n,
          selector: { matchLabels: { app: n } },
          template: tpl,
          volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'] } }],
        },
      };
    case 'CronJob':
      return {
        apiVersion: 'batch/v1',
        kind,
        metadata: md,
        spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: tpl } } },
      };
    case 'Service':
      return {
        apiVersion: 'v1',
        kind,
        metadata: md,
        spec: { selector: { app: n }, ports: [{ port: 80, targetPort: 'http' }] },
      };
    case 'HorizontalPodAutoscaler':
      return {
        apiVersion: 'autoscaling/v2',
        kind,
        metadata: md,
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: pick(names) },
          minReplicas: 1,
          maxReplicas: 3,
        },
      };
    case 'Ingress':
      return {
        apiVersion: 'networking.k8s.io/v1',
        kind,
        metadata: md,
        spec: {
          rules: [
            {
              http: {
                paths: [
                  {
                    path: '/',
                    pathType: 'Prefix',
                    backend: { service: { name: pick(names), port: { number: 80 } } },
                  },
                ],
              },
            },
          ],
        },
      };
    case 'RoleBinding':
      return {
        apiVersion: 'rbac.authorization.k8s.io/v1',
        kind,
        metadata: md,
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'role' },
        subjects: [
          { kind: 'ServiceAccount', name: 'sa' },
          { kind: 'ServiceAccount', name: 'default', namespace: 'other' },
        ],
      };
    case 'NetworkPolicy':
      return {
        apiVersion: 'networking.k8s.io/v1',
        kind,
        metadata: md,
        spec: {
          podSelector: { matchLabels: { app: n } },
          ingress: [{ from: [{ podSelector: { matchLabels: { app: 'x' } } }] }],
        },
      };
    case 'PodDisruptionBudget':
      return {
        apiVersion: 'policy/v1',
        kind,
        metadata: md,
        spec: { minAvailable: 1, selector: { matchLabels: { app: n } } },
      };
    default:
      return {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: md,
        data: { k: pick(['v', 'true', '1.5', 'multi\nline\n', ' lead', 'x: y', '']) },
      };
  }
}

function caseFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const kinds = [
    'Deployment',
    'StatefulSet',
    'CronJob',
    'Service',
    'HorizontalPodAutoscaler',
    'Ingress',
    'RoleBinding',
    'NetworkPolicy',
    'PodDisruptionBudget',
    'ConfigMap',
  ];
  const res: Record<string, unknown>[] = [];
  const used = new Set<string>();
  const count = 2 + Math.floor(rnd() * 4);
  for (let i = 0; i < count; i++) {
    const k = pick(kinds);
    const n = pick(names);
    if (used.has(k + n)) continue;
    used.add(k + n);
    res.push(resource(k, n));
  }
  res.push({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'sa' } });
  res.push({
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    metadata: { name: 'role' },
    rules: [],
  });
  files['base/resources.yaml'] = res.map((r) => stringify(r)).join('---\n');
  files['base/kustomization.yaml'] = stringify({
    resources: ['resources.yaml'],
    configMapGenerator: [{ name: 'cfg', literals: ['A=1'] }],
    secretGenerator: [{ name: 'sec', literals: ['p=x'] }],
    ...(maybe(0.3) ? { namePrefix: 'b-' } : {}),
  });
  const k: Record<string, unknown> = { resources: ['../base'] };
  if (maybe()) k.namespace = pick(['team', 'ns1', 'default']);
  if (maybe()) k.namePrefix = 'p-';
  if (maybe(0.3)) k.nameSuffix = '-s';
  if (maybe()) k.commonLabels = { env: pick(['dev', 'prod']) };
  if (maybe(0.4)) k.labels = [{ pairs: { tier: 'x' }, includeSelectors: maybe(), includeTemplates: maybe() }];
  if (maybe()) k.commonAnnotations = { note: pick(['a', 'true', 'long text with spaces']) };
  if (maybe())
    k.images = [
      { name: pick(['nginx', 'redis', 'registry.example.com/dw/dags']), newTag: pick(['2.0', '1.0.1']) },
    ];
  if (maybe(0.3)) k.replicas = [{ name: pick(names), count: 4 }];
  if (maybe()) k.configMapGenerator = [{ name: 'cfg', behavior: 'merge', literals: ['B=2'] }];
  if (maybe(0.3)) k.generatorOptions = { disableNameSuffixHash: maybe(), labels: { gen: 'yes' } };
  if (maybe(0.4)) {
    k.patches = [
      {
        target: { kind: pick(['Deployment', 'StatefulSet', 'CronJob', 'Service']) },
        patch: pick([
          '- op: add\n  path: /metadata/annotations/patched\n  value: "yes"',
          '- op: replace\n  path: /metadata/labels\n  value:\n    replaced: "true"',
        ]),
      },
      {
        patch: stringify({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: pick(names) },
          spec: {
            template: {
              spec: {
                containers: [{ name: pick(names), image: 'patched:1', env: [{ name: 'NEW', value: 'v' }] }],
              },
            },
          },
        }),
        target: { kind: 'Deployment' },
      },
    ];
  }
  if (maybe(0.3)) {
    k.replacements = [
      {
        source: { kind: 'ConfigMap', name: 'cfg', fieldPath: 'data.A' },
        targets: [
          {
            select: { kind: 'Deployment' },
            fieldPaths: ['metadata.annotations.from-cfg'],
            options: { create: true },
          },
        ],
      },
    ];
  }
  if (maybe(0.3)) {
    files['comp/kustomization.yaml'] = stringify({
      apiVersion: 'kustomize.config.k8s.io/v1alpha1',
      kind: 'Component',
      commonAnnotations: { component: 'on' },
      images: [{ name: 'redis', newName: 'mirror.example.com/redis' }],
    });
    k.components = ['../comp'];
  }
  files['o/kustomization.yaml'] = stringify(k);
  return files;
}

const n = Number(process.argv[2] ?? 50);
let diffs = 0;
let semantic = 0;
const docs = (y: string) =>
  parseAllDocuments(y).map((d) =>
    JSON.stringify(d.toJS(), (_k, v) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort()) : v,
    ),
  );
for (let i = 0; i < n; i++) {
  const root = mkdtempSync(join(tmpdir(), 'kfuzz-'));
  const files = caseFiles();
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), c);
  }
  const ref = referenceBuild(join(root, 'o'), [], reference.kubectl);
  let ours: string;
  let ok = true;
  try {
    ours = build(join(root, 'o'), { kustomizeVersion: reference.version }).yaml;
  } catch (err) {
    ok = false;
    ours = String(err);
  }
  if (ok !== ref.ok || (ok && ours !== ref.stdout)) {
    diffs++;
    const sem = ok !== ref.ok || JSON.stringify(docs(ours)) !== JSON.stringify(docs(ref.stdout));
    if (sem) semantic++;
    if (sem ? semantic <= 5 : diffs - semantic <= 2) {
      console.log(
        `${sem ? 'SEMANTIC' : 'BYTES'} ${root} (reference ${ref.ok ? 'ok' : `failed: ${ref.stderr.slice(0, 200)}`}; ours ${ok ? 'ok' : ours.slice(0, 200)})`,
      );
    }
  }
}
console.log(`${semantic} differ in content, ${diffs - semantic} only in bytes`);
console.log(`${n - diffs} passed, ${diffs} failed`);
