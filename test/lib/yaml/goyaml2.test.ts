// The go-yaml v2 emitter port against outputs of the reference kustomize v5.7.1: each directory
// under cases/ holds a kustomization and the `expected.yaml` the reference printed for it
// (regenerate with `node --import tsx test/lib/yaml/make-goldens.ts`).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments, type Scalar, type YAMLMap } from 'yaml';
import { build } from '../../../scripts/lib/kustomize/index.ts';
import { formatFloatG, resolvesToString, sortKeys } from '../../../scripts/lib/yaml/goyaml2.ts';

const casesDir = join(import.meta.dirname, 'cases');

describe('kustomize output bytes', () => {
  for (const name of readdirSync(casesDir))
    it(name, () => {
      expect(build(join(casesDir, name)).yaml).toBe(
        readFileSync(join(casesDir, name, 'expected.yaml'), 'utf8'),
      );
    });
});

describe('pieces of go-yaml v2', () => {
  it('formats floats as strconv.FormatFloat(f, g, -1, 64)', () => {
    expect([0.5, 1e21, 1234567.5, 123456.5, 0.0001, 0.00001, -2.5e-7, 1e100].map(formatFloatG)).toEqual([
      '0.5',
      '1e+21',
      '1.2345675e+06',
      '123456.5',
      '0.0001',
      '1e-05',
      '-2.5e-07',
      '1e+100',
    ]);
  });

  it('knows which plain texts read back as strings (YAML 1.1)', () => {
    const notStrings = [
      'yes',
      'Off',
      '~',
      '',
      '1_000',
      '0x1F',
      '017',
      '.5',
      '1e3',
      '2024-02-29',
      '-0b11',
      '+.inf',
    ];
    expect(notStrings.filter(resolvesToString)).toEqual([]);
    const strings = ['<<', 'yess', '2024-02-30', '1.2.3', 'x1', '0x', '.', '-', '+'];
    expect(strings.filter((s) => !resolvesToString(s))).toEqual([]);
  });

  it('orders keys as the reference printed them', () => {
    const doc = parseAllDocuments(readFileSync(join(casesDir, 'scalars', 'expected.yaml'), 'utf8'))[0];
    // the printed order, read from the document itself (a JS object would move "1" first)
    const keys = doc?.getIn(['more', 'keys']) as YAMLMap<Scalar<string>, unknown>;
    const order = keys.items.map((pair) => String(pair.key.value));
    const shuffled = [...order].reverse();
    expect(sortKeys(shuffled)).toEqual(order);
  });
});
