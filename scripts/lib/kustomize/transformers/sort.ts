// Output order (api/internal/builtins/SortOrderTransformer.go): `legacy` sorts by kind
// (Namespaces first, webhooks last), then group/version/kind, namespace and name; `fifo` keeps
// the order of accumulation.
import { SourceError } from '../../errors.ts';
import { isMap, type JsonMap } from '../../json.ts';
import { type Gvk, gvkEquals, gvkString, type ResId } from '../resid.ts';
import type { ResMap } from '../resmap.ts';

export const DEFAULT_ORDER_FIRST = [
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
export const DEFAULT_ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function gvkSortString(g: Gvk): string {
  return [g.group || '~G', g.version || '~V', g.kind || '~K'].join('_');
}

function idSortString(id: ResId): string {
  return [gvkString(id), id.namespace || '~X', id.name || '~N'].join('|');
}

export function sortLegacy(
  m: ResMap,
  orderFirst = DEFAULT_ORDER_FIRST,
  orderLast = DEFAULT_ORDER_LAST,
): void {
  const orders = new Map<string, number>();
  for (const [i, n] of orderFirst.entries()) orders.set(n, -orderFirst.length + i);
  for (const [i, n] of orderLast.entries()) orders.set(n, 1 + i);
  const less = (a: ResId, b: ResId): boolean => {
    if (!gvkEquals(a, b)) {
      const ia = orders.get(a.kind) ?? 0;
      const ib = orders.get(b.kind) ?? 0;
      if (ia !== ib) return ia < ib;
      if (a.kind === 'Namespace' && b.kind === 'Namespace' && (a.group === '' || b.group === '')) {
        return gvkSortString(a) > gvkSortString(b);
      }
      return gvkSortString(a) < gvkSortString(b);
    }
    return idSortString(a) < idSortString(b);
  };
  const items = m.list.map((r) => ({ r, id: r.curId() }));
  items.sort((x, y) => (less(x.id, y.id) ? -1 : less(y.id, x.id) ? 1 : 0));
  m.list = [];
  m.appendAll(items.map((x) => x.r));
}

/** Applies `sortOptions:` of the top kustomization. */
export function sortByOptions(m: ResMap, opts: JsonMap, file: string): void {
  // no default: an empty sortOptions fails as kustomize's SortOrderTransformer does
  const order = opts.order ?? '';
  const legacy = opts.legacySortOptions;
  if (order !== 'fifo' && order !== 'legacy') {
    throw new SourceError('BAD_SORT_OPTIONS', "the field 'sortOptions.order' must be one of [fifo, legacy]", {
      file,
    });
  }
  if (order === 'fifo' && legacy !== undefined && legacy !== null) {
    throw new SourceError(
      'BAD_SORT_OPTIONS',
      "the field 'sortOptions.legacySortOptions' is set but the selected sort order is 'fifo', not 'legacy'",
      { file },
    );
  }
  if (order === 'legacy') {
    if (isMap(legacy)) {
      const first = Array.isArray(legacy.orderFirst) ? legacy.orderFirst.map(String) : [];
      const last = Array.isArray(legacy.orderLast) ? legacy.orderLast.map(String) : [];
      sortLegacy(m, first, last);
    } else sortLegacy(m);
  }
}
