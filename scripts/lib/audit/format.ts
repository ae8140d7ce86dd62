// The ledger as a person or a spreadsheet reads it.
import type { LedgerEntry } from './ledger.ts';

export const LEDGER_FORMATS = ['table', 'markdown', 'csv', 'json'] as const;
export type LedgerFormat = (typeof LEDGER_FORMATS)[number];

const short = (sha: string) => sha.slice(0, 12);

function imagesCell(e: LedgerEntry): string {
  return e.images.map((i) => `${i.name}: ${i.from ?? '(none)'} -> ${i.to ?? '(removed)'}`).join('; ');
}

function objectsCell(e: LedgerEntry): string {
  const { added, removed, changed } = e.objects;
  const parts: string[] = [];
  if (added.length) parts.push(`+${added.length}`);
  if (removed.length) parts.push(`-${removed.length}`);
  if (changed.length) parts.push(`~${changed.length}`);
  return parts.join(' ') || '0';
}

function checkCell(e: LedgerEntry): string {
  return e.check === 'passed' ? `passed (${e.checkedBy})` : e.check;
}

function rows(entries: LedgerEntry[], withSync: boolean): string[][] {
  return entries.map((e) => [
    ...(withSync ? [e.syncedAt ?? ''] : []),
    e.time,
    e.env,
    short(e.commit),
    e.author,
    e.mergeRequest ?? '',
    imagesCell(e),
    objectsCell(e),
    e.renderedDigest ? e.renderedDigest.slice(0, 16) : '',
    checkCell(e),
    e.pipeline ?? '',
  ]);
}

const HEADER = [
  'time',
  'env',
  'commit',
  'author',
  'merge request',
  'images',
  'objects',
  'rendered',
  'check',
  'pipeline',
];

function csvCell(s: string): string {
  return /[",\n\r]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
}

export function formatLedger(format: LedgerFormat, entries: LedgerEntry[]): string {
  const withSync = entries.some((e) => e.syncedAt !== undefined);
  const header = withSync ? ['synced', ...HEADER] : HEADER;
  switch (format) {
    case 'json':
      return `${JSON.stringify({ entries }, null, 2)}\n`;
    case 'csv':
      return `${[header, ...rows(entries, withSync)].map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
    case 'markdown': {
      const esc = (s: string) => s.replaceAll('|', '\\|');
      const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => ' --- ').join('|')}|`];
      for (const r of rows(entries, withSync)) lines.push(`| ${r.map(esc).join(' | ')} |`);
      return `${lines.join('\n')}\n`;
    }
    default: {
      const all = [header, ...rows(entries, withSync)];
      const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
      return `${all
        .map((r) =>
          r
            .map((c, i) => c.padEnd(widths[i] ?? 0))
            .join('  ')
            .trimEnd(),
        )
        .join('\n')}\n`;
    }
  }
}
