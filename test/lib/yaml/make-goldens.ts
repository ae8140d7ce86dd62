// Regenerates test/lib/yaml/cases/*/expected.yaml with the reference kustomize (.tools/kubectl).
// Run by hand; never by CI.
import { spawnSync } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..', '..');
const cases = join(import.meta.dirname, 'cases');
for (const name of readdirSync(cases)) {
  const r = spawnSync(join(root, '.tools', 'kubectl'), ['kustomize', join(cases, name)], {
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`${name}: ${r.stderr}`);
  writeFileSync(join(cases, name, 'expected.yaml'), r.stdout);
  console.log(`${name}: ${r.stdout.length} bytes`);
}
