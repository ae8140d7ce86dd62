// What the toolkit asks of a cluster: the Argo CD Application of each environment (sync, health,
// revision, images running), waiting for a revision to be live, and the drift between the objects
// git renders and the live ones.
import { relative } from 'node:path';
import { imagesOf } from '../audit/ledger.ts';
import { renderUnits } from '../check/index.ts';
import { SourceError } from '../errors.ts';
import { isMap, type JsonMap, type JsonValue } from '../json.ts';
import type { Cluster } from './client.ts';

export interface EnvApp {
  env: string;
  /** The Application that deploys overlays/<env>, from the manifests under clusters/. */
  name: string;
  namespace: string;
  ignoreDifferences: JsonMap[];
  /** The rendered objects of the environment. */
  objects: JsonMap[];
}

const get = (v: JsonValue | undefined, ...path: string[]): JsonValue | undefined => {
  let cur = v;
  for (const p of path) {
    if (!isMap(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
};
const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');

/** Every environment (or the named ones) with the Application that deploys it. */
export function environments(repoRoot: string, envs: string[] = []): EnvApp[] {
  const units = renderUnits(repoRoot, envs);
  const apps = units
    .filter((u) => u.kind === 'cluster')
    .flatMap((u) => u.resources.map((r) => r.object))
    .filter((o) => o.kind === 'Application' && str(o.apiVersion).startsWith('argoproj.io/'));
  return units
    .filter((u) => u.kind === 'overlay')
    .map((u) => {
      const rel = relative(repoRoot, u.dir);
      const app = apps.find((a) =>
        [
          get(a, 'spec', 'source'),
          ...(Array.isArray(get(a, 'spec', 'sources')) ? (get(a, 'spec', 'sources') as JsonValue[]) : []),
        ].some((s) => str(get(s, 'path')).replace(/\/+$/, '') === rel),
      );
      if (!app)
        throw new SourceError('NO_APPLICATION', `no Argo CD Application under clusters/ deploys ${rel}`, {
          hint: 'add one (see clusters/README or `gitops check`)',
        });
      return {
        env: u.env,
        name: str(get(app, 'metadata', 'name')),
        namespace: str(get(app, 'metadata', 'namespace')) || 'argocd',
        ignoreDifferences: (Array.isArray(get(app, 'spec', 'ignoreDifferences'))
          ? (get(app, 'spec', 'ignoreDifferences') as JsonValue[])
          : []
        ).filter(isMap),
        objects: u.resources.map((r) => r.object),
      };
    });
}

export interface AppStatus {
  env: string;
  application: string;
  sync: string;
  health: string;
  revision: string;
  syncedAt: string;
  operation: { phase: string; message: string } | null;
  imagesLive: string[];
  imagesGit: string[];
  /** Images in git that the cluster does not run, and the reverse. */
  imagesOnlyInGit: string[];
  imagesOnlyLive: string[];
  degraded: { kind: string; name: string; namespace: string; message: string }[];
  history: { revision: string; deployedAt: string }[];
}

export async function fetchApplication(cluster: Cluster, app: EnvApp): Promise<JsonMap> {
  return (await cluster.getCustomObject(
    'argoproj.io',
    'v1alpha1',
    app.namespace,
    'applications',
    app.name,
  )) as JsonMap;
}

export function appStatus(app: EnvApp, live: JsonMap): AppStatus {
  const status = (live.status ?? {}) as JsonMap;
  const history = (Array.isArray(status.history) ? status.history : []).filter(isMap).map((h) => ({
    revision: str(h.revision) || str((Array.isArray(h.revisions) ? h.revisions[0] : '') as JsonValue),
    deployedAt: str(h.deployedAt),
  }));
  const op = get(status, 'operationState');
  const imagesLive = (
    Array.isArray(get(status, 'summary', 'images')) ? (get(status, 'summary', 'images') as JsonValue[]) : []
  )
    .map(String)
    .sort();
  const imagesGit = [...imagesOf(app.objects).values()].flat().sort();
  const degraded = (Array.isArray(status.resources) ? status.resources : [])
    .filter(isMap)
    .filter((r) => ['Degraded', 'Missing'].includes(str(get(r, 'health', 'status'))))
    .map((r) => ({
      kind: str(r.kind),
      name: str(r.name),
      namespace: str(r.namespace),
      message: `${str(get(r, 'health', 'status'))}${str(get(r, 'health', 'message')) ? `: ${str(get(r, 'health', 'message'))}` : ''}`,
    }));
  return {
    env: app.env,
    application: `${app.namespace}/${app.name}`,
    sync: str(get(status, 'sync', 'status')) || 'Unknown',
    health: str(get(status, 'health', 'status')) || 'Unknown',
    revision: str(get(status, 'sync', 'revision')),
    syncedAt:
      str(get(op, 'finishedAt')) || history[history.length - 1]?.deployedAt || str(status.reconciledAt),
    operation: isMap(op) ? { phase: str(op.phase), message: str(op.message) } : null,
    imagesLive,
    imagesGit,
    imagesOnlyInGit: imagesGit.filter((i) => !imagesLive.includes(i)),
    imagesOnlyLive: imagesLive.filter((i) => !imagesGit.includes(i)),
    degraded,
    history,
  };
}

/** Is the Application live at the wanted revision? `done`, `failed` (stop waiting) or `pending`. */
export function waitVerdict(
  s: AppStatus,
  revision: string | undefined,
): { state: 'done' | 'failed' | 'pending'; why: string } {
  const atRevision = !revision || s.revision.startsWith(revision) || revision.startsWith(s.revision || '\0');
  if (atRevision && s.sync === 'Synced' && s.health === 'Healthy')
    return { state: 'done', why: `Synced and Healthy at ${s.revision.slice(0, 12)}` };
  // a failed sync of the wanted revision will not heal by waiting
  if (s.operation && ['Failed', 'Error'].includes(s.operation.phase) && atRevision)
    return { state: 'failed', why: `sync ${s.operation.phase.toLowerCase()}: ${s.operation.message}` };
  const reasons: string[] = [];
  if (!atRevision)
    reasons.push(`at revision ${s.revision.slice(0, 12) || '(none)'}, waiting for ${revision?.slice(0, 12)}`);
  if (s.sync !== 'Synced') reasons.push(`sync ${s.sync}`);
  if (s.health !== 'Healthy') reasons.push(`health ${s.health}`);
  for (const d of s.degraded)
    reasons.push(`${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name} ${d.message}`);
  if (s.operation?.phase && s.operation.phase !== 'Succeeded')
    reasons.push(`operation ${s.operation.phase}: ${s.operation.message}`);
  return { state: 'pending', why: reasons.join('; ') };
}

export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new SourceError('USAGE', `"${text}" is not a duration`, { hint: 'use e.g. 90s, 10m or 1h' });
  const n = Number(m[1]);
  return n * ({ ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] as number);
}

export async function waitFor(
  cluster: Cluster,
  app: EnvApp,
  opts: { revision?: string; timeoutMs: number; intervalMs: number; onProgress?: (why: string) => void },
): Promise<{ ok: boolean; status: AppStatus; why: string }> {
  const deadline = Date.now() + opts.timeoutMs;
  let last = '';
  while (true) {
    const s = appStatus(app, await fetchApplication(cluster, app));
    const v = waitVerdict(s, opts.revision);
    if (v.state === 'done') return { ok: true, status: s, why: v.why };
    if (v.state === 'failed') return { ok: false, status: s, why: v.why };
    if (v.why !== last) opts.onProgress?.(v.why);
    last = v.why;
    if (Date.now() + opts.intervalMs > deadline)
      return {
        ok: false,
        status: s,
        why: `timed out after ${Math.round(opts.timeoutMs / 1000)} s: ${v.why}`,
      };
    await new Promise((r) => setTimeout(r, opts.intervalMs));
  }
}

// ---- drift -------------------------------------------------------------------------------------

const IGNORED_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'selfLink',
  'ownerReferences',
  'finalizers',
  'deletionTimestamp',
];
const IGNORED_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'argocd.argoproj.io/tracking-id',
  'deployment.kubernetes.io/revision',
];
const IGNORED_LABELS = ['app.kubernetes.io/instance'];

const QUANTITY = /^([+-]?[0-9.]+)([eE][+-]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?$/;
const SUFFIX: Record<string, number> = {
  '': 1,
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

function quantityValue(v: JsonValue): number | null {
  const s = typeof v === 'number' ? String(v) : typeof v === 'string' ? v : null;
  if (s === null) return null;
  const m = QUANTITY.exec(s);
  if (!m) return null;
  const suffix = m[2] ?? '';
  const mult = /^[eE]/.test(suffix) ? 10 ** Number(suffix.slice(1)) : (SUFFIX[suffix] as number);
  return Number(m[1]) * mult;
}

function pointerOf(path: string[]): string {
  return `/${path.map((p) => p.replaceAll('~', '~0').replaceAll('/', '~1')).join('/')}`;
}

export interface DriftItem {
  object: string;
  kind: 'missing' | 'changed';
  changes: { path: string; git: string; live: string }[];
}

/** Fields of the rendered object that the live object lacks or holds differently. Fields only the
 * live object has (defaults, controllers' additions) are expected and ignored, as Argo CD's
 * normalisation does for fields git never set. */
export function compareObject(
  desired: JsonValue,
  live: JsonValue,
  path: string[],
  ignored: Set<string>,
  out: DriftItem['changes'],
): void {
  if (ignored.has(pointerOf(path))) return;
  if (isMap(desired)) {
    if (!isMap(live)) {
      out.push({ path: pointerOf(path), git: JSON.stringify(desired), live: JSON.stringify(live ?? null) });
      return;
    }
    for (const [k, v] of Object.entries(desired)) {
      if (path.length === 0 && k === 'status') continue;
      if (path.length === 1 && path[0] === 'metadata' && IGNORED_METADATA.includes(k)) continue;
      if (
        path.length === 2 &&
        path[0] === 'metadata' &&
        path[1] === 'annotations' &&
        IGNORED_ANNOTATIONS.includes(k)
      )
        continue;
      if (path.length === 2 && path[0] === 'metadata' && path[1] === 'labels' && IGNORED_LABELS.includes(k))
        continue;
      compareObject(v, live[k] as JsonValue, [...path, k], ignored, out);
    }
    return;
  }
  if (Array.isArray(desired)) {
    if (!Array.isArray(live) || live.length !== desired.length) {
      out.push({ path: pointerOf(path), git: JSON.stringify(desired), live: JSON.stringify(live ?? null) });
      return;
    }
    desired.forEach((d, i) => {
      compareObject(d, live[i] as JsonValue, [...path, String(i)], ignored, out);
    });
    return;
  }
  if (desired === live || String(desired) === String(live)) return;
  const inResources = path.includes('resources') || path.includes('capacity') || path.includes('storage');
  if (inResources) {
    const a = quantityValue(desired);
    const b = quantityValue(live);
    if (a !== null && b !== null && Math.abs(a - b) <= Math.abs(a) * 1e-12) return;
  }
  out.push({
    path: pointerOf(path),
    git: JSON.stringify(desired),
    live: live === undefined ? '(absent)' : JSON.stringify(live),
  });
}

function ignoredPointers(app: EnvApp, object: JsonMap): Set<string> {
  const out = new Set<string>();
  const group = str(object.apiVersion).includes('/') ? str(object.apiVersion).split('/')[0] : '';
  for (const d of app.ignoreDifferences) {
    if (str(d.kind) !== str(object.kind)) continue;
    if ((str(d.group) || '') !== group) continue;
    if (d.name !== undefined && str(d.name) !== str(get(object, 'metadata', 'name'))) continue;
    if (d.namespace !== undefined && str(d.namespace) !== str(get(object, 'metadata', 'namespace'))) continue;
    for (const p of Array.isArray(d.jsonPointers) ? d.jsonPointers : []) out.add(String(p));
  }
  // replicas that KEDA owns even when the Application forgot to say so
  for (const so of app.objects) {
    if (so.kind !== 'ScaledObject') continue;
    if (
      str(get(so, 'spec', 'scaleTargetRef', 'name')) === str(get(object, 'metadata', 'name')) &&
      (str(get(so, 'spec', 'scaleTargetRef', 'kind')) || 'Deployment') === object.kind
    )
      out.add('/spec/replicas');
  }
  return out;
}

function isHook(object: JsonMap): boolean {
  return (
    Boolean(get(object, 'metadata', 'annotations', 'argocd.argoproj.io/hook')) ||
    Boolean(get(object, 'metadata', 'annotations', 'helm.sh/hook'))
  );
}

export async function drift(cluster: Cluster, app: EnvApp): Promise<DriftItem[]> {
  const items: DriftItem[] = [];
  for (const object of app.objects) {
    if (isHook(object)) continue; // hooks run and are deleted by design
    const meta = (object.metadata ?? {}) as JsonMap;
    const label = `${str(object.kind)} ${meta.namespace ? `${str(meta.namespace)}/` : ''}${str(meta.name)}`;
    const live = await cluster.read(
      str(object.apiVersion),
      str(object.kind),
      str(meta.namespace) || undefined,
      str(meta.name),
    );
    if (!live) {
      items.push({ object: label, kind: 'missing', changes: [] });
      continue;
    }
    const changes: DriftItem['changes'] = [];
    compareObject(object, live as JsonMap, [], ignoredPointers(app, object), changes);
    if (changes.length) items.push({ object: label, kind: 'changed', changes });
  }
  return items;
}

export function formatDrift(env: string, items: DriftItem[]): string {
  if (items.length === 0) return `${env}: no drift\n`;
  const lines = [`${env}: ${items.length} object(s) drifted`];
  for (const i of items) {
    if (i.kind === 'missing') {
      lines.push(`  - ${i.object}: in git, missing from the cluster`);
      continue;
    }
    lines.push(`  ~ ${i.object}`);
    for (const c of i.changes) lines.push(`      ${c.path}: git ${c.git}, live ${c.live}`);
  }
  return `${lines.join('\n')}\n`;
}

/** The flags of the commands that look at a cluster (`status`, `drift`). */
export const CLUSTER_VIEW_FLAGS = {
  env: { type: 'string', multiple: true },
  context: { type: 'string' },
  format: { type: 'string', default: 'text' },
  help: { type: 'boolean', short: 'h' },
} as const;
