// The image-bump flow: edit the overlay's images: entry in a temporary worktree at the tip of the
// target branch, render the overlays that include it, run the gate, commit with auditable
// trailers, push (retrying on a moved branch: fetch, re-apply, re-render, re-check), and open or
// update the merge request. The user's checkout is never touched, so a failed check or push leaves
// the repository exactly as it was.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { parseTrailers } from '../audit/history.ts';
import { renderedDigestOf } from '../audit/index.ts';
import { diffImages, diffObjects, imagesOf } from '../audit/ledger.ts';
import { formatCapacityDiff, simulateCapacity } from '../capacity/index.ts';
import {
  type CheckResult,
  type CheckStage,
  listClusters,
  type RenderedUnit,
  runCheckOn,
  standardStages,
} from '../check/index.ts';
import { SourceError } from '../errors.ts';
import { isMap, type JsonMap } from '../json.ts';
import { build } from '../kustomize/index.ts';
import { KUSTOMIZATION_FILE_NAMES } from '../kustomize/kustomization.ts';
import { readYamlDocuments } from '../kustomize/yaml-io.ts';
import { toolPackage } from '../pkg.ts';
import { listOverlays } from '../render/overlays.ts';
import { type ImageEntry, readImages, setImage } from './edit.ts';
import {
  compareOrder,
  fullReference,
  type OrderKey,
  orderKeyFor,
  shortVersion,
  validateImage,
} from './reference.ts';

export interface ImageChange {
  image: string;
  newName?: string;
  tag?: string;
  digest?: string;
}

export interface BumpRequest {
  repoRoot: string;
  /** Environment name (overlays/<env>) or an overlay path relative to the repository. */
  env?: string;
  overlay?: string;
  changes: ImageChange[];
  sourceCommit?: string;
  pipelineUrl?: string;
  pipelineId?: string;
  buildTime?: string;
  push: boolean;
  targetBranch?: string;
  /** Branch a merge request targets (default: CI's default branch, else the current branch). */
  baseBranch?: string;
  allowDowngrade: boolean;
  dryRun: boolean;
  /** Environments that require digests (default prod). */
  digestRequired: string[];
  author?: { name: string; email: string };
  promotedFrom?: string;
  remote?: string;
  maxAttempts?: number;
  /** For tests: the gate's stages (default: schema + policies/ of the worktree). */
  stages?: (root: string) => Promise<CheckStage[]>;
  log?: (line: string) => void;
}

export interface BumpResult {
  status: 'committed' | 'up-to-date' | 'superseded' | 'dry-run' | 'check-failed';
  commit?: string;
  branch?: string;
  subject?: string;
  message?: string;
  report?: string;
  renderedDiff?: string;
  /** Before/after capacity figures when the change alters them (markdown), for the merge request. */
  capacityDiff?: string;
  check?: CheckResult;
  attempts: number;
}

export function git(
  cwd: string,
  args: string[],
  opts: { allowFail?: boolean; env?: NodeJS.ProcessEnv } = {},
): { ok: boolean; out: string; err: string } {
  const r = spawnSync('git', args, {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, ...opts.env },
    maxBuffer: 1 << 28,
  });
  const ok = r.status === 0;
  if (!ok && !opts.allowFail)
    throw new SourceError(
      'GIT',
      `git ${args[0]} failed: ${(r.stderr || r.stdout || r.error?.message || `exit ${r.status ?? r.signal}`).trim().split('\n').slice(-3).join(' | ')}`,
      {
        file: cwd,
      },
    );
  return { ok, out: r.stdout ?? '', err: r.stderr ?? '' };
}

function kustomizationFile(dir: string): string {
  for (const f of KUSTOMIZATION_FILE_NAMES) if (existsSync(join(dir, f))) return join(dir, f);
  throw new SourceError('NO_KUSTOMIZATION', `no kustomization in ${dir}`, {
    hint: 'give --env ENV (overlays/ENV) or --overlay PATH',
  });
}

/** Directories a kustomization reads through resources/components/bases (not files). */
function includedDirs(dir: string, seen = new Set<string>()): Set<string> {
  if (seen.has(dir)) return seen;
  seen.add(dir);
  let k: JsonMap | undefined;
  try {
    const docs = readYamlDocuments(readFileSync(kustomizationFile(dir), 'utf8'), dir);
    k = isMap(docs[0]?.value) ? (docs[0]?.value as JsonMap) : undefined;
  } catch {
    return seen;
  }
  for (const field of ['resources', 'components', 'bases']) {
    const list = k?.[field];
    if (!Array.isArray(list)) continue;
    for (const entry of list) {
      if (typeof entry !== 'string') continue;
      const p = resolve(dir, entry);
      if (existsSync(p) && KUSTOMIZATION_FILE_NAMES.some((f) => existsSync(join(p, f))))
        includedDirs(p, seen);
    }
  }
  return seen;
}

/** The overlays whose build includes the kustomization in `dir` (only those are rendered). */
export function overlaysIncluding(root: string, dir: string): { env: string; dir: string }[] {
  return listOverlays(root).filter((o) => includedDirs(o.dir).has(dir));
}

function unit(env: string, dir: string): RenderedUnit {
  const r = build(dir);
  return { env, dir, kind: 'overlay', resources: r.resources, yaml: r.yaml };
}

function summarizeDiff(before: RenderedUnit[], after: RenderedUnit[]): string {
  const lines: string[] = [];
  for (const a of after) {
    const b = before.find((x) => x.env === a.env);
    const objs = (u: RenderedUnit | undefined) =>
      new Map(
        (u?.resources ?? []).map((r) => {
          const m = (r.object.metadata ?? {}) as JsonMap;
          return [
            `${String(r.object.kind)} ${m.namespace ? `${String(m.namespace)}/` : ''}${String(m.name)}`,
            JSON.stringify(r.object, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)),
          ];
        }),
      );
    const d = diffObjects(objs(b), objs(a));
    const imgs = diffImages(
      imagesOf((b?.resources ?? []).map((r) => r.object)),
      imagesOf(a.resources.map((r) => r.object)),
    );
    lines.push(
      `${a.env} (${relative(dirname(dirname(a.dir)), a.dir) || a.env}): ${d.changed.length} changed, ${d.added.length} added, ${d.removed.length} removed`,
    );
    for (const k of d.changed) lines.push(`  ~ ${k}`);
    for (const k of d.added) lines.push(`  + ${k}`);
    for (const k of d.removed) lines.push(`  - ${k}`);
    for (const i of imgs) lines.push(`  image ${i.from ?? '(none)'} -> ${i.to ?? '(removed)'}`);
  }
  return lines.join('\n');
}

/** The last recorded order key of this image in this environment, from the trailers. */
function recordedOrder(cwd: string, file: string, env: string, image: string): OrderKey | undefined {
  const out = git(cwd, ['log', '-n', '200', '--format=%x1e%B', '--', file], { allowFail: true }).out;
  for (const rec of out.split('\x1e')) {
    const t = parseTrailers(rec);
    if (!(t.Environment ?? []).some((e) => e.split(/[ ,]+/).includes(env))) continue;
    const images = t.Image ?? [];
    const idx = images.findIndex(
      (i) => i.startsWith(`${image}:`) || i.startsWith(`${image}@`) || i === image,
    );
    if (idx < 0) continue;
    const orders = t['Image-Order'] ?? [];
    return orders[idx] ?? orders[0];
  }
  return undefined;
}

function branchName(env: string, changes: ImageChange[]): string {
  const part = changes
    .map((c) => `${c.image.split('/').pop()}-${c.tag ?? c.digest?.slice(7, 19) ?? ''}`)
    .join('+')
    .replace(/[^A-Za-z0-9._+-]/g, '-');
  return `deploy/${env}/${part}`.slice(0, 200);
}

/** Capacity over a reference day before and after, for each affected environment that changed. */
function capacityChanges(before: RenderedUnit[], after: RenderedUnit[]): string | undefined {
  const parts: string[] = [];
  const opts = { from: new Date('2026-01-05T00:00:00Z'), days: 1, stepMinutes: 15 };
  for (const a of after) {
    const b = before.find((x) => x.env === a.env);
    if (!b) continue;
    const d = formatCapacityDiff(
      simulateCapacity(
        b.resources.map((r) => r.object),
        { env: a.env, ...opts },
      ),
      simulateCapacity(
        a.resources.map((r) => r.object),
        { env: a.env, ...opts },
      ),
    );
    if (d) parts.push(d);
  }
  return parts.length ? parts.join('\n\n') : undefined;
}

const WORKTREE_PREFIX = 'gitops-bump-worktree-';

/** Worktrees left by a bump that was killed (its process is gone) are removed; the repository
 * itself was never touched by them. */
function removeAbandonedWorktrees(root: string): void {
  const list = git(root, ['worktree', 'list', '--porcelain'], { allowFail: true }).out;
  // the first block is the main worktree: never a candidate
  for (const block of list.split('\n\n').slice(1)) {
    const path = /^worktree (.*)$/m.exec(block)?.[1];
    if (!path || !basename(path).startsWith(WORKTREE_PREFIX)) continue;
    const admin = git(root, ['rev-parse', '--git-path', `worktrees/${basename(path)}`], {
      allowFail: true,
    }).out.trim();
    const pidFile = join(isAbsolute(admin) ? admin : join(root, admin), 'gitops-pid');
    // only worktrees this flow made carry a pid file; one whose process still runs is left alone
    if (!existsSync(pidFile)) continue;
    let alive = false;
    try {
      process.kill(Number(readFileSync(pidFile, 'utf8')), 0);
      alive = true;
    } catch {
      alive = false;
    }
    if (!alive) {
      git(root, ['worktree', 'remove', '--force', path], { allowFail: true });
      rmSync(path, { recursive: true, force: true });
    }
  }
  git(root, ['worktree', 'prune'], { allowFail: true });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runBump(req: BumpRequest): Promise<BumpResult> {
  const log = req.log ?? ((s: string) => process.stderr.write(`${s}\n`));
  const root = git(req.repoRoot, ['rev-parse', '--show-toplevel']).out.trim();
  const overlayRel = req.overlay
    ? relative(root, resolve(req.repoRoot, req.overlay))
    : req.env
      ? join('overlays', req.env)
      : undefined;
  if (!overlayRel) throw new SourceError('USAGE', 'give --env ENV or --overlay PATH');
  if (!existsSync(join(root, overlayRel)))
    throw new SourceError('UNKNOWN_ENV', `${overlayRel} does not exist`, {
      hint: `environments: ${listOverlays(root)
        .map((o) => o.env)
        .join(', ')}`,
    });
  const env =
    req.env ?? (overlayRel.startsWith('overlays/') ? (overlayRel.split('/')[1] as string) : overlayRel);
  for (const c of req.changes) {
    validateImage(c.image, c.tag, c.digest);
    if (req.digestRequired.includes(env) && !c.digest)
      throw new SourceError(
        'DIGEST_REQUIRED',
        `${env} requires images pinned by digest: give --digest sha256:...`,
        {
          hint: 'or change GITOPS_DIGEST_REQUIRED_ENVS if this environment should accept tags alone',
        },
      );
  }
  removeAbandonedWorktrees(root);
  const remote = req.remote ?? 'origin';
  const current = git(root, ['symbolic-ref', '--quiet', '--short', 'HEAD'], { allowFail: true }).out.trim();
  const baseBranch =
    req.targetBranch ?? req.baseBranch ?? (process.env.CI_DEFAULT_BRANCH || current || 'main');
  const maxAttempts = req.maxAttempts ?? 8;
  for (let attempt = 1; ; attempt++) {
    let base = 'HEAD';
    if (req.push) {
      git(root, [
        'fetch',
        '--quiet',
        remote,
        `+refs/heads/${baseBranch}:refs/remotes/${remote}/${baseBranch}`,
      ]);
      base = `${remote}/${baseBranch}`;
    } else if (req.targetBranch) base = req.targetBranch;
    const wt = mkdtempSync(join(tmpdir(), WORKTREE_PREFIX));
    git(root, ['worktree', 'add', '--quiet', '--detach', wt, base]);
    const admin = git(root, ['rev-parse', '--git-path', `worktrees/${basename(wt)}`]).out.trim();
    writeFileSync(join(resolve(root, admin), 'gitops-pid'), String(process.pid));
    try {
      const result = await attemptBump(req, { root, wt, overlayRel, env, attempt, log });
      if (result.status !== 'committed' || req.dryRun) return result;
      const sha = result.commit as string;
      const branch = req.targetBranch ?? branchName(env, req.changes);
      result.branch = branch;
      if (!req.push) {
        if (current === branch) git(root, ['merge', '--ff-only', '--quiet', sha]);
        else git(root, ['branch', '-f', branch, sha]);
        log(`committed ${sha.slice(0, 12)} on ${branch} (not pushed)`);
        return result;
      }
      const push = git(
        root,
        ['push', '--quiet', ...(req.targetBranch ? [] : ['--force']), remote, `${sha}:refs/heads/${branch}`],
        {
          allowFail: true,
        },
      );
      if (push.ok) {
        if (current !== branch) git(root, ['branch', '-f', branch, sha], { allowFail: true });
        log(`pushed ${sha.slice(0, 12)} to ${remote} ${branch}`);
        return result;
      }
      const rejected = /rejected|non-fast-forward|fetch first|failed to update ref|cannot lock ref/.test(
        push.err,
      );
      if (!rejected || attempt >= maxAttempts)
        throw new SourceError(
          'PUSH_FAILED',
          `push to ${remote} ${branch} failed${attempt > 1 ? ` after ${attempt} attempts` : ''}: ${push.err.trim().split('\n').slice(-2).join(' | ')}`,
          {
            hint: 'the local repository is unchanged; run the bump again',
          },
        );
      const wait = Math.min(5000, 100 * 2 ** attempt) * (0.5 + Math.random());
      log(
        `${branch} moved on ${remote}; re-applying on the new tip (attempt ${attempt + 1}/${maxAttempts}) in ${Math.round(wait)} ms`,
      );
      await sleep(wait);
    } finally {
      git(root, ['worktree', 'remove', '--force', wt], { allowFail: true });
      rmSync(wt, { recursive: true, force: true });
    }
  }
}

async function attemptBump(
  req: BumpRequest,
  ctx: {
    root: string;
    wt: string;
    overlayRel: string;
    env: string;
    attempt: number;
    log: (s: string) => void;
  },
): Promise<BumpResult> {
  const { wt, overlayRel, env } = ctx;
  const overlayDir = join(wt, overlayRel);
  const kfile = kustomizationFile(overlayDir);
  const krel = relative(wt, kfile);
  const original = readFileSync(kfile, 'utf8');
  const entries = readImages(original, krel);
  const previous = new Map<string, ImageEntry | undefined>();
  let text = original;
  const moves: { change: ImageChange; before?: ImageEntry; order?: OrderKey }[] = [];
  for (const change of req.changes) {
    const before = entries.find((e) => e.name === change.image);
    previous.set(change.image, before);
    const same =
      before &&
      (change.tag === undefined || before.newTag === change.tag) &&
      (change.digest === undefined ? true : before.digest === change.digest) &&
      (change.newName === undefined || before.newName === change.newName) &&
      !(change.tag !== undefined && change.digest === undefined && before.digest !== undefined);
    if (same) continue;
    const order = orderKeyFor({ pipelineId: req.pipelineId, buildTime: req.buildTime, tag: change.tag });
    const last = recordedOrder(wt, krel, env, change.image) ?? orderKeyFor({ tag: before?.newTag });
    const cmp = compareOrder(order, last);
    if (cmp !== undefined && cmp < 0 && !req.allowDowngrade) {
      ctx.log(
        `${change.image}: ${env} already runs a newer build (${last}) than ${order}; nothing to do (use --allow-downgrade to force)`,
      );
      return { status: 'superseded', attempts: ctx.attempt };
    }
    text = setImage(text, krel, change.image, {
      newName: change.newName,
      newTag: change.tag ?? (change.digest && before?.newTag !== undefined ? before.newTag : undefined),
      digest: change.digest ?? (change.tag !== undefined && before?.digest !== undefined ? null : undefined),
    });
    moves.push({ change, before, order });
  }
  if (moves.length === 0) {
    ctx.log(
      `${env}: already up to date (${req.changes.map((c) => `${c.image}:${c.tag ?? c.digest}`).join(', ')})`,
    );
    return { status: 'up-to-date', attempts: ctx.attempt };
  }
  const affected = overlaysIncluding(wt, overlayDir);
  const before = affected.map((o) => unit(o.env, o.dir));
  writeFileSync(kfile, text);
  const after = affected.map((o) => unit(o.env, o.dir));
  const clusters = listClusters(wt).map((c) => {
    const r = build(c.dir);
    return {
      env: `cluster/${c.name}`,
      dir: c.dir,
      kind: 'cluster' as const,
      resources: r.resources,
      yaml: r.yaml,
    };
  });
  const stages = await (req.stages ?? ((r: string) => standardStages(r)))(wt);
  const check = runCheckOn([...after, ...clusters], { repoRoot: wt, stages });
  const renderedDiff = summarizeDiff(before, after);
  const capacityDiff = capacityChanges(before, after);
  if (check.exitCode !== 0) {
    ctx.log(check.report.trimEnd());
    return { status: 'check-failed', report: check.report, check, renderedDiff, attempts: ctx.attempt };
  }
  const short = (m: (typeof moves)[number]) =>
    `${m.change.image.split('/').pop()} ${shortVersion(m.before)} -> ${shortVersion({ newTag: m.change.tag ?? m.before?.newTag, digest: m.change.digest })}`;
  const subject = req.promotedFrom
    ? `deploy(${env}): promote from ${req.promotedFrom}: ${moves.map(short).join(', ')}`
    : `deploy(${env}): ${moves.map(short).join(', ')}`;
  const envs = after.map((u) => u.env).sort();
  const trailers: string[] = [`Environment: ${envs.join(', ')}`];
  for (const m of moves) {
    const next = readImages(text, krel).find((e) => e.name === m.change.image) as ImageEntry;
    trailers.push(`Image: ${fullReference(m.change.image, next)}`);
    trailers.push(`Previous: ${m.before ? fullReference(m.change.image, m.before) : '(none)'}`);
    if (m.order) trailers.push(`Image-Order: ${m.order}`);
  }
  if (req.sourceCommit) trailers.push(`Source-Commit: ${req.sourceCommit}`);
  if (req.pipelineUrl) trailers.push(`Source-Pipeline: ${req.pipelineUrl}`);
  if (req.promotedFrom) trailers.push(`Promoted-From: ${req.promotedFrom}`);
  trailers.push(
    `Rendered-Digest: sha256:${renderedDigestOf(after.map((u) => ({ env: u.env, yaml: u.yaml })))}`,
  );
  const pkg = toolPackage();
  trailers.push(`Checked-By: ${pkg.name}@${pkg.version} policies:sha256:${check.policyDigest}`);
  const message = `${subject}\n\nRendered diff:\n${renderedDiff}\n\nCheck: ${check.summary}\n\n${trailers.join('\n')}\n`;
  if (req.dryRun) {
    ctx.log(message);
    return { status: 'dry-run', subject, message, renderedDiff, capacityDiff, check, attempts: ctx.attempt };
  }
  const bot = { name: 'airflow-gitops-bot', email: 'airflow-gitops-bot@users.noreply.dw.example.com' };
  const author = req.author ?? bot;
  git(wt, ['add', '--', krel]);
  return {
    ...finishCommit(wt, message, author, bot, { subject, renderedDiff, check, attempt: ctx.attempt }),
    capacityDiff,
  };
}

function finishCommit(
  wt: string,
  message: string,
  author: { name: string; email: string },
  bot: { name: string; email: string },
  info: { subject: string; renderedDiff: string; check: CheckResult; attempt: number },
): BumpResult {
  const msgFile = join(wt, '.git-bump-message');
  writeFileSync(msgFile, message);
  try {
    git(wt, ['commit', '--quiet', '--no-verify', '--cleanup=verbatim', `--file=${msgFile}`], {
      env: {
        GIT_AUTHOR_NAME: author.name,
        GIT_AUTHOR_EMAIL: author.email,
        GIT_COMMITTER_NAME: bot.name,
        GIT_COMMITTER_EMAIL: bot.email,
      },
    });
  } finally {
    rmSync(msgFile, { force: true });
  }
  const sha = git(wt, ['rev-parse', 'HEAD']).out.trim();
  return {
    status: 'committed',
    commit: sha,
    subject: info.subject,
    message,
    renderedDiff: info.renderedDiff,
    check: info.check,
    attempts: info.attempt,
  };
}
