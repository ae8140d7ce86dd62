// `gitops check [ENV|OVERLAY...]`: the gate. Renders every environment in-process (and the Argo CD
// Applications under clusters/), validates schemas, evaluates policies/ and the repository rules.
// Exit 0: nothing denied (warnings printed); 1: something denied; 2: broken input.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, relative } from 'node:path';
import { parseCommandLine } from './lib/args.ts';
import { objectRef } from './lib/check/findings.ts';
import {
  type CheckResult,
  type Finding,
  type RenderedUnit,
  renderUnits,
  runCheckOn,
  standardStages,
} from './lib/check/index.ts';
import { FORMATS, type Format, formatFindings, objectLabel } from './lib/check/report.ts';
import { SourceError } from './lib/errors.ts';
import { DEFAULT_KUSTOMIZE_VERSION, parseKustomizeVersion } from './lib/kustomize/version.ts';
import { toolPackage } from './lib/pkg.ts';

const USAGE = `usage: gitops check [ENV|OVERLAY...] [--format text|json|junit|sarif|codequality] [--output FORMAT=FILE]...
                    [--ignore-missing-schemas] [--enable-helm] [--kustomize-version 5.8.1|5.7.1] [--quiet]
                    [--server-dry-run [--context NAME]]`;

function parseFormat(value: string, flag: string): Format {
  if ((FORMATS as readonly string[]).includes(value)) return value as Format;
  throw new SourceError('USAGE', `${flag}: unknown format "${value}"`, {
    hint: `formats: ${FORMATS.join(', ')}`,
  });
}

export function formatCheck(format: Format, result: CheckResult): string {
  if (format === 'text') return result.report;
  const objectsByEnv: Record<string, string[]> = {};
  for (const u of result.units) objectsByEnv[u.env] = u.resources.map((r) => objectLabel(r.object));
  return formatFindings(format, result.findings, {
    summary: { ...result.totals, policyDigest: result.policyDigest, renderedDigest: result.renderedDigest },
    objectsByEnv,
    toolVersion: toolPackage().version,
  });
}

/** Sends each rendered object of every environment to the cluster as a server-side dry run. */
async function serverDryRun(units: RenderedUnit[], repoRoot: string, context?: string): Promise<Finding[]> {
  const { connect } = await import('./lib/cluster/client.ts');
  const cluster = connect({ context });
  const out: Finding[] = [];
  for (const u of units) {
    if (u.kind !== 'overlay') continue;
    for (const r of u.resources) {
      const verdict = await cluster.dryRunApply(r.object);
      if (!verdict) continue;
      out.push({
        env: u.env,
        policy: 'server-dry-run',
        binding: '',
        action: 'Deny',
        ...objectRef(r.object),
        message: `${cluster.server} rejects it (${verdict.status}): ${verdict.message}`,
        source: r.origin ? { file: relative(repoRoot, r.origin.file), line: r.origin.line } : undefined,
      });
    }
  }
  return out;
}

function writeAtomic(file: string, text: string): void {
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(
    argv,
    {
      format: { type: 'string', default: 'text' },
      output: { type: 'string', multiple: true },
      'ignore-missing-schemas': { type: 'boolean' },
      'enable-helm': { type: 'boolean' },
      'kustomize-version': { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      'server-dry-run': { type: 'boolean' },
      context: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  const v = parsed.values as Record<string, string | string[] | boolean | undefined>;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const format = parseFormat(String(v.format), '--format');
  const outputs = ((v.output as string[] | undefined) ?? []).map((spec) => {
    const eq = spec.indexOf('=');
    if (eq <= 0) throw new SourceError('USAGE', `--output ${spec}: expected FORMAT=FILE`, { hint: USAGE });
    return { format: parseFormat(spec.slice(0, eq), '--output'), file: spec.slice(eq + 1) };
  });
  const repoRoot = process.cwd();
  const build = {
    enableHelm: v['enable-helm'] === true,
    kustomizeVersion: parseKustomizeVersion(
      (v['kustomize-version'] as string | undefined) ?? DEFAULT_KUSTOMIZE_VERSION,
    ),
  };
  const units = renderUnits(repoRoot, parsed.positionals, build);
  if (!units.some((u) => u.kind === 'overlay'))
    throw new SourceError('NO_OVERLAYS', 'no overlays to check', {
      hint: 'run from the repository root, which has overlays/<env>/kustomization.yaml',
    });
  const stages = await standardStages(repoRoot, {
    ignoreMissingSchemas: v['ignore-missing-schemas'] === true,
  });
  const extraFindings = v['server-dry-run']
    ? await serverDryRun(units, repoRoot, v.context as string | undefined)
    : [];
  const result = runCheckOn(units, { repoRoot, build, stages, extraFindings });
  for (const o of outputs) writeAtomic(o.file, formatCheck(o.format, result));
  if (format === 'text' && v.quiet) process.stdout.write(`${result.summary}\n`);
  else process.stdout.write(formatCheck(format, result));
  return result.exitCode;
}
