// Mutation differential check of the kustomize engine against the reference kustomize (v5.8.1, or KUSTOMIZE_REF=5.7.1)
// (kubectl kustomize), on bad and unusual input (not a unit test: run it by hand,
// `node --import tsx test/fuzz/kustomize-mutate.ts [N] [SEED] [CASES_DIR]`; CASES_DIR defaults to
// ../shared/conformance/kustomize/cases). Each round copies a case that builds, changes one value
// of one of its YAML files (another type, null, a removed key, a scalar for a collection, ...),
// and builds it with both. Reported: one fails and the other does not, both build but differ, or
// ours fails with anything but a SourceError (an internal error is always a bug).
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { isMap, isScalar, isSeq, type Node, parseDocument, YAMLMap, YAMLSeq } from 'yaml';
import { SourceError } from '../../scripts/lib/errors.ts';
import { build } from '../../scripts/lib/kustomize/index.ts';
import { fuzzReference, referenceBuild } from '../helpers/reference-kustomize.ts';

// KUSTOMIZE_REF=5.7.1 compares with kustomize v5.7.1; v5.8.1 (Argo CD's) by default
const reference = fuzzReference();

const rounds = Number(process.argv[2] ?? 200);
let seed = Number(process.argv[3] ?? 1);
const casesDir =
  process.argv[4] ??
  join(import.meta.dirname, '..', '..', '..', 'shared', 'conformance', 'kustomize', 'cases');
function rnd(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)] as T;

interface Case {
  dir: string;
  target: string;
}
const cases: Case[] = [];
for (const name of readdirSync(casesDir)) {
  const file = join(casesDir, name, 'case.json');
  if (!existsSync(file)) continue;
  const c = JSON.parse(readFileSync(file, 'utf8'));
  if (c.expectError || c.flags?.length || c.features?.includes('helm')) continue;
  cases.push({ dir: join(casesDir, name), target: c.target });
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.ya?ml$|^Kustomization$/.test(e.name))
    .map((e) => join(e.parentPath, e.name));
}

/** Every node of a document with a function replacing it (or removing a map entry). */
function slots(root: Node | null): { node: Node; replace: (n: unknown) => void; remove?: () => void }[] {
  const out: { node: Node; replace: (n: unknown) => void; remove?: () => void }[] = [];
  const walk = (n: unknown) => {
    if (isMap(n))
      for (const pair of n.items) {
        const v = pair.value as Node;
        if (v) {
          out.push({
            node: v,
            replace: (x) => {
              pair.value = x as Node;
            },
            remove: () => {
              n.items.splice(n.items.indexOf(pair), 1);
            },
          });
          walk(v);
        }
      }
    else if (isSeq(n))
      n.items.forEach((v, i) => {
        out.push({
          node: v as Node,
          replace: (x) => {
            n.items[i] = x as Node;
          },
          remove: () => {
            n.items.splice(i, 1);
          },
        });
        walk(v);
      });
  };
  walk(root);
  return out;
}

const VALUES: unknown[] = [
  1,
  1.5,
  true,
  null,
  '',
  '0x1F',
  'yes',
  '~',
  '2024-01-01',
  '-',
  'a b',
  '0777',
  1e21,
];

function mutate(text: string): string | undefined {
  const doc = parseDocument(text);
  if (doc.errors.length) return undefined;
  const all = slots(doc.contents);
  if (!all.length) return undefined;
  const s = pick(all);
  const r = rnd();
  if (r < 0.45) s.replace(doc.createNode(pick(VALUES)));
  else if (r < 0.6 && s.remove) s.remove();
  else if (r < 0.7) s.replace(doc.createNode(isScalar(s.node) ? [s.node.value] : 'x'));
  else if (r < 0.8) s.replace(doc.createNode(isScalar(s.node) ? { a: s.node.value } : []));
  else if (r < 0.9 && isScalar(s.node) && typeof s.node.value === 'string')
    s.node.value = `${s.node.value}${pick(['-x', '.', ':', ' #', '/', '*'])}`;
  else if (s.node instanceof YAMLSeq || s.node instanceof YAMLMap) s.replace(doc.createNode({}));
  else s.replace(doc.createNode(pick(VALUES)));
  try {
    return doc.toString();
  } catch {
    // a mutation that left an alias without its anchor
    return undefined;
  }
}

const counts = { same: 0, bothFail: 0, different: 0, internal: 0 };
for (let i = 0; i < rounds; i++) {
  const c = pick(cases);
  const tmp = mkdtempSync(join(tmpdir(), 'kz-mutate-'));
  cpSync(c.dir, tmp, { recursive: true });
  const files = yamlFiles(join(tmp, 'input'));
  if (!files.length) continue;
  const file = pick(files);
  const changed = mutate(readFileSync(file, 'utf8'));
  if (changed === undefined) continue;
  writeFileSync(file, changed);
  const target = join(tmp, c.target);
  const ref = referenceBuild(target, [], reference.kubectl);
  let ours: { ok: boolean; out: string };
  try {
    ours = { ok: true, out: build(target, { kustomizeVersion: reference.version }).yaml };
  } catch (e) {
    if (!(e instanceof SourceError)) {
      counts.internal++;
      console.log(
        `INTERNAL ${relative(tmp, file)} of ${c.dir}: ${(e as Error).stack?.split('\n').slice(0, 3).join(' | ')}`,
      );
      console.log(`  kept in ${tmp}`);
      continue;
    }
    ours = { ok: false, out: e.message };
  }
  if (ref.ok && ours.ok && ref.stdout === ours.out) counts.same++;
  else if (!ref.ok && !ours.ok) counts.bothFail++;
  else {
    counts.different++;
    console.log(`DIFFERENT ${relative(tmp, file)} of ${c.dir} (kept in ${tmp})`);
    console.log(`  kustomize: ${ref.ok ? 'built' : ref.stderr.split('\n')[0]}`);
    console.log(`  ours:      ${ours.ok ? 'built' : ours.out.split('\n')[0]}`);
    continue;
  }
  rmSync(tmp, { recursive: true, force: true });
}
console.log(
  `${counts.same} identical, ${counts.bothFail} failing in both, ${counts.different} different, ${counts.internal} internal errors`,
);
