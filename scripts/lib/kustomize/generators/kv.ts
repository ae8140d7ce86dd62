// ConfigMap and Secret generators (api/internal/generators, api/kv): key/value pairs from env
// files, literals and files, validated as kustomize validates them, into a new object that needs
// a hash suffix unless disabled.
import { basename } from 'node:path';
import { SourceError } from '../../errors.ts';
import type { JsonMap } from '../../json.ts';
import type { GeneratorArgs, GeneratorOptions } from '../kustomization.ts';
import type { Loader } from '../loader.ts';
import { Resource } from '../resource.ts';

interface Pair {
  key: string;
  value: Buffer;
}

function removeQuotes(s: string): string {
  if (s.length < 2 || s[0] !== s[s.length - 1]) return s;
  return s[0] === '"' || s[0] === "'" ? s.slice(1, -1) : s;
}

/** Go's %v of a []string, as kustomize's messages print the sources. */
const goList = (xs: string[]) => `[${xs.join(' ')}]`;

function parseLiteral(source: string, all: string[], file: string): Pair {
  const i = source.indexOf('=');
  if (i <= 0)
    throw new SourceError(
      'BAD_GENERATOR',
      `loading KV pairs: literal sources ${goList(all)}: invalid literal source ${source}, expected key=value`,
      { file },
    );
  return { key: source.slice(0, i), value: Buffer.from(removeQuotes(source.slice(i + 1)), 'utf8') };
}

export function parseFileSource(source: string): { key: string; path: string } {
  const n = source.split('=').length - 1;
  if (n === 0) return { key: basename(source), path: source };
  if (n === 1 && source.startsWith('='))
    throw new Error(`missing key name for file path "${source.slice(1)}" in source "${source}"`);
  if (n === 1 && source.endsWith('='))
    throw new Error(`missing file path for key name "${source.slice(0, -1)}" in source "${source}"`);
  if (n > 1) throw new Error(`source "${source}" key name or file path contains '='`);
  const [key, path] = source.split('=') as [string, string];
  return { key, path };
}

function envLines(content: string): Pair[] {
  const out: Pair[] = [];
  const lines = content.split(/\r?\n/);
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  lines.forEach((raw, i) => {
    let line = i === 0 ? raw.replace(/^\uFEFF/, '') : raw;
    line = line.replace(/^\s+/, '');
    if (line.length === 0 || line[0] === '#') return;
    const eq = line.indexOf('=');
    const key = eq < 0 ? line : line.slice(0, eq);
    // kustomize's validator checks no key (api/internal/validate FieldValidator), and a line
    // without a key is skipped as a comment is
    if (key === '') return;
    out.push({ key, value: Buffer.from(eq < 0 ? '' : line.slice(eq + 1), 'utf8') });
  });
  return out;
}

function loadPairs(ldr: Loader, args: GeneratorArgs, kfile: string): Pair[] {
  const all: Pair[] = [];
  for (const p of args.envs ?? []) all.push(...envLines(ldr.load(p, kfile)));
  for (const l of args.literals ?? []) all.push(parseLiteral(l, args.literals ?? [], kfile));
  for (const f of args.files ?? []) {
    let fs: { key: string; path: string };
    try {
      fs = parseFileSource(f);
    } catch (err) {
      throw new SourceError(
        'BAD_GENERATOR',
        `loading KV pairs: file sources: ${goList(args.files ?? [])}: ${(err as Error).message}`,
        { file: kfile },
      );
    }
    const bytes = ldr.loadBytes(fs.path, kfile);
    all.push({ key: fs.key, value: Buffer.from(bytes) });
  }
  return all;
}

function dataMap(ldr: Loader, args: GeneratorArgs, kfile: string): Record<string, Buffer> {
  const known: Record<string, Buffer> = {};
  for (const p of loadPairs(ldr, args, kfile)) {
    if (Object.hasOwn(known, p.key)) {
      throw new SourceError(
        'BAD_GENERATOR',
        `configmap ${args.name} illegally repeats the key \`${p.key}\``,
        { file: kfile },
      );
    }
    known[p.key] = p.value;
  }
  return known;
}

/** The text of bytes that are valid UTF-8, else undefined. */
function decodeUtf8(bytes: Buffer): string | undefined {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

function baseObject(kind: string, args: GeneratorArgs, kfile: string): JsonMap {
  if (!args.name) throw new SourceError('BAD_GENERATOR', 'a configmap must have a name', { file: kfile });
  const metadata: JsonMap = { name: args.name };
  if (args.namespace) metadata.namespace = args.namespace;
  return { apiVersion: 'v1', kind, metadata };
}

function applyOptions(r: Resource, opts: GeneratorOptions | undefined): void {
  if (!opts) return;
  const labels = r.getLabels();
  for (const k of Object.keys(opts.labels ?? {}).sort()) labels[k] = String(opts.labels?.[k]);
  if (Object.keys(labels).length) r.setLabels(labels);
  for (const k of Object.keys(opts.annotations ?? {}).sort())
    r.setAnnotation(k, String(opts.annotations?.[k]));
  if (opts.immutable) r.obj.immutable = true;
}

function finish(r: Resource, args: GeneratorArgs): Resource {
  if (!args.options?.disableNameSuffixHash) r.enableHashSuffix();
  r.setBehavior(
    args.behavior === 'create' || args.behavior === 'merge' || args.behavior === 'replace'
      ? args.behavior
      : 'unspecified',
  );
  return r;
}

/** kyaml's encodeBase64: standard base64 cut into 70-character lines, each ending with a newline,
 * once the encoding reaches 70 characters (so the value prints as a literal block). */
export function encodeBase64(raw: Buffer): string {
  const enc = raw.toString('base64');
  const lineLen = 70;
  if (Math.floor(enc.length / lineLen) + 1 <= 1) return enc;
  let out = '';
  for (let i = 0; i < enc.length; i += lineLen) out += `${enc.slice(i, i + lineLen)}\n`;
  return out;
}

export function makeConfigMap(ldr: Loader, args: GeneratorArgs, kfile: string): Resource {
  const obj = baseObject('ConfigMap', args, kfile);
  const m = dataMap(ldr, args, kfile);
  for (const k of Object.keys(m).sort()) {
    const raw = m[k] as Buffer;
    const text = decodeUtf8(raw);
    const field = text === undefined ? 'binaryData' : 'data';
    const value = text === undefined ? encodeBase64(raw) : text;
    if (!obj[field]) obj[field] = {};
    (obj[field] as JsonMap)[k] = value;
  }
  const r = new Resource(obj);
  applyOptions(r, args.options);
  return finish(r, args);
}

export function makeSecret(ldr: Loader, args: GeneratorArgs, kfile: string): Resource {
  const obj = baseObject('Secret', args, kfile);
  obj.type = args.type || 'Opaque';
  const m = dataMap(ldr, args, kfile);
  const data: JsonMap = {};
  for (const k of Object.keys(m).sort()) data[k] = encodeBase64(m[k] as Buffer);
  obj.data = data;
  const r = new Resource(obj);
  applyOptions(r, args.options);
  return finish(r, args);
}

export function mergeGlobalOptions(
  local: GeneratorOptions | undefined,
  global: GeneratorOptions | undefined,
): GeneratorOptions | undefined {
  if (!global) return local;
  const out: GeneratorOptions = { ...(local ?? {}) };
  if (out.labels === undefined) {
    if (global.labels) out.labels = { ...global.labels };
  } else {
    out.labels = { ...out.labels };
    for (const [k, v] of Object.entries(global.labels ?? {})) if (!(k in out.labels)) out.labels[k] = v;
  }
  if (out.annotations === undefined) {
    if (global.annotations) out.annotations = { ...global.annotations };
  } else {
    out.annotations = { ...out.annotations };
    for (const [k, v] of Object.entries(global.annotations ?? {}))
      if (!(k in out.annotations)) out.annotations[k] = v;
  }
  if (global.disableNameSuffixHash) out.disableNameSuffixHash = true;
  if (global.immutable) out.immutable = true;
  return out;
}
