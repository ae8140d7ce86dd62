// The render cache of `gitops template` (scripts/lib/helm/render-cache.ts): through the launcher,
// as users run it, and its key in-process.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { keyOf, type RenderInputs } from '../../../scripts/lib/helm/render-cache.ts';

const root = join(import.meta.dirname, '..', '..', '..');
const launcher = join(root, 'scripts', 'bin', 'gitops.cjs');
const fixtures = join(root, 'test', 'fixtures', 'helm');

function gitops(args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(process.execPath, [launcher, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC', ...env },
  });
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout;
}

/** The cache entries of the current build whose key holds `marker`. */
function entries(marker: string): string[] {
  const current = JSON.parse(readFileSync(join(root, '.cache', 'current.json'), 'utf8')) as { dir: string };
  const dir = join(root, '.cache', current.dir, 'renders');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((n) => join(dir, n))
    .filter((f) => readFileSync(f, 'utf8').split('\n', 3).join('\n').includes(marker));
}

const made: string[] = [];
afterAll(() => {
  for (const f of made) rmSync(f, { recursive: true, force: true });
});

describe('gitops template reuses a render of the same inputs', () => {
  it('prints a stored render byte for byte, and reads it from the cache', () => {
    const ns = `cache-${randomUUID()}`;
    const args = ['template', 'rel', 'test/fixtures/helm/airflow-lite', '--namespace', ns];
    const fresh = gitops(args, { GITOPS_CACHE: '0' });
    expect(entries(ns)).toEqual([]);
    expect(gitops(args)).toBe(fresh);
    const [entry] = entries(ns);
    expect(entry).toBeDefined();
    made.push(entry as string);
    expect(readFileSync(entry as string, 'utf8').endsWith(fresh)).toBe(true);
    // the second run prints what the entry holds: proof it did not render again
    writeFileSync(entry as string, `${readFileSync(entry as string, 'utf8')}# from the cache\n`);
    expect(gitops(args)).toBe(`${fresh}# from the cache\n`);
    // and GITOPS_CACHE=0 renders afresh
    expect(gitops(args, { GITOPS_CACHE: '0' })).toBe(fresh);
  });

  it('never stores a render that drew random numbers or read the clock unfixed', () => {
    const ns = `impure-${randomUUID()}`;
    const args = ['template', 'rel', 'test/fixtures/helm/functions', '--namespace', ns];
    gitops(args);
    expect(entries(ns)).toEqual([]);
    // with --seed and SOURCE_DATE_EPOCH the same render is reproducible, so it is kept
    const fixed = gitops([...args, '--seed', '3'], { SOURCE_DATE_EPOCH: '1700000000' });
    const kept = entries(ns);
    made.push(...kept);
    expect(kept).toHaveLength(1);
    expect(gitops([...args, '--seed', '3'], { SOURCE_DATE_EPOCH: '1700000000' })).toBe(fixed);
  });

  it('never stores a render whose inputs changed in the last two seconds', () => {
    const tmp = mkdtempSync(join(tmpdir(), 'gitops-render-cache-'));
    made.push(tmp);
    cpSync(join(fixtures, 'airflow-lite'), join(tmp, 'chart'), { recursive: true });
    const ns = `unsettled-${randomUUID()}`;
    gitops(['template', 'rel', join(tmp, 'chart'), '--namespace', ns]);
    expect(entries(ns)).toEqual([]);
  });
});

describe('the key of a render', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gitops-render-key-'));
  made.push(tmp);
  cpSync(join(fixtures, 'airflow-lite'), join(tmp, 'chart'), { recursive: true });
  writeFileSync(join(tmp, 'values.yaml'), 'replicas: 2\n');
  const inputs: RenderInputs = {
    argv: ['rel', 'chart'],
    chart: join(tmp, 'chart'),
    files: [join(tmp, 'values.yaml')],
  };
  const key = () => keyOf(inputs)?.text;

  it('is the same for the same inputs, and not storable while they are fresh', () => {
    expect(key()).toBeDefined();
    expect(key()).toBe(key());
    writeFileSync(join(tmp, 'values.yaml'), 'replicas: 2\n');
    expect(keyOf(inputs)?.storable).toBe(false);
  });

  it('changes with any file under the chart, even rewritten with the same size', () => {
    const before = key();
    const values = join(tmp, 'chart', 'values.yaml');
    const text = readFileSync(values, 'utf8');
    const changed = text.replace(/[a-z]/, (c) => c.toUpperCase());
    expect(changed).not.toBe(text);
    expect(Buffer.byteLength(changed)).toBe(Buffer.byteLength(text));
    writeFileSync(values, changed);
    expect(key()).not.toBe(before);
    const again = key();
    writeFileSync(join(tmp, 'chart', 'templates', 'extra.yaml'), '');
    expect(key()).not.toBe(again);
  });

  it('changes with the values files, the command line and the clock of SOURCE_DATE_EPOCH', () => {
    const before = key();
    writeFileSync(join(tmp, 'values.yaml'), 'replicas: 3\n');
    expect(key()).not.toBe(before);
    const base = key();
    expect(keyOf({ ...inputs, argv: ['rel', 'chart', '--seed', '1'] })?.text).not.toBe(base);
    process.env.SOURCE_DATE_EPOCH = '1700000000';
    try {
      expect(key()).not.toBe(base);
    } finally {
      delete process.env.SOURCE_DATE_EPOCH;
    }
  });

  it('is undefined when an input is missing: such a render is not cached', () => {
    expect(keyOf({ ...inputs, files: [join(tmp, 'missing.yaml')] })).toBeUndefined();
    expect(keyOf({ ...inputs, chart: join(tmp, 'nochart') })).toBeUndefined();
  });
});
