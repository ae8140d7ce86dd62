// Regenerates expected.txt and expected-5.8.1.txt beside this file: for each line of cases.txt
// (the files of cases.ts), the first line kubectl kustomize prints after its deprecation warnings,
// v5.7.1 (.tools/kubectl) and v5.8.1 (.tools/kubectl-1.36). By hand only; CI never regenerates them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { caseFiles } from './cases.ts';

const here = import.meta.dirname;
const root = join(here, '..', '..', '..', '..');
for (const [kubectl, file] of [
  ['kubectl', 'expected.txt'],
  ['kubectl-1.36', 'expected-5.8.1.txt'],
]) {
  const out: string[] = [];
  for (const line of readFileSync(join(here, 'cases.txt'), 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const dir = mkdtempSync(join(tmpdir(), 'kustomize-errors-'));
    for (const [name, text] of Object.entries(caseFiles(line))) writeFileSync(join(dir, name), text);
    const r = spawnSync(join(root, '.tools', kubectl as string), ['kustomize', dir], { encoding: 'utf8' });
    if (r.status === 0) throw new Error(`${line}: kubectl kustomize did not fail`);
    // the first line after any deprecation warnings
    const first = r.stderr.split('\n').find((l) => !l.startsWith('# Warning')) ?? '';
    out.push(first.replace(/^error: /, ''));
  }
  writeFileSync(join(here, file as string), `${out.join('\n')}\n`);
  console.log(`${file}: ${out.length} cases`);
}
