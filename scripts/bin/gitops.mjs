#!/usr/bin/env node
// The `gitops` command. Runs the bundle under .cache/ (see scripts/tools/bundle.mjs), rebuilding it
// first when a source file is newer, so an edit is never run stale. GITOPS_TSX=1 runs the
// TypeScript sources directly through tsx instead (slower start, exact stack traces).
import { pathToFileURL } from 'node:url';

async function loadCli() {
  if (!process.env.GITOPS_TSX) {
    try {
      const tools = await import('../tools/bundle.mjs');
      const entry = tools.freshEntry() ?? (await tools.bundle());
      return await import(pathToFileURL(entry).href);
    } catch {
      // no esbuild (a production install without devDependencies): fall back to tsx
    }
  }
  const { register } = await import('tsx/esm/api');
  register();
  return import('../cli.ts');
}

const { run } = await loadCli();
process.exitCode = await run(process.argv.slice(2));
