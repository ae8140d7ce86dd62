// Patch/replacement targets: kustomize's Selector (group/version/kind/name/namespace as anchored
// regular expressions, plus label and annotation selectors in Kubernetes selector syntax).
import { SourceError } from '../errors.ts';
import type { Gvk } from './resid.ts';

export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

function anchored(pattern: string | undefined): RegExp | undefined {
  if (!pattern) return undefined;
  try {
    return new RegExp(`^(?:${pattern})$`, 'u');
  } catch (err) {
    throw new SourceError(
      'BAD_SELECTOR',
      `invalid regular expression ${JSON.stringify(pattern)} in target: ${(err as Error).message}`,
    );
  }
}

export class SelectorRegex {
  private readonly g?: RegExp;
  private readonly v?: RegExp;
  private readonly k?: RegExp;
  private readonly n?: RegExp;
  private readonly ns?: RegExp;
  constructor(readonly sel: Selector) {
    this.g = anchored(sel.group);
    this.v = anchored(sel.version);
    this.k = anchored(sel.kind);
    this.n = anchored(sel.name);
    this.ns = anchored(sel.namespace);
  }
  matchGvk(gvk: Gvk): boolean {
    if (this.g && !this.g.test(gvk.group)) return false;
    if (this.v && !this.v.test(gvk.version)) return false;
    if (this.k && !this.k.test(gvk.kind)) return false;
    return true;
  }
  matchName(n: string): boolean {
    return !this.n || this.n.test(n);
  }
  matchNamespace(ns: string): boolean {
    return !this.ns || this.ns.test(ns);
  }
}

type Requirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | '!' }
  | { key: string; op: '=' | '!='; values: string[] };

/** Parses a Kubernetes label selector string (k8s.io/apimachinery/pkg/labels.Parse). */
export function parseLabelSelector(s: string): Requirement[] {
  const out: Requirement[] = [];
  let i = 0;
  const src = s;
  const skipWs = () => {
    while (i < src.length && /\s/.test(src[i] as string)) i++;
  };
  const ident = (): string => {
    skipWs();
    const m = /^[^\s,!=()]+/.exec(src.slice(i));
    if (!m) return '';
    i += m[0].length;
    return m[0];
  };
  const fail = (why: string): never => {
    throw new SourceError(
      'BAD_SELECTOR',
      `unable to parse requirement: ${why} in selector ${JSON.stringify(s)}`,
    );
  };
  skipWs();
  if (i >= src.length) return out;
  for (;;) {
    skipWs();
    if (src[i] === '!') {
      i++;
      const key = ident();
      if (!key) fail('found end of input, expected identifier');
      out.push({ key, op: '!' });
    } else {
      const key = ident();
      if (!key) fail('expected identifier');
      skipWs();
      const rest = src.slice(i);
      if (rest.startsWith('==') || rest.startsWith('!=')) {
        i += 2;
        out.push({ key, op: rest.startsWith('!=') ? '!=' : '=', values: [ident()] });
      } else if (rest.startsWith('=')) {
        i += 1;
        out.push({ key, op: '=', values: [ident()] });
      } else if (/^(in|notin)\s*\(/.test(rest)) {
        const op = rest.startsWith('in') ? 'in' : 'notin';
        i += op.length;
        skipWs();
        i++; // (
        const values: string[] = [];
        for (;;) {
          skipWs();
          if (src[i] === ')') {
            i++;
            break;
          }
          const v = ident();
          values.push(v);
          skipWs();
          if (src[i] === ',') i++;
          else if (src[i] !== ')') fail('expected , or )');
        }
        out.push({ key, op, values });
      } else {
        out.push({ key, op: 'exists' });
      }
    }
    skipWs();
    if (i >= src.length) break;
    if (src[i] !== ',') fail(`unexpected "${src[i]}"`);
    i++;
  }
  return out;
}

export function matchesSelector(selector: string | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  for (const r of parseLabelSelector(selector)) {
    const has = Object.hasOwn(labels, r.key);
    const v = labels[r.key];
    switch (r.op) {
      case 'exists':
        if (!has) return false;
        break;
      case '!':
        if (has) return false;
        break;
      case '=':
      case 'in':
        if (!has || !r.values.includes(v as string)) return false;
        break;
      case '!=':
      case 'notin':
        if (has && r.values.includes(v as string)) return false;
        break;
    }
  }
  return true;
}
