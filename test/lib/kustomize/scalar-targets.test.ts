// Transformers that set a scalar (replicas, name prefixes) fail on a list or map there, as kyaml's
// SetScalar does; the first line is kubectl kustomize v5.7.1's (the node contents that follow are
// printed in block style here, in the source's style there).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildError } from '../../helpers/build-error.ts';
import { writeTree } from '../../helpers/tmp.ts';

function failure(kustomization: string, name = 'd', replicas = '[1]'): string {
  const root = writeTree({
    'o/kustomization.yaml': kustomization,
    'o/d.yaml': `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\nspec:\n  replicas: ${replicas}\n`,
  });
  return buildError(join(root, 'o')).message.split('\n')[0] as string;
}

describe('scalar fields that hold a list or map', () => {
  it('fails the replicas transformer', () => {
    expect(failure('resources: [d.yaml]\nreplicas: [{name: d, count: 3}]\n')).toBe(
      "considering field 'spec/replicas' of object Deployment.v1.apps/d.[noNs]: wrong node kind: expected ScalarNode but got SequenceNode: node contents:",
    );
  });
});
