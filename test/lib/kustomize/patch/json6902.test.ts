// JSON 6902 against the real kustomize: each case of testdata/json6902-cases.yaml applied with
// applyJson6902 must equal what `kubectl kustomize` (v5.7.1) built, or fail with its message.
// Regenerate goldens with generate.ts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SourceError } from '../../../../scripts/lib/errors.ts';
import { isMap, type JsonMap, type JsonValue } from '../../../../scripts/lib/json.ts';
import { applyJson6902 } from '../../../../scripts/lib/kustomize/patch/json6902.ts';
import { parseJson6902 } from '../../../../scripts/lib/kustomize/patch/json6902-text.ts';
import { readYamlDocuments } from '../../../../scripts/lib/kustomize/yaml-io.ts';

interface Case {
  name: string;
  resource: string;
  patch: string;
}

const dir = join(new URL('.', import.meta.url).pathname, 'testdata');
const cases = parse(readFileSync(join(dir, 'json6902-cases.yaml'), 'utf8')) as Case[];
const expected = parse(readFileSync(join(dir, 'json6902-expected.yaml'), 'utf8')) as Record<
  string,
  { output?: string; error?: string }
>;

function docs(text: string): JsonValue[] {
  return readYamlDocuments(text, 'case.yaml').map((d) => d.value);
}

const INTERNAL = 'internal.config.kubernetes.io/path';

/** kustomize patches a resource that carries its internal annotations, then removes them. */
function run(c: Case): JsonValue {
  const res = docs(c.resource)[0] as JsonMap;
  const meta = res.metadata as JsonMap;
  meta.annotations = { ...(isMap(meta.annotations) ? meta.annotations : {}), [INTERNAL]: 'resource.yaml' };
  const out = applyJson6902(res, parseJson6902(c.patch, 'patch.yaml')) as JsonMap;
  const annotations = (out.metadata as JsonMap).annotations;
  if (isMap(annotations)) {
    delete annotations[INTERNAL];
    if (Object.keys(annotations).length === 0) delete (out.metadata as JsonMap).annotations;
  }
  return out;
}

describe('applyJson6902 matches kustomize v5.7.1', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const want = expected[c.name];
    if (!want) throw new Error(`no golden for "${c.name}": run generate.ts`);
    if (want.error !== undefined) {
      let err: unknown;
      try {
        run(c);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(SourceError);
      const message = want.error.replace(/^error: /, '');
      if (!message.startsWith('trouble configuring')) expect((err as SourceError).message).toBe(message);
      return;
    }
    expect([run(c)]).toEqual(docs(want.output ?? ''));
  });
});
