// ValidatingAdmissionPolicy (admissionregistration.k8s.io/v1) evaluated offline, as kube-apiserver
// evaluates it at admission: every object is a CREATE; matchConstraints and the binding's
// matchResources (resource rules, namespace and object selectors), matchConditions, lazy
// variables, validations with message/messageExpression, auditAnnotations, failurePolicy,
// params through paramKind/paramRef, and validationActions. One finding per (object, policy,
// binding, param, failed validation), worded as the apiserver words it.

import { SourceError } from '../errors.ts';
import { isMap, type JsonMap, type JsonValue } from '../json.ts';
import { isClusterScoped } from '../kustomize/resid.ts';
import { readYamlDocuments } from '../kustomize/yaml-io.ts';
import { celEnvironment, rewriteNamespaced } from './cel.ts';
import { normalizeForAdmission, toCel } from './normalize.ts';

export type Action = 'Deny' | 'Warn' | 'Audit';

export interface PolicyFinding {
  policy: string;
  binding: string;
  action: Action;
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  message: string;
  source?: { file: string; line?: number };
}

export interface SourceObject {
  object: JsonMap;
  source?: { file: string; line?: number };
}

type Program = (ctx: Record<string, unknown>) => unknown;

interface Compiled {
  text: string;
  run: Program;
}

interface Policy {
  name: string;
  spec: JsonMap;
  source: { file: string; line: number };
  failurePolicy: 'Fail' | 'Ignore';
  matchConditions: { name: string; expr: Compiled }[];
  variables: { name: string; expr: Compiled }[];
  validations: { expr: Compiled; message?: string; messageExpression?: Compiled; reason?: string }[];
  auditAnnotations: { key: string; value: Compiled }[];
  paramKind?: { apiVersion: string; kind: string };
}

interface Binding {
  name: string;
  spec: JsonMap;
  source: { file: string; line: number };
  policyName: string;
  actions: Action[];
}

export interface PolicySet {
  policies: Map<string, Policy>;
  bindings: Binding[];
  /** Objects from the policy files that are not policies or bindings: parameters. */
  params: SourceObject[];
  /** sha-able text of every input, in order (for the policy digest). */
  texts: string[];
}

const str = (v: JsonValue | undefined): string => (typeof v === 'string' ? v : '');
const list = (v: JsonValue | undefined): JsonValue[] => (Array.isArray(v) ? v : []);
const get = (v: JsonValue | undefined, ...path: string[]): JsonValue | undefined => {
  let cur = v;
  for (const p of path) {
    if (!isMap(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
};

function compile(
  text: string,
  where: { file: string; line: number; field: string; policy: string },
): Compiled {
  const env = celEnvironment();
  try {
    const program = env.parse(rewriteNamespaced(text));
    return { text, run: (ctx) => program(ctx) };
  } catch (err) {
    const msg = ((err as Error).message.split('\n')[0] ?? '').trim();
    throw new SourceError('BAD_POLICY', `${where.policy}: ${where.field}: invalid CEL expression: ${msg}`, {
      file: where.file,
      line: where.line,
      hint: `the expression was: ${text}`,
    });
  }
}

const ACTIONS: Action[] = ['Deny', 'Warn', 'Audit'];

export function loadPolicies(files: { path: string; text: string }[]): PolicySet {
  const set: PolicySet = { policies: new Map(), bindings: [], params: [], texts: [] };
  for (const f of files) {
    set.texts.push(`${f.path}\n${f.text}`);
    for (const doc of readYamlDocuments(f.text, f.path)) {
      const o = doc.value;
      if (!isMap(o))
        throw new SourceError('BAD_POLICY', 'expected a Kubernetes object', { file: f.path, line: doc.line });
      const source = { file: f.path, line: doc.line };
      const kind = str(o.kind);
      const apiVersion = str(o.apiVersion);
      const name = str(get(o, 'metadata', 'name'));
      const isAdmission = apiVersion.startsWith('admissionregistration.k8s.io/');
      if (isAdmission && kind === 'ValidatingAdmissionPolicy') {
        if (!name)
          throw new SourceError('BAD_POLICY', 'ValidatingAdmissionPolicy without metadata.name', {
            ...source,
          });
        set.policies.set(name, parsePolicy(name, (o.spec ?? {}) as JsonMap, source));
      } else if (isAdmission && kind === 'ValidatingAdmissionPolicyBinding') {
        const spec = (o.spec ?? {}) as JsonMap;
        const actions = list(spec.validationActions).map(String);
        for (const a of actions)
          if (!ACTIONS.includes(a as Action))
            throw new SourceError('BAD_POLICY', `${name}: unknown validationAction "${a}"`, {
              ...source,
              hint: 'use Deny, Warn or Audit',
            });
        if (actions.length === 0)
          throw new SourceError('BAD_POLICY', `${name}: spec.validationActions is required`, {
            ...source,
            hint: 'e.g. validationActions: [Deny]',
          });
        if (!str(spec.policyName))
          throw new SourceError('BAD_POLICY', `${name}: spec.policyName is required`, { ...source });
        set.bindings.push({
          name,
          spec,
          source,
          policyName: str(spec.policyName),
          actions: actions as Action[],
        });
      } else {
        set.params.push({ object: o, source });
      }
    }
  }
  return set;
}

function parsePolicy(name: string, spec: JsonMap, source: { file: string; line: number }): Policy {
  const at = (field: string) => ({ ...source, field, policy: name });
  const fp = str(spec.failurePolicy) || 'Fail';
  if (fp !== 'Fail' && fp !== 'Ignore')
    throw new SourceError('BAD_POLICY', `${name}: failurePolicy must be Fail or Ignore, not "${fp}"`, {
      ...source,
    });
  const validations = list(spec.validations)
    .filter(isMap)
    .map((v, i) => {
      if (!str(v.expression))
        throw new SourceError('BAD_POLICY', `${name}: spec.validations[${i}].expression is required`, {
          ...source,
        });
      return {
        expr: compile(str(v.expression), at(`spec.validations[${i}].expression`)),
        message: typeof v.message === 'string' ? v.message : undefined,
        messageExpression: v.messageExpression
          ? compile(str(v.messageExpression), at(`spec.validations[${i}].messageExpression`))
          : undefined,
        reason: typeof v.reason === 'string' ? v.reason : undefined,
      };
    });
  const auditAnnotations = list(spec.auditAnnotations)
    .filter(isMap)
    .map((a, i) => ({
      key: str(a.key),
      value: compile(str(a.valueExpression), at(`spec.auditAnnotations[${i}].valueExpression`)),
    }));
  if (validations.length === 0 && auditAnnotations.length === 0)
    throw new SourceError('BAD_POLICY', `${name}: a policy needs validations or auditAnnotations`, {
      ...source,
    });
  const pk = get(spec, 'paramKind');
  return {
    name,
    spec,
    source,
    failurePolicy: fp,
    matchConditions: list(spec.matchConditions)
      .filter(isMap)
      .map((m, i) => ({
        name: str(m.name),
        expr: compile(str(m.expression), at(`spec.matchConditions[${i}].expression`)),
      })),
    variables: list(spec.variables)
      .filter(isMap)
      .map((v, i) => ({
        name: str(v.name),
        expr: compile(str(v.expression), at(`spec.variables[${i}].expression`)),
      })),
    validations,
    auditAnnotations,
    paramKind: isMap(pk) ? { apiVersion: str(pk.apiVersion), kind: str(pk.kind) } : undefined,
  };
}

// ---- matching ------------------------------------------------------------------------------------

/** Kind to the plural lowercase resource name the rules match. */
export function resourceOf(kind: string): string {
  const k = kind.toLowerCase();
  if (k === 'endpoints') return k;
  if (k.endsWith('ss') || k.endsWith('sh') || k.endsWith('ch') || k.endsWith('x')) return `${k}es`;
  if (k.endsWith('s')) return `${k}es`;
  if (/[^aeiou]y$/.test(k)) return `${k.slice(0, -1)}ies`;
  return `${k}s`;
}

function groupVersion(apiVersion: string): [string, string] {
  const i = apiVersion.indexOf('/');
  return i < 0 ? ['', apiVersion] : [apiVersion.slice(0, i), apiVersion.slice(i + 1)];
}

function ruleMatches(rule: JsonMap, o: JsonMap, clusterScoped: boolean): boolean {
  const [group, version] = groupVersion(str(o.apiVersion));
  const has = (field: string, value: string) => {
    const l = list(rule[field]).map(String);
    return l.includes('*') || l.includes(value);
  };
  if (!has('apiGroups', group) || !has('apiVersions', version)) return false;
  const ops = list(rule.operations).map(String);
  if (!ops.includes('*') && !ops.includes('CREATE')) return false;
  const resources = list(rule.resources).map(String);
  const res = resourceOf(str(o.kind));
  if (!resources.includes('*') && !resources.includes(res) && !resources.includes('*/*')) return false;
  const names = list(rule.resourceNames).map(String);
  if (names.length > 0 && !names.includes(str(get(o, 'metadata', 'name')))) return false;
  const scope = str(rule.scope) || '*';
  if (scope === 'Cluster' && !clusterScoped) return false;
  if (scope === 'Namespaced' && clusterScoped) return false;
  return true;
}

function selectorMatches(selector: JsonValue | undefined, labels: Record<string, string>): boolean {
  if (!isMap(selector)) return true;
  const ml = isMap(selector.matchLabels) ? selector.matchLabels : {};
  for (const [k, v] of Object.entries(ml)) if (labels[k] !== v) return false;
  for (const e of list(selector.matchExpressions).filter(isMap)) {
    const key = str(e.key);
    const values = list(e.values).map(String);
    const present = key in labels;
    switch (str(e.operator)) {
      case 'In':
        if (!present || !values.includes(labels[key] as string)) return false;
        break;
      case 'NotIn':
        if (present && values.includes(labels[key] as string)) return false;
        break;
      case 'Exists':
        if (!present) return false;
        break;
      case 'DoesNotExist':
        if (present) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

interface Admission {
  object: JsonMap;
  kind: string;
  namespace: string;
  clusterScoped: boolean;
  namespaceLabels: Record<string, string>;
  labels: Record<string, string>;
}

function matchResources(mr: JsonValue | undefined, a: Admission, requireRules: boolean): boolean {
  if (!isMap(mr)) return !requireRules;
  const rules = list(mr.resourceRules).filter(isMap);
  if (rules.length === 0 && requireRules) return false;
  if (rules.length > 0 && !rules.some((r) => ruleMatches(r, a.object, a.clusterScoped))) return false;
  if (
    list(mr.excludeResourceRules)
      .filter(isMap)
      .some((r) => ruleMatches(r, a.object, a.clusterScoped))
  )
    return false;
  // namespaceSelector: a Namespace object is matched by its own labels; other cluster-scoped
  // objects always match
  if (
    !(a.clusterScoped && a.kind !== 'Namespace') &&
    !selectorMatches(mr.namespaceSelector, a.namespaceLabels)
  )
    return false;
  if (!selectorMatches(mr.objectSelector, a.labels)) return false;
  return true;
}

// ---- evaluation ----------------------------------------------------------------------------------

function celError(err: unknown): string {
  const msg = ((err as Error).message ?? String(err)).split('\n')[0] ?? '';
  return msg.replace(/^No such key/, 'no such key');
}

function strongest(actions: Action[]): Action {
  for (const a of ACTIONS) if (actions.includes(a)) return a;
  return 'Deny';
}

function labelsOf(o: JsonMap): Record<string, string> {
  const l = get(o, 'metadata', 'labels');
  const out: Record<string, string> = {};
  if (isMap(l)) for (const [k, v] of Object.entries(l)) out[k] = String(v);
  return out;
}

export function evaluatePolicies(set: PolicySet, objects: SourceObject[]): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  // namespace labels from the Namespace manifests among the objects
  const nsObjects = new Map<string, JsonMap>();
  for (const { object } of objects)
    if (object.kind === 'Namespace' && str(object.apiVersion) === 'v1')
      nsObjects.set(str(get(object, 'metadata', 'name')), object);
  const paramPool = [...set.params, ...objects];
  for (const { object: raw, source } of objects) {
    const kind = str(raw.kind);
    const [group, version] = groupVersion(str(raw.apiVersion));
    const clusterScoped = isClusterScoped({ group, version, kind });
    const namespace = clusterScoped ? '' : str(get(raw, 'metadata', 'namespace')) || 'default';
    const nsObject = clusterScoped ? (kind === 'Namespace' ? raw : undefined) : nsObjects.get(namespace);
    const namespaceLabels = kind === 'Namespace' ? labelsOf(raw) : nsObject ? labelsOf(nsObject) : {};
    const nsName = kind === 'Namespace' ? str(get(raw, 'metadata', 'name')) : namespace;
    if (nsName) namespaceLabels['kubernetes.io/metadata.name'] = nsName;
    const a: Admission = {
      object: raw,
      kind,
      namespace,
      clusterScoped,
      namespaceLabels,
      labels: labelsOf(raw),
    };
    const ref = {
      apiVersion: str(raw.apiVersion),
      kind,
      namespace: clusterScoped ? '' : namespace,
      name: str(get(raw, 'metadata', 'name')),
    };
    let normalized: unknown;
    for (const binding of set.bindings) {
      const policy = set.policies.get(binding.policyName);
      if (!policy) continue; // a binding to a missing policy has no effect
      if (!matchResources(policy.spec.matchConstraints, a, true)) continue;
      if (!matchResources(binding.spec.matchResources, a, false)) continue;
      const push = (action: Action, message: string) =>
        findings.push({ policy: policy.name, binding: binding.name, action, ...ref, message, source });
      // params
      let paramsList: (JsonMap | null)[] = [null];
      if (policy.paramKind) {
        const pr = get(binding.spec, 'paramRef');
        if (!isMap(pr)) {
          push('Deny', 'failed to configure binding: paramRef is required when the policy has paramKind');
          continue;
        }
        const pns = str(pr.namespace) || (clusterScoped ? '' : namespace);
        const candidates = paramPool
          .map((p) => p.object)
          .filter(
            (p) =>
              str(p.apiVersion) === policy.paramKind?.apiVersion &&
              str(p.kind) === policy.paramKind?.kind &&
              (str(get(p, 'metadata', 'namespace')) || 'default') === (pns || 'default'),
          );
        const found = pr.name
          ? candidates.filter((p) => str(get(p, 'metadata', 'name')) === str(pr.name))
          : candidates.filter((p) => selectorMatches(pr.selector ?? {}, labelsOf(p)));
        if (found.length === 0) {
          const onMissing = str(pr.parameterNotFoundAction) || 'Deny';
          if (onMissing === 'Deny') {
            if (policy.failurePolicy === 'Fail')
              push(
                'Deny',
                'failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction',
              );
            continue;
          }
          paramsList = [null];
        } else paramsList = found;
      }
      normalized ??= normalizeForAdmission(raw);
      const object = toCel(normalized as JsonValue);
      for (const param of paramsList) {
        const request = {
          operation: 'CREATE',
          dryRun: true,
          kind: { group, version, kind },
          resource: { group, version, resource: resourceOf(kind) },
          name: ref.name,
          namespace: ref.namespace,
          userInfo: { username: '', groups: [] },
          options: null,
        };
        const variables: Record<string, unknown> = {};
        const ctx: Record<string, unknown> = {
          object,
          oldObject: null,
          request: toCel(request as unknown as JsonValue),
          params: param ? toCel(param) : null,
          namespaceObject: nsObject ? toCel(nsObject) : null,
          variables,
        };
        for (const v of policy.variables) {
          let done = false;
          let value: unknown;
          let error: unknown;
          Object.defineProperty(variables, v.name, {
            enumerable: true,
            get() {
              if (!done) {
                done = true;
                try {
                  value = v.expr.run(ctx);
                } catch (err) {
                  error = err;
                }
              }
              if (error) throw error;
              return value;
            },
          });
        }
        // matchConditions: any false skips; an error counts only when none is false
        let skip = false;
        let conditionError: string | undefined;
        for (const mc of policy.matchConditions) {
          try {
            if (mc.expr.run(ctx) !== true) {
              skip = true;
              break;
            }
          } catch (err) {
            conditionError ??= `expression '${mc.expr.text.trim()}' resulted in error: ${celError(err)}`;
          }
        }
        if (skip) continue;
        if (conditionError) {
          if (policy.failurePolicy === 'Fail') push(strongest(binding.actions), conditionError);
          continue;
        }
        for (const val of policy.validations) {
          let ok: unknown;
          try {
            ok = val.expr.run(ctx);
          } catch (err) {
            if (policy.failurePolicy === 'Fail')
              push(
                strongest(binding.actions),
                `expression '${val.expr.text.trim()}' resulted in error: ${celError(err)}`,
              );
            continue;
          }
          if (ok === true) continue;
          if (typeof ok !== 'boolean') {
            if (policy.failurePolicy === 'Fail')
              push(
                strongest(binding.actions),
                `expression '${val.expr.text.trim()}' resulted in error: validation expression must evaluate to bool`,
              );
            continue;
          }
          push(strongest(binding.actions), messageFor(val, ctx));
        }
        for (const an of policy.auditAnnotations) {
          try {
            an.value.run(ctx);
          } catch (err) {
            if (policy.failurePolicy === 'Fail')
              push(
                strongest(binding.actions),
                `expression '${an.value.text.trim()}' resulted in error: ${celError(err)}`,
              );
          }
        }
      }
    }
  }
  return findings;
}

function messageFor(val: Policy['validations'][number], ctx: Record<string, unknown>): string {
  if (val.messageExpression) {
    try {
      const m = val.messageExpression.run(ctx);
      if (typeof m === 'string' && m.trim() !== '' && !m.includes('\n')) return m.trim();
    } catch {
      // a failing messageExpression falls back to message
    }
  }
  if (val.message !== undefined && val.message.trim() !== '') return val.message.trim();
  return `failed expression: ${val.expr.text.trim()}`;
}
