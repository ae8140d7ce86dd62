// kustomize prints a deprecation as it reads the kustomization, so it shows before an error that
// comes later; `gitops build` keeps the warnings a failed build met (SourceError.warnings).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SourceError } from '../../../scripts/lib/errors.ts';
import { buildError } from '../../helpers/build-error.ts';
import { writeTree } from '../../helpers/tmp.ts';

describe('warnings of a failed build', () => {
  it('carries the deprecation met before the failure', () => {
    const root = writeTree({
      'o/kustomization.yaml': 'resources:\n- cm.yaml\npatchesStrategicMerge:\n- missing-patch.yaml\n',
      'o/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
    });
    const err = buildError(join(root, 'o'));
    expect(err).toBeInstanceOf(SourceError);
    expect(err.warnings?.join('\n')).toMatch(/'patchesStrategicMerge' is deprecated/);
  });
});
