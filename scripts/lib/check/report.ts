// Machine-readable reports of findings, for CI: JSON (this tool's own shape), JUnit XML (GitLab
// and GitHub test reports), SARIF 2.1.0 (code scanning) and GitLab Code Quality.
import { createHash } from 'node:crypto';
import type { Finding, Summary } from './findings.ts';

export const FORMATS = ['text', 'json', 'junit', 'sarif', 'codequality'] as const;
export type Format = (typeof FORMATS)[number];

function objectName(f: Finding): string {
  return `${f.kind}${f.namespace ? ` ${f.namespace}/` : ' '}${f.name}`;
}

export function jsonReport(findings: Finding[], summary: Record<string, unknown>): string {
  const out = findings.map((f) => ({
    ...(f.env !== undefined ? { env: f.env } : {}),
    policy: f.policy,
    binding: f.binding,
    action: f.action,
    apiVersion: f.apiVersion,
    kind: f.kind,
    namespace: f.namespace,
    name: f.name,
    message: f.message,
    source: f.source ? { file: f.source.file, line: f.source.line ?? null } : null,
  }));
  return `${JSON.stringify({ findings: out, summary }, null, 2)}\n`;
}

const xml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );

/** One test suite per environment, one test case per (object, policy): failures are denials,
 * warnings are system-out. Objects without findings are passing cases. */
export function junitReport(findings: Finding[], objectsByEnv: Record<string, string[]>): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  const envs = Object.keys(objectsByEnv);
  const total = Object.values(objectsByEnv).reduce((n, l) => n + l.length, 0);
  const failures = findings.filter((f) => f.action === 'Deny').length;
  lines.push(`<testsuites name="gitops check" tests="${total}" failures="${failures}">`);
  for (const env of envs) {
    const objects = objectsByEnv[env] ?? [];
    const mine = findings.filter((f) => (f.env ?? '') === env);
    lines.push(
      `  <testsuite name="${xml(env || 'manifests')}" tests="${objects.length}" failures="${mine.filter((f) => f.action === 'Deny').length}">`,
    );
    for (const obj of objects) {
      const fs = mine.filter((f) => objectName(f) === obj);
      const file = fs[0]?.source?.file;
      lines.push(
        `    <testcase classname="${xml(env || 'manifests')}" name="${xml(obj)}"${file ? ` file="${xml(file)}"` : ''}>`,
      );
      for (const f of fs.filter((x) => x.action === 'Deny'))
        lines.push(
          `      <failure type="${xml(f.policy)}" message="${xml(f.message)}">${xml(`${f.policy}${f.binding ? ` [${f.binding}]` : ''}: ${f.message}`)}</failure>`,
        );
      const other = fs.filter((x) => x.action !== 'Deny');
      if (other.length)
        lines.push(
          `      <system-out>${xml(other.map((f) => `${f.action} ${f.policy}: ${f.message}`).join('\n'))}</system-out>`,
        );
      lines.push('    </testcase>');
    }
    // findings on the overlay itself (repository rules without an object)
    for (const f of mine.filter((x) => !x.kind)) {
      lines.push(`    <testcase classname="${xml(env)}" name="${xml(f.policy)}">`);
      lines.push(`      <failure type="${xml(f.policy)}" message="${xml(f.message)}"/>`);
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>');
  return `${lines.join('\n')}\n`;
}

const LEVEL: Record<string, string> = { Deny: 'error', Warn: 'warning', Audit: 'note' };

export function sarifReport(findings: Finding[], toolVersion: string): string {
  const rules = [...new Set(findings.map((f) => f.policy))].sort();
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'gitops check',
            version: toolVersion,
            rules: rules.map((id) => ({ id, shortDescription: { text: id } })),
          },
        },
        results: findings.map((f) => ({
          ruleId: f.policy,
          level: LEVEL[f.action] ?? 'warning',
          message: { text: `${f.env ? `${f.env}: ` : ''}${objectName(f)}: ${f.message}` },
          ...(f.source
            ? {
                locations: [
                  {
                    physicalLocation: {
                      artifactLocation: { uri: f.source.file },
                      ...(f.source.line ? { region: { startLine: f.source.line } } : {}),
                    },
                  },
                ],
              }
            : {}),
        })),
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

/** GitLab Code Quality (a subset of the Code Climate format). */
export function codequalityReport(findings: Finding[]): string {
  const severity: Record<string, string> = { Deny: 'major', Warn: 'minor', Audit: 'info' };
  const out = findings.map((f) => ({
    description: `${f.env ? `${f.env}: ` : ''}${objectName(f)}: ${f.message}`,
    check_name: f.policy,
    fingerprint: createHash('sha256')
      .update([f.env, f.policy, f.binding, f.kind, f.namespace, f.name, f.message].join('\0'))
      .digest('hex'),
    severity: severity[f.action] ?? 'minor',
    location: { path: f.source?.file ?? '.', lines: { begin: f.source?.line ?? 1 } },
  }));
  return `${JSON.stringify(out, null, 2)}\n`;
}

export function formatFindings(
  format: Exclude<Format, 'text'>,
  findings: Finding[],
  opts: {
    summary: Summary | Record<string, unknown>;
    objectsByEnv: Record<string, string[]>;
    toolVersion: string;
  },
): string {
  switch (format) {
    case 'json':
      return jsonReport(findings, opts.summary as Record<string, unknown>);
    case 'junit':
      return junitReport(findings, opts.objectsByEnv);
    case 'sarif':
      return sarifReport(findings, opts.toolVersion);
    case 'codequality':
      return codequalityReport(findings);
  }
}

export function parseOutputs(specs: string[], usage: string): { format: Format; file: string }[] {
  return specs.map((spec) => {
    const eq = spec.indexOf('=');
    const format = spec.slice(0, eq);
    if (eq <= 0 || !(FORMATS as readonly string[]).includes(format))
      throw new Error(
        `--output ${spec}: expected FORMAT=FILE with FORMAT one of ${FORMATS.join(', ')}\n${usage}`,
      );
    return { format: format as Format, file: spec.slice(eq + 1) };
  });
}

export function objectLabel(o: { kind?: unknown; metadata?: unknown }): string {
  const meta = (o.metadata ?? {}) as { name?: unknown; namespace?: unknown };
  return `${String(o.kind ?? '')}${meta.namespace ? ` ${String(meta.namespace)}/` : ' '}${String(meta.name ?? '')}`;
}
