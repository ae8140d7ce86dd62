// The built-in schema: every type of the v1.21.2 table resolves through kubernetes-models, and
// every hand-written patch tag is reached by its field path with the expected metadata.
import { describe, expect, it } from 'vitest';
import { RESOURCE_TYPES } from '../../../../scripts/lib/kustomize/patch/k8s-patch-table.ts';
import { kubernetesSchema } from '../../../../scripts/lib/kustomize/patch/k8s-schema.ts';
import type { SchemaNode } from '../../../../scripts/lib/kustomize/patch/schema.ts';
import { isAssociative, mergeKeys } from '../../../../scripts/lib/kustomize/patch/schema.ts';

/** Follows a path; `[]` steps into list elements. */
function at(apiVersion: string, kind: string, path: string): SchemaNode | undefined {
  let node = kubernetesSchema.forResource(apiVersion, kind);
  for (const step of path.split('.')) node = step === '[]' ? node?.elements() : node?.field(step);
  return node;
}

const POD = 'spec.template.spec';
// [apiVersion, kind, path, strategy, merge keys]
const TAGGED: [string, string, string, string, string[]][] = [
  ['apps/v1', 'Deployment', `${POD}.containers`, 'merge', ['name']],
  ['apps/v1', 'Deployment', `${POD}.initContainers`, 'merge', ['name']],
  ['apps/v1', 'Deployment', `${POD}.ephemeralContainers`, 'merge', ['name']],
  ['apps/v1', 'Deployment', `${POD}.ephemeralContainers.[].env`, 'merge', ['name']],
  ['apps/v1', 'Deployment', `${POD}.ephemeralContainers.[].volumeMounts`, 'merge', ['mountPath']],
  ['apps/v1', 'Deployment', `${POD}.ephemeralContainers.[].volumeDevices`, 'merge', ['devicePath']],
  ['apps/v1', 'Deployment', `${POD}.containers.[].env`, 'merge', ['name']],
  ['apps/v1', 'Deployment', `${POD}.containers.[].ports`, 'merge', ['containerPort', 'protocol']],
  ['apps/v1', 'Deployment', `${POD}.containers.[].volumeMounts`, 'merge', ['mountPath']],
  ['apps/v1', 'Deployment', `${POD}.containers.[].volumeDevices`, 'merge', ['devicePath']],
  ['apps/v1', 'Deployment', `${POD}.volumes`, 'merge,retainKeys', ['name']],
  ['apps/v1', 'Deployment', `${POD}.imagePullSecrets`, 'merge', ['name']],
  ['apps/v1', 'Deployment', `${POD}.hostAliases`, 'merge', ['ip']],
  [
    'apps/v1',
    'Deployment',
    `${POD}.topologySpreadConstraints`,
    'merge',
    ['topologyKey', 'whenUnsatisfiable'],
  ],
  ['apps/v1', 'Deployment', 'spec.strategy', 'retainKeys', []],
  ['apps/v1', 'Deployment', 'status.conditions', 'merge', ['type']],
  ['apps/v1', 'DaemonSet', 'status.conditions', 'merge', ['type']],
  ['apps/v1', 'ReplicaSet', 'status.conditions', 'merge', ['type']],
  ['apps/v1', 'StatefulSet', 'status.conditions', 'merge', ['type']],
  ['apps/v1', 'StatefulSet', 'spec.selector.matchExpressions.[].key', 'merge', ['key']],
  ['batch/v1', 'Job', 'status.conditions', 'merge', ['type']],
  ['batch/v1', 'CronJob', 'spec.jobTemplate.spec.template.spec.containers', 'merge', ['name']],
  ['v1', 'Pod', 'metadata.finalizers', 'merge', []],
  ['v1', 'Pod', 'metadata.ownerReferences', 'merge', ['uid']],
  ['v1', 'Pod', 'status.conditions', 'merge', ['type']],
  ['v1', 'Pod', 'status.podIPs', 'merge', ['ip']],
  ['v1', 'ComponentStatus', 'conditions', 'merge', ['type']],
  ['v1', 'Namespace', 'status.conditions', 'merge', ['type']],
  ['v1', 'Node', 'spec.podCIDRs', 'merge', []],
  ['v1', 'Node', 'status.addresses', 'merge', ['type']],
  ['v1', 'Node', 'status.conditions', 'merge', ['type']],
  ['v1', 'PersistentVolumeClaim', 'status.conditions', 'merge', ['type']],
  ['v1', 'ReplicationController', 'status.conditions', 'merge', ['type']],
  ['v1', 'ReplicationController', `${POD}.containers`, 'merge', ['name']],
  ['v1', 'ServiceAccount', 'secrets', 'merge', ['name']],
  ['v1', 'Service', 'spec.ports', 'merge', ['port', 'protocol']],
  ['v1', 'Service', 'status.conditions', 'merge', ['type']],
  ['policy/v1', 'PodDisruptionBudget', 'spec.selector', 'replace', []],
  ['policy/v1', 'PodDisruptionBudget', 'status.conditions', 'merge', ['type']],
  ['policy/v1beta1', 'PodDisruptionBudget', 'spec.selector', 'replace', []],
  ['policy/v1beta1', 'PodDisruptionBudget', 'status.conditions', 'merge', ['type']],
  ['storage.k8s.io/v1', 'CSINode', 'spec.drivers', 'merge', ['name']],
  ['storage.k8s.io/v1beta1', 'CSINode', 'spec.drivers', 'merge', ['name']],
  ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', 'webhooks', 'merge', ['name']],
  ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration', 'webhooks', 'merge', ['name']],
  ['admissionregistration.k8s.io/v1beta1', 'MutatingWebhookConfiguration', 'webhooks', 'merge', ['name']],
  ['admissionregistration.k8s.io/v1beta1', 'ValidatingWebhookConfiguration', 'webhooks', 'merge', ['name']],
  ['apiregistration.k8s.io/v1', 'APIService', 'status.conditions', 'merge', ['type']],
  ['apiregistration.k8s.io/v1beta1', 'APIService', 'status.conditions', 'merge', ['type']],
];

describe('kubernetesSchema', () => {
  const types = Object.entries(RESOURCE_TYPES).flatMap(([v, kinds]) =>
    kinds.split(' ').map((k) => [v, k] as const),
  );
  it.each(types)('%s %s resolves, metadata included', (apiVersion, kind) => {
    expect(
      kubernetesSchema.forResource(apiVersion, kind)?.field('metadata')?.field('finalizers')?.patchStrategy,
    ).toBe('merge');
  });

  it.each(TAGGED)('%s %s %s is %s by %j', (apiVersion, kind, path, strategy, keys) => {
    const node = at(apiVersion, kind, path);
    expect(node?.patchStrategy).toBe(strategy);
    expect(node && mergeKeys(node)).toEqual(keys);
  });

  it.each([
    ['apps/v1', 'Deployment', `${POD}.tolerations`],
    ['apps/v1', 'Deployment', `${POD}.containers.[].args`],
    ['apps/v1', 'Deployment', `${POD}.containers.[].envFrom`],
    ['apps/v1', 'StatefulSet', 'spec.volumeClaimTemplates'],
    ['networking.k8s.io/v1', 'Ingress', 'spec.rules'],
  ])('%s %s %s is replaced, not merged', (apiVersion, kind, path) => {
    const node = at(apiVersion, kind, path);
    expect(node?.isArray).toBe(true);
    expect(node && isAssociative(node)).toBe(false);
  });

  it.each([
    ['autoscaling/v2', 'HorizontalPodAutoscaler'],
    ['v1', 'List'],
    ['apps/v1', 'DeploymentList'],
    ['example.com/v1', 'Widget'],
  ])('%s %s has no schema, as in v1.21.2', (apiVersion, kind) => {
    expect(kubernetesSchema.forResource(apiVersion, kind)).toBeUndefined();
  });

  it('maps and definitions by OpenAPI name resolve', () => {
    expect(at('v1', 'Pod', 'metadata.labels.anything')).toBeDefined();
    expect(
      kubernetesSchema.definition('io.k8s.api.core.v1.PodSpec')?.field('containers')?.patchMergeKey,
    ).toBe('name');
    expect(
      kubernetesSchema.definition('io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta')?.field('finalizers')
        ?.isArray,
    ).toBe(true);
    expect(kubernetesSchema.definition('io.k8s.api.rbac.v1.Role')?.field('rules')?.isArray).toBe(true);
    expect(kubernetesSchema.definition('io.k8s.api.core.v1.Nope')).toBeUndefined();
  });
});
