// The `$patch` directive of a patch map or list (kyaml merge2/smpdirective.go): delete, replace
// or merge. Reading it removes it from the patch node, as kyaml does, so it never reaches the
// output; an unknown value is an error unless the caller ignores it (kyaml does for new fields).
import { SourceError } from '../../errors.ts';
import { clearField, field, matchField, type Node, setElement, textOf } from './node.ts';

export type Directive = 'merge' | 'replace' | 'delete' | 'unknown';

const KEY = '$patch';

export function directive(patch: Node | undefined, ignoreErrors: boolean): Directive {
  if (patch === undefined) return 'merge';
  let v: string | undefined;
  if (patch.kind === 'map') {
    const node = field(patch, KEY);
    if (node === undefined) return 'merge';
    v = textOf(node);
    if (isKnown(v)) {
      clearField(patch, KEY);
      return v;
    }
  } else if (patch.kind === 'seq') {
    // the first map element with a `$patch` field, and only if that is its one field
    const elem = patch.items.find((x) => x.kind === 'map' && matchField(x, KEY, '') !== undefined);
    if (elem === undefined || (elem.kind === 'map' && elem.entries.length > 1)) return 'merge';
    v = textOf(field(elem, KEY));
    if (isKnown(v)) {
      setElement(patch, [KEY], [v]);
      return v;
    }
  } else {
    if (ignoreErrors) return 'unknown';
    throw new SourceError(
      'SMP_DIRECTIVE',
      `no implemented strategic merge patch strategy for '${patch.text}'`,
    );
  }
  if (ignoreErrors) return 'unknown';
  throw new SourceError('SMP_DIRECTIVE', `unknown patch strategy '${v}'`, {
    hint: 'use $patch: merge, replace or delete',
  });
}

function isKnown(v: string): v is 'merge' | 'replace' | 'delete' {
  return v === 'merge' || v === 'replace' || v === 'delete';
}
