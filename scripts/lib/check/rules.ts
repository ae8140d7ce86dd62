// The repository rules: what a ValidatingAdmissionPolicy cannot see because it looks at one object
// at a time. They relate objects of one overlay to each other, overlays to the Argo CD
// Applications that deploy them, and the render to itself.
import { existsSync } from 'node:fs';
import { join, normalize, relative } from 'node:path';
import { checkBatchWindow } from '../capacity/index.ts';
import { isMap, type JsonMap, type JsonValue } from '../json.ts';
import type { Resource } from '../kustomize/api.ts';
import { KUSTOMIZATION_FILE_NAMES } from '../kustomize/kustomization.ts';
import { type Action, type Finding, objectRef } from './findings.ts';

export interface RenderedUnit {
  /** Overlay env name, or `cluster/<name>` for a directory under clusters/. */
  env: string;
  dir: string;
  kind: 'overlay' | 'cluster';
  resources: Resource[];
  yaml: string;
  /** Whether the render inflated Helm charts; false when known not to. */
  usedHelm?: boolean;
}

export interface RuleContext {
  repoRoot: string;
  units: RenderedUnit[];
  /** Renders a unit's directory again; used to prove the render is deterministic. */
  rerender?: (unit: RenderedUnit) => string;
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
const list = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : []);

function finding(
  ctx: RuleContext,
  unit: RenderedUnit,
  rule: string,
  action: Action,
  res: Resource | undefined,
  message: string,
): Finding {
  const ref = res ? objectRef(res.object) : { apiVersion: '', kind: '', namespace: '', name: '' };
  const f: Finding = { env: unit.env, policy: `repository/${rule}`, binding: '', action, ...ref, message };
  if (res?.origin) f.source = { file: relative(ctx.repoRoot, res.origin.file), line: res.origin.line };
  else if (!res) f.source = { file: relative(ctx.repoRoot, unit.dir) || '.' };
  return f;
}

function groupOf(apiVersion: string): string {
  const i = apiVersion.indexOf('/');
  return i < 0 ? '' : apiVersion.slice(0, i);
}

/** Does a label selector (matchLabels + matchExpressions) select these labels? */
export function selectorMatches(selector: JsonValue | undefined, labels: JsonMap): boolean {
  if (!isMap(selector)) return false;
  const matchLabels = isMap(selector.matchLabels) ? selector.matchLabels : {};
  const exprs = list(selector.matchExpressions);
  if (Object.keys(matchLabels).length === 0 && exprs.length === 0) return true;
  for (const [k, v] of Object.entries(matchLabels)) if (labels[k] !== v) return false;
  for (const e of exprs) {
    if (!isMap(e)) return false;
    const key = str(e.key);
    const values = list(e.values).map(String);
    const has = key in labels;
    switch (e.operator) {
      case 'In':
        if (!has || !values.includes(String(labels[key]))) return false;
        break;
      case 'NotIn':
        if (has && values.includes(String(labels[key]))) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** A ScaledObject's target exists in the same overlay and leaves replicas to KEDA. */
function scaledObjectTargets(ctx: RuleContext, unit: RenderedUnit): Finding[] {
  const out: Finding[] = [];
  for (const so of unit.resources) {
    if (so.object.kind !== 'ScaledObject' || groupOf(str(so.object.apiVersion)) !== 'keda.sh') continue;
    const ref = get(so.object, 'spec', 'scaleTargetRef');
    const name = str(get(ref, 'name'));
    const kind = str(get(ref, 'kind')) || 'Deployment';
    const apiVersion = str(get(ref, 'apiVersion')) || 'apps/v1';
    const ns = str(get(so.object, 'metadata', 'namespace'));
    if (!name) {
      out.push(finding(ctx, unit, 'scaledobject-target', 'Deny', so, 'spec.scaleTargetRef.name is empty'));
      continue;
    }
    const target = unit.resources.find(
      (r) =>
        r.object.kind === kind &&
        groupOf(str(r.object.apiVersion)) === groupOf(apiVersion) &&
        str(get(r.object, 'metadata', 'name')) === name &&
        str(get(r.object, 'metadata', 'namespace')) === ns,
    );
    if (!target) {
      out.push(
        finding(
          ctx,
          unit,
          'scaledobject-target',
          'Deny',
          so,
          `scale target ${kind} "${name}" is not rendered in this overlay${ns ? ` (namespace ${ns})` : ''}`,
        ),
      );
      continue;
    }
    if (get(target.object, 'spec', 'replicas') !== undefined) {
      out.push(
        finding(
          ctx,
          unit,
          'scaledobject-target',
          'Deny',
          target,
          `${kind} "${name}" is scaled by ScaledObject "${str(get(so.object, 'metadata', 'name'))}" and must not set spec.replicas (Argo CD and the HPA would fight over it)`,
        ),
      );
    }
  }
  return out;
}

/** Paths of an Application's sources, normalised relative to the repository root. */
function applicationPaths(app: JsonMap): string[] {
  const sources = [get(app, 'spec', 'source'), ...list(get(app, 'spec', 'sources'))].filter(isMap);
  return sources.map((s) => str(s.path)).filter((p) => p !== '');
}

function normPath(p: string): string {
  return normalize(p).replace(/\/+$/, '');
}

function hasKustomization(dir: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.some((f) => existsSync(join(dir, f)));
}

/** Every overlay has exactly one Application; every Application's path exists; an overlay with a
 * ScaledObject is deployed ignoring the replicas KEDA manages. */
function applications(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const apps: { unit: RenderedUnit; res: Resource; paths: string[] }[] = [];
  for (const unit of ctx.units) {
    for (const res of unit.resources) {
      if (res.object.kind !== 'Application' || groupOf(str(res.object.apiVersion)) !== 'argoproj.io')
        continue;
      const paths = applicationPaths(res.object);
      apps.push({ unit, res, paths });
      for (const p of paths) {
        if (!hasKustomization(join(ctx.repoRoot, p)))
          out.push(
            finding(
              ctx,
              unit,
              'application-path',
              'Deny',
              res,
              `source path "${p}" has no kustomization in this repository`,
            ),
          );
      }
    }
  }
  for (const unit of ctx.units) {
    if (unit.kind !== 'overlay') continue;
    const rel = normPath(relative(ctx.repoRoot, unit.dir));
    const mine = apps.filter((a) => a.paths.some((p) => normPath(p) === rel));
    if (mine.length !== 1) {
      out.push(
        finding(
          ctx,
          unit,
          'application-per-overlay',
          'Deny',
          undefined,
          mine.length === 0
            ? `no Argo CD Application deploys ${rel}; add one under clusters/<cluster>/`
            : `${mine.length} Applications deploy ${rel} (${mine.map((a) => str(get(a.res.object, 'metadata', 'name'))).join(', ')}); exactly one must`,
        ),
      );
      continue;
    }
    const app = mine[0] as (typeof mine)[number];
    const scaled = unit.resources.filter((r) => r.object.kind === 'ScaledObject');
    if (scaled.length === 0) continue;
    const syncOptions = list(get(app.res.object, 'spec', 'syncPolicy', 'syncOptions')).map(String);
    if (!syncOptions.includes('RespectIgnoreDifferences=true'))
      out.push(
        finding(
          ctx,
          app.unit,
          'application-ignores-replicas',
          'Deny',
          app.res,
          `deploys ${rel}, whose replicas KEDA manages, without syncOptions RespectIgnoreDifferences=true`,
        ),
      );
    const ignores = list(get(app.res.object, 'spec', 'ignoreDifferences')).filter(isMap);
    for (const so of scaled) {
      const target = str(get(so.object, 'spec', 'scaleTargetRef', 'name'));
      const kind = str(get(so.object, 'spec', 'scaleTargetRef', 'kind')) || 'Deployment';
      const covered = ignores.some(
        (d) =>
          str(d.kind) === kind &&
          (str(d.group) === 'apps' || kind !== 'Deployment') &&
          (d.name === undefined || str(d.name) === target) &&
          (list(d.jsonPointers).map(String).includes('/spec/replicas') ||
            list(d.jqPathExpressions).map(String).includes('.spec.replicas') ||
            list(d.managedFieldsManagers).map(String).includes('kube-controller-manager')),
      );
      if (!covered)
        out.push(
          finding(
            ctx,
            app.unit,
            'application-ignores-replicas',
            'Deny',
            app.res,
            `deploys ${rel} but does not ignore /spec/replicas of ${kind} "${target}", which ScaledObject "${str(get(so.object, 'metadata', 'name'))}" scales; add it to spec.ignoreDifferences`,
          ),
        );
    }
  }
  return out;
}

/** No Secret with plaintext data reaches the rendered output (git would hold it in the clear). */
function plaintextSecrets(ctx: RuleContext, unit: RenderedUnit): Finding[] {
  const out: Finding[] = [];
  for (const r of unit.resources) {
    if (r.object.kind !== 'Secret' || str(r.object.apiVersion) !== 'v1') continue;
    const keys = [
      ...Object.keys(isMap(r.object.data) ? r.object.data : {}),
      ...Object.keys(isMap(r.object.stringData) ? r.object.stringData : {}),
    ];
    if (keys.length > 0)
      out.push(
        finding(
          ctx,
          unit,
          'no-plaintext-secrets',
          'Deny',
          r,
          `Secret holds data in git (${keys.join(', ')}); reference a Secret provisioned out of band instead`,
        ),
      );
  }
  return out;
}

/** A scheduler running more than one replica has a PodDisruptionBudget covering its pods. */
function schedulerPdb(ctx: RuleContext, unit: RenderedUnit): Finding[] {
  const out: Finding[] = [];
  const pdbs = unit.resources.filter((r) => r.object.kind === 'PodDisruptionBudget');
  const nsLabels = new Map<string, JsonMap>();
  for (const r of unit.resources)
    if (r.object.kind === 'Namespace')
      nsLabels.set(
        str(get(r.object, 'metadata', 'name')),
        (get(r.object, 'metadata', 'labels') ?? {}) as JsonMap,
      );
  for (const r of unit.resources) {
    if (r.object.kind !== 'Deployment' && r.object.kind !== 'StatefulSet') continue;
    const labels = (get(r.object, 'metadata', 'labels') ?? {}) as JsonMap;
    if (labels.component !== 'scheduler') continue;
    const ns = str(get(r.object, 'metadata', 'namespace'));
    const podLabels = (get(r.object, 'spec', 'template', 'metadata', 'labels') ?? {}) as JsonMap;
    const covered = pdbs.some(
      (p) =>
        str(get(p.object, 'metadata', 'namespace')) === ns &&
        selectorMatches(get(p.object, 'spec', 'selector'), podLabels),
    );
    if (covered) continue;
    const prod = nsLabels.get(ns)?.environment === 'prod' || unit.env === 'prod';
    out.push(
      finding(
        ctx,
        unit,
        'scheduler-pdb',
        prod ? 'Deny' : 'Warn',
        r,
        'no PodDisruptionBudget selects the scheduler pods; a node drain could stop every scheduler at once',
      ),
    );
  }
  return out;
}

/** Two renders of the same inputs are the same bytes (no random names, no timestamps). */
function deterministic(ctx: RuleContext, unit: RenderedUnit): Finding[] {
  // the kustomize engine reads no clock and no random source: only a Helm chart (randAlphaNum,
  // now, genCA...) can render differently twice, so only renders that inflated one are repeated
  if (!ctx.rerender || unit.usedHelm === false) return [];
  const again = ctx.rerender(unit);
  if (again === unit.yaml) return [];
  const a = unit.yaml.split('\n');
  const b = again.split('\n');
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  return [
    finding(
      ctx,
      unit,
      'deterministic-render',
      'Deny',
      undefined,
      `two renders differ, first at output line ${i + 1}: "${a[i] ?? ''}" vs "${b[i] ?? ''}"`,
    ),
  ];
}

/** The declared batch window is covered by the cron floor; sync windows do not fight it. */
function batchWindows(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  const all = ctx.units.flatMap((u) => u.resources.map((r) => ({ unit: u, res: r })));
  for (const unit of ctx.units) {
    if (unit.kind !== 'overlay') continue;
    const rel = normPath(relative(ctx.repoRoot, unit.dir));
    const app = all.find(
      (a) =>
        a.res.object.kind === 'Application' &&
        applicationPaths(a.res.object).some((p) => normPath(p) === rel),
    );
    const projectName = app ? str(get(app.res.object, 'spec', 'project')) : '';
    const project = all.find(
      (a) => a.res.object.kind === 'AppProject' && str(get(a.res.object, 'metadata', 'name')) === projectName,
    );
    const objects = unit.resources.map((r) => r.object);
    for (const f of checkBatchWindow(
      objects,
      project?.res.object,
      app ? str(get(app.res.object, 'metadata', 'name')) : undefined,
    )) {
      const res =
        f.kind === 'AppProject'
          ? project?.res
          : unit.resources.find(
              (r) => r.object.kind === f.kind && str(get(r.object, 'metadata', 'name')) === f.name,
            );
      out.push(finding(ctx, unit, 'batch-window', f.severity === 'deny' ? 'Deny' : 'Warn', res, f.message));
    }
  }
  return out;
}

export function repositoryRules(ctx: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const unit of ctx.units) {
    out.push(...scaledObjectTargets(ctx, unit), ...plaintextSecrets(ctx, unit), ...schedulerPdb(ctx, unit));
    out.push(...deterministic(ctx, unit));
  }
  out.push(...applications(ctx), ...batchWindows(ctx));
  return out;
}
