// The kustomize conformance corpus (../shared/conformance/kustomize, outputs of kustomize v5.7.1),
// run in-process. Every case must match except those listed in known-failures.json with a
// reason; a listed case that starts passing fails the test, so the list only ever shrinks.
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BuildOptions } from '../../../scripts/lib/kustomize/api.ts';
import { build } from '../../../scripts/lib/kustomize/index.ts';

const corpus = join(
  import.meta.dirname,
  '..',
  '..',
  '..',
  '..',
  'shared',
  'conformance',
  'kustomize',
  'cases',
);
const known: Record<string, string> = JSON.parse(
  readFileSync(join(import.meta.dirname, 'known-failures.json'), 'utf8'),
);

interface CaseMeta {
  id: string;
  target: string;
  flags: string[];
  features: string[];
  expectError: boolean;
  emptyDirs?: string[];
}

function optionsFrom(flags: string[]): BuildOptions {
  // the corpus holds kustomize v5.7.1's outputs
  const o: BuildOptions = { kustomizeVersion: '5.7.1' };
  for (let i = 0; i < flags.length; i++) {
    const f = flags[i];
    if (f === '--load-restrictor') o.loadRestrictor = flags[++i] as BuildOptions['loadRestrictor'];
    else if (f === '--enable-helm') o.enableHelm = true;
    else if (f === '--helm-command') o.helmCommand = flags[++i];
    else if (f === '--reorder') o.reorder = flags[++i] as BuildOptions['reorder'];
    else if (f === '--enable-managedby-label') o.enableManagedByLabel = true;
  }
  return o;
}

function run(meta: CaseMeta, dir: string): { ok: boolean; out: string } {
  const cwd = process.cwd();
  try {
    process.chdir(join(dir, 'input'));
    return { ok: true, out: build(join(dir, meta.target), optionsFrom(meta.flags)).yaml };
  } catch (err) {
    return { ok: false, out: String(err) };
  } finally {
    process.chdir(cwd);
  }
}

const cases: CaseMeta[] = existsSync(corpus)
  ? readdirSync(corpus)
      .sort()
      .map((id) => JSON.parse(readFileSync(join(corpus, id, 'case.json'), 'utf8')) as CaseMeta)
      .filter((m) => m.id !== undefined)
  : [];

describe.skipIf(cases.length === 0)('kustomize conformance corpus', () => {
  it.each(cases.map((m) => [m.id, m] as const))('%s', (_id, meta) => {
    const dir = join(corpus, meta.id);
    for (const d of meta.emptyDirs ?? [])
      if (!existsSync(join(dir, 'input', d))) mkdirSync(join(dir, 'input', d), { recursive: true });
    const got = run(meta, dir);
    const pass = meta.expectError
      ? !got.ok
      : got.ok && got.out === readFileSync(join(dir, 'expected.yaml'), 'utf8');
    if (meta.id in known) {
      expect(pass, `${meta.id} passes now: remove it from known-failures.json`).toBe(false);
    } else if (meta.expectError) {
      expect(got.ok, 'the reference fails on this case').toBe(false);
    } else {
      expect(got.out).toBe(readFileSync(join(dir, 'expected.yaml'), 'utf8'));
    }
  });
});
