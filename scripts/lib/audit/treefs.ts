// A commit's tree as the kustomize engine's file system, without a checkout: paths map to blob ids,
// contents come from the BlobStore. The snapshot moves from commit to commit by applying each
// commit's changes, and it records which paths a render looked at, so a later commit that touches
// none of them reuses the render.
import { posix } from 'node:path';
import { SourceError } from '../errors.ts';
import type { Fs } from '../kustomize/fs.ts';
import type { BlobStore, Change } from './history.ts';

/** Where the tree appears to live; origins of rendered objects are reported relative to it. */
export const TREE_ROOT = '/__git_tree__';

export class TreeSnapshot {
  private readonly files = new Map<string, { blob: string; mode: string }>();
  private dirs = new Map<string, number>();

  constructor(readonly blobs: BlobStore) {}

  apply(changes: Change[]): void {
    for (const c of changes) {
      const had = this.files.has(c.path);
      if (c.status === 'D') {
        if (had) {
          this.files.delete(c.path);
          this.countDirs(c.path, -1);
        }
      } else {
        this.files.set(c.path, { blob: c.blob, mode: c.mode });
        if (!had) this.countDirs(c.path, 1);
      }
    }
  }

  private countDirs(path: string, delta: number): void {
    let d = posix.dirname(path);
    while (true) {
      const n = (this.dirs.get(d) ?? 0) + delta;
      if (n <= 0) this.dirs.delete(d);
      else this.dirs.set(d, n);
      if (d === '.' || d === '/') break;
      d = posix.dirname(d);
    }
  }

  /** Blob ids of every file present now (to prefetch). */
  blobIds(): string[] {
    return [...this.files.values()].map((f) => f.blob);
  }

  file(rel: string): { blob: string; mode: string } | undefined {
    return this.files.get(rel);
  }

  isDir(rel: string): boolean {
    return rel === '.' || rel === '' || this.dirs.has(rel);
  }

  children(rel: string): string[] {
    const prefix = rel === '.' || rel === '' ? '' : `${rel}/`;
    const names = new Set<string>();
    for (const p of this.files.keys()) {
      if (!p.startsWith(prefix)) continue;
      const rest = p.slice(prefix.length);
      names.add(rest.split('/')[0] as string);
    }
    return [...names].sort();
  }

  /** A file system over the current tree that records every path it is asked about. */
  fs(accessed: Set<string>): Fs {
    const rel = (abs: string): string => {
      const r = posix.relative(TREE_ROOT, posix.normalize(abs));
      if (r.startsWith('..')) throw new SourceError('OUTSIDE_TREE', `${abs} is outside the repository`);
      return r === '' ? '.' : r;
    };
    const resolve = (abs: string, depth = 0): string => {
      // symlinks stored in git (mode 120000) are followed, relative to their directory
      const r = rel(abs);
      const f = this.files.get(r);
      if (f && f.mode === '120000' && depth < 40) {
        const target = this.blobs.get(f.blob).toString('utf8');
        return resolve(posix.resolve(posix.dirname(abs), target), depth + 1);
      }
      // a symlinked directory on the way
      const parts = r.split('/');
      for (let i = 1; i < parts.length; i++) {
        const head = parts.slice(0, i).join('/');
        const hf = this.files.get(head);
        if (hf && hf.mode === '120000' && depth < 40) {
          const target = this.blobs.get(hf.blob).toString('utf8');
          const base = posix.resolve(posix.dirname(posix.join(TREE_ROOT, head)), target);
          return resolve(posix.join(base, ...parts.slice(i)), depth + 1);
        }
      }
      return abs;
    };
    const note = (abs: string) => {
      accessed.add(rel(abs));
    };
    return {
      readFile: (p) => {
        note(p);
        const r = rel(resolve(p));
        note(posix.join(TREE_ROOT, r));
        const f = this.files.get(r);
        if (!f) throw new SourceError('NOT_FOUND', `${r}: no such file in this commit`);
        return this.blobs.get(f.blob).toString('utf8');
      },
      readBytes: (p) => {
        note(p);
        const r = rel(resolve(p));
        const f = this.files.get(r);
        if (!f) throw new SourceError('NOT_FOUND', `${r}: no such file in this commit`);
        return this.blobs.get(f.blob);
      },
      isDir: (p) => {
        note(p);
        return this.isDir(rel(resolve(p)));
      },
      exists: (p) => {
        note(p);
        const r = rel(resolve(p));
        return this.files.has(r) || this.isDir(r);
      },
      realpath: (p) => {
        note(p);
        const real = resolve(p);
        const r = rel(real);
        if (!this.files.has(r) && !this.isDir(r))
          throw new SourceError('NOT_FOUND', `${rel(p)}: no such file or directory in this commit`);
        return real;
      },
      readdir: (p) => {
        const r = rel(resolve(p));
        accessed.add(`${r}/`);
        return this.children(r);
      },
    };
  }
}

/** Would a render that looked at `accessed` see any of these changes? */
export function touches(accessed: Set<string>, changes: Change[]): boolean {
  for (const c of changes) {
    if (accessed.has(c.path)) return true;
    // a file appearing in (or leaving) a listed directory, or a kustomization file appearing
    let d = posix.dirname(c.path);
    while (true) {
      if (accessed.has(`${d === '.' ? '.' : d}/`)) return true;
      if (d === '.' || d === '/') break;
      d = posix.dirname(d);
    }
    // a path that a render asked about and that did not exist then (exists() recorded it)
    for (let p = c.path; p !== '.'; p = posix.dirname(p)) if (accessed.has(p)) return true;
  }
  return false;
}
