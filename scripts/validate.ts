// `gitops validate [--policy FILE|DIR]... [--no-schema] [--crd FILE]... [--ignore-missing-schemas]
//   [--format text|json|junit|sarif|codequality] [--output FORMAT=FILE]... MANIFEST...`
// The checks of `gitops check` on any manifests, as `kyverno apply` or `conftest test` would run
// them. Files given with --policy may also hold parameter objects (ConfigMaps) for the bindings.

import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { parseCommandLine } from './lib/args.ts';
import { type Finding, objectRef, summarize } from './lib/check/findings.ts';
import { FORMATS, type Format, formatFindings, objectLabel, parseOutputs } from './lib/check/report.ts';
import { SourceError } from './lib/errors.ts';
import { isMap } from './lib/json.ts';
import { readYamlDocuments } from './lib/kustomize/yaml-io.ts';
import { toolPackage } from './lib/pkg.ts';
import { evaluatePolicies, loadPolicies, type SourceObject } from './lib/policy/index.ts';
import { createSchemaValidator } from './lib/schema/index.ts';

const USAGE = `usage: gitops validate [--policy FILE|DIR]... [--no-schema] [--crd FILE]... [--ignore-missing-schemas]
                       [--format ${FORMATS.join('|')}] [--output FORMAT=FILE]... MANIFEST|DIR...`;

/** YAML files under a path (a file, or a directory walked recursively; `examples/` skipped). */
export function yamlFiles(path: string, skipExamples = false): string[] {
  if (!existsSync(path)) throw new SourceError('NOT_FOUND', `${path}: no such file or directory`);
  if (!statSync(path).isDirectory()) return [path];
  const out: string[] = [];
  for (const e of readdirSync(path).sort()) {
    const p = join(path, e);
    if (statSync(p).isDirectory()) {
      if (!(skipExamples && e === 'examples')) out.push(...yamlFiles(p, skipExamples));
    } else if (/\.ya?ml$/.test(e)) out.push(p);
  }
  return out;
}

export function readManifests(files: string[]): SourceObject[] {
  const out: SourceObject[] = [];
  for (const file of files) {
    const rel = relative(process.cwd(), file) || file;
    for (const doc of readYamlDocuments(readFileSync(file, 'utf8'), rel)) {
      if (!isMap(doc.value))
        throw new SourceError('BAD_MANIFEST', 'expected a Kubernetes object (a YAML map)', {
          file: rel,
          line: doc.line,
        });
      const o = doc.value;
      if (String(o.kind ?? '').endsWith('List') && Array.isArray(o.items)) {
        for (const it of o.items)
          if (isMap(it)) out.push({ object: it, source: { file: rel, line: doc.line } });
      } else out.push({ object: o, source: { file: rel, line: doc.line } });
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
      policy: { type: 'string', multiple: true },
      'no-schema': { type: 'boolean' },
      crd: { type: 'string', multiple: true },
      'ignore-missing-schemas': { type: 'boolean' },
      format: { type: 'string', default: 'text' },
      output: { type: 'string', multiple: true },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  const v = parsed.values as Record<string, string | string[] | boolean | undefined>;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const format = String(v.format) as Format;
  if (!(FORMATS as readonly string[]).includes(format))
    throw new SourceError('USAGE', `--format: unknown format "${format}"`, { hint: USAGE });
  let outputs: { format: Format; file: string }[];
  try {
    outputs = parseOutputs((v.output as string[] | undefined) ?? [], USAGE);
  } catch (err) {
    throw new SourceError('USAGE', (err as Error).message.split('\n')[0] as string, { hint: USAGE });
  }
  if (parsed.positionals.length === 0) throw new SourceError('USAGE', 'no manifests given', { hint: USAGE });

  const policyFiles = ((v.policy as string[] | undefined) ?? []).flatMap((p) => yamlFiles(p, true));
  const set = loadPolicies(
    policyFiles.map((p) => ({ path: relative(process.cwd(), p) || p, text: readFileSync(p, 'utf8') })),
  );
  const manifests = readManifests(parsed.positionals.flatMap((p) => yamlFiles(p)));

  // CRDs given with --crd, and any among the manifests, validate their custom resources
  const crds = [
    ...readManifests(((v.crd as string[] | undefined) ?? []).flatMap((p) => yamlFiles(p))).map(
      (m) => m.object,
    ),
    ...manifests.map((m) => m.object),
  ].filter((o) => o.kind === 'CustomResourceDefinition');

  const findings: Finding[] = [];
  if (!v['no-schema']) {
    const validator = createSchemaValidator({
      ignoreMissingSchemas: v['ignore-missing-schemas'] === true,
      crds,
    });
    for (const m of manifests) {
      for (const f of validator.validate(m.object))
        findings.push({
          policy: 'schema',
          binding: '',
          action: 'Deny',
          ...objectRef(m.object),
          message: f.path ? `${f.path}: ${f.message}` : f.message,
          source: m.source,
        });
    }
  }
  findings.push(...evaluatePolicies(set, manifests));

  const objectsByEnv: Record<string, string[]> = { '': manifests.map((m) => objectLabel(m.object)) };
  const summary = summarize(findings, { '': manifests.length });
  const pkg = toolPackage();
  const render = (fmt: Format): string => {
    if (fmt !== 'text')
      return formatFindings(fmt, findings, {
        summary: {
          objects: summary.objects,
          denied: summary.denied,
          warnings: summary.warnings,
          audits: summary.audits,
        },
        objectsByEnv,
        toolVersion: pkg.version,
      });
    const lines: string[] = [];
    for (const f of findings) {
      const where = f.source ? `${f.source.file}${f.source.line ? `:${f.source.line}` : ''}: ` : '';
      lines.push(
        `${where}${f.action.toLowerCase()} ${f.kind}/${f.name} ${f.binding ? `${f.policy} [${f.binding}]` : f.policy}: ${f.message}`,
      );
    }
    lines.push(
      `validate: ${summary.objects} objects, ${summary.denied} denied, ${summary.warnings} warnings`,
    );
    return `${lines.join('\n')}\n`;
  };
  for (const o of outputs) writeAtomic(o.file, render(o.format));
  process.stdout.write(render(format));
  return summary.denied > 0 ? 1 : 0;
}
