// The ordered list of resources of a build, with kustomize's id rules (api/resmap/reswrangler.go):
// an id may be registered once; generated resources merge into or replace existing ones by
// behaviour; lookups by current id or by any previous id.

import { SourceError } from '../errors.ts';
import { isMap } from '../json.ts';
import { effectiveNamespace, idEquals, idString, isClusterScoped, type ResId } from './resid.ts';
import { type Resource, scalarText } from './resource.ts';
import { matchesSelector, type Selector, SelectorRegex } from './selector.ts';
import { since58 } from './version.ts';

export class ResMap {
  list: Resource[] = [];

  constructor(list: Resource[] = []) {
    this.list = list;
  }

  size(): number {
    return this.list.length;
  }

  append(res: Resource): void {
    const id = res.curId();
    if (this.list.some((r) => idEquals(id, r.curId()))) {
      throw new SourceError(
        'DUPLICATE_ID',
        `may not add resource with an already registered id: ${idString(id)}`,
        {
          file: res.origin?.file,
          line: res.origin?.line,
          hint: 'two resources have the same kind, name and namespace; remove one or patch it instead',
        },
      );
    }
    this.list.push(res);
  }

  appendAll(other: ResMap | Resource[]): void {
    for (const r of Array.isArray(other) ? other : other.list) this.append(r);
  }

  remove(id: ResId): void {
    const keep = this.list.filter((r) => !sameIdStrict(r.curId(), id));
    if (keep.length !== this.list.length - 1) throw new Error(`id ${idString(id)} not found in removal`);
    this.list = keep;
  }

  indexOfCurrentId(id: ResId): number {
    let count = 0;
    let result = -1;
    this.list.forEach((r, i) => {
      if (idEquals(id, r.curId())) {
        count++;
        result = i;
      }
    });
    if (count > 1) throw new Error(`id matched ${count} resources`);
    return result;
  }

  replace(res: Resource): number {
    const i = this.indexOfCurrentId(res.curId());
    if (i < 0) throw new Error(`cannot find resource with id ${idString(res.curId())} to replace`);
    this.list[i] = res;
    return i;
  }

  byCurrentId(match: (id: ResId) => boolean): Resource[] {
    return this.list.filter((r) => match(r.curId()));
  }

  byAnyId(match: (id: ResId) => boolean): Resource[] {
    return this.list.filter((r) => !r.isEmpty() && [...r.prevIds(), r.curId()].some(match));
  }

  /** GetById: exactly one resource whose current or previous id equals id. */
  getById(id: ResId): Resource {
    const r = this.byAnyId((x) => idEquals(id, x));
    if (r.length === 1) return r[0] as Resource;
    const what =
      r.length > 1 ? `multiple matches for Id ${idString(id)}` : `no matches for Id ${idString(id)}`;
    throw new SourceError('PATCH_TARGET', `${what}; failed to find unique target for patch ${idString(id)}`);
  }

  deepCopy(): ResMap {
    return new ResMap(this.list.map((r) => r.deepCopy()));
  }

  /** AbsorbAll: generated resources are appended, or merged/replaced by their behaviour. */
  absorbAll(other: Resource[]): void {
    for (const r of other) this.appendReplaceOrMerge(r);
  }

  private appendReplaceOrMerge(res: Resource): void {
    const id = res.curId();
    const matches = this.byAnyId((x) => idEquals(id, x));
    if (matches.length === 0) {
      const b = res.behavior();
      if (b === 'merge' || b === 'replace') {
        throw new SourceError(
          'GENERATOR_BEHAVIOR',
          `id ${idString(id)} does not exist; cannot merge or replace`,
          {
            hint: 'behavior: merge/replace needs a ConfigMap or Secret of that name from a base; use behavior: create',
          },
        );
      }
      this.append(res);
      return;
    }
    if (matches.length > 1)
      throw new SourceError(
        'GENERATOR_BEHAVIOR',
        `found multiple objects that could accept merge of ${idString(id)}`,
      );
    const old = matches[0] as Resource;
    const index = this.list.indexOf(old);
    switch (res.behavior()) {
      case 'replace':
        res.copyMergeMetaDataFieldsFrom(old);
        break;
      case 'merge':
        res.copyMergeMetaDataFieldsFrom(old);
        res.setDataMap('data', { ...old.getDataMap('data'), ...res.getDataMap('data') });
        res.setDataMap('binaryData', { ...old.getDataMap('binaryData'), ...res.getDataMap('binaryData') });
        break;
      default:
        throw new SourceError(
          'GENERATOR_BEHAVIOR',
          // kustomize 5.8 names the behavior it got (kustomize#5958)
          `id ${idString(id)} exists; ${since58() ? `can not use behavior: '${res.behavior()}', ` : ''}behavior must be merge or replace`,
          {
            hint: 'a generator makes an object that already exists; set behavior: merge or behavior: replace',
          },
        );
    }
    const i = this.replace(res);
    if (i !== index) throw new Error('unexpected target index in replacement');
  }

  /** Select: resources matched by a patch/replacement target (by current or original id). */
  select(s: Selector): Resource[] {
    const sr = new SelectorRegex(s);
    return this.list.filter((r) => {
      const cur = r.curId();
      const org = r.orgId();
      if (!sr.matchNamespace(effectiveNamespace(org)) && !sr.matchNamespace(effectiveNamespace(cur)))
        return false;
      if (!sr.matchName(org.name) && !sr.matchName(cur.name)) return false;
      if (!sr.matchGvk(r.gvk())) return false;
      if (!matchesSelector(s.labelSelector, r.getLabels())) return false;
      if (!matchesSelector(s.annotationSelector, r.getAnnotations())) return false;
      return true;
    });
  }

  /** The resources a referrer may point at: same namespace, cluster-scoped, or RoleBinding subjects' namespaces. */
  subsetThatCouldBeReferencedBy(referrer: Resource): Resource[] {
    const rid = referrer.curId();
    if (isClusterScoped(rid)) return this.list;
    const rbNamespaces = new Set<string>();
    if (referrer.getKind() === 'RoleBinding') {
      const subjects = referrer.obj.subjects;
      if (Array.isArray(subjects)) {
        for (const s of subjects) {
          if (isMap(s) && 'namespace' in s && 'kind' in s && s.kind === 'ServiceAccount') {
            rbNamespaces.add(scalarText(s.namespace));
          }
        }
      }
    }
    return this.list.filter((t) => {
      const id = t.curId();
      return (
        isClusterScoped(id) ||
        effectiveNamespace(id) === effectiveNamespace(rid) ||
        rbNamespaces.has(t.getNamespace())
      );
    });
  }
}

function sameIdStrict(a: ResId, b: ResId): boolean {
  return (
    a.group === b.group &&
    a.version === b.version &&
    a.kind === b.kind &&
    a.name === b.name &&
    a.namespace === b.namespace
  );
}
