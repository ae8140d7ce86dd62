// Differential check of `gitops template` against the reference Helm v4.1.4 on real charts (not a
// unit test: run it by hand on charts you have, e.g. from kedacore/charts, argoproj/argo-helm or the
// official Airflow chart; commit none of them):
//   node --import tsx test/fuzz/helm-diff.ts [--ci] [--mask-random] [--helm-42] CHART_DIR... [-- helm flags]
// --ci also renders each chart with every values file in its ci/ directory, as the charts' own
// CI does. Each render is compared byte for byte, errors included (both fail with Helm's message).
// --mask-random runs helm twice and leaves out of the comparison the lines that differ between
// its own two runs (generated passwords, certificates, and checksums of them).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..', '..');
const args = process.argv.slice(2);
const dash = args.indexOf('--');
const extra = dash < 0 ? [] : args.slice(dash + 1);
const positional = dash < 0 ? args : args.slice(0, dash);
const ci = positional.includes('--ci');
const maskRandom = positional.includes('--mask-random');
// --helm-42: Helm v4.2.3 (.tools/helm-4.2) against `gitops template --helm-version 4.2.3`
const helm42 = positional.includes('--helm-42');
const charts = positional.filter((a) => a !== '--ci' && a !== '--mask-random' && a !== '--helm-42');
const helmBinary = join(root, '.tools', helm42 ? 'helm-4.2' : 'helm');
const oursExtra = helm42 ? ['--helm-version', '4.2.3'] : [];

const runs: { label: string; args: string[] }[] = [];
for (const chart of charts) {
  runs.push({ label: chart, args: [] });
  const dir = join(chart, 'ci');
  if (ci && existsSync(dir))
    for (const f of readdirSync(dir).sort())
      if (/\.ya?ml$/.test(f)) runs.push({ label: `${chart} -f ci/${f}`, args: ['-f', join(dir, f)] });
}

let same = 0;
for (const run of runs) {
  const chart = run.label.split(' ')[0] as string;
  const argv = ['template', 'rel', chart, '--namespace', 'ns', ...run.args, ...extra];
  const ref = spawnSync(helmBinary, argv, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ours = spawnSync(join(root, 'node_modules', '.bin', 'gitops'), [...argv, ...oursExtra], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  if (ref.status !== 0 || ours.status !== 0) {
    // both must fail, with Helm's message (ours is prefixed with file:line: error CODE:)
    const helmMsg = ref.stderr
      .replace(/^level=\w+ msg=.*\n/gm, '')
      .replace(/^Error: /, '')
      .replace(/\n\nUse --debug flag[^\n]*\n?$/, '')
      .trim();
    const ourMsg = ours.stderr
      .replace(/^(?:\S*: )?error [A-Z_]+: /, '')
      .replace(/\n {2}hint: [\s\S]*$/, '')
      .trim();
    const both = ref.status !== 0 && ours.status !== 0;
    if (both && helmMsg === ourMsg) same++;
    console.log(
      `${run.label}: ${both ? (helmMsg === ourMsg ? 'both fail with the same message' : 'DIFFERENT messages') : 'DIFFERENT'}: exit ${ref.status} (helm) vs ${ours.status} (ours)\n  helm: ${helmMsg.split('\n')[0]}\n  ours: ${ourMsg.split('\n')[0]}`,
    );
    continue;
  }
  if (ref.stdout === ours.stdout) {
    same++;
    console.log(`${run.label}: identical (${ref.stdout.split('\n').length} lines)`);
    continue;
  }
  const a = ref.stdout.split('\n');
  const b = ours.stdout.split('\n');
  const again = maskRandom
    ? spawnSync(helmBinary, argv, { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout.split('\n')
    : a;
  let i = 0;
  let masked = 0;
  for (; i < Math.max(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    if (a.length === b.length && again.length === a.length && a[i] !== again[i]) {
      masked++;
      continue;
    }
    break;
  }
  if (i >= Math.max(a.length, b.length)) {
    same++;
    console.log(`${run.label}: identical (${a.length} lines, ${masked} random lines masked)`);
    continue;
  }
  console.log(`${run.label}: DIFFERENT at line ${i + 1}\n  helm: ${a[i]}\n  ours: ${b[i]}`);
}
console.log(`${same} of ${runs.length} identical`);
