#!/usr/bin/env node
// The `gitops` command. Runs the bundle in .cache/gitops/ (made by `npm install`), rebuilding it
// first when a source file is newer, so an edit is never run stale. GITOPS_TSX=1 runs the
// TypeScript sources directly through tsx instead (slower start, exact stack traces).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const entry = join(root, '.cache', 'gitops', 'cli.js');

async function loadCli() {
  if (!process.env.GITOPS_TSX) {
    try {
      const tools = await import('../tools/bundle.mjs');
      const fresh =
        existsSync(entry) &&
        JSON.parse(readFileSync(tools.stampFile, 'utf8')).sourceTime >= tools.newestSource();
      if (!fresh) await tools.bundle();
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
