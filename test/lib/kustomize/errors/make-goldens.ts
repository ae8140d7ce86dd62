// Regenerates expected.txt beside this file: for each line of cases.txt (kustomization fields in
// flow YAML, `\n` between them, added to `resources: [cm.yaml]`, two ConfigMaps a and b), the first
// line kubectl kustomize v5.7.1 (.tools/kubectl) prints. By hand only; CI never regenerates it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { CONFIG_MAPS } from './cases.ts';

const here = import.meta.dirname;
const root = join(here, '..', '..', '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'type-errors-'));
writeFileSync(join(dir, 'cm.yaml'), CONFIG_MAPS);
const out: string[] = [];
for (const line of readFileSync(join(here, 'cases.txt'), 'utf8').split('\n')) {
  if (!line.trim() || line.startsWith('#')) continue;
  writeFileSync(join(dir, 'kustomization.yaml'), `resources: [cm.yaml]\n${line.replaceAll('\\n', '\n')}\n`);
  const r = spawnSync(join(root, '.tools', 'kubectl'), ['kustomize', dir], { encoding: 'utf8' });
  if (r.status === 0) throw new Error(`${line}: kubectl kustomize did not fail`);
  out.push(r.stderr.split('\n')[0]?.replace(/^error: /, '') ?? '');
}
writeFileSync(join(here, 'expected.txt'), `${out.join('\n')}\n`);
console.log(`${out.length} cases`);
