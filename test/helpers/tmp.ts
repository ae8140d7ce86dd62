// Temporary directory trees for tests: writeTree({ 'a/kustomization.yaml': '...' }) -> root path.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export function writeTree(
  files: Record<string, string>,
  root = mkdtempSync(join(tmpdir(), 'gitops-test-')),
): string {
  for (const [path, content] of Object.entries(files)) {
    const p = join(root, path);
    mkdirSync(dirname(p), { recursive: true });
    writeFileSync(p, content);
  }
  return root;
}

/** Strips the common leading indentation of a template literal (the `yaml` tag of the tests). */
export function yaml(strings: TemplateStringsArray, ...values: unknown[]): string {
  const raw = strings.reduce((acc, s, i) => acc + s + (i < values.length ? String(values[i]) : ''), '');
  const lines = raw.replace(/^\n/, '').split('\n');
  const indent = Math.min(
    ...lines.filter((l) => l.trim()).map((l) => (/^ */.exec(l) as RegExpExecArray)[0].length),
  );
  return lines.map((l) => l.slice(indent)).join('\n');
}
