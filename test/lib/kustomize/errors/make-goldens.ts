// Regenerates expected.txt beside this file: for each line of cases.txt (the files of cases.ts),
// the first line kubectl kustomize v5.7.1 (.tools/kubectl) prints after its deprecation warnings. By hand only; CI never
// regenerates it.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseFiles } from './cases.ts';

const here = import.meta.dirname;
const root = join(here, '..', '..', '..', '..');
const out: string[] = [];
for (const line of readFileSync(join(here, 'cases.txt'), 'utf8').split('\n')) {
  if (!line.trim() || line.startsWith('#')) continue;
  const dir = mkdtempSync(join(tmpdir(), 'kustomize-errors-'));
  for (const [name, text] of Object.entries(caseFiles(line))) writeFileSync(join(dir, name), text);
  const r = spawnSync(join(root, '.tools', 'kubectl'), ['kustomize', dir], { encoding: 'utf8' });
  if (r.status === 0) throw new Error(`${line}: kubectl kustomize did not fail`);
  // the first line after any deprecation warnings
  const first = r.stderr.split('\n').find((l) => !l.startsWith('# Warning')) ?? '';
  out.push(first.replace(/^error: /, ''));
}
writeFileSync(join(here, 'expected.txt'), `${out.join('\n')}\n`);
console.log(`${out.length} cases`);
