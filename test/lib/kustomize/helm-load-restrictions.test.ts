// kustomize reads a helmCharts chart's values file through its loader: with the default load
// restrictions a chart home outside the kustomization root fails (as kubectl kustomize v5.7.1 and
// Argo CD fail), and builds with LoadRestrictionsNone.
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../../scripts/lib/kustomize/index.ts';
import { buildError } from '../../helpers/build-error.ts';
import { writeTree } from '../../helpers/tmp.ts';

const chart = join(import.meta.dirname, '..', '..', 'fixtures', 'helm', 'airflow-lite');

/** A kustomization in o/ inflating the chart, copied outside o/ (../charts) or inside (charts). */
function tree(home: '../charts' | 'charts', extra = ''): string {
  const root = writeTree({
    'o/kustomization.yaml': `helmGlobals:\n  chartHome: ${home}\nhelmCharts:\n- name: airflow-lite\n  releaseName: rel\n${extra}`,
    'outside.yaml': 'replicas: 2\n',
  });
  cpSync(chart, join(root, 'o', home, 'airflow-lite'), { recursive: true });
  return join(root, 'o');
}

const failure = (dir: string) => buildError(dir, { enableHelm: true });

describe('helmCharts and load restrictions', () => {
  it('refuses a chart home outside the root: its values.yaml is read through the loader', () => {
    const dir = tree('../charts');
    const e = failure(dir);
    expect(e.code).toBe('LOAD_RESTRICTION');
    expect(e.message).toMatch(
      /^security; file '.*\/charts\/airflow-lite\/values\.yaml' is not in or below '.*\/o'$/,
    );
    expect(build(dir, { enableHelm: true, loadRestrictor: 'LoadRestrictionsNone' }).yaml).toContain('kind: ');
  });

  it('refuses a values file or an additional values file outside the root', () => {
    expect(build(tree('charts'), { enableHelm: true }).yaml).toContain('kind: ');
    const e = failure(tree('charts', '  valuesFile: ../outside.yaml\n'));
    expect([e.code, e.message]).toEqual([
      'LOAD_RESTRICTION',
      expect.stringMatching(/outside\.yaml' is not in or below/),
    ]);
    const f = failure(tree('charts', '  additionalValuesFiles: [../outside.yaml]\n'));
    expect(f.message).toMatch(
      /^could not load additionalValuesFile: security; file '.*\/outside\.yaml' is not in or below/,
    );
  });
});
