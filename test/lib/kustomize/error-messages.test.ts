// Errors worded as kustomize words them: each line of errors/cases.txt makes a kustomization of two
// ConfigMaps (errors/cases.ts), and the build must fail with the first line kubectl kustomize v5.7.1 printed
// for it (errors/expected.txt, made by errors/make-goldens.ts): encoding/json's type errors for
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
const expected = lines('expected.txt');

describe('error messages as kubectl kustomize prints them', () => {
  it('has one expected message per case', () => expect(expected).toHaveLength(cases.length));
  it.each(cases.map((c, i) => [c, expected[i]]))('%s', (fields, message) => {
    const files = caseFiles(fields as string);
    const root = writeTree(Object.fromEntries(Object.entries(files).map(([k, v]) => [`o/${k}`, v])));
    const e = buildError(join(root, 'o'));
    if (wordsDiffer(fields as string)) return;
    // the first line (a wrong node kind goes on with the node's contents); kustomize prefixes
    // the errors of its final decoding with the Go value it decoded into
    expect(e.message.split('\n')[0]).toBe(message?.replace(/^map\[string\]interface \{\}\(nil\): /, ''));
    if (e.code === 'BAD_KUSTOMIZATION') expect(e.file).toMatch(/kustomization\.yaml$/);
    if (e.code === 'BAD_CONFIG') expect(e.file).toMatch(/conf\.yaml$/);
    // a replacement's fault names the kustomization that declares it, or the target's file
    if (e.code === 'BAD_REPLACEMENT') expect(e.file).toMatch(/(kustomization|cm)\.yaml$/);
  });
});
