// Parsed values.yaml of charts, kept beside the running build (.cache/build-*/values/<sha256>.v8):
// parsing a large values.yaml with `yaml` is the largest single cost of rendering a chart such as
// Airflow's (~95 ms cold for 109 KB), reading it back ~2 ms. The cache is keyed by the file's
// content and lives in the build directory, so a rebuilt toolchain (the launcher rebuilds when a
// source changes) never reads entries another parser wrote. Only under the bundled launcher; tsx
// runs and GITOPS_CACHE=0 parse every time. Failures to read or write fall back to parsing.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import v8 from 'node:v8';
import { type GoValue, goMap } from './values.ts';

const here = dirname(fileURLToPath(import.meta.url));
const dir =
  /[\\/]\.cache[\\/]build-[^\\/]+$/.test(here) && process.env.GITOPS_CACHE !== '0'
    ? join(here, 'values')
    : undefined;

/** `parse(text)`, or what it returned before for the same text. */
export function cachedParse(text: string, parse: (text: string) => GoValue[]): GoValue[] {
  if (!dir || text.length < 4096) return parse(text);
  const file = join(dir, `${createHash('sha256').update(text).digest('hex')}.v8`);
  try {
    return (v8.deserialize(readFileSync(file)) as GoValue[]).map(restore);
  } catch {
    // not cached yet
  }
  const docs = parse(text);
  try {
    mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}`;
    writeFileSync(tmp, v8.serialize(docs));
    renameSync(tmp, file);
  } catch {
    // a read-only checkout: parse next time too
  }
  return docs;
}

/** Maps come back as plain objects; Go maps here have no prototype (values.ts). */
function restore(v: GoValue): GoValue {
  if (Array.isArray(v)) return v.map(restore);
  if (v !== null && typeof v === 'object') {
    const m = goMap();
    for (const k of Object.keys(v)) m[k] = restore((v as Record<string, GoValue>)[k] as GoValue);
    return m;
  }
  return v;
}
