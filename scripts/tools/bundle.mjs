// Bundles the TypeScript sources into .cache/gitops/ (one chunk per command) so that `gitops`
// starts in tens of milliseconds: transpiling on every run (tsx) costs more than a whole
// `kustomize build`. Run by postinstall, and by the launcher whenever a source is newer.
import { mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const outDir = join(root, '.cache', 'gitops');
export const stampFile = join(outDir, 'stamp.json');

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
  rmSync(outDir, { recursive: true, force: true });
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
  writeFileSync(stampFile, JSON.stringify({ sourceTime }));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  bundle().catch((err) => {
    console.error(`bundle: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
