// Resource identity as kustomize sees it: group/version/kind, name, namespace; which kinds are
// cluster-scoped; and the legacy kind order used by `--reorder legacy`. Mirrors kyaml/resid.

/** Cluster-scoped types of kustomize's built-in Kubernetes schema (v1.21.2), by apiVersion and kind. */
const clusterScoped = new Set([
  'admissionregistration.k8s.io/v1 MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1beta1 MutatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1beta1 ValidatingWebhookConfiguration',
  'apiextensions.k8s.io/v1 CustomResourceDefinition',
  'apiextensions.k8s.io/v1beta1 CustomResourceDefinition',
  'apiregistration.k8s.io/v1 APIService',
  'apiregistration.k8s.io/v1beta1 APIService',
  'certificates.k8s.io/v1 CertificateSigningRequest',
  'certificates.k8s.io/v1beta1 CertificateSigningRequest',
  'flowcontrol.apiserver.k8s.io/v1beta1 FlowSchema',
  'flowcontrol.apiserver.k8s.io/v1beta1 PriorityLevelConfiguration',
  'networking.k8s.io/v1 IngressClass',
  'networking.k8s.io/v1beta1 IngressClass',
  'node.k8s.io/v1 RuntimeClass',
  'node.k8s.io/v1beta1 RuntimeClass',
  'policy/v1beta1 PodSecurityPolicy',
  'rbac.authorization.k8s.io/v1 ClusterRole',
  'rbac.authorization.k8s.io/v1 ClusterRoleBinding',
  'rbac.authorization.k8s.io/v1beta1 ClusterRole',
  'rbac.authorization.k8s.io/v1beta1 ClusterRoleBinding',
  'scheduling.k8s.io/v1 PriorityClass',
  'scheduling.k8s.io/v1beta1 PriorityClass',
  'storage.k8s.io/v1 CSIDriver',
  'storage.k8s.io/v1 CSINode',
  'storage.k8s.io/v1 StorageClass',
  'storage.k8s.io/v1 VolumeAttachment',
  'storage.k8s.io/v1beta1 CSIDriver',
  'storage.k8s.io/v1beta1 CSINode',
  'storage.k8s.io/v1beta1 StorageClass',
  'storage.k8s.io/v1beta1 VolumeAttachment',
  'v1 ComponentStatus',
  'v1 Namespace',
  'v1 Node',
  'v1 NodeProxyOptions',
  'v1 PersistentVolume',
]);

/** Namespaced types of kustomize's precomputed table (the rest of the built-in schema's types). */
const namespaced = new Set([
  'apps/v1 ControllerRevision',
  'apps/v1 DaemonSet',
  'apps/v1 Deployment',
  'apps/v1 ReplicaSet',
  'apps/v1 StatefulSet',
  'autoscaling/v1 HorizontalPodAutoscaler',
  'autoscaling/v1 Scale',
  'autoscaling/v2beta1 HorizontalPodAutoscaler',
  'autoscaling/v2beta2 HorizontalPodAutoscaler',
  'batch/v1 CronJob',
  'batch/v1 Job',
  'batch/v1beta1 CronJob',
  'coordination.k8s.io/v1 Lease',
  'coordination.k8s.io/v1beta1 Lease',
  'discovery.k8s.io/v1 EndpointSlice',
  'discovery.k8s.io/v1beta1 EndpointSlice',
  'events.k8s.io/v1 Event',
  'events.k8s.io/v1beta1 Event',
  'extensions/v1beta1 Ingress',
  'networking.k8s.io/v1 Ingress',
  'networking.k8s.io/v1 NetworkPolicy',
  'networking.k8s.io/v1beta1 Ingress',
  'policy/v1 PodDisruptionBudget',
  'policy/v1beta1 PodDisruptionBudget',
  'rbac.authorization.k8s.io/v1 Role',
  'rbac.authorization.k8s.io/v1 RoleBinding',
  'rbac.authorization.k8s.io/v1beta1 Role',
  'rbac.authorization.k8s.io/v1beta1 RoleBinding',
  'storage.k8s.io/v1beta1 CSIStorageCapacity',
  'v1 ConfigMap',
  'v1 Endpoints',
  'v1 Event',
  'v1 LimitRange',
  'v1 PersistentVolumeClaim',
  'v1 Pod',
  'v1 PodAttachOptions',
  'v1 PodExecOptions',
  'v1 PodPortForwardOptions',
  'v1 PodProxyOptions',
  'v1 PodTemplate',
  'v1 ReplicationController',
  'v1 ResourceQuota',
  'v1 Secret',
  'v1 Service',
  'v1 ServiceAccount',
  'v1 ServiceProxyOptions',
]);

let onUnknownScope: (() => void) | undefined;
/** Lets the patch schema learn that kyaml would have scheduled its built-in schema parse. */
export function setUnknownScopeListener(f: (() => void) | undefined): void {
  onUnknownScope = f;
}

/** Extra cluster-scoped types declared by a custom OpenAPI schema (kustomization `openapi:`). */
let customClusterScoped: Set<string> | undefined;
export function setCustomClusterScoped(types: Set<string> | undefined): void {
  customClusterScoped = types;
}

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

export function parseGroupVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i > -1
    ? { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) }
    : { group: '', version: apiVersion };
}

export function apiVersionOf(g: Gvk): string {
  return g.group ? `${g.group}/${g.version}` : g.version;
}

export function isClusterScoped(g: Gvk): boolean {
  const key = `${apiVersionOf(g)} ${g.kind}`;
  if (clusterScoped.has(key)) return true;
  if (!namespaced.has(key)) onUnknownScope?.();
  return customClusterScoped?.has(key) ?? false;
}

export function gvkString(g: Gvk): string {
  return [g.kind || '[noKind]', g.version || '[noVer]', g.group || '[noGrp]'].join('.');
}

export function gvkFromString(s: string): Gvk {
  const values = s.split('.');
  if (values.length < 3) return { group: '[noGrp]', version: '[noVer]', kind: '[noKind]' };
  const kind = values[0] === '[noKind]' ? '' : (values[0] as string);
  const version = values[1] === '[noVer]' ? '' : (values[1] as string);
  const g = values.slice(2).join('.');
  return { group: g === '[noGrp]' ? '' : g, version, kind };
}

export function gvkEquals(a: Gvk, b: Gvk): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind;
}

/** True when every non-empty field of the selector equals the Gvk's. */
export function gvkIsSelected(x: Gvk, sel: Partial<Gvk> | undefined): boolean {
  if (!sel) return true;
  if (sel.group && x.group !== sel.group) return false;
  if (sel.version && x.version !== sel.version) return false;
  if (sel.kind && x.kind !== sel.kind) return false;
  return true;
}

const orderFirst = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const orderLast = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];
const typeOrders = new Map<string, number>([
  ...orderFirst.map((k, i): [string, number] => [k, -orderFirst.length + i]),
  ...orderLast.map((k, i): [string, number] => [k, 1 + i]),
]);

function stableSortString(g: Gvk): string {
  return [g.group || '~G', g.version || '~V', g.kind || '~K'].join('_');
}

export function gvkIsLessThan(a: Gvk, b: Gvk): boolean {
  const ia = typeOrders.get(a.kind) ?? 0;
  const ib = typeOrders.get(b.kind) ?? 0;
  if (ia !== ib) return ia < ib;
  return stableSortString(a) < stableSortString(b);
}

export interface ResId extends Gvk {
  name: string;
  namespace: string;
}

export const TOTALLY_NOT_A_NAMESPACE = '_non_namespaceable_';

export function effectiveNamespace(id: ResId): string {
  if (isClusterScoped(id)) return TOTALLY_NOT_A_NAMESPACE;
  if (id.namespace === '' || id.namespace === 'default') return 'default';
  return id.namespace;
}

export function idString(id: ResId): string {
  return `${gvkString(id)}/${id.name || '[noName]'}.${id.namespace || '[noNs]'}`;
}

export function idFromString(s: string): ResId {
  const slash = s.indexOf('/');
  const gvk = gvkFromString(s.slice(0, slash));
  const values = s.slice(slash + 1).split('.');
  let ns = values[values.length - 1] as string;
  if (ns === '[noNs]') ns = '';
  let name = values.slice(0, -1).join('.');
  if (name === '[noName]') name = '';
  return { ...gvk, name, namespace: ns };
}

export function idGvknEquals(a: ResId, b: ResId): boolean {
  return a.name === b.name && gvkEquals(a, b);
}

export function idIsNsEquals(a: ResId, b: ResId): boolean {
  return effectiveNamespace(a) === effectiveNamespace(b);
}

export function idEquals(a: ResId, b: ResId): boolean {
  return idIsNsEquals(a, b) && idGvknEquals(a, b);
}

export function idIsSelectedBy(id: ResId, sel: ResId): boolean {
  return (
    (sel.name === '' || sel.name === id.name) &&
    (sel.namespace === '' || idIsNsEquals(sel, id)) &&
    gvkIsSelected(id, sel)
  );
}
