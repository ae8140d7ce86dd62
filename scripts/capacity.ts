// `gitops capacity [--env ENV] [--days N] [--step 15m] [--from DATE] [--format table|json|svg]
//   [--output FILE]`: the nightly window simulated from the rendered ScaledObjects and the workers'
// requests, and what autoscaling saves against static sizing at the peak.
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseCommandLine } from './lib/args.ts';
import { simulateCapacity } from './lib/capacity/index.ts';
import { formatSvg, formatTable } from './lib/capacity/render.ts';
import { parseDuration } from './lib/cluster/view.ts';
import { SourceError } from './lib/errors.ts';
import { renderOverlays, selectOverlays } from './lib/render/overlays.ts';

const USAGE =
  'usage: gitops capacity [--env ENV]... [--days N] [--step 15m] [--from DATE] [--format table|json|svg] [--output FILE]';

/** Midnight of today in the given timezone, as the default start. */
function todayMidnight(tz: string): Date {
  const now = new Date();
  const ymd = new Intl.DateTimeFormat('en-CA', {
    timeZone: tz,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
  // the UTC instant of 00:00 local: try the offsets of that day
  for (let h = -14; h <= 14; h++) {
    const cand = new Date(`${ymd}T00:00:00Z`);
    cand.setUTCHours(cand.getUTCHours() - h);
    const local = new Intl.DateTimeFormat('en-GB', {
      timeZone: tz,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(cand);
    if (local.endsWith('00:00') && local.startsWith(ymd.split('-').reverse().join('/'))) return cand;
  }
  return new Date(`${ymd}T00:00:00Z`);
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(
    argv,
    {
      env: { type: 'string', multiple: true },
      days: { type: 'string', default: '1' },
      step: { type: 'string', default: '15m' },
      from: { type: 'string' },
      format: { type: 'string', default: 'table' },
      output: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
    false,
  );
  const v = parsed.values as {
    env?: string[];
    days: string;
    step: string;
    from?: string;
    format: string;
    output?: string;
    help?: boolean;
  };
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const days = Number(v.days);
  if (!Number.isFinite(days) || days <= 0 || days > 366)
    throw new SourceError('USAGE', `--days ${v.days}: give 1 to 366`, { hint: USAGE });
  const stepMinutes = parseDuration(v.step) / 60_000;
  if (stepMinutes < 1 || !Number.isInteger(stepMinutes))
    throw new SourceError('USAGE', `--step ${v.step}: give whole minutes, e.g. 15m`);
  if (!['table', 'json', 'svg'].includes(v.format))
    throw new SourceError('USAGE', `--format ${v.format}: table, json or svg`);
  const rendered = renderOverlays(selectOverlays(process.cwd(), v.env ?? []));
  const reports = rendered.map((o) => {
    const objects = o.result.resources.map((r) => r.object);
    const tz = String(
      (
        objects.find((x) => x.kind === 'ScaledObject')?.spec as
          | { triggers?: { type: string; metadata?: { timezone?: string } }[] }
          | undefined
      )?.triggers?.find((t) => t.type === 'cron')?.metadata?.timezone ?? 'UTC',
    );
    let from: Date;
    if (v.from) {
      from = new Date(/^\d{4}-\d{2}-\d{2}$/.test(v.from) ? `${v.from}T00:00:00Z` : v.from);
      if (Number.isNaN(from.getTime()))
        throw new SourceError('USAGE', `--from ${v.from} is not a date`, {
          hint: 'ISO 8601, e.g. 2026-11-25 or 2026-11-25T00:00:00+08:00',
        });
    } else from = todayMidnight(tz);
    return simulateCapacity(objects, { env: o.env, from, days, stepMinutes });
  });
  let text: string;
  if (v.format === 'json') text = `${JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2)}\n`;
  else if (v.format === 'svg') {
    if (reports.length !== 1)
      throw new SourceError('USAGE', '--format svg charts one environment: give --env ENV');
    text = formatSvg(reports[0] as (typeof reports)[number]);
  } else text = reports.map(formatTable).join('\n');
  if (v.output) {
    mkdirSync(dirname(v.output), { recursive: true });
    writeFileSync(`${v.output}.tmp`, text);
    renameSync(`${v.output}.tmp`, v.output);
  } else process.stdout.write(text);
  return 0;
}
