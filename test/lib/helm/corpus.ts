// The helm template corpus beside the checkout (../shared/conformance/helm), run in-process with the
// runner's own chart builder and output extraction. Used by the conformance test and by hand:
//   node --import tsx test/lib/helm/corpus.ts [FILTER] [--verbose]
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { formatTemplateOutput, loadChart, renderChart } from '../../../scripts/lib/helm/index.ts';

export const corpusDir = join(import.meta.dirname, '..', '..', '..', '..', 'shared', 'conformance', 'helm');
export const hasCorpus = existsSync(join(corpusDir, 'template-cases.json'));

export interface Case {
  id: string;
  source: string;
  template: string;
  expected?: string;
  expectError?: boolean;
  masks?: unknown;
}

export function cases(): Case[] {
  return hasCorpus
    ? (JSON.parse(readFileSync(join(corpusDir, 'template-cases.json'), 'utf8')).cases as Case[])
    : [];
}

export async function runCase(c: Case): Promise<{ ok: boolean; got: string | null; error?: string }> {
  const runner = await import(pathToFileURL(join(corpusDir, 'run.mjs')).href);
  const dir = mkdtempSync(join(tmpdir(), 'helm-case-'));
  try {
    runner.buildCaseChart(c, dir);
    let out: string;
    try {
      const chart = loadChart(dir);
      out = formatTemplateOutput(
        renderChart(chart, { releaseName: 'rel', namespace: 'ns', kubeVersion: '1.34.0' }),
      );
    } catch (e) {
      return { ok: c.expectError === true, got: null, error: (e as Error).message };
    }
    if (c.expectError) return { ok: false, got: out };
    const got = runner.extractCaseOutput(out) as string | null;
    const exp = c.expected ?? '';
    const masked = (s: string) => (c.masks ? runner.applyMasks(s, c.masks) : s);
    return { ok: got !== null && masked(got) === masked(exp), got };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const filter = process.argv.slice(2).find((a) => !a.startsWith('--')) ?? '';
  const verbose = process.argv.includes('--verbose');
  const counts: Record<string, [number, number]> = {};
  for (const c of cases().filter((x) => x.id.includes(filter))) {
    const r = await runCase(c);
    const k = c.source;
    counts[k] ??= [0, 0];
    (counts[k] as [number, number])[r.ok ? 0 : 1]++;
    if (!r.ok && verbose)
      console.log(
        `FAIL ${c.id}\n  tmpl ${JSON.stringify(c.template).slice(0, 200)}\n  want ${c.expectError ? 'ERROR' : JSON.stringify(c.expected).slice(0, 200)}\n  got  ${r.got === null ? `ERROR ${r.error?.slice(0, 200)}` : JSON.stringify(r.got).slice(0, 200)}`,
      );
  }
  let p = 0;
  let f = 0;
  for (const [k, [a, b]] of Object.entries(counts)) {
    console.log(`# ${k}: ${a} passed, ${b} failed`);
    p += a;
    f += b;
  }
  console.log(`${p} passed, ${f} failed`);
}
