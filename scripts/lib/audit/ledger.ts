// The deployment ledger: walk the first-parent history of the deployed branch, render every
// environment at each commit from git objects (never the working tree), and record each commit
// that changed what an environment renders: who, when, from which pipeline and merge request,
// which images moved, which other objects changed, the rendered digest and whether the change
// went through the gate (trailers written by `gitops bump-image`). A render is reused as long as
// a commit touches none of the paths it read, which keeps a thousand commits within seconds.
import { posix } from 'node:path';
import { sha256 } from '../check/index.ts';
import { isSourceError } from '../errors.ts';
import { isMap, type JsonMap, type JsonValue } from '../json.ts';
import { build } from '../kustomize/index.ts';
import { BlobStore, type Commit, git, parseTrailers, readHistory } from './history.ts';
import { TREE_ROOT, TreeSnapshot, touches } from './treefs.ts';

export interface EnvRender {
  env: string;
  /** sha256 of the rendered output (what `Rendered-Digest` records), or null when the render failed. */
  digest: string | null;
  error?: string;
  yaml: string;
  /** Objects by `apiVersion kind namespace/name`, as canonical JSON. */
  objects: Map<string, string>;
  /** Image references by image name (registry/repository without tag or digest). */
  images: Map<string, string[]>;
}

export interface LedgerEntry {
  env: string;
  time: string;
  commit: string;
  author: string;
  subject: string;
  mergeRequest: string | null;
  images: { name: string; from: string | null; to: string | null }[];
  objects: { added: string[]; removed: string[]; changed: string[] };
  renderedDigest: string | null;
  /** `passed` when the bump flow's trailers vouch for the change, `unverified` otherwise,
   * `render-error` when the environment did not render at that commit. */
  check: 'passed' | 'unverified' | 'render-error';
  checkedBy: string | null;
  pipeline: string | null;
  sourceCommit: string | null;
  /** Trailers of the commit (or of the merged commits, for a merge) that concern this env. */
  trailers: Record<string, string[]>;
  /** When Argo CD synced this commit (`audit --with-sync`, from the Application's history). */
  syncedAt?: string | null;
}

export interface Ledger {
  entries: LedgerEntry[];
  commits: number;
  renders: number;
  reused: number;
}

const POD_SPEC_PATHS: Record<string, string[]> = {
  Pod: ['spec'],
  Deployment: ['spec', 'template', 'spec'],
  StatefulSet: ['spec', 'template', 'spec'],
  DaemonSet: ['spec', 'template', 'spec'],
  ReplicaSet: ['spec', 'template', 'spec'],
  Job: ['spec', 'template', 'spec'],
  CronJob: ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
};

/** `registry/repo:tag@sha256:...` → `registry/repo`. */
export function imageName(ref: string): string {
  const at = ref.indexOf('@');
  const noDigest = at >= 0 ? ref.slice(0, at) : ref;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.lastIndexOf(':');
  return colon > slash ? noDigest.slice(0, colon) : noDigest;
}

export function imagesOf(objects: JsonMap[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const o of objects) {
    const path = POD_SPEC_PATHS[String(o.kind)];
    if (!path) continue;
    let spec: JsonValue | undefined = o;
    for (const p of path) spec = isMap(spec) ? spec[p] : undefined;
    if (!isMap(spec)) continue;
    for (const field of ['initContainers', 'containers']) {
      const list = spec[field];
      if (!Array.isArray(list)) continue;
      for (const c of list) {
        if (!isMap(c) || typeof c.image !== 'string') continue;
        const name = imageName(c.image);
        const refs = out.get(name) ?? [];
        if (!refs.includes(c.image)) refs.push(c.image);
        out.set(name, refs.sort());
      }
    }
  }
  return out;
}

function objectKey(o: JsonMap): string {
  const meta = isMap(o.metadata) ? o.metadata : {};
  return `${String(o.apiVersion)} ${String(o.kind)} ${meta.namespace ? `${String(meta.namespace)}/` : ''}${String(meta.name)}`;
}

function canonical(v: JsonValue): string {
  return JSON.stringify(v, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

export function diffObjects(a: Map<string, string>, b: Map<string, string>): LedgerEntry['objects'] {
  const added: string[] = [];
  const removed: string[] = [];
  const changed: string[] = [];
  for (const [k, v] of b) {
    const old = a.get(k);
    if (old === undefined) added.push(k);
    else if (old !== v) changed.push(k);
  }
  for (const k of a.keys()) if (!b.has(k)) removed.push(k);
  return { added, removed, changed };
}

export function diffImages(a: Map<string, string[]>, b: Map<string, string[]>): LedgerEntry['images'] {
  const out: LedgerEntry['images'] = [];
  const names = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const n of names) {
    const from = (a.get(n) ?? []).join(', ') || null;
    const to = (b.get(n) ?? []).join(', ') || null;
    if (from !== to) out.push({ name: n, from, to });
  }
  return out;
}

/** Renders environments commit by commit, reusing a render while its inputs are untouched. */
export class HistoryRenderer {
  readonly snapshot: TreeSnapshot;
  private readonly cache = new Map<string, { render: EnvRender; accessed: Set<string> }>();
  renders = 0;
  reused = 0;

  constructor(readonly blobs: BlobStore) {
    this.snapshot = new TreeSnapshot(blobs);
  }

  /** Moves to the next commit; renders cached for paths the commit touched are dropped. */
  advance(commit: Commit): void {
    this.snapshot.apply(commit.changes);
    for (const [env, c] of this.cache) if (touches(c.accessed, commit.changes)) this.cache.delete(env);
  }

  envs(): string[] {
    return this.snapshot
      .children('overlays')
      .filter((e) =>
        ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].some((f) =>
          this.snapshot.file(`overlays/${e}/${f}`),
        ),
      )
      .sort();
  }

  render(env: string): EnvRender {
    const hit = this.cache.get(env);
    if (hit) {
      this.reused++;
      return hit.render;
    }
    this.renders++;
    const accessed = new Set<string>();
    let render: EnvRender;
    try {
      const result = build(posix.join(TREE_ROOT, 'overlays', env), {}, this.snapshot.fs(accessed));
      const objects = new Map<string, string>();
      for (const r of result.resources) objects.set(objectKey(r.object), canonical(r.object));
      render = {
        env,
        digest: sha256(result.yaml),
        yaml: result.yaml,
        objects,
        images: imagesOf(result.resources.map((r) => r.object)),
      };
    } catch (err) {
      if (!isSourceError(err)) throw err;
      render = { env, digest: null, error: err.message, yaml: '', objects: new Map(), images: new Map() };
    }
    this.cache.set(env, { render, accessed });
    return render;
  }
}

const MR_PATTERNS = [/See merge request (\S+![0-9]+)/, /Merge pull request (#[0-9]+)/, /\((#[0-9]+)\)$/m];

function mergeRequestOf(messages: string[], trailers: Record<string, string[]>): string | null {
  const t = trailers['Merge-Request']?.[0];
  if (t) return t;
  for (const m of messages)
    for (const re of MR_PATTERNS) {
      const hit = re.exec(m);
      if (hit) return hit[1] as string;
    }
  return null;
}

/** Everything git knows about the whole graph's messages, for the commits a merge brought in. */
function sideCommits(
  repo: string,
  commits: Commit[],
): Map<string, { sha: string; parents: string[]; message: string; trailers: Record<string, string[]> }> {
  const out = new Map<
    string,
    { sha: string; parents: string[]; message: string; trailers: Record<string, string[]> }
  >();
  if (!commits.some((c) => c.parents.length > 1)) return out;
  const tip = commits[commits.length - 1]?.sha;
  if (!tip) return out;
  for (const c of gitLogAll(repo, tip)) out.set(c.sha, c);
  return out;
}

/** Every commit reachable from the tip, with its message: one git process, cheap next to rendering. */
function gitLogAll(repo: string, tip: string) {
  const out = git(repo, ['log', '--format=%x1e%H%x1f%P%x1f%B', tip]);
  return out
    .split('\x1e')
    .filter((r) => r.trim())
    .map((r) => {
      const [sha, parents, message] = r.split('\x1f') as [string, string, string];
      return {
        sha,
        parents: parents.split(' ').filter(Boolean),
        message: message.trimEnd(),
        trailers: parseTrailers(message),
      };
    });
}

/** The trailers and messages a first-parent commit carries: its own, and for a merge those of
 * the commits it brought in (the bump commit of a merge request). */
function carried(commit: Commit, mainline: Set<string>, side: ReturnType<typeof sideCommits>) {
  const messages = [commit.body];
  const trailerSets: Record<string, string[]>[] = [commit.trailers];
  for (const p of commit.parents.slice(1)) {
    const stack = [p];
    const seen = new Set<string>();
    while (stack.length) {
      const s = stack.pop() as string;
      if (seen.has(s) || mainline.has(s)) continue;
      seen.add(s);
      const c = side.get(s);
      if (!c) continue;
      messages.push(c.message);
      trailerSets.push(c.trailers);
      stack.push(...c.parents);
    }
  }
  return { messages, trailerSets };
}

export interface LedgerOptions {
  rev?: string;
  env?: string;
  since?: Date;
  until?: Date;
  image?: string;
}

export function buildLedger(repo: string, opts: LedgerOptions = {}): Ledger {
  const commits = readHistory(repo, opts.rev ?? 'HEAD');
  const blobs = new BlobStore(repo);
  blobs.prefetch(commits.flatMap((c) => c.changes.map((ch) => ch.blob)));
  const renderer = new HistoryRenderer(blobs);
  const side = sideCommits(repo, commits);
  const mainline = new Set(commits.map((c) => c.sha));
  const previous = new Map<string, EnvRender>();
  const entries: LedgerEntry[] = [];
  for (const commit of commits) {
    renderer.advance(commit);
    const touchedRendering = commit.changes.length > 0;
    if (!touchedRendering) continue;
    const { messages, trailerSets } = carried(commit, mainline, side);
    for (const env of renderer.envs()) {
      if (opts.env && env !== opts.env) continue;
      const now = renderer.render(env);
      const before = previous.get(env);
      previous.set(env, now);
      if (before && before.digest === now.digest && before.error === now.error) continue;
      const empty: EnvRender = { env, digest: null, yaml: '', objects: new Map(), images: new Map() };
      const prev = before ?? empty;
      const mine = trailerSets.filter((t) => (t.Environment ?? []).includes(env));
      const trailers: Record<string, string[]> = {};
      for (const t of mine)
        for (const [k, v] of Object.entries(t)) trailers[k] = [...(trailers[k] ?? []), ...v];
      const checkedBy = trailers['Checked-By']?.[0] ?? null;
      const entry: LedgerEntry = {
        env,
        time: commit.committer.date,
        commit: commit.sha,
        author: `${commit.author.name} <${commit.author.email}>`,
        subject: commit.subject,
        mergeRequest: mergeRequestOf(messages, trailers),
        images: diffImages(prev.images, now.images),
        objects: diffObjects(prev.objects, now.objects),
        renderedDigest: now.digest,
        check: now.digest === null ? 'render-error' : checkedBy ? 'passed' : 'unverified',
        checkedBy,
        pipeline: trailers['Source-Pipeline']?.[0] ?? null,
        sourceCommit: trailers['Source-Commit']?.[0] ?? null,
        trailers,
      };
      entries.push(entry);
    }
  }
  const filtered = entries.filter((e) => {
    const t = new Date(e.time).getTime();
    if (opts.since && t < opts.since.getTime()) return false;
    if (opts.until && t > opts.until.getTime()) return false;
    if (opts.image && !e.images.some((i) => i.name === opts.image || i.name.endsWith(`/${opts.image}`)))
      return false;
    return true;
  });
  return { entries: filtered, commits: commits.length, renders: renderer.renders, reused: renderer.reused };
}
