// This tool's own package.json, found from wherever the code runs (the sources, or the bundle
// the launcher writes under .cache/).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: { name: string; version: string } | undefined;

export function toolPackage(): { name: string; version: string } {
  if (cached) return cached;
  let dir = import.meta.dirname;
  while (true) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string; bin?: unknown };
      if (pkg.bin && pkg.name) {
        cached = { name: pkg.name, version: pkg.version ?? '0.0.0' };
        return cached;
      }
    }
    const up = dirname(dir);
    if (up === dir) return { name: 'gitops', version: 'unknown' };
    dir = up;
  }
}
