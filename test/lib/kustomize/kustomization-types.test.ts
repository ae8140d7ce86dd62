// kustomize decodes a kustomization with encoding/json into its Go structs: an entry of a list of
// structs that is not a map fails with json's type error, before any resource is read, and a null
// entry is the struct's zero value. The messages are kubectl kustomize v5.7.1's. Type errors in
// every field are in errors/cases.txt (error-messages.test.ts).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceError } from '../../../scripts/lib/errors.ts';
import { buildError } from '../../helpers/build-error.ts';
import { writeTree } from '../../helpers/tmp.ts';

function failure(kustomization: string): SourceError {
  const root = writeTree({
    'o/kustomization.yaml': kustomization,
    'o/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n',
  });
  return buildError(join(root, 'o'));
}

describe('types of kustomization fields', () => {
  it('refuses an entry of a list of structs that is not a map, with json type error', () => {
    // a missing resource too: the type error comes first, as the kustomization is decoded first
    expect(failure('resources:\n- missing.yaml\npatches:\n- overlay.yaml\n').message).toBe(
      'invalid Kustomization: json: cannot unmarshal string into Go struct field Kustomization.patches of type types.Patch',
    );
    expect(failure('resources:\n- cm.yaml\nimages:\n- [a]\n').message).toBe(
      'invalid Kustomization: json: cannot unmarshal array into Go struct field Kustomization.images of type types.Image',
    );
    expect(failure('resources:\n- cm.yaml\npatches: foo\n').message).toBe(
      'invalid Kustomization: json: cannot unmarshal string into Go struct field Kustomization.patches of type []types.Patch',
    );
  });

  it('reads a null entry as an empty struct', () => {
    const e = failure('resources:\n- cm.yaml\npatches:\n- ~\n');
    expect([e.code, e.message]).toEqual(['BAD_PATCH', 'must specify one of patch and path']);
    expect(failure('resources:\n- cm.yaml\nconfigMapGenerator:\n- ~\n').message).toBe(
      'a configmap must have a name',
    );
  });
});
