// Fills in the expectations of goyaml-errors.cases.json from the reference Helm (go-yaml v2 through
// sigs.k8s.io/yaml): `node --import tsx test/lib/yaml/goyaml-errors.make.ts`. Run by hand when cases
// change; the test only reads the JSON.
//
// Helm cuts a values file at `---` lines (k8s.io/apimachinery's YAMLReader) and parses each piece on
// its own, so its line numbers would restart after each cut. To get go-yaml's numbers for the whole
// stream, each piece is given to Helm behind as many empty lines as preceded it, in order, and the
// first piece with a syntax error gives the expectation.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Case {
  name: string;
  text: string;
  line?: number;
  message?: string;
  /** why Helm cannot be the oracle here; the expectation is then written by hand */
  manual?: string;
}

const casesFile = join(import.meta.dirname, 'goyaml-errors.cases.json');
const helm = join(import.meta.dirname, '../../../.tools/helm');
const table = JSON.parse(readFileSync(casesFile, 'utf8')) as { errors: Case[]; valid: Case[] };

const work = mkdtempSync(join(tmpdir(), 'goyaml-errors-'));
mkdirSync(join(work, 'chart/templates'), { recursive: true });
writeFileSync(join(work, 'chart/Chart.yaml'), 'apiVersion: v2\nname: x\nversion: 0.1.0\n');
writeFileSync(join(work, 'chart/templates/a.yaml'), 'a: 1\n');

/** The pieces YAMLReader returns, each with the number of lines before it. */
function pieces(text: string): { offset: number; text: string }[] {
  const out: { offset: number; text: string }[] = [];
  const lines = text.match(/[^\n]*\n|[^\n]+$/g) ?? [];
  let buffer = '';
  let start = 0;
  lines.forEach((line, i) => {
    if (line.startsWith('---') && (line.slice(3).trim() === '' || line.slice(3).trim().startsWith('#'))) {
      if (buffer !== '') out.push({ offset: start, text: buffer });
      buffer = '';
      start = i + 1;
    } else buffer += line;
  });
  if (buffer !== '') out.push({ offset: start, text: buffer });
  return out;
}

/** go-yaml's error text for `text` as Helm reports it, or undefined. */
function helmError(text: string): string | undefined {
  const file = join(work, 'values.yaml');
  writeFileSync(file, text);
  try {
    execFileSync(helm, ['template', 'r', join(work, 'chart'), '-f', file], { stdio: 'pipe' });
    return undefined;
  } catch (e) {
    const stderr = String((e as { stderr: Buffer }).stderr);
    const m = /error converting YAML to JSON: (yaml: .*)/.exec(stderr);
    if (m?.[1]) return m[1];
    if (/cannot unmarshal|while decoding JSON/.test(stderr)) return undefined; // valid YAML, not a map
    throw new Error(`unexpected Helm output for ${JSON.stringify(text)}:\n${stderr}`);
  }
}

function expectation(text: string): { line?: number; message: string } | undefined {
  for (const piece of pieces(text)) {
    const err = helmError('\n'.repeat(piece.offset) + piece.text);
    if (err === undefined) continue;
    const m = /^yaml: (?:line (\d+): )?(.*)$/.exec(err);
    if (!m?.[2]) throw new Error(`unexpected go-yaml error ${err}`);
    return m[1] ? { line: Number(m[1]), message: m[2] } : { message: m[2] };
  }
  return undefined;
}

const problems: string[] = [];
try {
  for (const c of table.errors) {
    if (c.manual) continue;
    const e = expectation(c.text);
    if (!e) {
      problems.push(`Helm finds no syntax error in case "${c.name}"`);
      continue;
    }
    delete c.line;
    c.message = e.message;
    if (e.line !== undefined) c.line = e.line;
    if (pieces(c.text).length > 1)
      console.log(`several pieces, check by hand: ${c.name} -> ${JSON.stringify(e)}`);
  }
  for (const c of table.valid) {
    if (c.manual) continue;
    const e = expectation(c.text);
    if (e) problems.push(`Helm finds an error in valid case "${c.name}": ${JSON.stringify(e)}`);
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
writeFileSync(casesFile, `${JSON.stringify(table, null, 2)}\n`);
console.log(`${table.errors.length} error cases, ${table.valid.length} valid cases`);
