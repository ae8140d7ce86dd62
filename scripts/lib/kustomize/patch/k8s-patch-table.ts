// The patch metadata of the Kubernetes types kustomize 5.7.1 knows: its built-in OpenAPI is
// Kubernetes v1.21.2 (kyaml/openapi/kubernetesapi, DefaultOpenAPI), so these are the
// `patchStrategy`/`patchMergeKey` struct tags and `+listMapKey` markers of k8s.io/api v0.21.2
// (core/v1/types.go, apps/v1/types.go, …) as that OpenAPI publishes them. Hand-written, checked
// field by field against the v1.21.2 document; fields added to Kubernetes later have no entry,
// so kustomize (and we) replace those lists instead of merging them.

/** [x-kubernetes-patch-strategy, x-kubernetes-patch-merge-key, x-kubernetes-list-map-keys?] */
export type PatchTag = readonly [strategy: string, mergeKey: string, listMapKeys?: readonly string[]];

/** By definition (kubernetes-models' name, e.g. IoK8sApiCoreV1PodSpec), then by field. */
export const PATCH_TAGS: Readonly<Record<string, Readonly<Record<string, PatchTag>>>> = {
  IoK8sApiAdmissionregistrationV1MutatingWebhookConfiguration: { webhooks: ['merge', 'name'] },
  IoK8sApiAdmissionregistrationV1ValidatingWebhookConfiguration: { webhooks: ['merge', 'name'] },
  IoK8sApiAdmissionregistrationV1beta1MutatingWebhookConfiguration: { webhooks: ['merge', 'name'] },
  IoK8sApiAdmissionregistrationV1beta1ValidatingWebhookConfiguration: { webhooks: ['merge', 'name'] },
  IoK8sApiAppsV1DaemonSetStatus: { conditions: ['merge', 'type'] },
  IoK8sApiAppsV1DeploymentSpec: { strategy: ['retainKeys', ''] },
  IoK8sApiAppsV1DeploymentStatus: { conditions: ['merge', 'type'] },
  IoK8sApiAppsV1ReplicaSetStatus: { conditions: ['merge', 'type'] },
  IoK8sApiAppsV1StatefulSetStatus: { conditions: ['merge', 'type'] },
  IoK8sApiBatchV1JobStatus: { conditions: ['merge', 'type'] },
  IoK8sApiCoreV1ComponentStatus: { conditions: ['merge', 'type'] },
  IoK8sApiCoreV1Container: {
    env: ['merge', 'name'],
    ports: ['merge', 'containerPort', ['containerPort', 'protocol']],
    volumeDevices: ['merge', 'devicePath'],
    volumeMounts: ['merge', 'mountPath'],
  },
  IoK8sApiCoreV1EphemeralContainer: {
    env: ['merge', 'name'],
    volumeDevices: ['merge', 'devicePath'],
    volumeMounts: ['merge', 'mountPath'],
  },
  IoK8sApiCoreV1NamespaceStatus: { conditions: ['merge', 'type'] },
  IoK8sApiCoreV1NodeSpec: { podCIDRs: ['merge', ''] },
  IoK8sApiCoreV1NodeStatus: { addresses: ['merge', 'type'], conditions: ['merge', 'type'] },
  IoK8sApiCoreV1PersistentVolumeClaimStatus: { conditions: ['merge', 'type'] },
  IoK8sApiCoreV1PodSpec: {
    containers: ['merge', 'name'],
    ephemeralContainers: ['merge', 'name'],
    hostAliases: ['merge', 'ip'],
    imagePullSecrets: ['merge', 'name'],
    initContainers: ['merge', 'name'],
    topologySpreadConstraints: ['merge', 'topologyKey', ['topologyKey', 'whenUnsatisfiable']],
    volumes: ['merge,retainKeys', 'name'],
  },
  IoK8sApiCoreV1PodStatus: { conditions: ['merge', 'type'], podIPs: ['merge', 'ip'] },
  IoK8sApiCoreV1ReplicationControllerStatus: { conditions: ['merge', 'type'] },
  IoK8sApiCoreV1ServiceAccount: { secrets: ['merge', 'name'] },
  IoK8sApiCoreV1ServiceSpec: { ports: ['merge', 'port', ['port', 'protocol']] },
  IoK8sApiCoreV1ServiceStatus: { conditions: ['merge', 'type', ['type']] },
  IoK8sApiPolicyV1PodDisruptionBudgetSpec: { selector: ['replace', ''] },
  IoK8sApiPolicyV1PodDisruptionBudgetStatus: { conditions: ['merge', 'type', ['type']] },
  IoK8sApiPolicyV1beta1PodDisruptionBudgetSpec: { selector: ['replace', ''] },
  IoK8sApiPolicyV1beta1PodDisruptionBudgetStatus: { conditions: ['merge', 'type', ['type']] },
  IoK8sApiStorageV1CSINodeSpec: { drivers: ['merge', 'name'] },
  IoK8sApiStorageV1beta1CSINodeSpec: { drivers: ['merge', 'name'] },
  IoK8sApimachineryPkgApisMetaV1LabelSelectorRequirement: { key: ['merge', 'key'] },
  IoK8sApimachineryPkgApisMetaV1ObjectMeta: { finalizers: ['merge', ''], ownerReferences: ['merge', 'uid'] },
  IoK8sKubeAggregatorPkgApisApiregistrationV1APIServiceStatus: { conditions: ['merge', 'type', ['type']] },
  IoK8sKubeAggregatorPkgApisApiregistrationV1beta1APIServiceStatus: {
    conditions: ['merge', 'type', ['type']],
  },
};

/**
 * The resource types of the v1.21.2 OpenAPI (x-kubernetes-group-version-kind), by apiVersion.
 * List kinds and the meta kinds (Status, WatchEvent, DeleteOptions, …) are left out: no merge
 * list can be reached from them, so they merge exactly like a type without a schema.
 */
export const RESOURCE_TYPES: Readonly<Record<string, string>> = {
  'admissionregistration.k8s.io/v1': 'MutatingWebhookConfiguration ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/v1beta1': 'MutatingWebhookConfiguration ValidatingWebhookConfiguration',
  'apiextensions.k8s.io/v1': 'CustomResourceDefinition',
  'apiextensions.k8s.io/v1beta1': 'CustomResourceDefinition',
  'apiregistration.k8s.io/v1': 'APIService',
  'apiregistration.k8s.io/v1beta1': 'APIService',
  'apps/v1': 'ControllerRevision DaemonSet Deployment ReplicaSet StatefulSet',
  'authentication.k8s.io/v1': 'TokenRequest TokenReview',
  'authentication.k8s.io/v1beta1': 'TokenReview',
  'authorization.k8s.io/v1':
    'LocalSubjectAccessReview SelfSubjectAccessReview SelfSubjectRulesReview SubjectAccessReview',
  'authorization.k8s.io/v1beta1':
    'LocalSubjectAccessReview SelfSubjectAccessReview SelfSubjectRulesReview SubjectAccessReview',
  'autoscaling/v1': 'HorizontalPodAutoscaler Scale',
  'autoscaling/v2beta1': 'HorizontalPodAutoscaler',
  'autoscaling/v2beta2': 'HorizontalPodAutoscaler',
  'batch/v1': 'CronJob Job',
  'batch/v1beta1': 'CronJob',
  'certificates.k8s.io/v1': 'CertificateSigningRequest',
  'certificates.k8s.io/v1beta1': 'CertificateSigningRequest',
  'coordination.k8s.io/v1': 'Lease',
  'coordination.k8s.io/v1beta1': 'Lease',
  'discovery.k8s.io/v1': 'EndpointSlice',
  'discovery.k8s.io/v1beta1': 'EndpointSlice',
  'events.k8s.io/v1': 'Event',
  'events.k8s.io/v1beta1': 'Event',
  'extensions/v1beta1': 'Ingress',
  'flowcontrol.apiserver.k8s.io/v1beta1': 'FlowSchema PriorityLevelConfiguration',
  'networking.k8s.io/v1': 'Ingress IngressClass NetworkPolicy',
  'networking.k8s.io/v1beta1': 'Ingress IngressClass',
  'node.k8s.io/v1': 'RuntimeClass',
  'node.k8s.io/v1beta1': 'RuntimeClass',
  'policy/v1': 'PodDisruptionBudget',
  'policy/v1beta1': 'Eviction PodDisruptionBudget PodSecurityPolicy',
  'rbac.authorization.k8s.io/v1': 'ClusterRole ClusterRoleBinding Role RoleBinding',
  'rbac.authorization.k8s.io/v1beta1': 'ClusterRole ClusterRoleBinding Role RoleBinding',
  'scheduling.k8s.io/v1': 'PriorityClass',
  'scheduling.k8s.io/v1beta1': 'PriorityClass',
  'storage.k8s.io/v1': 'CSIDriver CSINode StorageClass VolumeAttachment',
  'storage.k8s.io/v1beta1': 'CSIDriver CSINode CSIStorageCapacity StorageClass VolumeAttachment',
  v1: 'Binding ComponentStatus ConfigMap Endpoints Event LimitRange Namespace Node PersistentVolume PersistentVolumeClaim Pod PodTemplate ReplicationController ResourceQuota Secret Service ServiceAccount',
};
