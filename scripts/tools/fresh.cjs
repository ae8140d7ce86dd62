// Which bundle under .cache/ the launcher may run (see bundle.mjs): the current build, unless a
// source is newer than it. CommonJS, as scripts/bin/gitops.cjs requires it before Node's ES
// module loader has started.
'use strict';
const { existsSync, readdirSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..', '..');
const cacheDir = join(root, '.cache');
const currentFile = join(cacheDir, 'current.json');

/**
 * Newest modification time of the sources the bundle is made of (and of the tools that make it),
 * directories included: removing or renaming a file changes its directory's time.
 */
function newestSource(dir = join(root, 'scripts')) {
  let newest = statSync(dir).mtimeMs;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|mjs|cjs)$/.test(entry.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/**
 * Newest modification time of what a build is made of: the sources, and the installed packages
 * (npm rewrites node_modules/.package-lock.json on every install), as the bundle holds copies of
 * some packages and the caches beside it hold what the engine computed with them.
 */
function newestInput() {
  let newest = newestSource();
  for (const f of [join(root, 'package-lock.json'), join(root, 'node_modules', '.package-lock.json')]) {
    try {
      newest = Math.max(newest, statSync(f).mtimeMs);
    } catch {
      // not installed with npm
    }
  }
  return newest;
}

/** The current build's directory, or undefined when there is none or an input is newer. */
function freshBuild() {
  try {
    const current = JSON.parse(readFileSync(currentFile, 'utf8'));
    const dir = join(cacheDir, current.dir);
    if (current.sourceTime >= newestInput() && existsSync(join(dir, 'cli.js'))) return dir;
  } catch {
    // no build yet
  }
  return undefined;
}

module.exports = { root, cacheDir, currentFile, newestInput, freshBuild };
