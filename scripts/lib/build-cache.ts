// Caches kept beside the running build (.cache/build-*/<name>/): parsed values files, rendered
// charts. A rebuilt toolchain (the launcher rebuilds whenever a source changes) gets a new build
// directory, so an entry is only ever read back by the code that wrote it, and old entries go with
// the old build. Only under the bundled launcher: tsx runs, tests and GITOPS_CACHE=0 compute
// everything afresh.
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The directory of one cache of the running build, or undefined when caching is off. */
export function buildCacheDir(name: string): string | undefined {
  return /[\\/]\.cache[\\/]build-[^\\/]+$/.test(here) && process.env.GITOPS_CACHE !== '0'
    ? join(here, name)
    : undefined;
}

/**
 * Writes `file` whole or not at all (a temporary file renamed over it), so a reader never sees half
 * an entry; a read-only checkout or a full disk leaves the cache as it was.
 */
export function writeEntry(file: string, data: string | Uint8Array): void {
  try {
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch {
    // computed again next time
  }
}

/** Keeps the `keep` newest entries of a cache directory, so it cannot grow without bound. */
export function prune(dir: string, keep: number): void {
  try {
    const names = readdirSync(dir);
    if (names.length <= keep) return;
    const aged = names.map((n) => ({ n, t: statSync(join(dir, n)).mtimeMs })).sort((a, b) => b.t - a.t);
    for (const { n } of aged.slice(keep)) rmSync(join(dir, n), { force: true });
  } catch {
    // another process pruned first
  }
}
