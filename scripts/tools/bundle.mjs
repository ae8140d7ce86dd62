// Bundles the TypeScript sources into .cache/ (one chunk per command) so that `gitops` starts in
// tens of milliseconds: transpiling on every run (tsx) costs more than a whole `kustomize build`.
// Run by the launcher whenever a source is newer. Each build goes to its own directory and
// .cache/current.json is switched to it atomically, so processes running an older build (ten CI
// jobs at once, say) never see their chunks disappear.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fresh from './fresh.cjs';

const { root, cacheDir, currentFile, newestInput } = fresh;

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

/**
 * Commands also bundled on their own as CommonJS (`<name>-run.cjs`), which the launcher requires
 * directly: Node's ES module loader costs ~40 ms of each run. The others load ES modules that
 * CommonJS cannot require on Node 20 (octokit, gitbeaker, zx) and go through cli.js.
 */
const COMMONJS_COMMANDS = ['template', 'build', 'render', 'check', 'validate'];

/** `gitops-command:NAME`: an entry exporting run(argv), that command's main with cli.ts's error printing. */
const commandEntries = {
  name: 'command-entries',
  setup(build) {
    build.onResolve({ filter: /^gitops-command:/ }, (a) => ({
      path: a.path.slice('gitops-command:'.length),
      namespace: 'gitops-command',
    }));
    build.onLoad({ filter: /.*/, namespace: 'gitops-command' }, (a) => ({
      contents: `import { main } from './${a.path}.ts';
import { runCommand } from './lib/errors.ts';
export const run = (argv: string[]) => runCommand(main, argv);`,
      resolveDir: join(root, 'scripts'),
      loader: 'ts',
    }));
  },
};

export async function bundle() {
  const esbuild = await import('esbuild');
  const sourceTime = newestInput();
  const dir = `build-${Date.now().toString(36)}-${process.pid}`;
  const outDir = join(cacheDir, dir);
  mkdirSync(outDir, { recursive: true });
  // the launcher's render-cache lookup and the commands above, each on its own and as CommonJS:
  // a hit loads nothing else, and those commands start without the ES module loader
  await esbuild.build({
    entryPoints: {
      'template-hit': join(root, 'scripts', 'lib', 'helm', 'template-hit.ts'),
      ...Object.fromEntries(COMMONJS_COMMANDS.map((c) => [`${c}-run`, `gitops-command:${c}`])),
    },
    plugins: [commandEntries],
    external,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    outdir: outDir,
    minifySyntax: true,
    minifyWhitespace: true,
    logLevel: 'silent',
    define: { 'import.meta.url': '__import_meta_url', 'import.meta.dirname': '__dirname' },
    banner: { js: "const __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  });
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
