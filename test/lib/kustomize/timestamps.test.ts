// go-yaml v3 reads a plain timestamp into a time.Time, which kustomize writes back as RFC 3339 text
// with encoding/json; a zone offset of 24 hours or more (time.Parse takes up to +24:60) makes
// Time.MarshalJSON fail, so kubectl kustomize v5.7.1 refuses the resource. Offsets within range
// are in test/lib/yaml/cases/go-yaml-v3-timestamps (golden from kubectl kustomize).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildError } from '../../helpers/build-error.ts';
import { writeTree } from '../../helpers/tmp.ts';

describe('timestamps kustomize cannot write', () => {
  it.each(['+24:00', '-23:60', '+24:60'])('refuses a zone offset of %s, naming the file and line', (zone) => {
    const root = writeTree({
      'o/kustomization.yaml': 'resources:\n- cm.yaml\n',
      'o/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  t: 2024-01-01T10:00:00${zone}\n`,
    });
    const e = buildError(join(root, 'o'));
    expect([e.code, e.file, e.line]).toEqual(['BAD_YAML', join(root, 'o', 'cm.yaml'), 6]);
    expect(e.message).toContain(`timestamp 2024-01-01T10:00:00${zone}`);
    expect(e.message).toContain('timezone hour outside of range [0,23]');
  });
});
