// Audit operations over git: the ledger, what was deployed at a moment, the rendered difference
// between two points, and the verification of every recorded Rendered-Digest.
import { posix } from 'node:path';
import { sha256 } from '../check/index.ts';
import { isSourceError, SourceError } from '../errors.ts';
import { build } from '../kustomize/index.ts';
import { BlobStore, type Change, git, parseTrailers, readHistory } from './history.ts';
import { diffImages, diffObjects, type EnvRender, imagesOf } from './ledger.ts';
import { TREE_ROOT, TreeSnapshot } from './treefs.ts';

export { buildLedger, type Ledger, type LedgerEntry } from './ledger.ts';

/** Resolves a revision (sha, branch, tag) to a commit id. */
export function resolveRev(repo: string, rev: string): string {
  try {
    return git(repo, ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]).trim();
  } catch {
    throw new SourceError('UNKNOWN_REVISION', `"${rev}" is not a commit of this repository`, {
      file: repo,
      hint: 'give a commit id, branch or tag; `git log --oneline` lists them',
    });
  }
}

/** The tree of one commit, ready to render. */
export function snapshotAt(repo: string, commit: string, blobs = new BlobStore(repo)): TreeSnapshot {
  const out = git(repo, ['ls-tree', '-r', '-z', '--full-tree', commit]);
  const changes: Change[] = [];
  for (const rec of out.split('\0')) {
    const m = /^(\d+) (\w+) ([0-9a-f]+)\t(.*)$/s.exec(rec);
    if (m && m[2] === 'blob')
      changes.push({ status: 'A', mode: m[1] as string, blob: m[3] as string, path: m[4] as string });
  }
  const snap = new TreeSnapshot(blobs);
  blobs.prefetch(changes.map((c) => c.blob));
  snap.apply(changes);
  return snap;
}

export function renderEnv(snap: TreeSnapshot, env: string, accessed = new Set<string>()): EnvRender {
  try {
    const result = build(posix.join(TREE_ROOT, 'overlays', env), {}, snap.fs(accessed));
    const objects = new Map<string, string>();
    for (const r of result.resources) {
      const meta = (r.object.metadata ?? {}) as Record<string, unknown>;
      const key = `${String(r.object.apiVersion)} ${String(r.object.kind)} ${meta.namespace ? `${String(meta.namespace)}/` : ''}${String(meta.name)}`;
      objects.set(
        key,
        JSON.stringify(r.object, (_k, x) => (typeof x === 'bigint' ? x.toString() : x), 2),
      );
    }
    return {
      env,
      digest: sha256(result.yaml),
      yaml: result.yaml,
      objects,
      images: imagesOf(result.resources.map((r) => r.object)),
    };
  } catch (err) {
    if (!isSourceError(err)) throw err;
    return { env, digest: null, error: err.message, yaml: '', objects: new Map(), images: new Map() };
  }
}

/** The last commit of the first-parent line at or before TIME. */
export function commitAt(repo: string, time: Date, rev = 'HEAD'): string | null {
  const out = git(repo, [
    'log',
    '--first-parent',
    '-1',
    '--format=%H',
    `--before=${time.toISOString()}`,
    rev,
  ]).trim();
  return out || null;
}

export interface DeployedAt {
  env: string;
  commit: string;
  time: string;
  digest: string | null;
  error?: string;
  images: { name: string; refs: string[] }[];
}

export function deployedAt(repo: string, env: string, time: Date, rev = 'HEAD'): DeployedAt {
  const commit = commitAt(repo, time, rev);
  if (!commit)
    throw new SourceError('NO_COMMIT', `nothing was committed on ${rev} at or before ${time.toISOString()}`, {
      hint: 'pick a later time; `git log --reverse --format=%cI | head -1` shows the first commit',
    });
  const snap = snapshotAt(repo, commit);
  if (!snap.isDir(`overlays/${env}`))
    throw new SourceError('UNKNOWN_ENV', `environment "${env}" did not exist at ${commit.slice(0, 12)}`);
  const r = renderEnv(snap, env);
  const time2 = git(repo, ['show', '-s', '--format=%cI', commit]).trim();
  return {
    env,
    commit,
    time: time2,
    digest: r.digest,
    error: r.error,
    images: [...r.images].map(([name, refs]) => ({ name, refs })),
  };
}

export interface RenderedDiff {
  env: string;
  from: string;
  to: string;
  images: ReturnType<typeof diffImages>;
  added: string[];
  removed: string[];
  changed: { key: string; diff: string }[];
}

/** A line diff of two texts (longest common subsequence; objects are small). */
export function lineDiff(a: string, b: string, context = 3): string {
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      (lcs[i] as number[])[j] =
        x[i] === y[j]
          ? ((lcs[i + 1] as number[])[j + 1] as number) + 1
          : Math.max((lcs[i + 1] as number[])[j] as number, (lcs[i] as number[])[j + 1] as number);
  const ops: { t: ' ' | '-' | '+'; s: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) {
      ops.push({ t: ' ', s: x[i] as string });
      i++;
      j++;
    } else if (
      i < n &&
      (j >= m || ((lcs[i + 1] as number[])[j] as number) >= ((lcs[i] as number[])[j + 1] as number))
    ) {
      ops.push({ t: '-', s: x[i] as string });
      i++;
    } else {
      ops.push({ t: '+', s: y[j] as string });
      j++;
    }
  }
  const keep = ops.map(
    (o, k) => o.t !== ' ' || ops.slice(Math.max(0, k - context), k + context + 1).some((p) => p.t !== ' '),
  );
  const out: string[] = [];
  let skipped = false;
  ops.forEach((o, k) => {
    if (keep[k]) {
      out.push(`${o.t}${o.s}`);
      skipped = false;
    } else if (!skipped) {
      out.push('@@');
      skipped = true;
    }
  });
  return out.join('\n');
}

export function renderedDiff(repo: string, env: string, fromRev: string, toRev: string): RenderedDiff {
  const from = resolveRev(repo, fromRev);
  const to = resolveRev(repo, toRev);
  const blobs = new BlobStore(repo);
  const a = renderEnv(snapshotAt(repo, from, blobs), env);
  const b = renderEnv(snapshotAt(repo, to, blobs), env);
  for (const [r, rev] of [
    [a, fromRev],
    [b, toRev],
  ] as const)
    if (r.error) throw new SourceError('RENDER', `${env} does not render at ${rev}: ${r.error}`);
  const d = diffObjects(a.objects, b.objects);
  return {
    env,
    from,
    to,
    images: diffImages(a.images, b.images),
    added: d.added,
    removed: d.removed,
    changed: d.changed.map((key) => ({
      key,
      diff: lineDiff(a.objects.get(key) ?? '', b.objects.get(key) ?? ''),
    })),
  };
}

export interface VerifyResult {
  checked: number;
  renders: number;
  reused: number;
  mismatches: {
    commit: string;
    subject: string;
    envs: string[];
    recorded: string;
    actual: string | null;
    error?: string;
  }[];
}

/** The digest the bump flow records: one environment's rendered output, or several joined in
 * name order, each introduced by its name. */
export function renderedDigestOf(renders: { env: string; yaml: string }[]): string {
  if (renders.length === 1) return sha256((renders[0] as { yaml: string }).yaml);
  return sha256(
    [...renders]
      .sort((p, q) => (p.env < q.env ? -1 : p.env > q.env ? 1 : 0))
      .map((r) => `# env: ${r.env}\n${r.yaml}`)
      .join(''),
  );
}

/** Re-renders every commit that records a Rendered-Digest and compares. Commits of the
 * first-parent line are rendered from a snapshot moved along the history; commits that reached it
 * through a merge are read with `git ls-tree`. A render is reused when every path it read has the
 * same blob at the next commit. */
export function verify(repo: string, opts: { since?: Date; rev?: string } = {}): VerifyResult {
  const rev = opts.rev ?? 'HEAD';
  const args = ['log', '--format=%x1e%H%x1f%cI%x1f%s%x1f%B', rev];
  if (opts.since) args.splice(1, 0, `--since=${opts.since.toISOString()}`);
  const recs = git(repo, args)
    .split('\x1e')
    .filter((r) => r.trim())
    .map((r) => {
      const [sha, date, subject, body] = r.split('\x1f') as [string, string, string, string];
      return { sha, date, subject, trailers: parseTrailers(body) };
    })
    .filter((c) => c.trailers['Rendered-Digest'] && c.trailers.Environment)
    .reverse();
  const blobs = new BlobStore(repo);
  const mainline = readHistory(repo, rev);
  const wanted = new Set(recs.map((r) => r.sha));
  blobs.prefetch(mainline.flatMap((c) => (c.changes.length ? c.changes.map((ch) => ch.blob) : [])));
  // snapshots of the first-parent commits that carry a record, taken while walking the line
  const walk = new TreeSnapshot(blobs);
  const atMainline = new Map<string, TreeSnapshot>();
  const cache = new Map<string, { fingerprint: Map<string, string>; render: EnvRender }>();
  const result: VerifyResult = { checked: 0, renders: 0, reused: 0, mismatches: [] };
  const check = (c: (typeof recs)[number], snap: TreeSnapshot) => {
    const envs = [
      ...new Set((c.trailers.Environment ?? []).flatMap((e) => e.split(/[ ,]+/)).filter(Boolean)),
    ].sort();
    const renders: EnvRender[] = [];
    for (const env of envs) {
      const hit = cache.get(env);
      if (hit && [...hit.fingerprint].every(([p, id]) => fingerprintOf(snap, p) === id)) {
        result.reused++;
        renders.push(hit.render);
        continue;
      }
      const accessed = new Set<string>();
      const r = renderEnv(snap, env, accessed);
      result.renders++;
      const fingerprint = new Map<string, string>();
      for (const p of accessed) fingerprint.set(p, fingerprintOf(snap, p));
      cache.set(env, { fingerprint, render: r });
      renders.push(r);
    }
    result.checked++;
    const recorded = (c.trailers['Rendered-Digest']?.[0] ?? '').replace(/^sha256:/, '');
    const failed = renders.find((r) => r.digest === null);
    const actual = failed ? null : renderedDigestOf(renders);
    if (actual !== recorded)
      result.mismatches.push({
        commit: c.sha,
        subject: c.subject,
        envs,
        recorded,
        actual,
        error: failed?.error,
      });
  };
  const bySha = new Map(recs.map((r) => [r.sha, r]));
  for (const commit of mainline) {
    walk.apply(commit.changes);
    const rec = bySha.get(commit.sha);
    if (rec) {
      check(rec, walk);
      atMainline.set(commit.sha, walk);
    }
  }
  for (const rec of recs)
    if (wanted.has(rec.sha) && !atMainline.has(rec.sha)) check(rec, snapshotAt(repo, rec.sha, blobs));
  return result;
}

function fingerprintOf(snap: TreeSnapshot, p: string): string {
  if (p.endsWith('/')) return `dir:${snap.children(p.slice(0, -1)).join('/')}`;
  const f = snap.file(p);
  if (f) return `${f.mode}:${f.blob}`;
  return snap.isDir(p) ? 'dir' : 'absent';
}
