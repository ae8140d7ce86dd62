// The transformer configuration: which fields each builtin transformer touches. The default
// tables reproduce kustomize v5.7.1's built-in field specs (documented behaviour of namePrefix,
// commonLabels, namespace, images, replicas, name references and var references), written here
// in a compact form: one field spec per line, `path [kind=K] [group=G] [version=V] [create]`.
import { SourceError } from '../errors.ts';
import { isMap, type JsonValue } from '../json.ts';
import { type FieldSpec, fsGvk, mergeAllFs, sortFs, stableSort } from './fieldspec.ts';
import { decodeTransformerConfig } from './kschema.ts';
import { type Gvk, gvkEquals, gvkIsLessThan } from './resid.ts';

export interface NameBackRef {
  gvk: Gvk;
  referrers: FieldSpec[];
}

export interface TransformerConfig {
  namePrefix: FieldSpec[];
  nameSuffix: FieldSpec[];
  namespace: FieldSpec[];
  commonLabels: FieldSpec[];
  labels: FieldSpec[];
  templateLabels: FieldSpec[];
  commonAnnotations: FieldSpec[];
  nameReference: NameBackRef[];
  varReference: FieldSpec[];
  images: FieldSpec[];
  replicas: FieldSpec[];
}

const FS_KEYS = [
  'namePrefix',
  'nameSuffix',
  'namespace',
  'commonLabels',
  'labels',
  'templateLabels',
  'commonAnnotations',
  'varReference',
  'images',
  'replicas',
] as const;

export function emptyConfig(): TransformerConfig {
  return {
    namePrefix: [],
    nameSuffix: [],
    namespace: [],
    commonLabels: [],
    labels: [],
    templateLabels: [],
    commonAnnotations: [],
    nameReference: [],
    varReference: [],
    images: [],
    replicas: [],
  };
}

function specs(text: string): FieldSpec[] {
  const out: FieldSpec[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line) continue;
    const [path, ...attrs] = line.split(/\s+/);
    const fs: FieldSpec = { path: path as string };
    for (const a of attrs) {
      if (a === 'create') fs.create = true;
      else {
        const [k, v] = a.split('=') as [string, string];
        if (k === 'kind') fs.kind = v;
        else if (k === 'group') fs.group = v;
        else if (k === 'version') fs.version = v;
      }
    }
    out.push(fs);
  }
  return out;
}

/** Paths of a pod spec under each workload kind, in kustomize's order. */
function _podPaths(suffixes: string[], withPod = true): string {
  const prefixes: [string, string][] = [
    ...(withPod ? ([['spec', 'kind=Pod version=v1']] as [string, string][]) : []),
  ];
  return prefixes.flatMap(([p, a]) => suffixes.map((s) => `${p}/${s} ${a}`)).join('\n');
}

const metadataLabels = `
metadata/labels create
spec/template/metadata/labels create version=v1 kind=ReplicationController
spec/template/metadata/labels create kind=Deployment
spec/template/metadata/labels create kind=ReplicaSet
spec/template/metadata/labels create kind=DaemonSet
spec/template/metadata/labels create group=apps kind=StatefulSet
spec/volumeClaimTemplates[]/metadata/labels create group=apps kind=StatefulSet
spec/template/metadata/labels create group=batch kind=Job
spec/jobTemplate/metadata/labels create group=batch kind=CronJob
spec/jobTemplate/spec/template/metadata/labels create group=batch kind=CronJob`;

const affinity = [
  'podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm',
  'podAffinity/requiredDuringSchedulingIgnoredDuringExecution',
  'podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm',
  'podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution',
];
const affinityFor = (kind: string) =>
  [
    ...affinity.map(
      (a) => `spec/template/spec/affinity/${a}/labelSelector/matchLabels group=apps kind=${kind}`,
    ),
    `spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels group=apps kind=${kind}`,
  ].join('\n');

const commonLabels = `
spec/selector create version=v1 kind=Service
spec/selector create version=v1 kind=ReplicationController
spec/selector/matchLabels create kind=Deployment
${affinityFor('Deployment')}
spec/selector/matchLabels create kind=ReplicaSet
spec/selector/matchLabels create kind=DaemonSet
spec/selector/matchLabels create group=apps kind=StatefulSet
${affinityFor('StatefulSet')}
spec/selector/matchLabels group=batch kind=Job
spec/jobTemplate/spec/selector/matchLabels group=batch kind=CronJob
spec/selector/matchLabels group=policy kind=PodDisruptionBudget
spec/podSelector/matchLabels group=networking.k8s.io kind=NetworkPolicy
spec/ingress/from/podSelector/matchLabels group=networking.k8s.io kind=NetworkPolicy
spec/egress/to/podSelector/matchLabels group=networking.k8s.io kind=NetworkPolicy
${metadataLabels}`;

const commonAnnotations = `
metadata/annotations create
spec/template/metadata/annotations create version=v1 kind=ReplicationController
spec/template/metadata/annotations create kind=Deployment
spec/template/metadata/annotations create kind=ReplicaSet
spec/template/metadata/annotations create kind=DaemonSet
spec/template/metadata/annotations create kind=StatefulSet
spec/template/metadata/annotations create group=batch kind=Job
spec/jobTemplate/metadata/annotations create group=batch kind=CronJob
spec/jobTemplate/spec/template/metadata/annotations create group=batch kind=CronJob`;

const namespace = `
metadata/name kind=Namespace create
spec/service/namespace group=apiregistration.k8s.io kind=APIService create
spec/conversion/webhook/clientConfig/service/namespace group=apiextensions.k8s.io kind=CustomResourceDefinition`;

const images = `
spec/containers[]/image create
spec/initContainers[]/image create
spec/volumes[]/image/reference create
spec/template/spec/containers[]/image create
spec/template/spec/initContainers[]/image create
spec/template/spec/volumes[]/image/reference create`;

const replicas = `
spec/replicas create kind=Deployment
spec/replicas create kind=ReplicationController
spec/replicas create kind=ReplicaSet
spec/replicas create kind=StatefulSet`;

const containerVarFields = ['args', 'command', 'env/value', 'volumeMounts/mountPath'];
const workloadVars = (prefix: string, kind: string, volumes: string) =>
  [
    ...['containers', 'initContainers'].flatMap((c) =>
      containerVarFields.map((f) => `${prefix}/${c}/${f} kind=${kind}`),
    ),
    `${volumes} kind=${kind}`,
  ].join('\n');
const varReference = `
${workloadVars('spec/jobTemplate/spec/template/spec', 'CronJob', 'spec/jobTemplate/spec/template/volumes/nfs/server')}
${workloadVars('spec/template/spec', 'DaemonSet', 'spec/template/spec/volumes/nfs/server')}
${workloadVars('spec/template/spec', 'Deployment', 'spec/template/spec/volumes/nfs/server')}
spec/template/metadata/annotations kind=Deployment
spec/rules/host kind=Ingress
spec/tls/hosts kind=Ingress
spec/tls/secretName kind=Ingress
${workloadVars('spec/template/spec', 'Job', 'spec/template/spec/volumes/nfs/server')}
${workloadVars('spec', 'Pod', 'spec/volumes/nfs/server')}
${workloadVars('spec/template/spec', 'ReplicaSet', 'spec/template/spec/volumes/nfs/server')}
spec/ports/port kind=Service
spec/ports/targetPort kind=Service
${workloadVars('spec/template/spec', 'StatefulSet', 'spec/volumeClaimTemplates/spec/nfs/server')}
spec/nfs/server kind=PersistentVolume
metadata/labels
metadata/annotations`;

/** Name references of a ConfigMap or Secret from pod specs, per workload kind, kustomize's order. */
function podRefs(items: string[], cronItems: string[]): string {
  const lines: string[] = [];
  lines.push(...items.map((i) => `spec/${i} version=v1 kind=Pod`));
  lines.push(...items.map((i) => `template/spec/${i} kind=PodTemplate`));
  for (const k of ['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job']) {
    lines.push(...items.map((i) => `spec/template/spec/${i} kind=${k}`));
  }
  lines.push(...cronItems.map((i) => `spec/jobTemplate/spec/template/spec/${i} kind=CronJob`));
  return lines.join('\n');
}

const cmItems = [
  'volumes/configMap/name',
  'containers/env/valueFrom/configMapKeyRef/name',
  'initContainers/env/valueFrom/configMapKeyRef/name',
  'containers/envFrom/configMapRef/name',
  'initContainers/envFrom/configMapRef/name',
  'volumes/projected/sources/configMap/name',
];
const cmCronItems = [cmItems[0], cmItems[5], cmItems[1], cmItems[2], cmItems[3], cmItems[4]] as string[];
const secretItems = [
  'volumes/secret/secretName',
  'containers/env/valueFrom/secretKeyRef/name',
  'initContainers/env/valueFrom/secretKeyRef/name',
  'containers/envFrom/secretRef/name',
  'initContainers/envFrom/secretRef/name',
  'imagePullSecrets/name',
  'volumes/projected/sources/secret/name',
];
const secretCronItems = [
  secretItems[0],
  secretItems[6],
  secretItems[1],
  secretItems[2],
  secretItems[3],
  secretItems[4],
  secretItems[5],
] as string[];

const workloadsFor = (path: string, kinds: string[]) =>
  kinds
    .map(
      (k) =>
        `${path.replace('$', k === 'CronJob' ? 'spec/jobTemplate/spec/template/spec' : k === 'Pod' ? 'spec' : 'spec/template/spec')} kind=${k}`,
    )
    .join('\n');
const saKinds = ['Pod', 'StatefulSet', 'Deployment', 'ReplicationController', 'CronJob', 'Job', 'DaemonSet'];

const nameReference: [string, string][] = [
  ['kind=Deployment', 'spec/scaleTargetRef/name kind=HorizontalPodAutoscaler'],
  ['kind=ReplicationController', 'spec/scaleTargetRef/name kind=HorizontalPodAutoscaler'],
  ['kind=ReplicaSet', 'spec/scaleTargetRef/name kind=HorizontalPodAutoscaler'],
  ['kind=StatefulSet', 'spec/scaleTargetRef/name kind=HorizontalPodAutoscaler'],
  [
    'kind=ConfigMap version=v1',
    `${podRefs(cmItems, cmCronItems)}
spec/configSource/configMap kind=Node
rules/resourceNames kind=Role
rules/resourceNames kind=ClusterRole
metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap kind=Ingress`,
  ],
  [
    'kind=Secret version=v1',
    `${podRefs(secretItems, secretCronItems)}
spec/tls/secretName kind=Ingress
metadata/annotations/ingress.kubernetes.io\\/auth-secret kind=Ingress
metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret kind=Ingress
metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret kind=Ingress
spec/tls/secretName kind=Ingress
imagePullSecrets/name kind=ServiceAccount
parameters/secretName kind=StorageClass
parameters/adminSecretName kind=StorageClass
parameters/userSecretName kind=StorageClass
parameters/secretRef kind=StorageClass
rules/resourceNames kind=Role
rules/resourceNames kind=ClusterRole
spec/template/spec/containers/env/valueFrom/secretKeyRef/name kind=Service group=serving.knative.dev version=v1
spec/azureFile/secretName kind=PersistentVolume`,
  ],
  [
    'kind=Service version=v1',
    `spec/serviceName kind=StatefulSet group=apps
spec/rules/http/paths/backend/serviceName kind=Ingress
spec/backend/serviceName kind=Ingress
spec/rules/http/paths/backend/service/name kind=Ingress
spec/defaultBackend/service/name kind=Ingress
spec/service/name kind=APIService group=apiregistration.k8s.io
webhooks/clientConfig/service kind=ValidatingWebhookConfiguration group=admissionregistration.k8s.io
webhooks/clientConfig/service kind=MutatingWebhookConfiguration group=admissionregistration.k8s.io`,
  ],
  [
    'kind=Role group=rbac.authorization.k8s.io',
    'roleRef/name kind=RoleBinding group=rbac.authorization.k8s.io',
  ],
  [
    'kind=ClusterRole group=rbac.authorization.k8s.io',
    `roleRef/name kind=RoleBinding group=rbac.authorization.k8s.io
roleRef/name kind=ClusterRoleBinding group=rbac.authorization.k8s.io`,
  ],
  [
    'kind=ServiceAccount version=v1',
    `subjects kind=RoleBinding group=rbac.authorization.k8s.io
subjects kind=ClusterRoleBinding group=rbac.authorization.k8s.io
${workloadsFor('$/serviceAccountName', saKinds)}`,
  ],
  [
    'kind=PersistentVolumeClaim version=v1',
    workloadsFor('$/volumes/persistentVolumeClaim/claimName', saKinds),
  ],
  [
    'kind=PersistentVolume version=v1',
    'spec/volumeName kind=PersistentVolumeClaim\nrules/resourceNames kind=ClusterRole',
  ],
  [
    'kind=StorageClass version=v1 group=storage.k8s.io',
    `spec/storageClassName kind=PersistentVolume
spec/storageClassName kind=PersistentVolumeClaim
spec/volumeClaimTemplates/spec/storageClassName kind=StatefulSet`,
  ],
  ['kind=PriorityClass version=v1 group=scheduling.k8s.io', workloadsFor('$/priorityClassName', saKinds)],
  ['kind=IngressClass version=v1 group=networking.k8s.io/v1', 'spec/ingressClassName kind=Ingress'],
  [
    'kind=ValidatingAdmissionPolicy group=admissionregistration.k8s.io',
    'spec/policyName kind=ValidatingAdmissionPolicyBinding group=admissionregistration.k8s.io',
  ],
];

function gvkOf(attrs: string): Gvk {
  const fs = specs(`x ${attrs}`)[0] as FieldSpec;
  return fsGvk(fs);
}

let defaultCache: TransformerConfig | undefined;

export function defaultConfig(): TransformerConfig {
  if (!defaultCache) {
    const c = emptyConfig();
    c.namePrefix = specs('metadata/name');
    c.nameSuffix = specs('metadata/name');
    c.commonLabels = specs(commonLabels);
    c.templateLabels = specs(metadataLabels);
    c.commonAnnotations = specs(commonAnnotations);
    c.namespace = specs(namespace);
    c.varReference = specs(varReference);
    c.nameReference = nameReference.map(([g, refs]) => ({ gvk: gvkOf(g), referrers: specs(refs) }));
    c.images = specs(images);
    c.replicas = specs(replicas);
    defaultCache = sortConfig(c);
  }
  return copyConfig(defaultCache);
}

export function copyConfig(c: TransformerConfig): TransformerConfig {
  const out = emptyConfig();
  for (const k of FS_KEYS) out[k] = [...c[k]];
  out.nameReference = c.nameReference.map((n) => ({ gvk: n.gvk, referrers: [...n.referrers] }));
  return out;
}

function sortConfig(c: TransformerConfig): TransformerConfig {
  for (const k of FS_KEYS) c[k] = sortFs(c[k]);
  c.nameReference = stableSort(c.nameReference, (a, b) => gvkIsLessThan(a.gvk, b.gvk));
  return c;
}

function mergeNbr(s: NameBackRef[], other: NameBackRef): NameBackRef[] {
  let found = false;
  const result = s.map((c) => {
    if (gvkEquals(c.gvk, other.gvk)) {
      found = true;
      return { gvk: c.gvk, referrers: mergeAllFs(c.referrers, other.referrers) };
    }
    return c;
  });
  if (!found) result.push(other);
  return result;
}

export function mergeConfig(a: TransformerConfig, b: TransformerConfig | undefined): TransformerConfig {
  if (!b) return a;
  const m = emptyConfig();
  for (const k of FS_KEYS) m[k] = mergeAllFs(a[k], b[k]);
  let nr = a.nameReference;
  for (const n of b.nameReference) nr = mergeNbr(nr, n);
  m.nameReference = nr;
  return sortConfig(m);
}

// ---- parsing `configurations:` files ----------------------------------------------------------

const CONFIG_FIELDS: Record<string, keyof TransformerConfig> = {
  namePrefix: 'namePrefix',
  nameSuffix: 'nameSuffix',
  namespace: 'namespace',
  commonLabels: 'commonLabels',
  labels: 'labels',
  templateLabels: 'templateLabels',
  commonAnnotations: 'commonAnnotations',
  nameReference: 'nameReference',
  varReference: 'varReference',
  images: 'images',
  replicas: 'replicas',
};

export function parseFieldSpecList(v: JsonValue, file: string, field: string): FieldSpec[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v))
    throw new SourceError('BAD_CONFIG', `${field} must be a list of field specs`, { file });
  return v.map((x) => {
    if (!isMap(x)) throw new SourceError('BAD_CONFIG', `${field}: each field spec must be a map`, { file });
    const fs: FieldSpec = { path: String(x.path ?? '') };
    if (x.group) fs.group = String(x.group);
    if (x.version) fs.version = String(x.version);
    if (x.kind) fs.kind = String(x.kind);
    if (x.create === true) fs.create = true;
    for (const k of Object.keys(x)) {
      if (!['path', 'group', 'version', 'kind', 'create'].includes(k)) {
        throw new SourceError('BAD_CONFIG', `error unmarshaling JSON: json: unknown field "${k}"`, { file });
      }
    }
    return fs;
  });
}

export function configFromValue(raw: JsonValue, file: string): TransformerConfig {
  const c = emptyConfig();
  if (raw === null) return c;
  const v = decodeTransformerConfig(raw, file);
  if (!isMap(v)) throw new SourceError('BAD_CONFIG', 'a transformer configuration must be a map', { file });
  for (const [k, val] of Object.entries(v)) {
    const key = CONFIG_FIELDS[k];
    if (!key)
      throw new SourceError('BAD_CONFIG', `error unmarshaling JSON: json: unknown field "${k}"`, { file });
    if (key === 'nameReference') {
      if (!Array.isArray(val)) continue;
      c.nameReference = val.map((n) => {
        const m = isMap(n) ? n : {};
        return {
          gvk: { group: String(m.group ?? ''), version: String(m.version ?? ''), kind: String(m.kind ?? '') },
          referrers: parseFieldSpecList(m.fieldSpecs ?? null, file, 'nameReference.fieldSpecs'),
        };
      });
    } else {
      c[key] = parseFieldSpecList(val, file, k);
    }
  }
  return sortConfig(c);
}
