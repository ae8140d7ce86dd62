// `npm run goldens`: renders every overlay and every clusters/* directory with the reference
// kustomize Argo CD deploys with (kubectl v1.36.3 = kustomize v5.8.1, unpacked into .tools/ by npm
// install) and writes
// test/goldens/<name>.yaml. The in-process renderer must match these bytes. Run by hand after a
// manifest change; CI never regenerates them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { listClusters } from './lib/check/index.ts';
import { listOverlays } from './lib/render/overlays.ts';

const root = join(import.meta.dirname, '..');
const kubectl = join(root, '.tools', 'kubectl-1.36');
if (!existsSync(kubectl)) {
  console.error(
    'error MISSING_REFERENCE: .tools/kubectl-1.36 is missing\n  hint: run npm install (its postinstall unpacks it)',
  );
  process.exit(2);
}
const out = join(root, 'test', 'goldens');
mkdirSync(out, { recursive: true });
const targets = [
  ...listOverlays(root).map((o) => ({ name: o.env, dir: o.dir })),
  ...listClusters(root).map((c) => ({ name: `cluster-${c.name}`, dir: c.dir })),
];
for (const t of targets) {
  const r = spawnSync(kubectl, ['kustomize', t.dir], { encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) {
    console.error(`error REFERENCE_FAILED: ${relative(root, t.dir)}: ${r.stderr.trim()}`);
    process.exit(2);
  }
  const file = join(out, `${t.name}.yaml`);
  writeFileSync(`${file}.tmp`, r.stdout);
  renameSync(`${file}.tmp`, file);
  console.log(`${relative(root, file)}  (${relative(root, t.dir)})`);
}
