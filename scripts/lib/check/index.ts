// The gate every change passes: render each environment in-process, validate every object against
// its schema, evaluate the ValidatingAdmissionPolicies under policies/, apply the repository rules.
// `gitops check`, `gitops bump-image` and `gitops promote` all run it; its digests go into the
// commit trailers the audit reads.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { BuildOptions } from '../kustomize/api.ts';
import { build } from '../kustomize/index.ts';
import { KUSTOMIZATION_FILE_NAMES } from '../kustomize/kustomization.ts';
import { toolPackage } from '../pkg.ts';
import { evaluatePolicies, loadPolicies } from '../policy/index.ts';
import { selectOverlays } from '../render/overlays.ts';
import { createSchemaValidator } from '../schema/index.ts';
import { type Finding, objectRef, type Summary, summarize } from './findings.ts';
import { type RenderedUnit, repositoryRules } from './rules.ts';

export type { Finding, Summary } from './findings.ts';
export type { RenderedUnit } from './rules.ts';

/** A stage of the gate beside the repository rules: schema validation, policies, ... */
export interface CheckStage {
  name: string;
  /** Findings for the objects of one rendered unit. */
  run(unit: RenderedUnit, repoRoot: string): Finding[];
  /** Inputs that decide the verdict (policy files...), folded into the policy digest. */
  digestInputs?: string[];
}

export interface CheckOptions {
  repoRoot: string;
  /** Environment names or overlay paths; none means every overlay. */
  envs?: string[];
  build?: BuildOptions;
  /** Extra stages (schema validation, policies); the CLI supplies the standard ones. */
  stages?: CheckStage[];
  /** Skip the second render that proves determinism (the bump flow re-renders anyway). */
  skipDeterminism?: boolean;
  /** Findings computed elsewhere (the server-side dry run), reported with the rest. */
  extraFindings?: Finding[];
}

export interface CheckResult {
  exitCode: 0 | 1 | 2;
  denied: number;
  warnings: number;
  findings: Finding[];
  totals: Summary;
  /** The text report, grouped by environment and object. */
  report: string;
  /** One line, e.g. `check: 3 environments, 182 objects, 0 denied, 1 warning`. */
  summary: string;
  /** sha256 over the tool version, every stage's inputs (policy files) and the rules' version. */
  policyDigest: string;
  /** sha256 of each unit's rendered output, by env. */
  renderedDigest: Record<string, string>;
  units: RenderedUnit[];
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function hasKustomization(dir: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.some((f) => existsSync(join(dir, f)));
}

/** Directories under clusters/ that are kustomizations (each holds an AppProject and Applications). */
export function listClusters(repoRoot: string): { name: string; dir: string }[] {
  const base = join(repoRoot, 'clusters');
  if (!existsSync(base)) return [];
  return readdirSync(base, { withFileTypes: true })
    .filter((e) => e.isDirectory() && hasKustomization(join(base, e.name)))
    .map((e) => ({ name: e.name, dir: join(base, e.name) }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

export function renderUnits(
  repoRoot: string,
  envs: string[] = [],
  options: BuildOptions = {},
): RenderedUnit[] {
  const units: RenderedUnit[] = [];
  for (const o of selectOverlays(repoRoot, envs)) {
    const r = build(o.dir, options);
    units.push({
      env: o.env,
      dir: o.dir,
      kind: 'overlay',
      resources: r.resources,
      yaml: r.yaml,
      usedHelm: r.usedHelm,
    });
  }
  for (const c of listClusters(repoRoot)) {
    const r = build(c.dir, options);
    units.push({
      env: `cluster/${c.name}`,
      dir: c.dir,
      kind: 'cluster',
      usedHelm: r.usedHelm,
      resources: r.resources,
      yaml: r.yaml,
    });
  }
  return units;
}

const RULES_VERSION = 'repository-rules/1';

function toolVersion(): string {
  const pkg = toolPackage();
  return `${pkg.name}@${pkg.version}`;
}

export function runCheckOn(units: RenderedUnit[], opts: CheckOptions): CheckResult {
  const { repoRoot } = opts;
  const stages = opts.stages ?? [];
  const findings: Finding[] = [];
  for (const unit of units) for (const stage of stages) findings.push(...stage.run(unit, repoRoot));
  findings.push(...(opts.extraFindings ?? []));
  findings.push(
    ...repositoryRules({
      repoRoot,
      units,
      rerender: opts.skipDeterminism ? undefined : (u) => build(u.dir, opts.build ?? {}).yaml,
    }),
  );
  const objectsByEnv: Record<string, number> = {};
  for (const u of units) objectsByEnv[u.env] = u.resources.length;
  const summary = summarize(findings, objectsByEnv);
  const digestParts = [
    toolVersion(),
    RULES_VERSION,
    ...stages.flatMap((s) => [s.name, ...(s.digestInputs ?? [])]),
  ];
  const renderedDigest: Record<string, string> = {};
  for (const u of units) renderedDigest[u.env] = sha256(u.yaml);
  const exitCode = summary.denied > 0 ? 1 : 0;
  return {
    exitCode,
    denied: summary.denied,
    warnings: summary.warnings,
    findings,
    totals: summary,
    report: textReport(findings, summary, repoRoot, units),
    summary: summaryLine(summary, units),
    policyDigest: sha256(digestParts.join('\0')),
    renderedDigest,
    units,
  };
}

export function summaryLine(s: Summary, units: RenderedUnit[]): string {
  const envs = units.filter((u) => u.kind === 'overlay').length;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `check: ${plural(envs, 'environment')}, ${plural(s.objects, 'object')}, ${s.denied} denied, ${plural(s.warnings, 'warning')}`;
}

/** Grouped by environment, then object; each object names the file and line it came from. */
export function textReport(
  findings: Finding[],
  summary: Summary,
  repoRoot: string,
  units: RenderedUnit[],
): string {
  const lines: string[] = [];
  const byEnv = new Map<string, Finding[]>();
  for (const f of findings) {
    const k = f.env ?? '';
    const list = byEnv.get(k) ?? [];
    list.push(f);
    byEnv.set(k, list);
  }
  for (const u of units) {
    const s = summary.byEnv[u.env] ?? { objects: 0, denied: 0, warnings: 0 };
    const mark = s.denied > 0 ? 'FAIL' : s.warnings > 0 ? 'WARN' : 'ok  ';
    lines.push(
      `${mark} ${u.env} (${relative(repoRoot, u.dir)}): ${s.objects} objects, ${s.denied} denied, ${s.warnings} warnings`,
    );
    const fs = byEnv.get(u.env) ?? [];
    const byObject = new Map<string, Finding[]>();
    for (const f of fs) {
      const key = f.kind ? `${f.kind} ${f.namespace ? `${f.namespace}/` : ''}${f.name}` : '(overlay)';
      const list = byObject.get(key) ?? [];
      list.push(f);
      byObject.set(key, list);
    }
    for (const [obj, list] of byObject) {
      const src = list[0]?.source;
      lines.push(`  ${obj}${src ? `  (${src.file}${src.line ? `:${src.line}` : ''})` : ''}`);
      for (const f of list) {
        const who = f.binding ? `${f.policy} [${f.binding}]` : f.policy;
        lines.push(`    ${f.action.toLowerCase().padEnd(5)} ${who}: ${f.message}`);
      }
    }
  }
  lines.push(summaryLine(summary, units));
  return `${lines.join('\n')}\n`;
}

/** Render and check with the standard stages (schemas, policies/); the bump flow and the CLI call this. */
export async function runCheck(opts: CheckOptions): Promise<CheckResult> {
  const units = renderUnits(opts.repoRoot, opts.envs ?? [], opts.build ?? {});
  const stages = opts.stages ?? (await standardStages(opts.repoRoot));
  return runCheckOn(units, { ...opts, stages });
}

/** Schema validation and the repository's policies. */
export interface StageOptions {
  ignoreMissingSchemas?: boolean;
}

export async function standardStages(repoRoot: string, opts: StageOptions = {}): Promise<CheckStage[]> {
  return [schemaStage(opts), policyStage(repoRoot)];
}

/** The ValidatingAdmissionPolicies under policies/ (examples/ excluded), per environment. */
export function policyStage(repoRoot: string): CheckStage {
  const dir = join(repoRoot, 'policies');
  const files = existsSync(dir) ? yamlFilesUnder(dir) : [];
  const inputs = files.map((p) => ({ path: relative(repoRoot, p), text: readFileSync(p, 'utf8') }));
  const set = loadPolicies(inputs);
  return {
    name: 'policies',
    digestInputs: set.texts,
    run(unit, root) {
      const objects = unit.resources.map((r) => ({
        object: r.object,
        source: r.origin ? { file: relative(root, r.origin.file), line: r.origin.line } : undefined,
      }));
      return evaluatePolicies(set, objects).map((f) => ({ ...f, env: unit.env }));
    },
  };
}

function yamlFilesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'examples') out.push(...yamlFilesUnder(p));
    } else if (/\.ya?ml$/.test(e.name)) out.push(p);
  }
  return out;
}

/** Every object against its schema (Kubernetes, KEDA, Argo CD). */
export function schemaStage(opts: StageOptions = {}): CheckStage {
  const validators = new Map<string, ReturnType<typeof createSchemaValidator>>();
  return {
    name: 'schema',
    digestInputs: [`ignoreMissingSchemas=${opts.ignoreMissingSchemas === true}`],
    run(unit, repoRoot) {
      // CRDs rendered in this environment validate its custom resources
      const crds = unit.resources.map((r) => r.object).filter((o) => o.kind === 'CustomResourceDefinition');
      const key = JSON.stringify(crds);
      let validator = validators.get(key);
      if (!validator) {
        validator = createSchemaValidator({ ignoreMissingSchemas: opts.ignoreMissingSchemas, crds });
        validators.set(key, validator);
      }
      const out: Finding[] = [];
      for (const r of unit.resources) {
        for (const f of validator.validate(r.object)) {
          out.push({
            env: unit.env,
            policy: 'schema',
            binding: '',
            action: 'Deny',
            ...objectRef(r.object),
            message: f.path ? `${f.path}: ${f.message}` : f.message,
            source: r.origin ? { file: relative(repoRoot, r.origin.file), line: r.origin.line } : undefined,
          });
        }
      }
      return out;
    },
  };
}
