// Copies the kustomize conformance corpus (outputs of v5.7.1) and rewrites its expected outputs
// with another reference kustomize, so the corpus can measure the release Argo CD deploys with
// (not a unit test: run it by hand; commit none of its output):
//   KUSTOMIZE_REF=5.8.1 node --import tsx test/fuzz/kustomize-corpus-as.ts ../shared/conformance/kustomize/cases /tmp/corpus58
//   HELM_COMMAND=.tools/helm3 node ../shared/conformance/kustomize/run.mjs --cases /tmp/corpus58 --cmd 'node_modules/.bin/gitops build {flags} {dir}'
// Prints the cases whose outcome the other release changes.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fuzzReference } from '../helpers/reference-kustomize.ts';

const [from, to] = process.argv.slice(2).map((p) => resolve(p));
if (!from || !to || !existsSync(from)) {
  console.error('usage: kustomize-corpus-as.ts CASES_DIR OUT_DIR');
  process.exit(2);
}
const reference = fuzzReference();
const helm3 = join(import.meta.dirname, '..', '..', '.tools', 'helm3');
rmSync(to, { recursive: true, force: true });
cpSync(from, to, { recursive: true });
let changed = 0;
for (const id of readdirSync(to)) {
  const dir = join(to, id);
  const meta = JSON.parse(readFileSync(join(dir, 'case.json'), 'utf8'));
  for (const e of meta.emptyDirs ?? []) mkdirSync(join(dir, 'input', e), { recursive: true });
  const flags = (meta.flags ?? []).map((f: string) => f.replace('$' + '{HELM}', helm3));
  const r = spawnSync(reference.kubectl, ['kustomize', ...flags, join(dir, meta.target)], {
    encoding: 'utf8',
  });
  const before = existsSync(join(dir, 'expected.yaml'))
    ? readFileSync(join(dir, 'expected.yaml'), 'utf8')
    : null;
  if (r.status === 0) {
    if (before !== r.stdout) {
      changed++;
      console.log(`${id}: ${meta.expectError ? 'builds now' : 'other output'}`);
    }
    writeFileSync(join(dir, 'expected.yaml'), r.stdout);
    rmSync(join(dir, 'expected-error.txt'), { force: true });
    meta.expectError = false;
  } else {
    if (!meta.expectError) {
      changed++;
      console.log(`${id}: fails now: ${r.stderr.split('\n')[0]}`);
    }
    rmSync(join(dir, 'expected.yaml'), { force: true });
    writeFileSync(join(dir, 'expected-error.txt'), r.stderr);
    meta.expectError = true;
  }
  writeFileSync(join(dir, 'case.json'), `${JSON.stringify(meta, null, 2)}\n`);
}
console.log(`${readdirSync(to).length} cases, ${changed} changed by kustomize ${reference.version}`);
