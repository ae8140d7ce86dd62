// Errors worded as kustomize words them: each line of errors/cases.txt makes a kustomization of two
// ConfigMaps (errors/cases.ts), and the build must fail with the first line kubectl kustomize printed
// for it, v5.7.1 (errors/expected.txt) and v5.8.1 (errors/expected-5.8.1.txt), each built as that
// release (both made by errors/make-goldens.ts): encoding/json's type errors for
// every field of types.Kustomization (the innermost Go struct, embedded types, the field path),
// and the selectors of replacements as types.SourceSelector prints them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildError } from '../../helpers/build-error.ts';
import { writeTree } from '../../helpers/tmp.ts';
import { caseFiles, wordsDiffer } from './errors/cases.ts';

const dir = join(import.meta.dirname, 'errors');
const lines = (f: string) =>
  readFileSync(join(dir, f), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'));
const cases = lines('cases.txt');

describe.each([
  ['5.7.1', 'expected.txt'],
  ['5.8.1', 'expected-5.8.1.txt'],
] as const)('error messages as kubectl kustomize %s prints them', (version, file) => {
  const expected = lines(file);
  it('has one expected message per case', () => expect(expected).toHaveLength(cases.length));
  it.each(cases.map((c, i) => [c, expected[i]]))('%s', (fields, message) => {
    const files = caseFiles(fields as string);
    const root = writeTree(Object.fromEntries(Object.entries(files).map(([k, v]) => [`o/${k}`, v])));
    const e = buildError(join(root, 'o'), { kustomizeVersion: version });
    if (wordsDiffer(fields as string)) return;
    // the first line (a wrong node kind goes on with the node's contents); kustomize prefixes
    // the errors of its final decoding with the Go value it decoded into
    const want = message?.replace(/^map\[string\]interface \{\}\(nil\): /, '') ?? '';
    // a generator's collision: kustomize names the generator by its pointer (`&{0xc000...}`),
    // which no two runs share, and the id in Go syntax; we name the id as kustomize's ids read
    // elsewhere, and the rest must be its words
    const collision = /^merging from generator &\{0x[0-9a-f]+ <nil>\}: id .* exists; /.exec(want);
    if (collision) expect(e.message).toMatch(/^id \S+ exists; /);
    const got = e.message.split('\n')[0] as string;
    if (collision) expect(got.slice(got.indexOf(' exists; '))).toBe(want.slice(want.indexOf(' exists; ')));
    else expect(got).toBe(want);
    if (e.code === 'BAD_KUSTOMIZATION') expect(e.file).toMatch(/kustomization\.yaml$/);
    if (e.code === 'BAD_CONFIG') expect(e.file).toMatch(/conf\.yaml$/);
    // a replacement's fault names the kustomization that declares it, or the target's file
    if (e.code === 'BAD_REPLACEMENT') expect(e.file).toMatch(/(kustomization|cm)\.yaml$/);
  });
});
