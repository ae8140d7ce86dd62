// Bundles the TypeScript sources into .cache/ (one chunk per command) so that `gitops` starts in
// tens of milliseconds: transpiling on every run (tsx) costs more than a whole `kustomize build`.
// Run by the launcher whenever a source is newer. Each build goes to its own directory and
// .cache/current.json is switched to it atomically, so processes running an older build (ten CI
// jobs at once, say) never see their chunks disappear.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheDir = join(root, '.cache');
export const currentFile = join(cacheDir, 'current.json');

/** The current build: its entry point, or undefined when there is none or a source is newer. */
export function freshEntry() {
  try {
    const current = JSON.parse(readFileSync(currentFile, 'utf8'));
    const entry = join(cacheDir, current.dir, 'cli.js');
    if (current.sourceTime >= newestSource() && existsSync(entry)) return entry;
  } catch {
    // no build yet
  }
  return undefined;
}

/** Packages left as runtime imports: large, rarely used on the render path, or reading their own files. */
const external = [
  '@kubernetes/client-node',
  '@gitbeaker/rest',
  '@octokit/rest',
  'kubernetes-models',
  '@kubernetes-models/*',
  'zx',
  'tsx',
  'esbuild',
  'vitest',
];

/** Newest modification time of the sources the bundle is made of. */
export function newestSource(dir = join(root, 'scripts')) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (entry.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

export async function bundle() {
  const esbuild = await import('esbuild');
  const sourceTime = newestSource();
  const dir = `build-${Date.now().toString(36)}-${process.pid}`;
  const outDir = join(cacheDir, dir);
  mkdirSync(outDir, { recursive: true });
  await esbuild.build({
    entryPoints: { cli: join(root, 'scripts', 'cli.ts') },
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    outdir: outDir,
    external,
    minifySyntax: true,
    minifyWhitespace: true,
    logLevel: 'silent',
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
  });
  const tmp = `${currentFile}.${process.pid}`;
  writeFileSync(tmp, JSON.stringify({ dir, sourceTime }));
  renameSync(tmp, currentFile);
  // builds older than an hour are no longer run by anyone
  for (const e of readdirSync(cacheDir)) {
    if (!e.startsWith('build-') || e === dir) continue;
    const p = join(cacheDir, e);
    if (Date.now() - statSync(p).mtimeMs > 3_600_000) rmSync(p, { recursive: true, force: true });
  }
  return join(outDir, 'cli.js');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  bundle().catch((err) => {
    console.error(`bundle: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
