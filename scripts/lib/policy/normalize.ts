// What CEL sees at admission is not the YAML: the apiserver decodes into typed objects, applies
// defaults and converts back to unstructured. The parts that change verdicts of typical policies:
// workload replicas default to 1, every container carries `resources: {}` (a non-pointer struct),
// and quantities are canonical strings (`cpu: 2` -> "2", "1000m" -> "1"). Then JSON numbers become
// CEL ints (integers) or doubles.
import { deepClone, isMap, type JsonMap, type JsonValue } from '../json.ts';
import { canonicalQuantity } from './quantity.ts';

const REPLICATED = new Set(['Deployment', 'StatefulSet', 'ReplicaSet', 'ReplicationController']);

function podSpecs(o: JsonMap): JsonMap[] {
  const spec = o.spec;
  if (!isMap(spec)) return [];
  if (o.kind === 'Pod') return [spec];
  if (o.kind === 'CronJob') {
    const t =
      isMap(spec.jobTemplate) && isMap(spec.jobTemplate.spec) ? spec.jobTemplate.spec.template : undefined;
    return isMap(t) && isMap(t.spec) ? [t.spec] : [];
  }
  return isMap(spec.template) && isMap(spec.template.spec) ? [spec.template.spec] : [];
}

function canonicalResources(r: JsonMap): void {
  for (const field of ['requests', 'limits', 'claims']) {
    const m = r[field];
    if (field !== 'claims' && isMap(m))
      for (const k of Object.keys(m)) m[k] = canonicalQuantity(m[k]) as JsonValue;
  }
}

export function normalizeForAdmission(raw: JsonMap): JsonMap {
  const o = deepClone(raw);
  if (REPLICATED.has(String(o.kind)) && isMap(o.spec) && o.spec.replicas === undefined) o.spec.replicas = 1;
  for (const spec of podSpecs(o)) {
    for (const field of ['initContainers', 'containers', 'ephemeralContainers']) {
      const list = spec[field];
      if (!Array.isArray(list)) continue;
      for (const c of list) {
        if (!isMap(c)) continue;
        if (!isMap(c.resources)) c.resources = {};
        canonicalResources(c.resources as JsonMap);
      }
    }
    if (isMap(spec.overhead))
      for (const k of Object.keys(spec.overhead))
        spec.overhead[k] = canonicalQuantity(spec.overhead[k]) as JsonValue;
  }
  return o;
}

/** JSON values as CEL values: integers are int (bigint), other numbers double. */
export function toCel(v: JsonValue): unknown {
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v) : v;
  if (Array.isArray(v)) return v.map(toCel);
  if (isMap(v)) {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toCel(x);
    return out;
  }
  return v;
}
