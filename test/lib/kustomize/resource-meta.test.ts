// kustomize reads a resource's kind and name as kyaml's GetMeta does: a scalar node's text, and
// nothing for a map or a list, so `kind: {a: b}` is a missing kind and `name: [x]` a missing name
// (kubectl kustomize v5.7.1: "missing kind in object ...", "missing metadata.name in object ...").
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../../scripts/lib/kustomize/index.ts';
import { buildError } from '../../helpers/build-error.ts';
import { writeTree } from '../../helpers/tmp.ts';

function tree(resource: string): string {
  const root = writeTree({ 'o/kustomization.yaml': 'resources:\n- r.yaml\n', 'o/r.yaml': resource });
  return join(root, 'o');
}

describe('kind and metadata.name as kyaml reads them', () => {
  it.each([
    ['kind: {a: Namespace}\nmetadata:\n  name: n\n', 'missing kind in object'],
    ['kind: []\nmetadata:\n  name: n\n', 'missing kind in object'],
    ['kind: ConfigMap\nmetadata:\n  name:\n    a: b\n', 'missing metadata.name in object'],
    ['kind: ConfigMap\nmetadata:\n  name: [x]\n', 'missing metadata.name in object'],
    ['kind: ConfigMap\nmetadata: x\n', 'missing metadata.name in object'],
  ])('refuses %j', (body, message) => {
    const dir = tree(`apiVersion: v1\n${body}`);
    const e = buildError(dir);
    expect([e.code, e.message, e.file]).toEqual(['BAD_RESOURCE', message, join(dir, 'r.yaml')]);
  });

  it('takes a scalar of any type (kubectl kustomize prints the int go-yaml v3 reads)', () => {
    const out = build(tree('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: 0x1F\n')).yaml;
    expect(out).toContain('  name: 31\n');
  });
});
