// Parsed values.yaml of charts, kept beside the running build (.cache/build-*/values/<sha256>.v8,
// see ../build-cache.ts): a large values.yaml such as Airflow's (109 KB) takes ~20 ms to read cold
// with the fast reader (../../yaml/fast-read.ts), ~95 ms where the full parser must read it;
// reading it back takes ~2 ms. Keyed by the file's content. Failures to read or write fall back
// to parsing.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import v8 from 'node:v8';
import { buildCacheDir, prune, writeEntry } from '../build-cache.ts';
import { type GoValue, goMap } from './values.ts';

const dir = buildCacheDir('values');

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
  writeEntry(file, v8.serialize(docs));
  prune(dir, 512);
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
