// Helm's chart loader (pkg/chart/v2/loader, pkg/ignore of Helm v4.1.4; the same in v3.17.2): a
// chart directory is walked once, .helmignore and the default rule `templates/.?*` skipping files
// and whole directories; a packaged chart (.tgz) is read in memory and no .helmignore applies to
// it. Every file loses a leading UTF-8 BOM. The files are then sorted out as LoadFiles does:
// Chart.yaml, values.yaml, values.schema.json, requirements.yaml, templates/, and charts/, whose
// entries become subcharts (a directory loaded from the parent's own walk, so the parent's
// .helmignore applies to it and its own does not; a .tgz unpacked in memory; names starting with
// `_` or `.` skipped; `.prov` files kept among the parent's files). Everything else is a file of
// .Files, in the order it was read.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, posix, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { SourceError } from '../errors.ts';
import { jsonKind, parseSemver, parseYamlValues, satisfies, strval } from './funcs/index.ts';
import { type GoMap, type GoValue, goMap, isGoMap } from './values.ts';
import { cachedParse } from './values-cache.ts';

export interface Chart {
  name: string;
  /** The charts found in charts/, before dependencies chose among them (CheckDependencies). */
  loadedSubcharts: Chart[];
  /** values.schema.json, when the chart has one. */
  schema?: Record<string, unknown> | boolean;
  /** Template name prefix: `name`, or `parent/charts/name` for a subchart. */
  path: string;
  metadata: GoMap;
  values: GoMap;
  templates: { name: string; text: string }[];
  files: Map<string, Buffer>;
  subcharts: Chart[];
}

/** A file of a chart as the loader holds it (Helm's BufferedFile). */
interface ChartFile {
  name: string;
  data: Buffer;
}

/** How errors name a file of the chart being loaded: its path on disk, or inside an archive. */
type Where = (name: string) => string;

/** Helm refuses a packaged chart larger than this unpacked (archive.MaxDecompressedChartSize). */
const MAX_CHART_SIZE = 100 * 1024 * 1024;

/** Loads the chart at `path`: a chart directory, or a packaged chart (.tgz); `helm` 3 reads
 * values files as Helm 3 does (kustomize's helmCharts). */
export function loadChart(path: string, helm: 3 | 4 = 4): Chart {
  let isDir: boolean;
  try {
    isDir = statSync(path).isDirectory();
  } catch {
    throw new SourceError('NO_CHART', `path "${path}" not found`, {
      hint: 'give the directory that holds Chart.yaml, or a packaged chart (.tgz)',
    });
  }
  if (!isDir) {
    const data = readFileSync(path);
    // archive.EnsureArchive: a helpful word when the file is not a gzipped chart
    if (!(data[0] === 0x1f && data[1] === 0x8b && data[2] === 0x08))
      throw new SourceError(
        'NO_CHART',
        /\.ya?ml$/.test(path)
          ? `file '${path}' seems to be a YAML file, but expected a gzipped archive`
          : `file '${path}' does not appear to be a gzipped archive`,
        { hint: 'give the directory that holds Chart.yaml, or a packaged chart (.tgz)' },
      );
    return loadFiles(readArchive(data, path), (n) => `${path}:${n}`, helm);
  }
  const chartFile = join(path, 'Chart.yaml');
  try {
    statSync(chartFile);
  } catch {
    const abs = resolve(chartFile);
    throw new SourceError(
      'NO_CHART',
      `unable to detect chart at ${abs}: open ${abs}: no such file or directory`,
      {
        hint: 'give the directory that holds Chart.yaml',
      },
    );
  }
  return loadFiles(readDir(path), (n) => join(path, n), helm);
}

/**
 * What a YAML file of values or metadata reads as, as a map: `metadata` (Chart.yaml,
 * requirements.yaml) the first document, as yaml.Unmarshal reads it; `chart-values` (a chart's
 * values.yaml, read back from the parse cache when large) and `user` (a values file given with
 * `-f`, a kustomize helmCharts valuesFile) every document merged, map into map, as Helm 4's
 * LoadValues does, or the first document only with `helm` 3 (kustomize's Helm). Errors are worded
 * as Helm's and located at the file's line.
 */
export function readValues(file: string, kind: ValuesKind, helm: 3 | 4 = 4): GoMap {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new SourceError(
      'BAD_VALUES',
      `failed to parse ${file}: ${code === 'ENOENT' ? `open ${file}: no such file or directory` : (e as Error).message}`,
      { file },
    );
  }
  return valuesOf(text, file, kind, helm);
}

type ValuesKind = 'metadata' | 'chart-values' | 'user';

function valuesOf(text: string, file: string, kind: ValuesKind, helm: 3 | 4 = 4): GoMap {
  const base = posix.basename(file);
  const what =
    kind === 'user'
      ? `failed to parse ${file}`
      : `cannot load ${kind === 'chart-values' ? 'values.yaml' : base}`;
  const fail = (msg: string, line?: number, hint?: string): never => {
    throw new SourceError(kind === 'metadata' ? 'BAD_CHART' : 'BAD_VALUES', `${what}: ${msg}`, {
      file,
      ...(line ? { line } : {}),
      ...(hint ? { hint } : {}),
    });
  };
  const parse = (doc: string): GoValue => {
    const docs = kind === 'user' ? parseYamlValues(doc) : cachedParse(doc, parseYamlValues);
    return docs[0] ?? null;
  };
  const asMap = (v: GoValue, prefix: string): GoMap => {
    if (v === null) return goMap();
    if (!isGoMap(v))
      fail(
        `${prefix}error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v)} into Go value of type map[string]interface {}`,
        undefined,
        `${base} must hold a YAML map of keys`,
      );
    return v as GoMap;
  };
  if (kind === 'metadata' || helm === 3) {
    try {
      return asMap(parse(text), '');
    } catch (e) {
      if (e instanceof SourceError) throw e;
      return fail((e as Error).message, (e as { line?: number }).line);
    }
  }
  // LoadValues: k8s.io's YAMLReader splits at `---` lines (a comment may follow), each document is
  // unmarshaled on its own (its lines counted from its start) and merged over the ones before
  let values = goMap();
  const lines = text.split(/(?<=\n)/);
  let doc = '';
  let start = 1;
  const flush = (next: number) => {
    if (doc !== '') {
      let v: GoValue = null;
      try {
        v = parse(doc);
      } catch (e) {
        const line = (e as { line?: number }).line;
        fail(`cannot unmarshal yaml document: ${(e as Error).message}`, line ? start + line - 1 : undefined);
      }
      values = mergeValues(values, asMap(v as GoValue, 'cannot unmarshal yaml document: '));
    }
    doc = '';
    start = next;
  };
  for (const [i, line] of lines.entries()) {
    if (line.startsWith('---')) {
      const after = line.slice(3).trim();
      if (after !== '' && !after.startsWith('#'))
        fail(`error reading yaml document: invalid Yaml document separator: ${after}`, i + 1);
      flush(i + 2);
      continue;
    }
    // its LineReader ends every line with a newline, the file's last one too
    doc += line.endsWith('\n') ? line : `${line}\n`;
  }
  flush(lines.length + 1);
  return values;
}

/** Helm's mergeMaps for user values (-f files, then --set) and the documents of a values file:
 * maps merge key by key, anything else in `over` replaces what `base` holds, nulls are kept. */
export function mergeValues(base: GoMap, over: GoMap): GoMap {
  const out = goMap();
  for (const [k, v] of Object.entries(base)) out[k] = v;
  for (const [k, v] of Object.entries(over)) {
    if (isGoMap(v) && isGoMap(out[k])) out[k] = mergeValues(out[k] as GoMap, v as GoMap);
    else out[k] = v;
  }
  return out;
}

const GO_SPACE_START = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;
const GO_SPACE_END = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/;

/** strings.TrimLeftFunc(s, unicode.IsSpace): Go's white space, which has no BOM in it. */
export const goTrimLeft = (s: string): string => s.replace(GO_SPACE_START, '');
/** strings.TrimSpace. */
export const goTrimSpace = (s: string): string => s.replace(GO_SPACE_START, '').replace(GO_SPACE_END, '');

const trimBom = (b: Buffer): Buffer => (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? b.subarray(3) : b);

/** LoadDir: every file under `dir` that .helmignore keeps, in sympath.Walk's order. */
function readDir(dir: string): ChartFile[] {
  const ignored = helmIgnore(dir);
  const out: ChartFile[] = [];
  const walk = (abs: string, rel: string) => {
    for (const e of readdirSync(abs).sort()) {
      const p = join(abs, e);
      const n = rel === '' ? e : `${rel}/${e}`;
      let st: ReturnType<typeof statSync>;
      try {
        st = statSync(p); // symbolic links followed, as sympath.Walk does
      } catch {
        // a broken symbolic link: fine when .helmignore skips it
        if (ignored(n, false)) continue;
        throw new SourceError('BAD_CHART', `stat ${p}: no such file or directory`, { file: p });
      }
      if (st.isDirectory()) {
        if (!ignored(n, true)) walk(p, n);
        continue;
      }
      if (ignored(n, false)) continue;
      if (!st.isFile())
        throw new SourceError(
          'BAD_CHART',
          `cannot load irregular file ${p} as it has file mode type bits set`,
          {
            file: p,
          },
        );
      out.push({ name: n, data: trimBom(readFileSync(p)) });
    }
  };
  walk(dir, '');
  return out;
}

/**
 * pkg/ignore: the rules of `dir`/.helmignore, then the default `templates/.?*`. Rules are tried in
 * order and the first that matches decides: a rule without `/` matches the base name, one with `/`
 * the whole path, one starting with `/` the path from the chart's root; a trailing `/` matches
 * directories only, and an ignored directory is skipped whole. A `!` rule ignores every path it
 * does not match, as Helm's does (so `!keep.txt` alone ignores all but keep.txt).
 */
function helmIgnore(dir: string): (path: string, isDir: boolean) => boolean {
  const file = join(dir, '.helmignore');
  let lines: string[] = [];
  try {
    lines = readFileSync(file, 'utf8').split(/\r?\n/);
  } catch {
    // no .helmignore
  }
  const rules: { negate: boolean; mustDir: boolean; match: (path: string) => boolean }[] = [];
  const add = (raw: string, line?: number) => {
    // strings.TrimSpace: Go's white space, which has no BOM in it
    let rule = goTrimSpace(raw);
    if (rule === '' || rule.startsWith('#')) return;
    const where = { file, ...(line ? { line } : {}) };
    if (rule.includes('**'))
      throw new SourceError('BAD_CHART', 'double-star (**) syntax is not supported', where);
    if (!globToRegExp(rule)) throw new SourceError('BAD_CHART', 'syntax error in pattern', where);
    const negate = rule.startsWith('!');
    if (negate) rule = rule.slice(1);
    const mustDir = rule.endsWith('/');
    if (mustDir) rule = rule.slice(0, -1);
    const re = globToRegExp(rule.startsWith('/') ? rule.slice(1) : rule);
    const match = rule.includes('/')
      ? (path: string) => re?.test(path) ?? false
      : (path: string) => re?.test(posix.basename(path)) ?? false;
    rules.push({ negate, mustDir, match });
  };
  for (const [i, l] of lines.entries()) add(l, i + 1);
  add('templates/.?*');
  return (path, isDir) => {
    for (const r of rules) {
      if (r.negate) {
        if ((r.mustDir && !isDir) || !r.match(path)) return true;
        continue;
      }
      if (r.mustDir && !isDir) continue;
      if (r.match(path)) return true;
    }
    return false;
  };
}

/** Go's filepath.Match as a regular expression (undefined for a malformed pattern, which matches
 * nothing): `*` and `?` stop at `/`, `[...]` with `^` negation and ranges, `\\` escapes. */
export function globToRegExp(pattern: string): RegExp | undefined {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\') {
      const n = pattern[++i];
      if (n === undefined) return undefined;
      re += n.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    } else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end < 0) return undefined;
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('^');
      if (negate) body = body.slice(1);
      re += `[${negate ? '^/' : ''}${body.replace(/[\\\]]/g, '\\$&')}]`;
      i = end;
    } else re += c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  }
  try {
    return new RegExp(`^${re}$`);
  } catch {
    return undefined;
  }
}

/**
 * LoadArchiveFiles: the files of a gzipped tar, named without their first path segment (the
 * chart's directory), with Helm's refusals of paths outside the chart and of archives over 100 MiB.
 * PAX and GNU long names are read; directories and global headers skipped.
 */
function readArchive(gz: Buffer, file: string): ChartFile[] {
  const fail = (msg: string): never => {
    throw new SourceError('BAD_CHART', msg, { file });
  };
  let tar: Buffer;
  try {
    tar = gunzipSync(gz);
  } catch (e) {
    return fail(`cannot read the packaged chart: ${(e as Error).message}`);
  }
  const out: ChartFile[] = [];
  let remaining = MAX_CHART_SIZE;
  let longName: string | undefined;
  for (let off = 0; off + 512 <= tar.length; ) {
    const header = tar.subarray(off, off + 512);
    if (header.every((b) => b === 0)) break;
    const field = (a: number, n: number) =>
      header
        .subarray(a, a + n)
        .toString('utf8')
        .replace(/\0.*$/s, '');
    const size = Number.parseInt(field(124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 48);
    const body = tar.subarray(off + 512, off + 512 + size);
    off += 512 + Math.ceil(size / 512) * 512;
    if (type === 'x' || type === 'L') {
      // the next entry's name: a PAX `path` record, or a GNU long name
      const text = body.toString('utf8');
      longName =
        type === 'L'
          ? text.replace(/\0.*$/s, '')
          : (/(?:^|\n)\d+ path=([^\n]*)\n/.exec(text)?.[1] ?? longName);
      continue;
    }
    if (type === 'g') continue;
    const prefix = field(345, 155);
    const name = longName ?? (prefix ? `${prefix}/` : '') + field(0, 100);
    longName = undefined;
    if (type === '5' || name.endsWith('/')) continue;
    const delimiter = name.includes('\\') ? '\\' : '/';
    const parts = name.split(delimiter);
    let n = parts.slice(1).join('/');
    if (n.startsWith('/')) fail('chart illegally contains absolute paths');
    n = posix.normalize(n).replace(/\/$/, '');
    if (n === '.' || n === '') fail(`chart illegally contains content outside the base directory: "${name}"`);
    if (n.startsWith('..')) fail('chart illegally references parent directory');
    if (/^[a-zA-Z]:\//.test(n)) fail('chart contains illegally named files');
    if (parts[0] === 'Chart.yaml') fail('chart yaml not in base directory');
    remaining -= size;
    if (remaining < 0) fail(`decompressed chart is larger than the maximum size ${MAX_CHART_SIZE}`);
    // links and other entries come with no data, as Go's tar reader gives them
    out.push({
      name: n,
      data: trimBom(type === '0' || type === '\0' || type === '7' ? body : Buffer.alloc(0)),
    });
  }
  if (out.length === 0) fail('no files in chart archive');
  return out;
}

/** LoadFiles: a chart from its files; `where` names them in errors. */
function loadFiles(files: ChartFile[], where: Where, helm: 3 | 4, parentPath?: string): Chart {
  const chartFile = files.find((f) => f.name === 'Chart.yaml');
  if (!chartFile) throw new SourceError('BAD_CHART', 'Chart.yaml file is missing');
  const metadata = valuesOf(chartFile.data.toString('utf8'), where('Chart.yaml'), 'metadata');
  // Helm takes a chart without apiVersion for a v1 chart
  if (strval(metadata.apiVersion ?? '') === '') metadata.apiVersion = 'v1';
  const v1 = metadata.apiVersion === 'v1';
  let values = goMap();
  let schema: Chart['schema'];
  const templates: Chart['templates'] = [];
  const chartFiles = new Map<string, Buffer>();
  const groups = new Map<string, ChartFile[]>();
  for (const f of files) {
    const n = f.name;
    if (n === 'Chart.yaml' || n === 'Chart.lock') continue;
    if (n === 'values.yaml') values = valuesOf(f.data.toString('utf8'), where(n), 'chart-values', helm);
    else if (n === 'values.schema.json') {
      try {
        schema = JSON.parse(f.data.toString('utf8'));
      } catch (e) {
        throw new SourceError('BAD_CHART', `values.schema.json: ${(e as Error).message}`, { file: where(n) });
      }
    } else if (n === 'requirements.yaml' || n === 'requirements.lock') {
      // requirements.yaml gives a v1 chart its dependencies; both stay among a v1 chart's files
      if (n === 'requirements.yaml') {
        const req = valuesOf(f.data.toString('utf8'), where(n), 'metadata');
        if (req.dependencies !== undefined) metadata.dependencies = req.dependencies as GoValue;
      }
      if (v1) chartFiles.set(n, f.data);
    } else if (n.startsWith('templates/')) templates.push({ name: n, text: f.data.toString('utf8') });
    else if (n.startsWith('charts/')) {
      if (posix.extname(n) === '.prov') {
        chartFiles.set(n, f.data);
        continue;
      }
      const rest = n.slice('charts/'.length);
      const cname = rest.split('/')[0] as string;
      const group = groups.get(cname) ?? [];
      group.push({ name: rest, data: f.data });
      groups.set(cname, group);
    } else chartFiles.set(n, f.data);
  }
  validateMetadata(metadata, where('Chart.yaml'));
  const name = strval(metadata.name);
  const path = parentPath ? `${parentPath}/charts/${name}` : name;
  for (const t of templates) t.name = `${path}/${t.name}`;
  const subcharts: Chart[] = [];
  for (const [cname, group] of groups) {
    if (cname.startsWith('_') || cname.startsWith('.')) continue;
    try {
      if (posix.extname(cname) === '.tgz') {
        const file = group[0] as ChartFile;
        if (file.name !== cname)
          throw new SourceError(
            'BAD_CHART',
            `error unpacking subchart tar in ${name}: expected ${cname}, got ${file.name}`,
          );
        const archive = where(`charts/${cname}`);
        subcharts.push(loadFiles(readArchive(file.data, archive), (n) => `${archive}:${n}`, helm, path));
      } else {
        const inner = group
          .filter((f) => f.name.includes('/'))
          .map((f) => ({ name: f.name.slice(cname.length + 1), data: f.data }));
        subcharts.push(loadFiles(inner, (n) => where(`charts/${cname}/${n}`), helm, path));
      }
    } catch (e) {
      if (!(e instanceof SourceError)) throw e;
      throw new SourceError(e.code, `error unpacking subchart ${cname} in ${name}: ${e.message}`, {
        ...(e.file ? { file: e.file } : { file: where(`charts/${cname}`) }),
        ...(e.line ? { line: e.line } : {}),
        ...(e.hint ? { hint: e.hint } : {}),
      });
    }
  }
  return {
    name,
    path,
    metadata,
    values,
    templates,
    files: chartFiles,
    subcharts: resolveDependencies(subcharts, metadata, path),
    loadedSubcharts: subcharts,
    schema,
  };
}

/** Go's unicode.IsSpace. */
const GO_SPACE = /[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]/gu;

/** sanitizeString: white space becomes a space, what is not printable goes. */
function sanitize(v: GoValue | undefined): GoValue | undefined {
  return typeof v === 'string' ? v.replace(GO_SPACE, ' ').replace(/[^\p{L}\p{M}\p{N}\p{P}\p{S} ]/gu, '') : v;
}

/**
 * Metadata.Validate, in Helm's order and words ("validation: ..."), sanitizing the strings it
 * sanitizes, which templates then see (a description over several lines reads as one).
 */
function validateMetadata(md: GoMap, file: string): void {
  const fail = (msg: string): never => {
    throw new SourceError('BAD_CHART', `validation: ${msg}`, { file });
  };
  for (const k of ['name', 'description', 'home', 'icon', 'condition', 'tags', 'appVersion', 'kubeVersion'])
    if (k in md) md[k] = sanitize(md[k]) as GoValue;
  for (const k of ['sources', 'keywords'])
    if (Array.isArray(md[k])) md[k] = (md[k] as GoValue[]).map((x) => sanitize(x) as GoValue);
  const name = strval(md.name ?? '');
  if (name === '') fail('chart.metadata.name is required');
  if (name === '.' || name === '..') fail(`chart.metadata.name ${JSON.stringify(name)} is not allowed`);
  if (name !== posix.basename(name)) fail(`chart.metadata.name ${JSON.stringify(name)} is invalid`);
  const version = strval(md.version ?? '');
  if (version === '') fail('chart.metadata.version is required');
  let valid = version === version.trim();
  try {
    parseSemver(version);
  } catch {
    valid = false;
  }
  if (!valid) fail(`chart.metadata.version ${JSON.stringify(version)} is invalid`);
  if (!['', 'application', 'library'].includes(strval(md.type ?? '')))
    fail('chart.metadata.type must be application or library');
  for (const m of Array.isArray(md.maintainers) ? md.maintainers : []) {
    if (!isGoMap(m)) fail('maintainers must not contain empty or null nodes');
    for (const k of ['name', 'email', 'url'])
      if (k in (m as GoMap)) (m as GoMap)[k] = sanitize((m as GoMap)[k]) as GoValue;
  }
  const seen = new Set<string>();
  for (const d of Array.isArray(md.dependencies) ? md.dependencies : []) {
    if (!isGoMap(d)) fail('dependencies must not contain empty or null nodes');
    const dep = d as GoMap;
    for (const k of ['name', 'version', 'repository', 'condition'])
      if (k in dep) dep[k] = sanitize(dep[k]) as GoValue;
    if (Array.isArray(dep.tags)) dep.tags = dep.tags.map((x) => sanitize(x) as GoValue);
    const alias = strval(dep.alias ?? '');
    if (alias !== '' && !/^[a-zA-Z0-9_-]+$/.test(alias))
      fail(`dependency ${JSON.stringify(strval(dep.name ?? ''))} has disallowed characters in the alias`);
    const key = alias || strval(dep.name ?? '');
    if (seen.has(key)) fail(`more than one dependency with name or alias ${JSON.stringify(key)}`);
    seen.add(key);
  }
}

/**
 * processDependencyEnabled's choice of charts: the charts in charts/ that no dependency of
 * Chart.yaml claims (same name, version in the dependency's range) as they are, then one chart per
 * dependency that finds its chart, under its alias when it has one, so one chart in charts/ can
 * serve several aliases. A dependency whose chart is missing or out of range gives nothing.
 */
function resolveDependencies(subcharts: Chart[], metadata: GoMap, path: string): Chart[] {
  const deps = (Array.isArray(metadata.dependencies) ? (metadata.dependencies as GoValue[]) : [])
    .filter(isGoMap)
    .map((d) => d as GoMap);
  const claims = (d: GoMap, c: Chart) =>
    strval(d.name ?? '') === c.name &&
    compatibleRange(strval(d.version ?? ''), strval(c.metadata.version ?? ''));
  const out = subcharts.filter((c) => !deps.some((d) => claims(d, c)));
  for (const d of deps) {
    const c = subcharts.find((sc) => claims(d, sc));
    if (!c) continue;
    const alias = strval(d.alias ?? '');
    out.push(alias ? renameChart(c, alias, path) : c);
  }
  return out;
}

function renameChart(c: Chart, name: string, parentPath: string): Chart {
  const path = `${parentPath}/charts/${name}`;
  return {
    ...c,
    name,
    path,
    templates: c.templates.map((t) => ({ ...t, name: path + t.name.slice(c.path.length) })),
    subcharts: c.subcharts.map((s) => renameChart(s, s.name, path)),
    metadata: { ...c.metadata, name } as GoMap,
  };
}

/** chartutil.IsCompatibleRange: a semver constraint and a version; anything unparsable is false. */
export function compatibleRange(constraint: string, version: string): boolean {
  // Masterminds' NewConstraint refuses an empty constraint
  if (constraint.trim() === '') return false;
  try {
    return satisfies(parseSemver(version), constraint);
  } catch {
    return false;
  }
}
