// `gitops audit`: the deployment ledger from git history.
//   gitops audit [--env ENV] [--since DATE] [--until DATE] [--image NAME] [--format table|markdown|csv|json]
//   gitops audit at TIME --env ENV
//   gitops audit diff FROM TO --env ENV
//   gitops audit verify [--since DATE]
import { parseCommandLine } from './lib/args.ts';
import { formatLedger, LEDGER_FORMATS, type LedgerFormat } from './lib/audit/format.ts';
import { git } from './lib/audit/history.ts';
import { buildLedger, deployedAt, type LedgerEntry, renderedDiff, verify } from './lib/audit/index.ts';
import { SourceError } from './lib/errors.ts';

const USAGE = `usage: gitops audit [--env ENV] [--since DATE] [--until DATE] [--image NAME] [--format table|markdown|csv|json]
                    [--with-sync [--context NAME]]
       gitops audit at TIME --env ENV [--format table|json]
       gitops audit diff FROM TO --env ENV [--format table|json]
       gitops audit verify [--since DATE] [--format table|json]`;

function parseDate(value: string | undefined, flag: string): Date | undefined {
  if (value === undefined) return undefined;
  const d = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(d.getTime()))
    throw new SourceError('USAGE', `${flag}: "${value}" is not a date`, {
      hint: 'use ISO 8601, e.g. 2026-11-24 or 2026-11-24T03:00:00+08:00',
    });
  return d;
}

function repoRoot(): string {
  try {
    return git(process.cwd(), ['rev-parse', '--show-toplevel']).trim();
  } catch {
    throw new SourceError('NOT_A_REPOSITORY', `${process.cwd()} is not inside a git repository`, {
      hint: 'run gitops audit from a clone of the GitOps repository',
    });
  }
}

/** Joins each entry with the time Argo CD synced its commit, from the Application's history. */
async function addSyncTimes(root: string, entries: LedgerEntry[], context?: string): Promise<void> {
  const { connect } = await import('./lib/cluster/client.ts');
  const { appStatus, environments, fetchApplication } = await import('./lib/cluster/view.ts');
  const cluster = connect({ context });
  const envs = [...new Set(entries.map((e) => e.env))];
  const synced = new Map<string, Map<string, string>>();
  for (const app of environments(root, envs)) {
    const s = appStatus(app, await fetchApplication(cluster, app));
    synced.set(app.env, new Map(s.history.map((h) => [h.revision, h.deployedAt])));
  }
  for (const e of entries) e.syncedAt = synced.get(e.env)?.get(e.commit) ?? null;
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(
    argv,
    {
      env: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      image: { type: 'string' },
      rev: { type: 'string' },
      format: { type: 'string', default: 'table' },
      'with-sync': { type: 'boolean' },
      context: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  const v = parsed.values as Record<string, string | boolean | undefined>;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const format = String(v.format);
  const rev = (v.rev as string | undefined) ?? 'HEAD';
  const [sub, ...args] = parsed.positionals;
  const root = repoRoot();
  const env = v.env as string | undefined;
  const needEnv = (): string => {
    if (!env) throw new SourceError('USAGE', `audit ${sub} needs --env ENV`, { hint: USAGE });
    return env;
  };

  if (sub === 'at') {
    const time = parseDate(args[0], 'TIME');
    if (!time) throw new SourceError('USAGE', 'audit at needs a TIME', { hint: USAGE });
    const d = deployedAt(root, needEnv(), time, rev);
    if (format === 'json') process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
    else {
      const lines = [
        `${d.env} at ${time.toISOString()}: commit ${d.commit.slice(0, 12)} (${d.time})`,
        d.digest ? `rendered sha256:${d.digest}` : `render error: ${d.error}`,
        ...d.images.map((i) => `  ${i.refs.join(', ')}`),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return 0;
  }

  if (sub === 'diff') {
    if (args.length !== 2) throw new SourceError('USAGE', 'audit diff needs FROM and TO', { hint: USAGE });
    const d = renderedDiff(root, needEnv(), args[0] as string, args[1] as string);
    if (format === 'json') {
      process.stdout.write(`${JSON.stringify(d, null, 2)}\n`);
      return 0;
    }
    const lines = [`${d.env}: ${d.from.slice(0, 12)} -> ${d.to.slice(0, 12)}`];
    for (const i of d.images) lines.push(`image ${i.name}: ${i.from ?? '(none)'} -> ${i.to ?? '(removed)'}`);
    for (const k of d.added) lines.push(`added   ${k}`);
    for (const k of d.removed) lines.push(`removed ${k}`);
    for (const c of d.changed) lines.push(`changed ${c.key}`, ...c.diff.split('\n').map((l) => `  ${l}`));
    if (lines.length === 1) lines.push('no rendered object changed');
    process.stdout.write(`${lines.join('\n')}\n`);
    return 0;
  }

  if (sub === 'verify') {
    const r = verify(root, { since: parseDate(v.since as string | undefined, '--since'), rev });
    if (format === 'json') process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
    else {
      const lines = r.mismatches.map(
        (m) =>
          `MISMATCH ${m.commit.slice(0, 12)} ${m.envs.join(',')}: recorded ${m.recorded.slice(0, 16)}, renders ${m.actual ? m.actual.slice(0, 16) : `error (${m.error})`}  ${m.subject}`,
      );
      lines.push(
        `verify: ${r.checked} recorded deployments, ${r.mismatches.length} mismatches (${r.renders} renders, ${r.reused} reused)`,
      );
      process.stdout.write(`${lines.join('\n')}\n`);
    }
    return r.mismatches.length > 0 ? 1 : 0;
  }

  if (sub !== undefined && sub !== 'log')
    throw new SourceError('USAGE', `unknown audit command "${sub}"`, { hint: USAGE });
  if (!(LEDGER_FORMATS as readonly string[]).includes(format))
    throw new SourceError('USAGE', `--format: unknown format "${format}"`, {
      hint: `formats: ${LEDGER_FORMATS.join(', ')}`,
    });
  const ledger = buildLedger(root, {
    rev,
    env,
    since: parseDate(v.since as string | undefined, '--since'),
    until: parseDate(v.until as string | undefined, '--until'),
    image: v.image as string | undefined,
  });
  if (v['with-sync']) await addSyncTimes(root, ledger.entries, v.context as string | undefined);
  process.stdout.write(formatLedger(format as LedgerFormat, ledger.entries));
  return 0;
}
