// Name references (api/internal/accumulator/namereferencetransformer.go, api/filters/nameref):
// after prefixes, suffixes, hashes and namespaces changed names, every field that refers to a
// ConfigMap, Secret, ServiceAccount, Role, ... by name is updated to the referral's new name.
import { SourceError } from '../../errors.ts';
import { isMap, type JsonMap, type JsonValue, scalarTextOf } from '../../json.ts';
import type { NameBackRef } from '../config.ts';
import { type Slot, walkFieldSpec } from '../fieldspec.ts';
import {
  effectiveNamespace,
  type Gvk,
  gvkIsSelected,
  idIsNsEquals,
  idString,
  isClusterScoped,
  TOTALLY_NOT_A_NAMESPACE,
} from '../resid.ts';
import type { ResMap } from '../resmap.ts';
import { type Resource, scalarText } from '../resource.ts';

type Sieve = (r: Resource) => boolean;

function sameEndingSubSlice(a: string[], b: string[]): boolean {
  const [shorter, longer] = a.length <= b.length ? [a, b] : [b, a];
  if (shorter.length === 0) return true;
  const delta = longer.length - shorter.length;
  return shorter.every((x, i) => x === longer[i + delta]);
}

function prefixSuffixEquals(r: Resource, other: Resource, allowEmpty: boolean): boolean {
  const rp = r.getNamePrefixes();
  const op = other.getNamePrefixes();
  const rs = r.getNameSuffixes();
  const os = other.getNameSuffixes();
  if (allowEmpty) {
    const pe = rp.length === 0 || op.length === 0;
    const se = rs.length === 0 || os.length === 0;
    return (pe || sameEndingSubSlice(rp, op)) && (se || sameEndingSubSlice(rs, os));
  }
  return sameEndingSubSlice(rp, op) && sameEndingSubSlice(rs, os);
}

class RefFilter {
  constructor(
    readonly referrer: Resource,
    readonly path: string,
    readonly target: Gvk,
    readonly candidates: Resource[],
  ) {}

  run(): void {
    walkFieldSpec(this.referrer.obj, { path: this.path }, undefined, (slot) => this.set(slot));
  }

  private set(slot: Slot): void {
    const v = slot.get();
    if (v === null || v === undefined) return;
    if (isMap(v)) {
      this.setMapping(v);
      return;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const el = v[i] as JsonValue;
        if (el === null) continue;
        if (isMap(el)) this.setMapping(el);
        else if (Array.isArray(el))
          throw new SourceError('NAME_REFERENCE', 'is expected to be either a string or a map of string');
        else this.setScalar({ get: () => v[i] as JsonValue, set: (x) => (v[i] = x) });
      }
      return;
    }
    this.setScalar(slot);
  }

  private setScalar(slot: Slot): void {
    const old = scalarText(slot.get());
    const referral = this.selectReferral(old, this.candidates, allNamesSame);
    if (!referral) return;
    referral.appendRefBy(idString(this.referrer.curId()));
    if (referral.getName() === old) return;
    slot.set(referral.getName());
  }

  private setMapping(node: JsonMap): void {
    if (!('name' in node))
      throw new SourceError('NAME_REFERENCE', "path config error; no 'name' field in node");
    const candidates = this.candidatesByNamespace(node);
    const old = scalarText(node.name);
    const referral = this.selectReferral(old, candidates, allNamesAndNamespacesSame);
    if (!referral) return;
    referral.appendRefBy(idString(this.referrer.curId()));
    if (referral.getName() === old && referral.getNamespace() === '') return;
    node.name = referral.getName();
    if (referral.getNamespace() === '') return;
    node.namespace = referral.getNamespace();
  }

  private candidatesByNamespace(node: JsonMap): Resource[] {
    if (!('namespace' in node)) return this.candidates;
    const ns = scalarText(node.namespace);
    const byOrg = this.candidates.filter(
      (r) =>
        effectiveNamespace(r.orgId()) === ns && effectiveNamespace(r.orgId()) !== TOTALLY_NOT_A_NAMESPACE,
    );
    if (byOrg.length > 0) return byOrg;
    return this.candidates.filter(
      (r) =>
        effectiveNamespace(r.curId()) === ns && effectiveNamespace(r.curId()) !== TOTALLY_NOT_A_NAMESPACE,
    );
  }

  private roleRefSieve(): Sieve {
    if (!this.path.endsWith('roleRef/name')) return () => true;
    const roleRef = this.referrer.obj.roleRef;
    if (!isMap(roleRef) || roleRef.apiGroup === undefined || roleRef.kind === undefined) return () => true;
    // the nodes' text (YNode().Value): a null kind is "null" (or "~"), which selects nothing
    const gvk = {
      group: scalarTextOf(roleRef, 'apiGroup'),
      version: '',
      kind: scalarTextOf(roleRef, 'kind'),
    };
    return (r) => r.prevIds().some((id) => gvkIsSelected(id, gvk));
  }

  private sameNamespaceSieve(): Sieve {
    const rid = this.referrer.curId();
    if (isClusterScoped(rid)) return () => true;
    return (r) =>
      isClusterScoped(r.curId()) || r.getKind() === 'ServiceAccount' || idIsNsEquals(rid, r.curId());
  }

  private selectReferral(
    old: string,
    candidates: Resource[],
    identical: (rs: Resource[]) => boolean,
  ): Resource | undefined {
    let c = candidates.filter((r) => r.prevIds().some((id) => id.name === old));
    c = c.filter((r) => r.prevIds().some((id) => gvkIsSelected(id, this.target)));
    c = c.filter(this.roleRefSieve());
    c = c.filter(this.sameNamespaceSieve());
    if (c.length === 1) return c[0];
    c = c.filter((r) => prefixSuffixEquals(r, this.referrer, true));
    if (c.length > 1) c = c.filter((r) => prefixSuffixEquals(r, this.referrer, false));
    if (c.length === 1) return c[0];
    if (c.length === 0) return undefined;
    if (identical(c)) return c[0];
    throw new SourceError(
      'NAME_REFERENCE',
      `found multiple possible referrals: ${c.map((r) => idString(r.curId())).join(', ')}`,
      {
        file: this.referrer.origin?.file,
        line: this.referrer.origin?.line,
        hint: `updating name reference in '${this.path}' field of '${idString(this.referrer.curId())}'`,
      },
    );
  }
}

function allNamesSame(rs: Resource[]): boolean {
  return rs.every((r) => r.getName() === (rs[0] as Resource).getName());
}
function allNamesAndNamespacesSame(rs: Resource[]): boolean {
  const first = rs[0] as Resource;
  return rs.every((r) => r.getName() === first.getName() && r.getNamespace() === first.getNamespace());
}

export function fixNameReferences(m: ResMap, backRefs: NameBackRef[]): void {
  const resources = [...m.list];
  const orgIds = resources.map((r) => r.orgId());
  const filters = new Map<Resource, { path: string; target: Gvk }[]>();
  for (const br of backRefs) {
    for (const spec of br.referrers) {
      const sel = { group: spec.group ?? '', version: spec.version ?? '', kind: spec.kind ?? '' };
      resources.forEach((r, i) => {
        if (gvkIsSelected(orgIds[i] as Gvk, sel)) {
          let list = filters.get(r);
          if (!list) {
            list = [];
            filters.set(r, list);
          }
          list.push({ path: spec.path, target: br.gvk });
        }
      });
    }
  }
  for (const r of resources) {
    const list = filters.get(r);
    if (!list) continue;
    // confirmNodeMatchesReferrer: the referrer's apiVersion as decoded (a null is "") against its
    // id's, read from the node's text ("null", "~")
    if (r.obj.apiVersion === null && r.getApiVersion() !== '')
      throw new SourceError(
        'BAD_RESOURCE',
        `node-referrerOriginal 'APIVersion' mismatch '' != '${r.getApiVersion()}'`,
        { file: r.origin?.file, line: r.origin?.line, hint: 'give the object an apiVersion' },
      );
    const candidates = m.subsetThatCouldBeReferencedBy(r);
    for (const f of list) new RefFilter(r, f.path, f.target, candidates).run();
  }
}
