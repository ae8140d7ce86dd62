// The list half of kyaml's associative merge (walk/associative_sequence.go): which key values
// the elements have, which keys count, which element of each source merges with which, and
// how the merged elements are put back together (appendListNode, prepend order).
import { elementList, field, isNilOrEmpty, matchField, type Node, setElement, textOf } from './node.ts';

/** Sources of one walk step: [dest (the resource), origin (the patch)], either may be missing. */
export type Sources = [Node | undefined, Node | undefined];

/** elementValues with prepend: the key texts of each element, patch elements first, no repeats. */
export function elementValues(sources: Sources, keys: string[]): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const src of [sources[1], sources[0]]) {
    if (src === undefined || src.kind !== 'seq') continue;
    for (const elem of src.items) {
      const values = keys.map((k) => {
        const v = field(elem, k);
        return isNilOrEmpty(v) ? '' : textOf(v);
      });
      const id = JSON.stringify(values);
      if (values.length === 0 || seen.has(id)) continue;
      out.push(values);
      seen.add(id);
    }
  }
  return out;
}

/** elementPrimitiveValues with prepend: each distinct element text, patch first. */
export function primitiveValues(sources: Sources): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const src of [sources[1], sources[0]]) {
    if (src === undefined || src.kind !== 'seq') continue;
    for (const item of src.items) {
      const t = textOf(item);
      if (seen.has(t)) continue;
      out.push([t]);
      seen.add(t);
    }
  }
  return out;
}

/** The keys some element has a value for (all keys if none has); values kept in step. */
export function validateKeys(valuesList: string[][], values: string[], keys: string[]): [string[], string[]] {
  const valid = new Set<string>();
  for (const vs of valuesList) for (const [i, v] of vs.entries()) if (v !== '') valid.add(keys[i] as string);
  if (valid.size === 0) return [keys, values];
  const validKeys = keys.filter((k) => valid.has(k));
  const validValues = values.filter((v, i) => v !== '' || valid.has(keys[i] as string));
  return [validKeys, validValues];
}

/** mergeValues: entries that agree on every key both have a value for are unified (in place). */
export function mergeValues(valuesList: string[][]): void {
  for (let i = 0; i < valuesList.length; i++) {
    const values1 = valuesList[i] as string[];
    for (let j = 0; j < valuesList.length; j++) {
      const merged = matchValues(values1, valuesList[j] as string[]);
      if (merged) {
        valuesList[i] = merged;
        valuesList[j] = merged;
      }
    }
  }
}

function matchValues(a: string[], b: string[]): string[] | undefined {
  if (a.length !== b.length) return undefined;
  let common = false;
  const out: string[] = [];
  for (const [i, x] of a.entries()) {
    const y = b[i] as string;
    if (x === y) {
      common = true;
      out.push(x);
    } else if (x !== '' && y !== '') {
      return undefined;
    } else {
      out.push(x !== '' ? x : y);
    }
  }
  return common ? out : undefined;
}

/** elementValueList: the element with these key values in each source. */
export function elementSources(sources: Sources, keys: string[], values: string[]): Sources {
  const [ks, vs] = validateKeys([values], values, keys);
  const pick = (s: Node | undefined) => (s === undefined ? undefined : elementList(s, ks, vs));
  return [pick(sources[0]), pick(sources[1])];
}

/** appendListNode(dst, src): set each src element into dst by its keys (kyaml's prepend order). */
export function appendList(dst: Node, src: Node, keys: string[]): Node {
  if (src.kind !== 'seq') return dst;
  for (const elem of [...src.items]) {
    if (keys[0] === '' || keys.length === 0) {
      setElement(dst, [''], [textOf(elem)], elem);
      continue;
    }
    const v: string[] = [];
    for (const key of keys) {
      const valueNode = matchField(elem, key, '');
      if (valueNode === undefined) {
        if (dst.kind === 'seq') dst.items.push(elem);
        continue;
      }
      v.push(textOf(valueNode));
    }
    if (keys.length > 1) setElement(dst, keys, v);
    setElement(dst, keys, v, elem);
  }
  return dst;
}
