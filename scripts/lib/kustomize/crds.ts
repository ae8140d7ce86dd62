// `crds:` (api/internal/accumulator/loadconfigfromcrds.go): OpenAPI definitions whose
// x-kubernetes-* extensions declare name references, label selectors, annotations and
// identities of custom kinds, turned into transformer configuration.
import { SourceError } from '../errors.ts';
import { isMap, type JsonMap, type JsonValue } from '../json.ts';
import { emptyConfig, mergeConfig, type TransformerConfig } from './config.ts';
import { type FieldSpec, mergeOneFs } from './fieldspec.ts';
import type { Loader } from './loader.ts';
import { readYamlDocuments } from './yaml-io.ts';

function props(def: JsonValue | undefined): JsonMap {
  const schema = isMap(def) ? (def.Schema ?? def.schema ?? def) : undefined;
  const p = isMap(schema) ? schema.properties : undefined;
  return isMap(p) ? p : {};
}

function loadInto(
  tc: TransformerConfig,
  kind: string,
  defs: JsonMap,
  typeName: string,
  path: string[],
  depth = 0,
): void {
  const api = defs[typeName];
  if (!api || depth > 50) return;
  for (const [propName, property] of Object.entries(props(api))) {
    if (!isMap(property)) continue;
    const fs = (p: string[]): FieldSpec => ({ kind, path: p.join('/') });
    const here = [...path, propName];
    if (typeof property['x-kubernetes-annotation'] === 'string')
      tc.commonAnnotations = mergeOneFs(tc.commonAnnotations, fs(here));
    if (typeof property['x-kubernetes-label-selector'] === 'string')
      tc.commonLabels = mergeOneFs(tc.commonLabels, fs(here));
    if (typeof property['x-kubernetes-identity'] === 'string')
      tc.namePrefix = mergeOneFs(tc.namePrefix, fs(here));
    const version = property['x-kubernetes-object-ref-api-version'];
    const refKind = property['x-kubernetes-object-ref-kind'];
    if (typeof version === 'string' && typeof refKind === 'string') {
      const nameKey =
        typeof property['x-kubernetes-object-ref-name-key'] === 'string'
          ? property['x-kubernetes-object-ref-name-key']
          : 'name';
      tc.nameReference.push({
        gvk: { group: '', version, kind: refKind },
        referrers: [fs([...here, nameKey])],
      });
    }
    const ref = property.$ref;
    if (typeof ref === 'string' && ref !== '') loadInto(tc, kind, defs, ref, here, depth + 1);
  }
}

export function loadCrdConfig(ldr: Loader, paths: string[], kfile: string): TransformerConfig {
  let tc = emptyConfig();
  for (const p of paths) {
    const file = ldr.display(p);
    const text = ldr.load(p, kfile);
    let defs: JsonValue;
    try {
      defs = text.trimStart().startsWith('{')
        ? (JSON.parse(text) as JsonValue)
        : (readYamlDocuments(text, file)[0]?.value ?? null);
    } catch (err) {
      if (err instanceof SourceError) throw err;
      throw new SourceError(
        'BAD_CRD',
        `unable to parse open API definition from '${p}': ${(err as Error).message}`,
        { file },
      );
    }
    if (!isMap(defs)) continue;
    const names = Object.keys(defs).sort();
    for (const name of names) {
      const p2 = props(defs[name]);
      if (!('kind' in p2 && 'apiVersion' in p2 && 'metadata' in p2)) continue;
      const one = emptyConfig();
      const parts = name.split('.');
      loadInto(one, parts[parts.length - 1] as string, defs, name, []);
      tc = mergeConfig(tc, one);
    }
  }
  return tc;
}
