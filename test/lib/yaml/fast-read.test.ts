// The fast YAML reader (scripts/lib/yaml/fast-read.ts) against the full parser it stands in for:
// whatever it accepts it must read exactly as the full parser does (same values, same key order),
// and it must never accept a text the full parser rejects. Checked on hand-written cases for each
// construct it handles, on every YAML file of the repository (and of ../shared/conformance where
// it exists), and on seeded random mutations of those files.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load as loadJsYaml } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { readYamlValuesFully, resolvePlainScalar } from '../../../scripts/lib/helm/funcs/index.ts';
import { quickHead } from '../../../scripts/lib/helm/index.ts';
import { goMap } from '../../../scripts/lib/helm/values.ts';
import { canonicalText, type JsonMap, scalarTextOf } from '../../../scripts/lib/json.ts';
import { readYamlDocuments, readYamlDocumentsFully } from '../../../scripts/lib/kustomize/yaml-io.ts';
import {
  readFirstDocumentV2,
  readFirstDocumentV2Fully,
} from '../../../scripts/lib/kustomize/yaml-v2-read.ts';
import { readSimpleYaml } from '../../../scripts/lib/yaml/fast-read.ts';

const root = join(import.meta.dirname, '..', '..', '..');
// as parseYamlValues reads (go-yaml v2's Unmarshal: no line break after a block scalar ending the text)
const fast = (text: string) => readSimpleYaml(text, resolvePlainScalar(), goMap, { eofLineBreak: false });

/** A value written out with its key order, -0, NaN and types told apart. */
function show(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v !== 'object') return `${typeof v}:${String(v)}`;
  if (Array.isArray(v)) return `[${v.map(show).join(',')}]`;
  const m = v as JsonMap;
  // a scalar shows the YAML text the kustomize readers recorded for it, if not its own
  const text = (k: string) =>
    (m[k] !== null && typeof m[k] === 'object') || scalarTextOf(m, k) === canonicalText(m[k])
      ? ''
      : `<${scalarTextOf(m, k)}>`;
  return `{${Object.keys(m)
    .map((k) => `${JSON.stringify(k)}:${show(m[k])}${text(k)}`)
    .join(',')}}`;
}

/** Undefined when the fast reader agrees with the full parser on `text`, else what differs. */
function disagreement(text: string): string | undefined {
  const got = fast(text);
  if (!got) return undefined;
  let full: unknown[];
  try {
    full = readYamlValuesFully(text);
  } catch (e) {
    return `accepted a text the full parser rejects (${(e as Error).message}): ${JSON.stringify(text)}`;
  }
  if (full.length !== 1) return `accepted ${full.length} documents: ${JSON.stringify(text)}`;
  const [a, b] = [show(got.value), show(full[0])];
  return a === b ? undefined : `${JSON.stringify(text)}\n  fast: ${a}\n  full: ${b}`;
}

/** The same for streams as the kustomize engine reads them (YAML 1.2, unique keys, lines of documents). */
function streamDisagreement(text: string): string | undefined {
  // a byte order mark after the start: go-yaml keeps it in the scalar it starts, as the fast
  // reader does (kubectl kustomize: "missing kind" for a resource whose `kind` follows one), where
  // the full parser drops it; the full parser is not the reference there
  if (text.indexOf('\ufeff') > 0) return undefined;
  let got: unknown;
  try {
    got = readYamlDocuments(text, 'f.yaml');
  } catch {
    return undefined; // the full parser read it, and failed
  }
  let full: unknown;
  try {
    full = readYamlDocumentsFully(text, 'f.yaml');
  } catch (e) {
    return `accepted a stream the full parser rejects (${(e as Error).message}): ${JSON.stringify(text)}`;
  }
  const a = show(got);
  const b = show(full);
  return a === b ? undefined : `${JSON.stringify(text)}\n  fast: ${a}\n  full: ${b}`;
}

/** The same for the first document of a kustomization file (go-yaml v2, as sigs.k8s.io/yaml reads it). */
function firstDisagreement(text: string): string | undefined {
  let got: unknown;
  try {
    got = readFirstDocumentV2(text, 'kustomization.yaml');
  } catch {
    return undefined; // the full parser read it, and failed
  }
  let full: unknown;
  try {
    full = readFirstDocumentV2Fully(text, 'kustomization.yaml');
  } catch (e) {
    return `accepted a document the full parser rejects (${(e as Error).message}): ${JSON.stringify(text)}`;
  }
  const [a, b] = [show(got), show(full)];
  return a === b ? undefined : `${JSON.stringify(text)}\n  fast: ${a}\n  full: ${b}`;
}

function* yamlFiles(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* yamlFiles(p);
    else if (/\.ya?ml$/.test(e.name)) yield p;
  }
}

const dirs = ['base', 'overlays', 'clusters', 'policies', 'test'].map((d) => join(root, d));
const shared = join(root, '..', 'shared', 'conformance');
if (existsSync(shared)) dirs.push(shared);
const corpus = dirs.filter(existsSync).flatMap((d) => [...yamlFiles(d)].map((f) => readFileSync(f, 'utf8')));

/** Seeded mutations of a text: pieces of YAML syntax inserted, characters cut, lines repeated or re-indented. */
function* mutations(text: string, count: number, seed: number): Generator<string> {
  let s = seed;
  const rnd = (n: number) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
  const pieces = [
    ' ',
    '  ',
    ':',
    ': ',
    '-',
    '- ',
    '#',
    ' #',
    '"',
    "'",
    '|',
    '|-',
    '>',
    '>+',
    '[',
    ']',
    '{',
    '}',
  ];
  pieces.push(
    ',',
    '\n',
    '\n  ',
    'a',
    '0',
    '.',
    '&a ',
    '*a',
    '!',
    '?',
    '\\',
    '\\u00e9',
    "''",
    'yes',
    '1e3',
    '\t',
    '~',
  );
  for (let m = 0; m < count; m++) {
    let t = text;
    for (let o = 1 + rnd(3); o > 0; o--) {
      const pos = rnd(t.length + 1);
      const lines = t.split('\n');
      const k = rnd(lines.length);
      switch (rnd(4)) {
        case 0:
          t = t.slice(0, pos) + pieces[rnd(pieces.length)] + t.slice(pos);
          break;
        case 1:
          t = t.slice(0, pos) + t.slice(pos + 1 + rnd(3));
          break;
        case 2:
          lines.splice(k, 0, lines[rnd(lines.length)] as string);
          t = lines.join('\n');
          break;
        default:
          lines[k] = ' '.repeat(rnd(5)) + (lines[k] as string).trimStart();
          t = lines.join('\n');
      }
    }
    yield t;
  }
}

describe('fast YAML reader', () => {
  it('reads each construct it handles as the full parser does', () => {
    const cases = [
      'a: |\n  x\n\n  y\n\n\nb: 1\n',
      'a: |+\n  x\n\n\nb: 1\n',
      'a: |+\n  x\n\n',
      'a: |-\n  x\n  \n',
      'a: >\n  x\n  y\n\n\n  z\n',
      'a: >-\n\n  x\n  y\n',
      'a: |\n  x',
      'a: |  # note\n  x\n',
      'a: |\n  \tx\n',
      '- |\n  a\n- >\n  b\n  c\n',
      '- a: |\n    t\n  b: 2\n',
      'a: "x\\ty\\u00e9\\"q"\n',
      "a: 'it''s'\n",
      'a: "a # b" # c\n',
      'a: b # c\nd: b#c\n',
      'k:\n- 1\n- 2\nj: 3\n',
      '- - a\n  - b\n- c\n',
      '-\n  a: 1\n-\n- x\n',
      'a: [1, -2, "x", {b: c}, []]\nb: {}\n',
      'args: [--a=:9125, x:y, "q"]\nm: {a: b:c, d: http://e}\n',
      '"q": 1\n\'s\': 2\n',
      'a: 0x1F\nb: 017\nc: 1_000\nd: 1:30\ne: .5\nf: +1\ng: -0\nh: 1e3\ni: 0o17\nj: yes\nk: ~\nl: 2024-01-01\n',
      '---\na: 1\n',
      '--- # c\na: 1\n',
      'a:\n  b\n',
      'url: http://x:80/y\nz: -x\n',
      'a: b\n  c\n\n  d\ne: 1\n',
      '- k: a\n    b\n  j: 1\n',
      'a: 1\na: 2\nb: 3\n',
      'k: v\n  # indented comment\nj: 1\n',
    ];
    for (const text of cases) {
      expect(fast(text), JSON.stringify(text)).toBeDefined();
      expect(disagreement(text)).toBeUndefined();
    }
  });

  it('leaves what it does not handle, or what is an error, to the full parser', () => {
    const cases = [
      'a: &x 1\nb: *x\n',
      'a: !!str 1\n',
      '? a\n: b\n',
      'a: 1\n---\nb: 2\n',
      'a: "x\n  y"\n',
      'a: [1,\n  2]\n',
      'a:\tb\n',
      'a: |\n    x\n  y: 1\n',
      'a: "x"y\n',
      'a: -\n',
      'a: b\n  - c\n',
      'a: [-]\n',
      'on: 1\n',
      '<<: {a: 1}\n',
      '# only a comment\n',
      '',
    ];
    for (const text of cases) expect(fast(text), JSON.stringify(text)).toBeUndefined();
  });

  it(`agrees with the full parser on the repository's YAML files (${corpus.length}) and their mutations`, () => {
    let accepted = 0;
    const failures: string[] = [];
    corpus.forEach((text, n) => {
      if (!fast(text)) return;
      accepted++;
      for (const t of [text, ...mutations(text, 6, n + 1)]) {
        const d = disagreement(t);
        if (d) failures.push(d);
      }
    });
    expect(failures.slice(0, 5)).toEqual([]);
    // most files are single documents of plain YAML; templates and multi-document files are left
    expect(accepted).toBeGreaterThan(corpus.length / 3);
  });

  it('reads streams of documents as the kustomize engine does, with the line of each', () => {
    const cases = [
      'a: 1\n---\nb: 2\n',
      '# c\n---\na: 1\n--- # two\n\n  b: [1, 2]\n---\n---\n~\n---\n- x\n',
      'a: |+\n  x\n\n---\nb: yes\nc: 0o17\nd: 9007199254740993\n',
      'a: 1\na: 2\n',
      'a: {b: 1, b: 2}\n',
      'a: 1\n...\n',
      'a:\nb: null\nc: ~\nd: NULL\ne: # c\nf: {g: ~, h: null}\ni:\n  - j:\n    k: Null\n',
      'a:\nb: ~\nc: &x 1\nd: *x\ne: !!null\n',
      '%YAML 1.2\n---\na: 1\n',
      '--- a: 1\n',
    ];
    for (const text of cases) expect(streamDisagreement(text)).toBeUndefined();
    expect(readYamlDocuments(cases[1] as string, 'f.yaml').map((d) => [d.line, d.col])).toEqual([
      [3, 1],
      [6, 3],
      [11, 1],
    ]);
    const failures: string[] = [];
    corpus.forEach((text, n) => {
      for (const t of [text, ...mutations(text, 3, n + 11)]) {
        const d = streamDisagreement(t);
        if (d) failures.push(d);
      }
    });
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('reads the first document of a kustomization as the go-yaml v2 reader does', () => {
    const cases = [
      '# c\n---\nresources:\n- a.yaml\n---\nb: 1\n',
      '---\n---\nb: 1\n',
      '# only\n',
      '',
      'a: 1\n---\n',
      'on: yes\nn: 0777\nx: 1_000\n',
      '~\n',
    ];
    for (const text of cases) expect(firstDisagreement(text)).toBeUndefined();
    expect(readFirstDocumentV2(cases[0] as string, 'k.yaml')).toEqual({
      value: { resources: ['a.yaml'] },
      line: 3,
    });
    const failures: string[] = [];
    corpus.forEach((text, n) => {
      for (const t of [text, ...mutations(text, 2, n + 23)]) {
        const d = firstDisagreement(t);
        if (d) failures.push(d);
      }
    });
    expect(failures.slice(0, 5)).toEqual([]);
  });

  it('finds the kind and hook of a rendered manifest as js-yaml does', () => {
    let compared = 0;
    for (const text of corpus)
      for (const t of [text, ...mutations(text, 3, 7)]) {
        const quick = quickHead(t);
        if (!quick) continue;
        const head = loadJsYaml(t, { json: true }) as {
          kind?: unknown;
          metadata?: { annotations?: Record<string, unknown> };
        } | null;
        const kind = typeof head?.kind === 'string' ? head.kind : '';
        const hook = head?.metadata?.annotations?.['helm.sh/hook'];
        expect({ kind, hook }, JSON.stringify(t)).toEqual({ kind: quick.kind, hook: quick.hookAnn });
        compared++;
      }
    expect(compared).toBeGreaterThan(corpus.length / 3);
  });
});
