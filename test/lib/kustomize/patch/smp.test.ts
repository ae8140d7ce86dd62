// Strategic merge against the real kustomize: each case of testdata/smp-cases.yaml applied
// with strategicMerge must equal what `kubectl kustomize` (v5.7.1) built for it, compared as
// parsed YAML (key order ignored, list order not). Regenerate goldens with generate.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { isMap, type JsonMap, type JsonValue } from '../../../../scripts/lib/json.ts';
import { kubernetesSchema } from '../../../../scripts/lib/kustomize/patch/k8s-schema.ts';
import { loadOpenApiSchema } from '../../../../scripts/lib/kustomize/patch/openapi.ts';
import { strategicMerge } from '../../../../scripts/lib/kustomize/patch/smp.ts';
import { readYamlDocuments } from '../../../../scripts/lib/kustomize/yaml-io.ts';

interface Case {
  name: string;
  resource: string;
  patch: string;
  openapi?: string;
  openapiBuiltin?: 'before' | 'after';
  /** a reason this case is known to differ from kustomize */
  skip?: string;
}

const dir = join(new URL('.', import.meta.url).pathname, 'testdata');
const cases = parse(readFileSync(join(dir, 'smp-cases.yaml'), 'utf8')) as Case[];
const expected = parse(readFileSync(join(dir, 'smp-expected.yaml'), 'utf8')) as Record<
  string,
  { output?: string; error?: string }
>;

function docs(text: string): JsonValue[] {
  return readYamlDocuments(text, 'case.yaml').map((d) => d.value);
}

/** What Resource.ApplySmPatch does around the merge: kind, name and namespace stay. */
function applyAll(resource: JsonMap, patches: JsonValue[], c: Case): JsonMap | null {
  const builtin = c.openapiBuiltin ? { schema: kubernetesSchema, parsed: c.openapiBuiltin } : undefined;
  const schema = c.openapi ? loadOpenApiSchema(c.openapi, 'schema.json', { builtin }) : kubernetesSchema;
  let res: JsonMap | null = resource;
  for (const p of patches) {
    if (res === null || !isMap(p)) break;
    const meta = res.metadata as JsonMap;
    const merged = strategicMerge(res, p, schema);
    if (merged === null || Object.keys(merged).length === 0) return null;
    merged.kind = res.kind as string;
    (merged.metadata as JsonMap).name = meta.name as string;
    res = merged;
  }
  return res;
}

describe('strategicMerge matches kustomize v5.7.1', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const want = expected[c.name];
    if (!want) throw new Error(`no golden for "${c.name}": run generate.ts`);
    const run = () => applyAll(docs(c.resource)[0] as JsonMap, docs(c.patch), c);
    if (want.error !== undefined) {
      // the first line is kustomize's message; node contents follow in the source's YAML style
      const firstLine = (want.error.split('\n')[0] as string).replace(/^error: /, '');
      expect(run).toThrow(expect.objectContaining({ message: expect.stringContaining(firstLine) }));
      return;
    }
    const out = run();
    const wantDocs = docs(want.output ?? '');
    expect(out === null ? [] : [out]).toEqual(wantDocs);
  });
});
