// Mutation differential check of `gitops template` against the reference Helm v4.1.4 on charts you
// have (not a unit test: run it by hand, `node --import tsx test/fuzz/helm-mutate.ts N SEED
// CHART_DIR...`; use charts whose renders are deterministic, commit none of them). Each round
// picks a chart and one value of its values.yaml and overrides it (`-f`) with a value of another
// type (a number, a bool, null, a string, a list, a map, an empty string...), so templates meet
// input their authors did not plan for. Reported: outputs that differ, one failing alone, both
// failing with different messages, and any internal error of ours.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

const root = join(import.meta.dirname, '..', '..');
const [n = '100', s = '1', ...charts] = process.argv.slice(2);
let seed = Number(s);
function rnd(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

const VALUES: unknown[] = [
  0,
  1,
  -1,
  1.5,
  1e21,
  true,
  false,
  null,
  '',
  'x',
  '1',
  'true',
  [],
  ['a'],
  {},
  { a: 1 },
  'a b',
];

/** Every path to a value of the values tree. */
function paths(v: unknown, at: string[] = [], out: string[][] = []): string[][] {
  if (at.length) out.push(at);
  if (v && typeof v === 'object' && !Array.isArray(v))
    for (const [k, x] of Object.entries(v)) paths(x, [...at, k], out);
  return out;
}

function override(path: string[], value: unknown): unknown {
  let v: unknown = value;
  for (let i = path.length - 1; i >= 0; i--) v = { [path[i] as string]: v };
  return v;
}

const clean = {
  helm: (t: string) =>
    t
      .replace(/^level=\w+ msg=.*\n/gm, '')
      .replace(/^Error: /, '')
      .replace(/\n\nUse --debug flag[^\n]*\n?$/, '')
      .trim(),
  ours: (t: string) =>
    t
      .replace(/^(?:\S*: )?error [A-Z_]+: /, '')
      .replace(/\n {2}hint: [\s\S]*$/, '')
      .trim(),
};

const dir = mkdtempSync(join(tmpdir(), 'helm-mutate-'));
const counts = { same: 0, bothFailSame: 0, messages: 0, different: 0, internal: 0 };
for (let i = 0; i < Number(n); i++) {
  const chart = pick(charts);
  let values: unknown;
  try {
    values = parse(readFileSync(join(chart, 'values.yaml'), 'utf8'));
  } catch {
    continue;
  }
  const all = paths(values);
  if (!all.length) continue;
  const path = pick(all);
  const value = pick(VALUES);
  const file = join(dir, `v${i}.yaml`);
  writeFileSync(file, stringify(override(path, value)));
  const argv = ['template', 'rel', chart, '--namespace', 'ns', '-f', file];
  const ref = spawnSync(join(root, '.tools', 'helm'), argv, { encoding: 'utf8', maxBuffer: 1 << 28 });
  const ours = spawnSync(join(root, 'node_modules', '.bin', 'gitops'), argv, {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, GITOPS_CACHE: '0' },
  });
  const label = `${chart} ${path.join('.')}=${JSON.stringify(value)}`;
  if (/error INTERNAL/.test(ours.stderr)) {
    counts.internal++;
    console.log(`INTERNAL ${label}\n  ${ours.stderr.split('\n')[0]}`);
    continue;
  }
  if (ref.status === 0 && ours.status === 0) {
    if (ref.stdout === ours.stdout) counts.same++;
    else {
      counts.different++;
      const a = ref.stdout.split('\n');
      const b = ours.stdout.split('\n');
      const at = a.findIndex((l, j) => l !== b[j]);
      console.log(`DIFFERENT ${label} (line ${at + 1})\n  helm: ${a[at]}\n  ours: ${b[at]}`);
    }
  } else if (ref.status !== 0 && ours.status !== 0) {
    const h = clean.helm(ref.stderr);
    const o = clean.ours(ours.stderr);
    if (h === o) counts.bothFailSame++;
    else {
      counts.messages++;
      console.log(`MESSAGES ${label}\n  helm: ${h.split('\n')[0]}\n  ours: ${o.split('\n')[0]}`);
    }
  } else {
    counts.different++;
    console.log(
      `ONE FAILS ${label}\n  helm: ${ref.status === 0 ? 'rendered' : clean.helm(ref.stderr).split('\n')[0]}\n  ours: ${ours.status === 0 ? 'rendered' : clean.ours(ours.stderr).split('\n')[0]}`,
    );
  }
}
console.log(
  `${counts.same} identical, ${counts.bothFailSame} failing alike, ${counts.messages} failing with other messages, ${counts.different} different, ${counts.internal} internal errors`,
);
