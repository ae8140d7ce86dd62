// Rendered charts, kept beside the running build (.cache/build-*/renders/<key>.out, see
// ../build-cache.ts), so that `gitops template` run again on the same inputs prints the same bytes
// without loading the engine: CI jobs and pre-commit hooks render the same chart and values over
// and over. The key is a SHA-256 of everything a render reads: the command line, the environment
// the date functions read (SOURCE_DATE_EPOCH, the local time zone), and every file under the chart
// (the directory walked whole, .helmignore'd files included, or the .tgz), the values files and
// the --set-file files, each by path and identity: device, inode, size, modification and change
// times in nanoseconds, as git's index and Go's build cache know a file unchanged. An edit, a
// rename over it, a checkout, even `touch -d` moves the change time (no call sets it back), so an
// edited file has a new key; and a render is only stored when no input changed in the two seconds
// before it started, so a file rewritten within a coarse file system's timestamp tick is never
// taken for the one rendered (git's "racy clean" rule). Only renders that succeeded and called
// nothing impure (IMPURE_FUNCS: random functions without --seed, the clock without
// SOURCE_DATE_EPOCH, keys and certificates) are stored: the Airflow chart's `randAlphaNum` secrets
// are drawn afresh on every run unless --seed is given. An entry holds its whole key before the
// output and is only read back when that key is the one asked for, so the file name can come from
// a cheap hash (a collision costs a render, never a wrong output). This module stays light (node:
// only, not even node:crypto), as a hit imports nothing else.
import { type BigIntStats, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { buildCacheDir, prune, writeEntry } from '../build-cache.ts';

const dir = buildCacheDir('renders');
const FORMAT = 'gitops-template-render/1';
/** Inputs changed this recently (ns) may share a timestamp with a later edit: not stored. */
const SETTLE_NS = 2_000_000_000n;

/** What a render reads, besides the engine itself. */
export interface RenderInputs {
  argv: string[];
  chart: string;
  /** Values files (-f) and --set-file files. */
  files: string[];
}

/** A render's cache key (the text of everything it reads) and whether its inputs are settled
 * enough to store the render under it. */
export interface RenderKey {
  text: string;
  storable: boolean;
}

/** The cache key of a render, or undefined when caching is off or an input cannot be read. */
export function renderKey(inputs: RenderInputs): RenderKey | undefined {
  return dir ? keyOf(inputs) : undefined;
}

/** The key of a render whatever the cache's state (`renderKey`), undefined if an input is missing. */
export function keyOf(inputs: RenderInputs): RenderKey | undefined {
  try {
    const started = BigInt(Date.now()) * 1_000_000n;
    const fields: string[] = [];
    const field = (s: string) => fields.push(`${s.length}:${s}`);
    let newest = 0n;
    const identity = (st: BigIntStats) => {
      if (st.mtimeNs > newest) newest = st.mtimeNs;
      if (st.ctimeNs > newest) newest = st.ctimeNs;
      field(`${st.dev}:${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`);
    };
    field(FORMAT);
    field(JSON.stringify(inputs.argv));
    field(process.env.SOURCE_DATE_EPOCH ?? '');
    field(localZone());
    for (const f of inputs.files) {
      field(f);
      identity(statSync(f, { bigint: true }));
    }
    const st = statSync(inputs.chart, { bigint: true });
    if (st.isDirectory()) walkTree(inputs.chart, '', 0, field, identity);
    else {
      field('chart-archive');
      identity(st);
    }
    return { text: `${fields.join('\n')}\n`, storable: newest < started - SETTLE_NS };
  } catch {
    return undefined;
  }
}

/** What the render of `key` printed before, if it is cached. */
export function cachedRender(key: RenderKey | undefined): Buffer | undefined {
  if (!dir || !key) return undefined;
  try {
    const entry = readFileSync(entryFile(key));
    const want = Buffer.from(key.text);
    return entry.subarray(0, want.length).equals(want) ? entry.subarray(want.length) : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps the output of a render that succeeded and read nothing impure. */
export function storeRender(key: RenderKey | undefined, output: string): void {
  if (!dir || !key?.storable) return;
  writeEntry(entryFile(key), key.text + output);
  prune(dir, 256);
}

/** Where the entry of `key` lives: named by two 32-bit FNV-1a hashes of its text. */
function entryFile(key: RenderKey): string {
  let a = 0x811c9dc5;
  let b = 0x01000193;
  for (let i = 0; i < key.text.length; i++) {
    const c = key.text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995);
  }
  const hex = (n: number) => (n >>> 0).toString(16).padStart(8, '0');
  return join(dir as string, `${hex(a)}${hex(b)}.out`);
}

/** The zone `date` prints in: TZ, else the system's (/etc/localtime). */
function localZone(): string {
  if (process.env.TZ !== undefined) return `TZ=${process.env.TZ}`;
  try {
    return readlinkSync('/etc/localtime');
  } catch {
    // not a link (a copied zone file) or no such file: the zone is whatever Intl resolves
    return Intl.DateTimeFormat().resolvedOptions().timeZone;
  }
}

/** Every directory and file under `dir`, by relative path, in a fixed order, with its identity. */
function walkTree(
  dir: string,
  rel: string,
  depth: number,
  field: (s: string) => void,
  identity: (st: BigIntStats) => void,
): void {
  if (depth > 64) throw new Error('directory nesting too deep (a symbolic link loop?)');
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const relPath = rel === '' ? name : `${rel}/${name}`;
    const st = statSync(path, { bigint: true });
    if (st.isDirectory()) {
      field(`d:${relPath}`);
      walkTree(path, relPath, depth + 1, field, identity);
    } else if (st.isFile()) {
      field(`f:${relPath}`);
      identity(st);
    }
  }
}
