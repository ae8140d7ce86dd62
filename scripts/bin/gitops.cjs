#!/usr/bin/env node
// The `gitops` command. Runs the bundle under .cache/ (see scripts/tools/bundle.mjs), rebuilding it
// first when a source file is newer, so an edit is never run stale. GITOPS_TSX=1 runs the
// TypeScript sources directly through tsx instead (slower start, exact stack traces).
// CommonJS on purpose: `gitops template` run again on the same inputs is answered from the render
// cache (template-hit.cjs, scripts/lib/helm/render-cache.ts) before Node's ES module loader
// starts, which alone costs ~20 ms of a ~130 ms run; template, build, render, check and validate
// run from their own CommonJS bundles (<name>-run.cjs), without that loader either, and through
// V8's code cache (scripts/tools/code-cache.cjs).
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');
const { pathToFileURL } = require('node:url');

let fresh;
/** The current build (scripts/tools/fresh.cjs), looked up once per run: the lookup stats every source. */
function freshBuild() {
  if (!fresh) fresh = { dir: require('../tools/fresh.cjs').freshBuild() };
  return fresh.dir;
}

async function loadCli() {
  if (!process.env.GITOPS_TSX) {
    try {
      const build = freshBuild();
      const entry = build ? join(build, 'cli.js') : await (await import('../tools/bundle.mjs')).bundle();
      return await import(pathToFileURL(entry).href);
    } catch {
      // no esbuild (a production install without devDependencies): fall back to tsx
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import('../cli.ts');
}

/** A cached `gitops template` render, if the current build holds one for these arguments. */
function cachedTemplate(argv) {
  if (argv[0] !== 'template' || process.env.GITOPS_TSX) return undefined;
  try {
    const build = freshBuild();
    return build ? require(join(build, 'template-hit.cjs')).cachedTemplate(argv.slice(1)) : undefined;
  } catch {
    return undefined;
  }
}

/** The command's own CommonJS bundle (`<name>-run.cjs`, see bundle.mjs), or undefined to go through the CLI. */
function commonJsCommand(argv) {
  if (!/^[a-z][a-z-]*$/.test(argv[0] ?? '') || process.env.GITOPS_TSX) return undefined;
  try {
    const build = freshBuild();
    const file = build && join(build, `${argv[0]}-run.cjs`);
    if (!file || !existsSync(file)) return undefined;
    const { exports, saveCache } = require('../tools/code-cache.cjs').requireCached(file);
    return async (args) => {
      const code = await exports.run(args);
      saveCache();
      return code;
    };
  } catch {
    return undefined;
  }
}

async function main(argv) {
  const cached = cachedTemplate(argv);
  if (cached) {
    process.stdout.write(cached);
    return 0;
  }
  const command = commonJsCommand(argv);
  if (command) return command(argv.slice(1));
  const { run } = await loadCli();
  return run(argv);
}

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
