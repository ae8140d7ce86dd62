// go-yaml's syntax errors against the reference Helm: goyaml-errors.cases.json holds bad texts with the
// line and message Helm printed for them (regenerate with
// `node --import tsx test/lib/yaml/goyaml-errors.make.ts`) and valid texts Helm accepts.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goYamlSyntaxError } from '../../../scripts/lib/yaml/goyaml-errors.ts';

interface Case {
  name: string;
  text: string;
  line?: number;
  message?: string;
}

const table = JSON.parse(readFileSync(join(import.meta.dirname, 'goyaml-errors.cases.json'), 'utf8')) as {
  errors: Case[];
  valid: Case[];
};
const root = join(import.meta.dirname, '../../..');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.yaml'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

describe('go-yaml syntax errors', () => {
  it('has a table of bad texts, each with a message', () => {
    expect(table.errors.length).toBeGreaterThanOrEqual(60);
    for (const c of table.errors) expect(c.message, c.name).toBeTruthy();
  });

  for (const c of table.errors)
    it(`${c.name}`, () => {
      const expected = c.line === undefined ? { message: c.message } : { line: c.line, message: c.message };
      expect(goYamlSyntaxError(c.text)).toEqual(expected);
    });
});

describe('valid YAML', () => {
  for (const c of table.valid)
    it(c.name, () => {
      expect(goYamlSyntaxError(c.text)).toBeUndefined();
    });

  // chart templates are Go templates, not YAML; values-syntax holds values files broken on purpose
  const files = ['base', 'overlays', 'test/fixtures/helm']
    .flatMap((d) => yamlFiles(join(root, d)))
    .map((f) => relative(root, f))
    .filter((f) => !f.split('/').includes('templates') && !f.split('/').includes('values-syntax'));
  const afterDocumentEnd = 'test/fixtures/helm/multi-doc-values/values.yaml';

  it('finds no error in the repository YAML files', () => {
    expect(files.length).toBeGreaterThan(20);
    const failures = files
      .filter((f) => f !== afterDocumentEnd)
      .map((file) => ({ file, error: goYamlSyntaxError(readFileSync(join(root, file))) }))
      .filter((r) => r.error !== undefined);
    expect(failures).toEqual([]);
  });

  it('reads past "..." only when asked for the whole stream', () => {
    // content after "..." without "---": a Decoder reading every document fails there; Helm unmarshals
    // each piece cut at "---" lines and stops after its first document, so it never sees it
    const text = readFileSync(join(root, afterDocumentEnd));
    expect(goYamlSyntaxError(text)).toEqual({ line: 9, message: 'did not find expected <document start>' });
    expect(goYamlSyntaxError(text, { firstDocument: true })).toBeUndefined();
    expect(goYamlSyntaxError('a: 1\n...\nb: c: d\n', { firstDocument: true })).toBeUndefined();
    expect(goYamlSyntaxError('a: b: c\n---\nx: 1\n', { firstDocument: true })).toEqual({
      message: 'mapping values are not allowed in this context',
    });
  });
});
