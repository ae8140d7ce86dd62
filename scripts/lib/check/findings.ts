// One shape for everything the gate reports: schema findings, policy findings and the repository
// rules. It is the JSON report's `findings[]` element, plus the environment the object belongs to.
import type { JsonMap } from '../json.ts';

export type Action = 'Deny' | 'Warn' | 'Audit';

export interface Finding {
  /** The environment (overlay name) or `cluster/<name>` the object was rendered for. */
  env?: string;
  /** `schema`, `repository/<rule>`, or the ValidatingAdmissionPolicy's name. */
  policy: string;
  /** The binding's name for policies; empty for schema findings and repository rules. */
  binding: string;
  action: Action;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  message: string;
  /** The YAML (base, overlay or patch) the object came from, relative to the repository root. */
  source?: { file: string; line?: number };
}

export function objectRef(object: JsonMap): Pick<Finding, 'apiVersion' | 'kind' | 'namespace' | 'name'> {
  const meta = (object.metadata ?? {}) as JsonMap;
  return {
    apiVersion: typeof object.apiVersion === 'string' ? object.apiVersion : '',
    kind: typeof object.kind === 'string' ? object.kind : '',
    namespace: typeof meta.namespace === 'string' ? meta.namespace : '',
    name: typeof meta.name === 'string' ? meta.name : '',
  };
}

export interface Summary {
  objects: number;
  denied: number;
  warnings: number;
  audits: number;
  byEnv: Record<string, { objects: number; denied: number; warnings: number }>;
}

export function summarize(findings: Finding[], objectsByEnv: Record<string, number>): Summary {
  const byEnv: Summary['byEnv'] = {};
  for (const [env, objects] of Object.entries(objectsByEnv)) byEnv[env] = { objects, denied: 0, warnings: 0 };
  let denied = 0;
  let warnings = 0;
  let audits = 0;
  for (const f of findings) {
    if (f.env && !byEnv[f.env]) byEnv[f.env] = { objects: 0, denied: 0, warnings: 0 };
    const e = f.env ? byEnv[f.env] : undefined;
    if (f.action === 'Deny') {
      denied++;
      if (e) e.denied++;
    } else if (f.action === 'Warn') {
      warnings++;
      if (e) e.warnings++;
    } else audits++;
  }
  const objects = Object.values(objectsByEnv).reduce((a, b) => a + b, 0);
  return { objects, denied, warnings, audits, byEnv };
}
