// The field-spec driven builtin transformers: namespace, name prefix/suffix, labels,
// annotations, replicas and images (api/internal/builtins/*Transformer.go and api/filters/*).
// Each is a function (resmap, config) that edits resources in place, in kustomize's order.

import { SourceError } from '../../errors.ts';
import { isMap, type JsonValue, scalarTextOf } from '../../json.ts';
import type { FieldSpec, Slot } from '../fieldspec.ts';
import { fsGvk, nodeKind, walkFieldSpec, wrongNodeKind } from '../fieldspec.ts';
import type { Image } from '../kustomization.ts';
import { gvkIsSelected, idEquals, idString, isClusterScoped } from '../resid.ts';
import type { ResMap } from '../resmap.ts';
import { ANNO, type Resource, scalarText } from '../resource.ts';
import { since58 } from '../version.ts';
import { resolvePlain } from '../yaml-io.ts';

/** SetEntry(name, value): set key `name` of the map at slot (or the scalar itself when name is ''). */
function setEntry(slot: Slot, name: string, value: string): void {
  if (name === '') {
    slot.set(value);
    return;
  }
  const m = slot.get();
  // a plain error: walkFieldSpec says which field of which object, as kustomize does
  if (!isMap(m)) throw new Error(wrongNodeKind('MappingNode', m));
  m[name] = value;
}

/**
 * filtersutil.SetScalar through a field spec: `set` each scalar the spec reaches in `r`; a map or
 * list there fails, walkFieldSpec naming the field and the object.
 */
function setScalars(r: Resource, fs: FieldSpec, set: (slot: Slot) => void): void {
  walkFieldSpec(
    r.obj,
    fs,
    'scalar',
    (slot) => {
      const v = slot.get();
      if (isMap(v) || Array.isArray(v)) throw new Error(wrongNodeKind('ScalarNode', v).trimEnd());
      set(slot);
    },
    idString(r.curId()),
  );
}

function applySpecs(
  r: Resource,
  specs: FieldSpec[],
  kind: 'map' | 'scalar' | undefined,
  fn: (slot: Slot) => void,
): void {
  const id = idString(r.curId());
  for (const fs of specs) walkFieldSpec(r.obj, fs, kind, fn, id);
}

// ---- namespace ---------------------------------------------------------------------------------

export interface NamespaceOptions {
  namespace: string;
  fieldSpecs: FieldSpec[];
  unsetOnly?: boolean;
  setRoleBindingSubjects?: 'defaultOnly' | 'allServiceAccounts' | 'none' | '';
}

export function transformNamespace(m: ResMap, o: NamespaceOptions): void {
  if (!o.namespace) return;
  const mode = o.setRoleBindingSubjects || 'defaultOnly';
  const setter = (slot: Slot) => {
    if (o.unsetOnly && scalarText(slot.get()) !== '' && !isMap(slot.get())) return;
    slot.set(o.namespace);
  };
  for (const r of [...m.list]) {
    if (r.isEmpty()) continue;
    // kustomize 5.8 leaves what a Helm chart made to Helm, which set its namespace
    if (since58() && r.getAnnotations()[ANNO.helmGenerated] === 'true') continue;
    r.storePreviousId();
    const apiVersion = r.getApiVersion();
    let specs = o.fieldSpecs.filter(
      (fs) => fs.path !== 'metadata/namespace' && !(apiVersion !== 'v1' && fs.path === 'metadata/name'),
    );
    const gvk = r.gvk();
    if (!isClusterScoped(gvk)) {
      walkFieldSpec(r.obj, { path: 'metadata/namespace', create: true }, 'scalar', setter);
    }
    const kind = gvk.kind;
    if (kind === 'RoleBinding' || kind === 'ClusterRoleBinding') {
      specs = specs.filter(
        (fs) =>
          !(
            (fs.kind === 'RoleBinding' || fs.kind === 'ClusterRoleBinding') &&
            fs.path === 'subjects/namespace'
          ),
      );
      const subjects = r.obj.subjects;
      if (Array.isArray(subjects) && mode !== 'none') {
        for (const s of subjects) {
          if (!isMap(s)) continue;
          const hit = mode === 'allServiceAccounts' ? s.kind === 'ServiceAccount' : s.name === 'default';
          if (!hit) continue;
          if (!('namespace' in s) || s.namespace === null) s.namespace = '';
          setter({ get: () => s.namespace as JsonValue, set: (v) => (s.namespace = v) });
        }
      }
    }
    applySpecs(r, specs, 'scalar', setter);
    if (m.byCurrentId((id) => idEquals(r.curId(), id)).length !== 1) {
      throw new SourceError(
        'ID_CONFLICT',
        `namespace transformation produces ID conflict: ${idString(r.curId())}`,
      );
    }
  }
}

// ---- namePrefix / nameSuffix -------------------------------------------------------------------

const prefixSkip = [
  { kind: 'CustomResourceDefinition' },
  { group: 'apiregistration.k8s.io', kind: 'APIService' },
  { kind: 'Namespace' },
];

export function transformPrefixSuffix(
  m: ResMap,
  affix: string,
  specs: FieldSpec[],
  which: 'prefix' | 'suffix',
): void {
  for (const r of [...m.list]) {
    const org = r.orgId();
    if (prefixSkip.some((s) => gvkIsSelected(org, s))) continue;
    for (const fs of specs) {
      if (!gvkIsSelected(r.orgId(), fsGvk(fs))) continue;
      if (fs.path === 'metadata/name') {
        if (which === 'prefix') r.addNamePrefix(affix);
        else r.addNameSuffix(affix);
        if (affix !== '') r.storePreviousId();
      }
      setScalars(r, fs, (slot) => {
        // kyaml joins the node's text and writes it untagged in the node's style: a plain
        // scalar's new text is read afresh (0x1F with no prefix stays 31), a string stays a string
        const v = slot.get();
        const cur =
          slot.parent && slot.key !== undefined && v !== null && typeof v !== 'object'
            ? scalarTextOf(slot.parent, slot.key)
            : scalarText(v);
        const next = which === 'prefix' ? `${affix}${cur}` : `${cur}${affix}`;
        const plainNonString = v !== null && typeof v !== 'object' && (typeof v !== 'string' || cur !== v);
        slot.set(plainNonString ? resolvePlain(next) : next);
      });
    }
  }
}

// ---- labels / annotations ----------------------------------------------------------------------

export function transformMapEntries(m: ResMap, entries: Record<string, string>, specs: FieldSpec[]): void {
  const keys = Object.keys(entries).sort();
  if (keys.length === 0) return;
  for (const r of m.list) {
    for (const k of keys) applySpecs(r, specs, 'map', (slot) => setEntry(slot, k, entries[k] as string));
  }
}

// ---- replicas ----------------------------------------------------------------------------------

export function transformReplicas(
  m: ResMap,
  replica: { name?: string; count: number },
  specs: FieldSpec[],
): void {
  const name = replica.name ?? '';
  let found = false;
  for (const fs of specs) {
    const gvk = fsGvk(fs);
    const list = m.byAnyId((id) => id.name === name && gvkIsSelected(id, gvk));
    if (list.length === 0) continue;
    found = true;
    for (const r of list) setScalars(r, fs, (slot) => slot.set(replica.count));
  }
  if (!found) {
    const gvks = specs.map(
      (fs) => `${fs.kind || '[noKind]'}.${fs.version || '[noVer]'}.${fs.group || '[noGrp]'}`,
    );
    throw new SourceError(
      'REPLICAS',
      `resource with name ${name} does not match a config with the following GVK [${gvks.join(' ')}]`,
      {
        hint: 'replicas: applies to Deployments, ReplicaSets, StatefulSets and ReplicationControllers by name',
      },
    );
  }
}

// ---- images ------------------------------------------------------------------------------------

export function isImageMatched(s: string, name: string): boolean {
  let re: RegExp;
  try {
    re = new RegExp(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`);
  } catch {
    return false;
  }
  return re.test(s);
}

export function splitImage(image: string): { name: string; tag: string; digest: string } {
  let search = image;
  let slash = image.indexOf('/');
  if (slash > 0) search = image.slice(slash);
  else slash = 0;
  let id = search.indexOf('@');
  let ic = search.indexOf(':');
  if (ic < 0 && id < 0) return { name: image, tag: '', digest: '' };
  if (id >= 0 && (id < ic || ic < 0)) {
    id += slash;
    return { name: image.slice(0, id), tag: '', digest: image.slice(id + 1) };
  }
  if (id >= 0 && ic >= 0) {
    id += slash;
    ic += slash;
    return { name: image.slice(0, ic), tag: image.slice(ic + 1, id), digest: image.slice(id + 1) };
  }
  ic += slash;
  return { name: image.slice(0, ic), tag: image.slice(ic + 1), digest: '' };
}

function updateImage(slot: Slot, img: Image): void {
  const v = slot.get();
  if (isMap(v) || Array.isArray(v))
    throw new SourceError('FIELD_SPEC', `wrong node kind: expected ScalarNode but got ${nodeKind(v)}`);
  const value = scalarText(v);
  if (!isImageMatched(value, img.name ?? '')) return;
  let { name, tag, digest } = splitImage(value);
  if (img.newName) name = img.newName;
  if (img.newTag && img.digest) {
    tag = img.newTag;
    digest = img.digest;
  } else if (img.newTag) {
    tag = img.newTag;
    digest = '';
  } else if (img.digest) {
    tag = '';
    digest = img.digest;
  } else if (img.tagSuffix) {
    tag += img.tagSuffix;
    digest = '';
  }
  if (tag) name += `:${tag}`;
  if (digest) name += `@${digest}`;
  slot.set(name);
}

/** The legacy filter: every `containers`/`initContainers` list anywhere in the object. */
function walkContainers(v: JsonValue, img: Image): void {
  if (isMap(v)) {
    for (const [k, child] of Object.entries(v)) {
      walkContainers(child, img);
      if ((k === 'containers' || k === 'initContainers') && Array.isArray(child)) {
        for (const c of child) {
          if (isMap(c) && 'image' in c && c.image !== null)
            updateImage({ get: () => c.image as JsonValue, set: (x) => (c.image = x) }, img);
        }
      }
    }
  } else if (Array.isArray(v)) {
    for (const x of v) walkContainers(x, img);
  }
}

export function transformImages(m: ResMap, img: Image, specs: FieldSpec[]): void {
  for (const r of m.list) {
    if (r.getKind() === 'CustomResourceDefinition') continue;
    walkContainers(r.obj, img);
  }
  for (const r of m.list) {
    if (r.getKind() === 'CustomResourceDefinition') continue;
    applySpecs(r, specs, undefined, (slot) => updateImage(slot, img));
  }
}
