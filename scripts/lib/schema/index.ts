// Schema validation of rendered objects with the kubernetes-models packages: Kubernetes' own
// OpenAPI schemas (kubernetes-models) and the CRDs of KEDA and Argo CD (@kubernetes-models/keda,
// @kubernetes-models/argo-cd), each compiled ahead of time into a validator by the package.
// Findings carry the field path and the schema's complaint.
import { createRequire } from 'node:module';
import type { JsonMap } from '../json.ts';
import { indexCrds, validateAgainstCrd } from './crd.ts';

const require = createRequire(import.meta.url);

export interface SchemaFinding {
  /** e.g. `spec.template.spec.containers[0].resources.limits.cpu`; empty for the object itself. */
  path: string;
  message: string;
}

export interface SchemaValidator {
  validate(obj: Record<string, unknown>): SchemaFinding[];
  /** Whether a schema exists for this apiVersion and kind. */
  has(apiVersion: string, kind: string): boolean;
}

interface AjvError {
  instancePath: string;
  keyword: string;
  params: Record<string, unknown>;
  message?: string;
}

type ModelClass = new (data: unknown) => { validate(): void };

/** The package module that holds the model of an apiVersion/kind. */
function modulePath(apiVersion: string, kind: string): string | null {
  if (!/^[A-Za-z0-9]+$/.test(kind)) return null;
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  if (!/^[a-z0-9.-]*$/.test(group) || !/^v[0-9a-z]+$/.test(version)) return null;
  if (group === 'keda.sh') return `@kubernetes-models/keda/keda.sh/${version}/${kind}`;
  if (group === 'argoproj.io') return `@kubernetes-models/argo-cd/argoproj.io/${version}/${kind}`;
  if (group === '') return `kubernetes-models/${version}/${kind}`;
  return `kubernetes-models/${group}/${version}/${kind}`;
}

function toPath(pointer: string): string {
  let out = '';
  for (const raw of pointer.split('/').slice(1)) {
    const seg = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    if (/^\d+$/.test(seg)) out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/** ajv's errors, one per field: an int-or-string quantity that fails reads as one complaint. */
export function findingsFromErrors(errors: AjvError[]): SchemaFinding[] {
  const byPath = new Map<string, AjvError[]>();
  for (const e of errors) byPath.set(e.instancePath, [...(byPath.get(e.instancePath) ?? []), e]);
  const out: SchemaFinding[] = [];
  for (const [pointer, list] of byPath) {
    const path = toPath(pointer);
    const quantity = list.find((e) => e.keyword === 'format' && e.params.format === 'quantity');
    if (quantity) {
      out.push({ path, message: 'must be a quantity such as 500m, 2, 1.5Gi or 512Mi' });
      continue;
    }
    const kept = list.filter((e) => e.keyword !== 'oneOf' && e.keyword !== 'anyOf');
    const seen = new Set<string>();
    for (const e of kept.length ? kept : list) {
      let message = e.message ?? e.keyword;
      if (e.keyword === 'required') message = `missing required field "${String(e.params.missingProperty)}"`;
      if (e.keyword === 'enum') message = `must be one of ${JSON.stringify(e.params.allowedValues)}`;
      if (e.keyword === 'additionalProperties')
        message = `unknown field "${String(e.params.additionalProperty)}"`;
      if (seen.has(message)) continue;
      seen.add(message);
      out.push({ path, message });
    }
  }
  return out;
}

export function createSchemaValidator(
  opts: { ignoreMissingSchemas?: boolean; crds?: unknown[] } = {},
): SchemaValidator {
  const cache = new Map<string, ModelClass | null>();
  const crds = indexCrds(opts.crds ?? []);
  const model = (apiVersion: string, kind: string): ModelClass | null => {
    const key = `${apiVersion} ${kind}`;
    if (cache.has(key)) return cache.get(key) ?? null;
    let found: ModelClass | null = null;
    const path = modulePath(apiVersion, kind);
    if (path) {
      try {
        const mod = require(path) as Record<string, ModelClass>;
        found = mod[kind] ?? null;
      } catch {
        found = null;
      }
    }
    cache.set(key, found);
    return found;
  };
  return {
    has: (apiVersion, kind) => crds.schemas.has(`${apiVersion} ${kind}`) || model(apiVersion, kind) !== null,
    validate(obj) {
      const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
      const kind = typeof obj.kind === 'string' ? obj.kind : '';
      if (!apiVersion || !kind) return [{ path: '', message: 'apiVersion and kind are required' }];
      // a CRD given to the check (in the repository or with --crd) is the authority for its kinds
      const crd = crds.schemas.get(`${apiVersion} ${kind}`);
      if (crd) return validateAgainstCrd(crd, obj as JsonMap);
      const M = model(apiVersion, kind);
      if (!M)
        return opts.ignoreMissingSchemas
          ? []
          : [{ path: '', message: `no schema for ${apiVersion}/${kind}` }];
      try {
        new M(obj).validate();
        return [];
      } catch (err) {
        const errors = (err as { errors?: AjvError[] }).errors;
        if (Array.isArray(errors)) return findingsFromErrors(errors);
        return [{ path: '', message: (err as Error).message }];
      }
    },
  };
}
