// File access for the engine, behind a small interface so tests can use an in-memory tree.
// The disk implementation resolves symlinks the way kustomize's filesys does (EvalSymlinks).
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';

export interface Fs {
  readFile(path: string): string;
  readBytes(path: string): Uint8Array;
  isDir(path: string): boolean;
  exists(path: string): boolean;
  /** Absolute path with symlinks resolved; throws if it does not exist. */
  realpath(path: string): string;
  readdir(path: string): string[];
}

export const diskFs: Fs = {
  readFile: (p) => readFileSync(p, 'utf8'),
  readBytes: (p) => readFileSync(p),
  isDir: (p) => {
    try {
      return statSync(p).isDirectory();
    } catch {
      return false;
    }
  },
  exists: (p) => existsSync(p),
  realpath: (p) => realpathSync(p),
  readdir: (p) => readdirSync(p).sort(),
};
