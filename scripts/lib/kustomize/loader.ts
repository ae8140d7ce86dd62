// The file loader of a kustomization root (api/internal/loader/fileloader.go): loads files
// relative to the root under the load restrictor, opens bases and components as new roots, and
// detects cycles. Remote resources are refused: this engine never touches the network.
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** filepath.Join: joined and cleaned, so a trailing slash goes (`service.yaml/` is the file). */
export const goJoin = (...parts: string[]): string => {
  const j = join(...parts);
  return j.length > 1 ? j.replace(/\/+$/, '') : j;
};

import { SourceError } from '../errors.ts';
import type { Fs } from './fs.ts';

export type LoadRestrictor = 'LoadRestrictionsRootOnly' | 'LoadRestrictionsNone';

export function isRemote(path: string): boolean {
  return (
    /^https?:\/\//.test(path) ||
    /^git(@|::|:\/\/)/.test(path) ||
    /^ssh:\/\//.test(path) ||
    /^(github\.com|gitlab\.com|bitbucket\.org)\//.test(path) ||
    /\.git(\/\/|\?|$)/.test(path) ||
    /[?&]ref=/.test(path)
  );
}

function hasPrefix(dir: string, prefix: string): boolean {
  return dir === prefix || dir.startsWith(prefix.endsWith(sep) ? prefix : prefix + sep);
}

export class Loader {
  constructor(
    readonly fs: Fs,
    /** Absolute, symlinks resolved. */
    readonly root: string,
    readonly restrictor: LoadRestrictor,
    readonly referrer?: Loader,
  ) {}

  static atRoot(fs: Fs, path: string, restrictor: LoadRestrictor): Loader {
    const abs = resolve(path);
    if (!fs.exists(abs)) {
      throw new SourceError(
        'MISSING_ROOT',
        `must build at directory: not a valid directory: evalsymlink failure on '${path}' : lstat ${abs}: no such file or directory`,
        { file: path },
      );
    }
    const real = fs.realpath(abs);
    if (!fs.isDir(real))
      throw new SourceError('MISSING_ROOT', `must build at directory: '${path}': file is not directory`, {
        file: path,
      });
    return new Loader(fs, real, restrictor);
  }

  /** A new root for a base or component at path (relative to this root). */
  newRoot(path: string, referencedFrom?: string): Loader {
    if (path === '') throw new SourceError('BAD_PATH', 'new root cannot be empty', { file: referencedFrom });
    if (isRemote(path)) {
      throw new SourceError(
        'REMOTE_REFUSED',
        `remote resource '${path}' is not supported: this build never uses the network`,
        {
          file: referencedFrom,
          hint: 'vendor the remote base into the repository and reference it by a relative path',
        },
      );
    }
    if (isAbsolute(path))
      throw new SourceError('BAD_PATH', `new root '${path}' cannot be absolute`, { file: referencedFrom });
    const joined = goJoin(this.root, path);
    if (!this.fs.exists(joined)) {
      throw new SourceError('MISSING_RESOURCE', `'${path}' not found: no such file or directory ${joined}`, {
        file: referencedFrom,
        hint: 'fix the path, or create the directory with a kustomization.yaml',
      });
    }
    const real = this.fs.realpath(joined);
    if (!this.fs.isDir(real))
      throw new SourceError('BAD_PATH', `new root '${path}' is not a directory`, { file: referencedFrom });
    this.errIfArgEqualOrHigher(real, referencedFrom);
    return new Loader(this.fs, real, this.restrictor, this);
  }

  private errIfArgEqualOrHigher(candidate: string, from?: string): void {
    if (hasPrefix(this.root, candidate)) {
      throw new SourceError(
        'CYCLE',
        `cycle detected: candidate root '${candidate}' contains visited root '${this.root}'`,
        {
          file: from,
          hint: 'a kustomization may not include itself or one of its parent directories',
        },
      );
    }
    this.referrer?.errIfArgEqualOrHigher(candidate, from);
  }

  /** The absolute path a load of `path` would read, after the load restrictor. */
  resolvePath(path: string, referencedFrom?: string): string {
    if (isRemote(path) && /^https?:/.test(path)) {
      throw new SourceError(
        'REMOTE_REFUSED',
        `remote file '${path}' is not supported: this build never uses the network`,
        {
          file: referencedFrom,
        },
      );
    }
    const abs = isAbsolute(path) ? goJoin(path) : goJoin(this.root, path);
    if (!this.fs.exists(abs)) {
      throw new SourceError('MISSING_FILE', `open ${abs}: no such file or directory`, {
        file: referencedFrom,
        hint: `no file '${path}' relative to ${this.root}`,
      });
    }
    if (this.restrictor === 'LoadRestrictionsRootOnly') {
      const real = this.fs.realpath(abs);
      if (this.fs.isDir(real))
        throw new SourceError('NOT_A_FILE', `'${abs}' must resolve to a file`, { file: referencedFrom });
      const d = dirname(real);
      if (!hasPrefix(d, this.root)) {
        throw new SourceError(
          'LOAD_RESTRICTION',
          `security; file '${real}' is not in or below '${this.root}'`,
          {
            file: referencedFrom,
            hint: 'move the file under the kustomization directory, or build with --load-restrictor LoadRestrictionsNone',
          },
        );
      }
      return real;
    }
    return abs;
  }

  load(path: string, referencedFrom?: string): string {
    return this.fs.readFile(this.resolvePath(path, referencedFrom));
  }

  loadBytes(path: string, referencedFrom?: string): Uint8Array {
    return this.fs.readBytes(this.resolvePath(path, referencedFrom));
  }

  exists(path: string): boolean {
    return this.fs.exists(isAbsolute(path) ? goJoin(path) : goJoin(this.root, path));
  }

  /** Path relative to the process cwd, for messages. */
  display(path: string): string {
    const r = relative(process.cwd(), isAbsolute(path) ? path : join(this.root, path));
    return r === '' ? '.' : r;
  }
}
