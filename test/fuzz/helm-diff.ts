// Differential check of `gitops template` against the reference Helm v4.1.4 on real charts (not a
// unit test: run it by hand on charts you have, e.g. from kedacore/charts or argoproj/argo-helm):
//   node --import tsx test/fuzz/helm-diff.ts CHART_DIR... [-- extra helm template flags]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const dash = process.argv.indexOf('--');
const charts = process.argv.slice(2, dash < 0 ? undefined : dash);
const extra = dash < 0 ? [] : process.argv.slice(dash + 1);
let same = 0;
for (const chart of charts) {
  const args = ['template', 'rel', chart, '--namespace', 'ns', ...extra];
  const ref = spawnSync(join(root, '.tools', 'helm'), args, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ours = spawnSync(join(root, 'node_modules', '.bin', 'gitops'), args, {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (ref.status !== 0 || ours.status !== 0) {
    console.log(
      `${chart}: exit ${ref.status} (helm) vs ${ours.status} (ours) ${ours.stderr.split('\n')[0] ?? ''}`,
    );
    if ((ref.status === 0) === (ours.status === 0)) same++;
    continue;
  }
  if (ref.stdout === ours.stdout) {
    same++;
    console.log(`${chart}: identical (${ref.stdout.split('\n').length} lines)`);
    continue;
  }
  const a = ref.stdout.split('\n');
  const b = ours.stdout.split('\n');
  let i = 0;
  while (a[i] === b[i]) i++;
  console.log(`${chart}: differs at line ${i + 1}\n  helm: ${a[i]}\n  ours: ${b[i]}`);
}
console.log(`${same} of ${charts.length} identical`);
