// A resource in the build: its object plus the build state kustomize keeps in internal
// annotations (previous names, prefixes, refBy, generator behaviour...), exactly as
// api/resource/resource.go does, so that the identity rules behave the same. The origin (file and
// line of the YAML document) travels beside the object, never inside it.

import { deepClone, isMap, type JsonMap, type JsonValue, markScalarText, scalarTextOf } from '../json.ts';
import type { Origin } from './api.ts';
import {
  effectiveNamespace,
  type Gvk,
  idFromString,
  isClusterScoped,
  parseGroupVersion,
  type ResId,
} from './resid.ts';
import { since58 } from './version.ts';

const D = 'internal.config.kubernetes.io';
export const ANNO = {
  previousKinds: `${D}/previousKinds`,
  previousNames: `${D}/previousNames`,
  prefixes: `${D}/prefixes`,
  suffixes: `${D}/suffixes`,
  previousNamespaces: `${D}/previousNamespaces`,
  refBy: `${D}/refBy`,
  genBehavior: `${D}/generatorBehavior`,
  needsHashSuffix: `${D}/needsHashSuffix`,
  allowNameChange: `${D}/allowNameChange`,
  allowKindChange: `${D}/allowKindChange`,
  origin: 'config.kubernetes.io/origin',
  // kustomize 5.8 marks what a Helm chart made, so namespace transformers pass it over (Helm set
  // its namespace); removed before output with the build annotations
  helmGenerated: 'config.kubernetes.io/helm-generated',
  transformations: 'alpha.config.kubernetes.io/transformations',
} as const;

/** Annotations removed before output (RemoveBuildAnnotations). */
export const BUILD_ANNOTATIONS = [
  ANNO.previousKinds,
  ANNO.previousNames,
  ANNO.prefixes,
  ANNO.suffixes,
  ANNO.previousNamespaces,
  ANNO.allowNameChange,
  ANNO.allowKindChange,
  ANNO.refBy,
  ANNO.genBehavior,
  ANNO.needsHashSuffix,
  'config.kubernetes.io/path',
  'config.kubernetes.io/index',
  'internal.config.kubernetes.io/seqindent',
  'config.kubernetes.io/id',
  'config.k8s.io/id',
  'internal.config.kubernetes.io/path',
  'internal.config.kubernetes.io/index',
  'internal.config.kubernetes.io/id',
];
const BUILD_ANNOTATIONS_58 = [...BUILD_ANNOTATIONS, ANNO.helmGenerated];
const buildAnnotations = () => (since58() ? BUILD_ANNOTATIONS_58 : BUILD_ANNOTATIONS);

/** The string a kyaml scalar node holds (node.Value): how Go reads a YAML scalar as text. */
export function scalarText(v: JsonValue | undefined): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  return '';
}

/**
 * The YAML text of the scalar m[key] (scalarTextOf); '' for none, a map or a list, and for null
 * unless `nullIsText` (then its text: "null", "~" or "").
 */
function fieldText(m: JsonMap | undefined, key: string, nullIsText = false): string {
  const v = m?.[key];
  if (m === undefined || v === undefined || (v === null && !nullIsText)) return '';
  return v === null || typeof v !== 'object' ? scalarTextOf(m, key) : '';
}

export type Behavior = 'create' | 'replace' | 'merge' | 'unspecified';

export class Resource {
  obj: JsonMap;
  origin?: Origin;
  refVarNames: string[] = [];

  constructor(obj: JsonMap, origin?: Origin) {
    this.obj = obj;
    this.origin = origin;
  }

  deepCopy(): Resource {
    const r = new Resource(deepClone(this.obj), this.origin);
    r.refVarNames = [...this.refVarNames];
    return r;
  }

  isEmpty(): boolean {
    return Object.keys(this.obj).length === 0;
  }

  private metadata(): JsonMap | undefined {
    const m = this.obj.metadata;
    return isMap(m) ? m : undefined;
  }

  /** A metadata field as kyaml reads it: the node's YAML text (`name: 2024-01-01` is that text). */
  private metaString(field: string): string {
    return fieldText(this.metadata(), field);
  }

  ensureMetadata(): JsonMap {
    let m = this.obj.metadata;
    if (!isMap(m)) {
      m = {};
      this.obj.metadata = m;
    }
    return m;
  }

  /** kyaml's GetApiVersion: the node's text, so `apiVersion: null` is "null" (an empty one is ""). */
  getApiVersion(): string {
    return fieldText(this.obj, 'apiVersion', true);
  }
  getKind(): string {
    return fieldText(this.obj, 'kind');
  }
  getName(): string {
    return this.metaString('name');
  }
  getNamespace(): string {
    return this.metaString('namespace');
  }
  // kyaml's SetKind, SetApiVersion and SetName write an untagged scalar, so an empty one reads
  // back as null (`apiVersion: null` for a resource that had none)
  setKind(k: string): void {
    this.obj.kind = k === '' ? null : k;
  }
  setApiVersion(v: string): void {
    this.obj.apiVersion = v === '' ? null : v;
    // an untagged empty scalar: null to decode, "" to read
    if (v === '') markScalarText(this.obj, 'apiVersion', '');
  }
  setName(n: string): void {
    this.ensureMetadata().name = n === '' ? null : n;
  }
  setNamespace(ns: string): void {
    if (ns === '') {
      const m = this.metadata();
      if (m) delete m.namespace;
      return;
    }
    this.ensureMetadata().namespace = ns;
  }
  setGvk(g: Gvk): void {
    this.setKind(g.kind);
    this.setApiVersion(g.group ? `${g.group}/${g.version}` : g.version);
  }

  /** GetGvk; like kyaml's NewGvk it looks the type's scope up (which the patch schema tracks). */
  gvk(): Gvk {
    const { group, version } = parseGroupVersion(this.getApiVersion());
    const g = { group, version, kind: this.getKind() };
    isClusterScoped(g);
    return g;
  }

  curId(): ResId {
    return { ...this.gvk(), name: this.getName(), namespace: this.getNamespace() };
  }

  private getStringMap(field: 'labels' | 'annotations'): Record<string, string> {
    const m = this.metadata()?.[field];
    const out: Record<string, string> = {};
    if (!isMap(m)) return out;
    // a scalar reads as its YAML text (kyaml's node Value): `~`, `0x1F`, `1.0`...
    for (const [k, v] of Object.entries(m))
      out[k] = v === null || typeof v !== 'object' ? scalarTextOf(m, k) : scalarText(v);
    return out;
  }

  private setStringMap(field: 'labels' | 'annotations', m: Record<string, string>): void {
    const meta = this.ensureMetadata();
    delete meta[field];
    const keys = Object.keys(m).sort();
    if (keys.length === 0) return;
    const out: JsonMap = {};
    for (const k of keys) out[k] = m[k] as string;
    meta[field] = out;
  }

  getAnnotations(): Record<string, string> {
    return this.getStringMap('annotations');
  }
  setAnnotations(m: Record<string, string>): void {
    this.setStringMap('annotations', m);
  }
  getLabels(): Record<string, string> {
    return this.getStringMap('labels');
  }
  setLabels(m: Record<string, string>): void {
    this.setStringMap('labels', m);
  }

  /** Sets one annotation, creating metadata.annotations if needed (kyaml SetAnnotation). */
  setAnnotation(key: string, value: string): void {
    const meta = this.ensureMetadata();
    let a = meta.annotations;
    if (!isMap(a)) {
      a = {};
      meta.annotations = a;
    }
    a[key] = value;
  }

  private getCsv(name: string): string[] {
    const a = this.getAnnotations();
    if (!(name in a)) return [];
    return (a[name] as string).split(',');
  }

  private appendCsv(name: string, value: string): void {
    if (value === '') return;
    const current = this.getCsv(name);
    this.setAnnotation(name, [...current, value].join(','));
  }

  addNamePrefix(p: string): void {
    this.appendCsv(ANNO.prefixes, p);
  }
  addNameSuffix(s: string): void {
    this.appendCsv(ANNO.suffixes, s);
  }
  getNamePrefixes(): string[] {
    return this.getCsv(ANNO.prefixes);
  }
  getNameSuffixes(): string[] {
    return this.getCsv(ANNO.suffixes);
  }

  prevIds(): ResId[] {
    const a = this.getAnnotations();
    if (!(ANNO.previousNames in a)) return [];
    const names = (a[ANNO.previousNames] as string).split(',');
    const ns = (a[ANNO.previousNamespaces] ?? '').split(',');
    const kinds = (a[ANNO.previousKinds] ?? '').split(',');
    if (names.length !== ns.length || names.length !== kinds.length) {
      throw new Error(
        'number of previous names, number of previous namespaces, number of previous kinds not equal',
      );
    }
    const { group, version } = parseGroupVersion(this.getApiVersion());
    return names.map((name, i) => ({
      group,
      version,
      kind: kinds[i] as string,
      name,
      namespace: ns[i] as string,
    }));
  }

  orgId(): ResId {
    const ids = this.prevIds();
    return ids.length > 0 ? (ids[0] as ResId) : this.curId();
  }

  storePreviousId(): void {
    const id = this.curId();
    this.appendCsv(ANNO.previousNames, id.name);
    this.appendCsv(ANNO.previousNamespaces, effectiveNamespace(id));
    this.appendCsv(ANNO.previousKinds, id.kind);
  }

  getRefBy(): ResId[] {
    return this.getCsv(ANNO.refBy).map(idFromString);
  }
  appendRefBy(idStr: string): void {
    this.appendCsv(ANNO.refBy, idStr);
  }

  private isEnabled(key: string): boolean {
    return this.getAnnotations()[key] === 'enabled';
  }
  private enable(key: string): void {
    const a = this.getAnnotations();
    a[key] = 'enabled';
    this.setAnnotations(a);
  }
  allowNameChange(): void {
    this.enable(ANNO.allowNameChange);
  }
  nameChangeAllowed(): boolean {
    return this.isEnabled(ANNO.allowNameChange);
  }
  allowKindChange(): void {
    this.enable(ANNO.allowKindChange);
  }
  kindChangeAllowed(): boolean {
    return this.isEnabled(ANNO.allowKindChange);
  }
  needHashSuffix(): boolean {
    return this.isEnabled(ANNO.needsHashSuffix);
  }
  enableHashSuffix(): void {
    this.enable(ANNO.needsHashSuffix);
  }

  behavior(): Behavior {
    const v = this.getAnnotations()[ANNO.genBehavior];
    return v === 'create' || v === 'replace' || v === 'merge' ? v : 'unspecified';
  }
  setBehavior(b: Behavior): void {
    const a = this.getAnnotations();
    a[ANNO.genBehavior] = b;
    this.setAnnotations(a);
  }

  removeBuildAnnotations(): void {
    const a = this.getAnnotations();
    if (Object.keys(a).length === 0) return;
    for (const k of buildAnnotations()) delete a[k];
    this.setAnnotations(a);
  }

  getDataMap(field: 'data' | 'binaryData'): Record<string, string> {
    const d = this.obj[field];
    const out: Record<string, string> = {};
    if (isMap(d)) for (const [k, v] of Object.entries(d)) out[k] = scalarText(v);
    return out;
  }
  setDataMap(field: 'data' | 'binaryData', m: Record<string, string>): void {
    delete this.obj[field];
    const keys = Object.keys(m);
    if (keys.length === 0) return;
    const out: JsonMap = {};
    for (const k of keys.sort()) out[k] = m[k] as string;
    this.obj[field] = out;
  }

  /** CopyMergeMetaDataFieldsFrom: used by generator merge/replace behaviour. */
  copyMergeMetaDataFieldsFrom(other: Resource): void {
    this.setLabels({ ...other.getLabels(), ...this.getLabels() });
    const ra = this.getAnnotations();
    const enableHash = ANNO.needsHashSuffix in ra;
    const oa = other.getAnnotations();
    const merged: Record<string, string> = { ...oa, ...ra };
    for (const k of buildAnnotations()) {
      if (k in oa) merged[k] = oa[k] as string;
      else delete merged[k];
    }
    if (!enableHash) delete merged[ANNO.needsHashSuffix];
    this.setAnnotations(merged);
    this.setName(other.getName());
    this.setNamespace(other.getNamespace());
    this.refVarNames = [...other.refVarNames];
  }
}
