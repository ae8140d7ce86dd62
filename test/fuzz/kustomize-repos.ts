// Differential check of `gitops build` against the reference kustomize (kubectl kustomize), v5.8.1
// or with KUSTOMIZE_REF=5.7.1 v5.7.1
// on real repositories (not a unit test: run it by hand on checkouts you have, e.g.
// kubeflow/manifests or fluxcd/flux2; commit none of them):
//   node --import tsx test/fuzz/kustomize-repos.ts DIR...
// Every directory under DIR holding a kustomization is built by both; outputs are compared byte for
// byte. When both fail (remote bases, which we refuse, or errors in the repository), both first
// lines are printed for a reader to compare.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fuzzReference } from '../helpers/reference-kustomize.ts';

const root = join(import.meta.dirname, '..', '..');
const reference = fuzzReference();
const NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

function* kustomizations(dir: string): Generator<string> {
  const entries = readdirSync(dir, { withFileTypes: true });
  if (entries.some((e) => e.isFile() && NAMES.has(e.name))) yield dir;
  for (const e of entries)
    if (e.isDirectory() && e.name !== '.git' && e.name !== 'node_modules')
      yield* kustomizations(join(dir, e.name));
}

const firstLine = (s: string) => s.split('\n').find((l) => l.trim() && !l.startsWith('# Warning')) ?? '';
const counts = { same: 0, bothFail: 0, different: 0 };
for (const dir of process.argv.slice(2).flatMap((d) => [...kustomizations(d)])) {
  const run = (cmd: string, args: string[]) =>
    spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 28, timeout: 120_000 });
  const ref = run(reference.kubectl, ['kustomize', dir]);
  const ours = run(join(root, 'node_modules', '.bin', 'gitops'), [
    'build',
    '--kustomize-version',
    reference.version,
    dir,
  ]);
  if (ref.status === 0 && ours.status === 0 && ref.stdout === ours.stdout) {
    counts.same++;
    console.log(`${dir}: identical (${ref.stdout.split('\n').length} lines)`);
  } else if (ref.status !== 0 && ours.status !== 0) {
    counts.bothFail++;
    console.log(
      `${dir}: both fail\n  kustomize: ${firstLine(ref.stderr)}\n  ours:      ${firstLine(ours.stderr)}`,
    );
  } else {
    counts.different++;
    const a = ref.stdout.split('\n');
    const b = ours.stdout.split('\n');
    const i = a.findIndex((l, k) => l !== b[k]);
    console.log(
      ref.status !== ours.status
        ? `${dir}: DIFFERENT exit ${ref.status} (kustomize) vs ${ours.status} (ours)\n  ${firstLine(ref.stderr || ours.stderr)}`
        : `${dir}: DIFFERENT at line ${i + 1}\n  kustomize: ${a[i]}\n  ours:      ${b[i]}`,
    );
  }
}
console.log(`${counts.same} identical, ${counts.bothFail} both fail, ${counts.different} different`);
