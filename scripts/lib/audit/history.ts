// Git history as the audit reads it: the first-parent line of a branch (what the environments
// saw, one change at a time), each commit with its trailers and the files it changed, and every
// blob those commits need, fetched in one `git cat-file --batch` so that rendering a thousand
// commits costs a handful of git processes, not thousands.
import { execFileSync, spawnSync } from 'node:child_process';
import { SourceError } from '../errors.ts';

export interface Change {
  /** `A`dded, `M`odified, `D`eleted, `T`ype changed. */
  status: string;
  path: string;
  /** Blob id after the change (all zeros when deleted). */
  blob: string;
  mode: string;
}

export interface Commit {
  sha: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  subject: string;
  body: string;
  trailers: Record<string, string[]>;
  /** Changes against the first parent (against the empty tree for a root commit). */
  changes: Change[];
}

export function git(repo: string, args: string[], input?: string): string {
  const r = spawnSync('git', args, { cwd: repo, input, encoding: 'utf8', maxBuffer: 1 << 30 });
  if (r.error)
    throw new SourceError('GIT', `git ${args[0]}: ${r.error.message}`, { hint: 'git must be installed' });
  if (r.status !== 0)
    throw new SourceError('GIT', `git ${args.join(' ')}: ${r.stderr.trim() || `exit ${r.status}`}`, {
      file: repo,
    });
  return r.stdout;
}

/** `Key: value` lines of the last paragraph, as `git interpret-trailers` reads them. */
export function parseTrailers(message: string): Record<string, string[]> {
  const paragraphs = message.trimEnd().split(/\n\s*\n/);
  const last = paragraphs.length > 1 ? (paragraphs[paragraphs.length - 1] ?? '') : '';
  const out: Record<string, string[]> = {};
  const lines = last.split('\n');
  if (!lines.every((l) => /^[A-Za-z0-9-]+: /.test(l) || /^\s/.test(l))) return out;
  let key = '';
  for (const line of lines) {
    const m = /^([A-Za-z0-9-]+): (.*)$/.exec(line);
    if (m) {
      key = m[1] as string;
      out[key] = [...(out[key] ?? []), (m[2] as string).trim()];
    } else if (key) {
      const list = out[key] as string[];
      list[list.length - 1] += ` ${line.trim()}`;
    }
  }
  return out;
}

const FIELD = '\x1f';
const RECORD = '\x1e';

/** The first-parent history of REV, oldest first, with each commit's changes. */
export function readHistory(repo: string, rev = 'HEAD', extraArgs: string[] = []): Commit[] {
  const format = ['%H', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%s', '%B'].join(FIELD);
  const out = git(repo, [
    'log',
    '--first-parent',
    '--reverse',
    '--root',
    '--no-renames',
    '--no-abbrev',
    '--diff-merges=first-parent',
    '--raw',
    `--format=${RECORD}${format}${FIELD}`,
    ...extraArgs,
    rev,
    '--',
  ]);
  const commits: Commit[] = [];
  for (const rec of out.split(RECORD)) {
    if (!rec.trim()) continue;
    const parts = rec.split(FIELD);
    const [sha, parents, an, ae, ad, cn, ce, cd, subject, body] = parts as string[];
    const raw = parts.slice(10).join(FIELD);
    const changes: Change[] = [];
    for (const line of raw.split('\n')) {
      // :100644 100644 <old> <new> M\tpath
      const m = /^:(\d+) (\d+) ([0-9a-f]+) ([0-9a-f]+) ([A-Z])\d*\t(.*)$/.exec(line);
      if (m)
        changes.push({
          mode: m[2] as string,
          blob: m[4] as string,
          status: m[5] as string,
          path: unquote(m[6] as string),
        });
    }
    commits.push({
      sha: sha as string,
      parents: (parents as string).split(' ').filter(Boolean),
      author: { name: an as string, email: ae as string, date: ad as string },
      committer: { name: cn as string, email: ce as string, date: cd as string },
      subject: subject as string,
      body: (body as string).trimEnd(),
      trailers: parseTrailers(body as string),
      changes,
    });
  }
  return commits;
}

/** Paths git prints in C-style quotes when they hold unusual bytes. */
function unquote(p: string): string {
  if (!p.startsWith('"')) return p;
  const bytes: number[] = [];
  for (let i = 1; i < p.length - 1; i++) {
    const c = p[i] as string;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const n = p[++i] as string;
    if (/[0-7]/.test(n)) {
      bytes.push(Number.parseInt(p.slice(i, i + 3), 8));
      i += 2;
    } else
      bytes.push(
        ({ n: 10, t: 9, '"': 34, '\\': 92, a: 7, b: 8, f: 12, r: 13, v: 11 } as Record<string, number>)[n] ??
          n.charCodeAt(0),
      );
  }
  return Buffer.from(bytes).toString('utf8');
}

/** Blob contents by id, read in batches through one `git cat-file --batch` per call. */
export class BlobStore {
  private readonly blobs = new Map<string, Buffer>();
  constructor(private readonly repo: string) {}

  prefetch(ids: Iterable<string>): void {
    const missing = [...new Set(ids)].filter((id) => !this.blobs.has(id) && !/^0+$/.test(id));
    if (missing.length === 0) return;
    const out = execFileSync('git', ['cat-file', '--batch'], {
      cwd: this.repo,
      input: `${missing.join('\n')}\n`,
      maxBuffer: 1 << 30,
    });
    let pos = 0;
    while (pos < out.length) {
      const nl = out.indexOf(10, pos);
      const header = out.subarray(pos, nl).toString('utf8');
      const [id, type, size] = header.split(' ');
      if (type === 'missing' || size === undefined) {
        pos = nl + 1;
        continue;
      }
      const n = Number(size);
      this.blobs.set(id as string, out.subarray(nl + 1, nl + 1 + n));
      pos = nl + 1 + n + 1;
    }
  }

  get(id: string): Buffer {
    let b = this.blobs.get(id);
    if (!b) {
      this.prefetch([id]);
      b = this.blobs.get(id);
    }
    if (!b) throw new SourceError('GIT', `blob ${id} is missing from the repository`);
    return b;
  }
}
