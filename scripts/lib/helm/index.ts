// Helm chart rendering in-process: load a chart (and its subcharts), coalesce values, execute every
// template with Helm's objects (.Values, .Release, .Chart, .Capabilities, .Template, .Files) and
// function map, and print the result as `helm template` does.

import { createRequire } from 'node:module';
import { posix } from 'node:path';
import { SourceError } from '../errors.ts';
import { readSimpleYaml } from '../yaml/fast-read.ts';
import { goYamlSyntaxError } from '../yaml/goyaml-errors.ts';
import { fixedClock } from './funcs/extra.ts';
import {
  HELM_WARNING,
  helmFuncs,
  IMPURE_FUNCS,
  jsonKind,
  resolvePlainScalar,
  strval,
  toYaml,
} from './funcs/index.ts';
import { SIGNATURES } from './funcs/signatures.ts';
import { type Chart, compatibleRange, globToRegExp, goTrimLeft, goTrimSpace, mergeValues } from './loader.ts';
import { validateValues } from './schema.ts';
import { BUILTINS, Executor, type GoFunc, TemplateExecError } from './template/exec.ts';
import { formatFloat, quoteGo } from './template/fmt.ts';
import { isEmptyTree, type Node, parse, TemplateSyntaxError } from './template/parse.ts';
import {
  GO_JSON,
  GO_MAP_TYPE,
  GO_STRUCT,
  GO_VALUE_FIELDS,
  type GoMap,
  type GoValue,
  goBytes,
  goMap,
  goString,
  isGoMap,
} from './values.ts';

export { type Chart, loadChart, mergeValues, readValues } from './loader.ts';

export const HELM_VERSION = 'v4.1.4';

/** .Capabilities.HelmVersion of the reference binaries (`helm version`). */
const HELM4_BUILD = {
  Version: HELM_VERSION,
  GitCommit: '05fa37973dc9e42b76e1d2883494c87174b6074f',
  GitTreeState: 'clean',
  GoVersion: 'go1.25.9',
  KubeClientVersion: 'v1.35',
};
/** Helm v4.2.3 (`--helm-version 4.2.3`; Argo CD 3.5 bundles v4.2.1, whose charts, engine and
 * actions are the same code: only this build information differs). */
const HELM42_BUILD = {
  Version: 'v4.2.3',
  GitCommit: '43e8b7feece8beb0fcba47059ec9b522fd929a64',
  GitTreeState: 'clean',
  GoVersion: 'go1.26.5',
  KubeClientVersion: 'v1.36',
};
/** The Helm 4 releases `gitops template` follows where they differ; v4.1.4 by default. */
export const HELM_VERSIONS = ['4.1.4', '4.2.3'] as const;
export type HelmVersion = (typeof HELM_VERSIONS)[number];
const HELM3_BUILD = {
  Version: 'v3.17.2',
  GitCommit: 'cc0bbbd6d6276b83880042c1ecb34087e84d41eb',
  GitTreeState: 'clean',
  GoVersion: 'go1.23.7',
};
/** What `helm template` assumes without --kube-version: Helm v4.1.4 was built against 1.35. */
export const DEFAULT_KUBE_VERSION = 'v1.35.0';
/** Helm v4.2.3 was built against 1.36. */
const HELM42_DEFAULT_KUBE_VERSION = 'v1.36.0';
/** kustomize 5.7 inflates helmCharts with Helm v3 (v3.17.2, built against 1.32). */
export const HELM3_DEFAULT_KUBE_VERSION = 'v1.32.0';

/**
 * Helm's TemplateName (--name-template): the text as a Go template with sprig's functions, no
 * data. Helm 3's `helm template` then checks the name as a release name.
 */
export function renderNameTemplate(text: string): string {
  const p = parse(text, 'name-template');
  const templates = new Map<string, Node>([['name-template', p.root], ...p.defines]);
  const funcs = helmFuncs({ include: () => '', tpl: () => '' });
  delete funcs.include;
  delete funcs.tpl;
  return new Executor({ missingKey: 'default', funcs, templates }).execute('name-template', null);
}

const names = new Map<boolean, Set<string>>();
/** The functions a chart's templates may call (Go's builtins and Helm's), for the parser's check. */
function functionNames(helm42: boolean): (name: string) => boolean {
  let set = names.get(helm42);
  if (!set) {
    set = new Set([
      'and',
      'or',
      ...Object.keys(BUILTINS),
      ...Object.keys(helmFuncs({ include: () => '', tpl: () => '', helm42 })),
    ]);
    names.set(helm42, set);
  }
  const known = set;
  return (n) => known.has(n);
}

/** chartutil.ValidateReleaseName: the problem with a release name, or undefined. */
export function releaseNameProblem(name: string): string | undefined {
  if (/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(name) && name.length <= 53)
    return undefined;
  return `release name "${name}": invalid release name, must match regex ^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$ and the length must not be longer than 53`;
}

/** mulberry32: a small seeded generator for reproducible renders (`--seed`). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Helm's ParseKubeVersion (k8s.io/apimachinery's ParseGeneric): `v` optional, at least major and
 * minor; the text as given (with `v`) is .Capabilities.KubeVersion.Version, the numbers alone its
 * String() and what the chart's kubeVersion constraint is checked against.
 */
export function parseKubeVersion(text: string): {
  version: string;
  normalized: string;
  major: string;
  minor: string;
} {
  const m = /^\s*v?([0-9]+(?:\.[0-9]+)*)(.*)$/s.exec(text);
  if (!m)
    throw new SourceError('USAGE', `invalid kube version '${text}': could not parse "${text}" as version`);
  const parts = (m[1] as string).split('.');
  if (parts.length < 2)
    throw new SourceError('USAGE', `invalid kube version '${text}': illegal version string "${text}"`);
  if (parts[0] !== '0' && (parts[0] as string).startsWith('0'))
    throw new SourceError(
      'USAGE',
      `invalid kube version '${text}': illegal zero-prefixed version component "${parts[0]}" in "${text}"`,
    );
  const nums = parts.map((p) => String(Number.parseInt(p, 10)));
  return {
    version: text.startsWith('v') ? text : `v${text}`,
    normalized: `v${nums.join('.')}`,
    major: nums[0] as string,
    minor: nums[1] as string,
  };
}

/** Helm's cleanupParseError: `parse error at (FILE:LINE): message` from Go's parse error. */
function helmParseError(message: string, file: string): string {
  const tokens = message.split(': ');
  if (tokens.length === 1) return `parse error in (${file}): ${message}`;
  return `parse error at (${tokens[1]}): ${tokens[tokens.length - 1]}`;
}

function slashes(s: string): number {
  let n = 0;
  for (let i = s.indexOf('/'); i >= 0; i = s.indexOf('/', i + 1)) n++;
  return n;
}

/**
 * An execution error as Helm prints it. A fail or required anywhere in the chain gives
 * `execution error at (FILE:LINE:COL): message`, located at the outermost call. Otherwise Helm 3
 * prints Go's error as it is, and Helm 4 (engine.reformatExecErrorMsg) lays the chain of template
 * errors out one per block, or prints Go's error as it is when the chain ends in another error.
 */
export function helmExecError(e: TemplateExecError, file: string, helm = 4): SourceError {
  const full = e.message;
  const tokens = splitN(full, ': ', 3);
  if (tokens.length !== 3)
    return new SourceError('TEMPLATE', `execution error in (${file}): ${full}`, { file });
  const location = tokens[1] as string;
  const m = /^(.*?):(\d+)/.exec(location);
  const where = m ? { file: m[1] as string, line: Number(m[2]) } : { file };
  const warning = HELM_WARNING.exec(tokens[2] as string);
  if (warning) return new SourceError('TEMPLATE', `execution error at (${location}): ${warning[1]}`, where);
  if (helm < 4) return new SourceError('TEMPLATE', full, where);
  const traces: Traceable[] = [];
  for (let cur: Error | undefined = e; cur; cur = (cur as { cause?: Error }).cause) {
    const t = traceable(cur.message);
    if (!t) return new SourceError('TEMPLATE', full, where);
    const last = traces[traces.length - 1];
    if (!last || last.location !== t.location || last.message !== t.message || last.fn !== t.fn)
      traces.push(t);
  }
  const text = traces
    .map(
      (t) =>
        `${t.location ? `${t.location}\n  ` : ''}${t.fn ? `${t.fn}\n    ` : ''}${t.message ? `${t.message}\n` : ''}`,
    )
    .join('')
    .trim();
  return new SourceError('TEMPLATE', text, where);
}

interface Traceable {
  location: string;
  message: string;
  fn: string;
}

/** Helm's parseTemplateExecErrorString: one error of text/template, taken apart. */
function traceable(s: string): Traceable | undefined {
  if (!s.startsWith('template: ')) return undefined;
  const rest = s.slice('template: '.length);
  if (rest.startsWith('no template ')) return { location: '', message: s, fn: '' };
  const cut = (msg: string) => {
    const i = msg.indexOf(' template:');
    return i < 0 ? msg : msg.slice(0, i);
  };
  const idx = rest.indexOf(': executing ');
  if (idx >= 0) {
    const after = rest.slice(idx + ': executing '.length);
    const endQuote = after.startsWith('"') ? after.indexOf('"', 1) : -1;
    if (endQuote > 0) {
      const afterFn = after.slice(endQuote + 1);
      const endLoc = afterFn.startsWith(' at <') ? afterFn.indexOf('>: ', 5) : -1;
      if (endLoc >= 0)
        return {
          location: rest.slice(0, idx),
          fn: `executing "${after.slice(1, endQuote)}" at <${afterFn.slice(5, endLoc)}>:`,
          message: cut(afterFn.slice(endLoc + 3)),
        };
    }
  }
  const sep = rest.lastIndexOf(': ');
  if (sep < 0) return undefined;
  return { location: rest.slice(0, sep), message: cut(rest.slice(sep + 2)), fn: '' };
}

/** Go's strings.SplitN. */
function splitN(s: string, sep: string, n: number): string[] {
  const out: string[] = [];
  let rest = s;
  while (out.length < n - 1) {
    const i = rest.indexOf(sep);
    if (i < 0) break;
    out.push(rest.slice(0, i));
    rest = rest.slice(i + sep.length);
  }
  out.push(rest);
  return out;
}

/** action.CheckDependencies: every dependency of Chart.yaml is present under charts/. */
/** `helm42`: Helm 4.2 quotes the command with single quotes, not backticks. */
export function checkDependencies(chart: Chart, helm42 = false): void {
  const deps = Array.isArray(chart.metadata.dependencies)
    ? (chart.metadata.dependencies as GoValue[]).filter(isGoMap)
    : [];
  const missing = deps
    .map((d) => d as GoMap)
    .filter((d) => !chart.loadedSubcharts.some((s) => s.name === strval(d.name ?? '')))
    .map((d) => strval(d.name ?? ''));
  if (missing.length > 0)
    throw new SourceError(
      'HELM_DEPENDENCIES',
      `an error occurred while checking for chart dependencies. You may need to run ${helm42 ? "'helm dependency build'" : '`helm dependency build`'} to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: ${missing.join(', ')}`,
      { hint: 'run `helm dependency build` where the network is, and commit the charts/ it fetches' },
    );
}

/** Helm's coalescing: `over` wins, null deletes, maps merge recursively. */
export function coalesce(base: GoMap, over: GoMap): GoMap {
  const out = goMap();
  for (const [k, v] of Object.entries(base)) out[k] = v;
  for (const [k, v] of Object.entries(over)) {
    // a null removes a default; a null for a key the defaults do not have stays a null
    if (v === null) {
      if (k in base) delete out[k];
      else out[k] = null;
    } else if (isGoMap(v) && isGoMap(out[k])) out[k] = coalesce(out[k] as GoMap, v as GoMap);
    else out[k] = v;
  }
  return out;
}

function struct(type: string, fields: Record<string | symbol, unknown>): GoValue {
  return { [GO_STRUCT]: type, ...fields } as unknown as GoValue;
}

const META_FIELDS: Record<string, string> = {
  name: 'Name',
  home: 'Home',
  sources: 'Sources',
  version: 'Version',
  description: 'Description',
  keywords: 'Keywords',
  maintainers: 'Maintainers',
  icon: 'Icon',
  apiVersion: 'APIVersion',
  condition: 'Condition',
  tags: 'Tags',
  appVersion: 'AppVersion',
  deprecated: 'Deprecated',
  annotations: 'Annotations',
  kubeVersion: 'KubeVersion',
  dependencies: 'Dependencies',
  type: 'Type',
};

/** .Chart: Helm 4 gives the metadata as a map (structToMap, every field, IsRoot added); Helm 3
 * the *chart.Metadata struct, which encoding/json writes with its json tags and omitempty. */
function chartObject(c: Chart, v3: boolean): GoValue {
  const m = c.metadata;
  const s = (k: string) => (m[k] === undefined || m[k] === null ? '' : strval(m[k] as GoValue));
  const list = (k: string) => (Array.isArray(m[k]) ? (m[k] as GoValue[]).map((x) => strval(x)) : []);
  const maintainers = (Array.isArray(m.maintainers) ? (m.maintainers as GoValue[]) : [])
    .filter(isGoMap)
    .map((x) =>
      goMap({
        Name: strval((x as GoMap).name ?? ''),
        Email: strval((x as GoMap).email ?? ''),
        URL: strval((x as GoMap).url ?? ''),
      }),
    );
  const annotations = isGoMap(m.annotations)
    ? goMap(Object.fromEntries(Object.entries(m.annotations as GoMap).map(([k, v]) => [k, strval(v)])))
    : null;
  const dependencies = (Array.isArray(m.dependencies) ? (m.dependencies as GoValue[]) : [])
    .filter(isGoMap)
    .map((d) => {
      const x = d as GoMap;
      return goMap({
        // processDependencyEnabled renames a dependency with an alias to its alias
        Name: strval(x.alias ?? '') || strval(x.name ?? ''),
        Version: strval(x.version ?? ''),
        Repository: strval(x.repository ?? ''),
        Condition: strval(x.condition ?? ''),
        Tags: Array.isArray(x.tags) ? x.tags.map((t) => strval(t)) : [],
        Enabled: c.subcharts.some((sc) => sc.name === strval(x.alias ?? x.name ?? '')) && x.enabled !== false,
        ImportValues: Array.isArray(x['import-values']) ? (x['import-values'] as GoValue[]) : [],
        Alias: strval(x.alias ?? ''),
      });
    });
  const isRoot = !c.path.includes('/charts/');
  if (!v3)
    return goMap({
      Name: s('name'),
      Home: s('home'),
      Sources: list('sources'),
      Version: s('version'),
      Description: s('description'),
      Keywords: list('keywords'),
      Maintainers: maintainers,
      Icon: s('icon'),
      APIVersion: s('apiVersion'),
      Condition: s('condition'),
      Tags: s('tags'),
      AppVersion: s('appVersion'),
      Deprecated: m.deprecated === true,
      Annotations: annotations,
      KubeVersion: s('kubeVersion'),
      Dependencies: dependencies,
      Type: s('type'),
      IsRoot: isRoot,
    });
  const fields: Record<string | symbol, unknown> = {};
  for (const [k, f] of Object.entries(META_FIELDS))
    fields[f] =
      m[k] ??
      ([
        'Name',
        'Version',
        'AppVersion',
        'Description',
        'Type',
        'APIVersion',
        'Home',
        'Icon',
        'Condition',
        'Tags',
        'KubeVersion',
      ].includes(f)
        ? ''
        : null);
  fields.IsRoot = isRoot;
  // encoding/json of *chart.Metadata: json tags, empty fields left out
  fields[GO_JSON] = () => {
    const out: Record<string, unknown> = {};
    const put = (k: string, v: GoValue) => {
      if (v === '' || v === null || v === false || (Array.isArray(v) && v.length === 0)) return;
      out[k] = v;
    };
    put('name', s('name'));
    put('home', s('home'));
    put('sources', list('sources'));
    put('version', s('version'));
    put('description', s('description'));
    put('keywords', list('keywords'));
    put(
      'maintainers',
      maintainers.map((x) => {
        const o: Record<string, unknown> = {};
        if (x.Name) o.name = x.Name;
        if (x.Email) o.email = x.Email;
        if (x.URL) o.url = x.URL;
        return struct('json', o);
      }),
    );
    put('icon', s('icon'));
    put('apiVersion', s('apiVersion'));
    put('condition', s('condition'));
    put('tags', s('tags'));
    put('appVersion', s('appVersion'));
    put('deprecated', m.deprecated === true);
    if (annotations && Object.keys(annotations).length) out.annotations = annotations;
    put('kubeVersion', s('kubeVersion'));
    put(
      'dependencies',
      dependencies.map((d) => {
        const o: Record<string, unknown> = { name: d.Name };
        if (d.Version) o.version = d.Version;
        o.repository = d.Repository;
        if (d.Condition) o.condition = d.Condition;
        if ((d.Tags as GoValue[]).length) o.tags = d.Tags;
        if (d.Enabled) o.enabled = true;
        if ((d.ImportValues as GoValue[]).length) o['import-values'] = d.ImportValues;
        if (d.Alias) o.alias = d.Alias;
        return struct('json', o);
      }),
    );
    put('type', s('type'));
    out.IsRoot = isRoot;
    return struct('json', out);
  };
  return struct('struct { chart.Metadata; IsRoot bool }', fields);
}

/** A list of a named Go slice type (common.VersionSet) with its methods. */
function namedList(
  type: string,
  items: string[],
  methods: Record<string, (...a: GoValue[]) => GoValue>,
): GoValue[] {
  const out: GoValue[] = [...items];
  Object.defineProperty(out, GO_MAP_TYPE, { value: type, enumerable: false });
  for (const [k, f] of Object.entries(methods))
    Object.defineProperty(out, k, { value: f, enumerable: false });
  return out;
}

/** A map of a named Go map type (common.Values): a map to functions, its name to typeOf. */
function namedMap(type: string, m: GoMap | Record<string, GoValue>): GoMap {
  const out =
    isGoMap(m) && Object.getPrototypeOf(m) === null ? (m as GoMap) : goMap(m as Record<string, GoValue>);
  Object.defineProperty(out, GO_MAP_TYPE, { value: type, enumerable: false, configurable: true });
  return out;
}

/** A common.Values (chartutil.Values in Helm 3) with its methods: YAML, Table, AsMap. */
function valuesObject(type: string, m: GoMap | Record<string, GoValue>): GoMap {
  const out = namedMap(type, m);
  const methods: Record<string, (...a: GoValue[]) => GoValue> = {
    YAML: () => `${toYaml(out)}\n`,
    AsMap: () => out,
    // Table("a.b"): the map at a dotted path; a missing key or a non-map is not a table
    Table: (name) => {
      let table: GoMap = out;
      for (const key of strval(name).split('.')) {
        const next = table[key];
        if (!isGoMap(next)) throw new Error(`${JSON.stringify(key)} is not a table`);
        table = next as GoMap;
      }
      return valuesObject(type, table);
    },
  };
  for (const [k, f] of Object.entries(methods))
    Object.defineProperty(out, k, { value: f, enumerable: false, configurable: true });
  return out;
}

/**
 * gobwas/glob with `/` as separator, as Files.Glob compiles it: `*` and `?` within a path segment,
 * `**` across them, `[a-z]` and `[!a-z]`, `{a,b}` alternatives, `\\` escaping. A pattern it
 * cannot compile (an unclosed `[`) matches everything, as Helm then globs `**`.
 */
function gobwasGlob(pattern: string): RegExp {
  const esc = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  let re = '';
  let depth = 0;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\') {
      const n = pattern[++i];
      if (n === undefined) return /^/;
      re += esc(n);
    } else if (c === '*') {
      if (pattern[i + 1] === '*') {
        re += '.*';
        i++;
      } else re += '[^/]*';
    } else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 1);
      if (end < 0) return /^/;
      let body = pattern.slice(i + 1, end);
      const negate = body.startsWith('!');
      if (negate) body = body.slice(1);
      if (body === '') return /^/;
      re += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else if (c === '{') {
      re += '(?:';
      depth++;
    } else if (c === ',' && depth > 0) re += '|';
    else if (c === '}' && depth > 0) {
      re += ')';
      depth--;
    } else re += esc(c);
  }
  // an alternative left open compiles, and matches nothing
  if (depth > 0) return /(?!)/;
  try {
    return new RegExp(`^${re}$`, 's');
  } catch {
    return /^/;
  }
}

function filesObject(files: Map<string, Buffer>): GoValue {
  const get = (name: GoValue): string => {
    const buf = files.get(strval(name));
    return buf ? goString(buf) : '';
  };
  const glob = (pattern: GoValue): GoValue => {
    const re = gobwasGlob(strval(pattern));
    return filesObject(new Map([...files].filter(([k]) => re.test(k))));
  };
  // files.Files is a map[string][]byte with methods: ranging over it gives the files
  // the byte lists are made when a template reads them: a chart's files can be large
  const m = goMap();
  for (const [k, v] of files) {
    let bytes: GoValue[] | undefined;
    Object.defineProperty(m, k, {
      enumerable: true,
      configurable: true,
      get: () => {
        bytes ??= goBytes(v);
        return bytes;
      },
    });
  }
  const methods: Record<string, unknown> = {
    Get: get,
    GetBytes: (name: GoValue) => goBytes(files.get(strval(name)) ?? Buffer.alloc(0)),
    Glob: glob,
    Lines: (name: GoValue) => {
      const t = get(name);
      return t === '' ? [] : t.replace(/\n$/, '').split('\n');
    },
    // files.AsConfig/AsSecrets: toYAML of base name -> content (base64 for secrets); an empty set
    // of files (a Glob matching nothing) is an empty map, "{}"
    AsConfig: () => {
      const m = goMap();
      for (const [k, v] of files) m[posix.basename(k)] = v.toString('utf8');
      return toYaml(m);
    },
    AsSecrets: () => {
      const m = goMap();
      for (const [k, v] of files) m[posix.basename(k)] = v.toString('base64');
      return toYaml(m);
    },
  };
  for (const [k, f] of Object.entries(methods)) Object.defineProperty(m, k, { value: f, enumerable: false });
  Object.defineProperty(m, GO_MAP_TYPE, { value: 'engine.files', enumerable: false });
  return m;
}

export interface RenderOptions {
  /** Seeds the random functions (randAlphaNum, uuidv4...) so a render is reproducible. */
  seed?: number;
  releaseName: string;
  namespace: string;
  values?: GoMap;
  kubeVersion?: string;
  apiVersions?: string[];
  isUpgrade?: boolean;
  /** The Helm whose error wording to follow: 4 (`gitops template`) or 3 (kustomize's helmCharts). */
  helmMajor?: 3 | 4;
  /** Which Helm 4 (HELM_VERSIONS): 4.2 drops the chart's null defaults when coalescing, has
   * mustToToml, other capabilities, and keeps a document's trailing line breaks. */
  helmVersion?: HelmVersion;
  /** Filled with the CRDs of the chart and its enabled subcharts (`crdsOutput`, --include-crds). */
  crds?: RenderedFile[];
  /**
   * Filled with the names of the functions the render called that read the clock or randomness
   * no option fixed (IMPURE_FUNCS): when it ends empty, the same inputs render the same bytes.
   */
  impure?: Set<string>;
}

export interface RenderedFile {
  name: string;
  content: string;
}

/** Helm v4.1.4's default VersionSet, in its order: what `range .Capabilities.APIVersions` gives. */
const HELM4_API_VERSIONS = [
  'v1',
  'admissionregistration.k8s.io/v1',
  'admissionregistration.k8s.io/v1alpha1',
  'admissionregistration.k8s.io/v1beta1',
  'internal.apiserver.k8s.io/v1alpha1',
  'apps/v1',
  'apps/v1beta1',
  'apps/v1beta2',
  'authentication.k8s.io/v1',
  'authentication.k8s.io/v1alpha1',
  'authentication.k8s.io/v1beta1',
  'authorization.k8s.io/v1',
  'authorization.k8s.io/v1beta1',
  'autoscaling/v1',
  'autoscaling/v2',
  'autoscaling/v2beta1',
  'autoscaling/v2beta2',
  'batch/v1',
  'batch/v1beta1',
  'certificates.k8s.io/v1',
  'certificates.k8s.io/v1beta1',
  'certificates.k8s.io/v1alpha1',
  'coordination.k8s.io/v1alpha2',
  'coordination.k8s.io/v1beta1',
  'coordination.k8s.io/v1',
  'discovery.k8s.io/v1',
  'discovery.k8s.io/v1beta1',
  'events.k8s.io/v1',
  'events.k8s.io/v1beta1',
  'extensions/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1',
  'flowcontrol.apiserver.k8s.io/v1beta1',
  'flowcontrol.apiserver.k8s.io/v1beta2',
  'flowcontrol.apiserver.k8s.io/v1beta3',
  'networking.k8s.io/v1',
  'networking.k8s.io/v1beta1',
  'node.k8s.io/v1',
  'node.k8s.io/v1alpha1',
  'node.k8s.io/v1beta1',
  'policy/v1',
  'policy/v1beta1',
  'rbac.authorization.k8s.io/v1',
  'rbac.authorization.k8s.io/v1beta1',
  'rbac.authorization.k8s.io/v1alpha1',
  'resource.k8s.io/v1',
  'resource.k8s.io/v1beta2',
  'resource.k8s.io/v1beta1',
  'resource.k8s.io/v1alpha3',
  'scheduling.k8s.io/v1alpha1',
  'scheduling.k8s.io/v1beta1',
  'scheduling.k8s.io/v1',
  'storage.k8s.io/v1beta1',
  'storage.k8s.io/v1',
  'storage.k8s.io/v1alpha1',
  'storagemigration.k8s.io/v1beta1',
  'apiextensions.k8s.io/v1beta1',
  'apiextensions.k8s.io/v1',
];

/** Helm v4.2.3's: v4.1.4's without autoscaling/v2beta1 and v2beta2, scheduling.k8s.io/v1alpha2 for
 * v1alpha1 (client-go v0.36). */
const HELM42_API_VERSIONS = HELM4_API_VERSIONS.filter(
  (v) => v !== 'autoscaling/v2beta1' && v !== 'autoscaling/v2beta2',
).map((v) => (v === 'scheduling.k8s.io/v1alpha1' ? 'scheduling.k8s.io/v1alpha2' : v));

/** Helm v3.17.2's (kustomize's helmCharts): v4.1.4's without resource.k8s.io/v1 and v1beta2, with
 * networking.k8s.io/v1alpha1, and storagemigration.k8s.io/v1alpha1 for v1beta1. */
const HELM3_API_VERSIONS = HELM4_API_VERSIONS.filter(
  (v) => v !== 'resource.k8s.io/v1' && v !== 'resource.k8s.io/v1beta2',
).flatMap((v) =>
  v === 'networking.k8s.io/v1beta1'
    ? ['networking.k8s.io/v1alpha1', v]
    : v === 'storagemigration.k8s.io/v1beta1'
      ? ['storagemigration.k8s.io/v1alpha1']
      : [v],
);

function allCharts(c: Chart, disabled: Set<string> = new Set()): Chart[] {
  if (disabled.has(c.path)) return [];
  return [c, ...c.subcharts.flatMap((s) => allCharts(s, disabled))];
}

function lookupPath(values: GoMap, path: string): GoValue | undefined {
  let cur: GoValue = values;
  for (const k of path.split('.')) {
    if (!isGoMap(cur)) return undefined;
    cur = (cur as GoMap)[k] as GoValue;
  }
  return cur;
}

/** Helm's dependency conditions and tags: a subchart whose condition (or tags) is false is left out. */
function dependencyEnabled(dep: GoMap | undefined, parentValues: GoMap, topValues: GoMap): boolean {
  if (!dep) return true;
  const cond = strval(dep.condition ?? '');
  if (cond)
    for (const p of cond
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean)) {
      const v = lookupPath(parentValues, p);
      if (typeof v === 'boolean') return v;
    }
  const tags = Array.isArray(dep.tags) ? dep.tags.map((t) => strval(t)) : [];
  if (tags.length === 0) return true;
  const tv = isGoMap(topValues.tags) ? (topValues.tags as GoMap) : goMap();
  const set = tags.map((t) => tv[t]).filter((v) => typeof v === 'boolean');
  if (set.length === 0) return true;
  return set.some((v) => v === true);
}

/**
 * Helm 4.2's coalescing of a chart's defaults (coalesceValues with cleanNilValues): a null default
 * is left out unless the given values have its key (a given null then deletes it), and the nulls
 * inside a default table are left out, except in a subchart's section the given values also have
 * (that one is merged).
 */
function defaultsWithoutNulls(c: Chart, given: GoMap): GoMap {
  const out = goMap();
  for (const [k, v] of Object.entries(c.values)) {
    if (v === null) {
      if (k in given) out[k] = null;
    } else if (isGoMap(v) && !(isGoMap(given[k]) && c.subcharts.some((s) => s.name === k)))
      out[k] = withoutNulls(v as GoMap);
    else out[k] = v;
  }
  return out;
}

function withoutNulls(m: GoMap): GoMap {
  const out = goMap();
  for (const [k, v] of Object.entries(m)) if (v !== null) out[k] = isGoMap(v) ? withoutNulls(v as GoMap) : v;
  return out;
}

/** Values of each chart: the parent's section for a subchart over its defaults, globals shared. */
function scopedValues(
  c: Chart,
  given: GoMap,
  parentGlobal?: GoMap,
  disabled?: Set<string>,
  top?: GoMap,
  dropNullDefaults = false,
): Map<string, GoMap> {
  const out = new Map<string, GoMap>();
  const merged = coalesce(dropNullDefaults ? defaultsWithoutNulls(c, given) : c.values, given);
  // a subchart's section is merged, not coalesced (childChartMergeTrue): its nulls stay, to
  // delete the subchart's own defaults when the subchart's values are coalesced below
  for (const sub of c.subcharts)
    if (isGoMap(given[sub.name]) && isGoMap(c.values[sub.name]))
      merged[sub.name] = mergeValues(c.values[sub.name] as GoMap, given[sub.name] as GoMap);
  const topValues = top ?? merged;
  const deps = Array.isArray(c.metadata.dependencies)
    ? (c.metadata.dependencies as GoValue[]).filter(isGoMap)
    : [];
  for (const sub of c.subcharts) {
    const dep = deps.find((d) => strval((d as GoMap).alias ?? (d as GoMap).name ?? '') === sub.name) as
      | GoMap
      | undefined;
    if (!dependencyEnabled(dep, merged, topValues)) disabled?.add(sub.path);
  }
  const global = coalesce(
    isGoMap(merged.global) ? (merged.global as GoMap) : goMap(),
    parentGlobal ?? goMap(),
  );
  if (parentGlobal || Object.keys(global).length) merged.global = global;
  for (const sub of c.subcharts) {
    const section = isGoMap(merged[sub.name]) ? (merged[sub.name] as GoMap) : goMap();
    const subValues = scopedValues(
      sub,
      section,
      isGoMap(merged.global) ? (merged.global as GoMap) : undefined,
      disabled,
      topValues,
      dropNullDefaults,
    );
    for (const [k, v] of subValues) out.set(k, v);
    merged[sub.name] = subValues.get(sub.path) as GoMap;
  }
  // import-values: a subchart's values (or its `exports`) copied into the parent; the parent's own win
  for (const sub of c.subcharts) {
    const dep = deps.find((d) => strval((d as GoMap).alias ?? (d as GoMap).name ?? '') === sub.name) as
      | GoMap
      | undefined;
    const imports = Array.isArray(dep?.['import-values']) ? (dep?.['import-values'] as GoValue[]) : [];
    const child = out.get(sub.path) ?? goMap();
    let imported = goMap();
    for (const imp of imports) {
      if (typeof imp === 'string') {
        const v = lookupPath(child, `exports.${imp}`);
        if (isGoMap(v)) imported = coalesce(imported, v as GoMap);
      } else if (isGoMap(imp)) {
        const v = lookupPath(child, strval((imp as GoMap).child ?? ''));
        const path = strval((imp as GoMap).parent ?? '')
          .split('.')
          .filter(Boolean);
        if (v === undefined || path.length === 0) continue;
        let node: GoValue = v;
        for (const k of [...path].reverse()) node = goMap({ [k]: node });
        imported = coalesce(imported, node as GoMap);
      }
    }
    if (Object.keys(imported).length)
      for (const [k, v] of Object.entries(coalesce(imported, merged))) merged[k] = v;
  }
  out.set(c.path, merged);
  return out;
}

/** Renders every template of the chart; partials (`_*`) only define templates. */
export function renderChart(chart: Chart, opts: RenderOptions): RenderedFile[] {
  const disabled = new Set<string>();
  const v42 = opts.helmMajor !== 3 && opts.helmVersion === '4.2.3';
  const valuesByChart = scopedValues(chart, opts.values ?? goMap(), undefined, disabled, undefined, v42);
  const charts = allCharts(chart, disabled);
  if (opts.crds)
    for (const c of charts)
      for (const [rel, data] of c.files)
        if (rel.startsWith('crds/') && /\.(ya?ml|json)$/i.test(rel))
          opts.crds.push({ name: `${c.path}/${rel}`, content: data.toString('utf8') });
  // values.schema.json of every chart, against that chart's values
  const problems: string[] = [];
  for (const c of charts)
    if (c.schema !== undefined) {
      const errs = validateValues(c.schema, (valuesByChart.get(c.path) ?? goMap()) as GoValue);
      if (errs.length) problems.push(`${c.name}:`, ...errs);
    }
  if (problems.length)
    throw new SourceError(
      'HELM_VALUES_SCHEMA',
      `values don't meet the specifications of the schema(s) in the following chart(s):\n${problems.join('\n')}`,
      {
        hint: 'fix the values (-f, --set, valuesInline) or the chart defaults',
      },
    );
  const templates = new Map<string, Node>();
  const v3 = opts.helmMajor === 3;
  // .Release and .Template are plain maps in Helm; .Values, `.` and .Template are named map types
  const valuesType = v3 ? 'chartutil.Values' : 'common.Values';
  const kube = parseKubeVersion(
    opts.kubeVersion ?? (v42 ? HELM42_DEFAULT_KUBE_VERSION : DEFAULT_KUBE_VERSION),
  );
  // the chart's kubeVersion constraint, against the version without its suffix (Helm 4)
  const constraint = strval(chart.metadata.kubeVersion ?? '');
  if (constraint && !compatibleRange(constraint, v3 ? kube.version : kube.normalized))
    throw new SourceError(
      'HELM_KUBE_VERSION',
      `chart requires kubeVersion: ${constraint} which is incompatible with Kubernetes ${kube.version}`,
      {
        hint: 'give the Kubernetes version the chart is for with --kube-version (kubeVersion: in helmCharts)',
      },
    );
  const apiVersions = [
    ...(v3 ? HELM3_API_VERSIONS : v42 ? HELM42_API_VERSIONS : HELM4_API_VERSIONS),
    ...(opts.apiVersions ?? []),
  ];
  const pkg = v3 ? 'chartutil' : 'common';
  const build = v3 ? HELM3_BUILD : v42 ? HELM42_BUILD : HELM4_BUILD;
  const capabilities = struct(`*${pkg}.Capabilities`, {
    KubeVersion: struct(`${pkg}.KubeVersion`, {
      Version: kube.version,
      Major: kube.major,
      Minor: kube.minor,
      GitVersion: () => kube.version,
      String: () => (v3 ? kube.version : kube.normalized),
      [GO_VALUE_FIELDS]: v3
        ? [kube.version, kube.major, kube.minor]
        : [kube.version, kube.normalized, kube.major, kube.minor],
    }),
    // VersionSet is a []string with a Has method: `has "x" .Capabilities.APIVersions` works too
    APIVersions: namedList(`${pkg}.VersionSet`, apiVersions, {
      Has: (v: GoValue) => apiVersions.includes(strval(v)),
    }),
    HelmVersion: struct('version.BuildInfo', {
      ...build,
      [GO_JSON]: () =>
        struct('json', {
          version: build.Version,
          git_commit: build.GitCommit,
          git_tree_state: build.GitTreeState,
          go_version: build.GoVersion,
          ...(v3 ? {} : { kube_client_version: (build as typeof HELM4_BUILD).KubeClientVersion }),
        }),
    }),
  });
  const release = goMap({
    Name: opts.releaseName,
    Namespace: opts.namespace,
    IsUpgrade: opts.isUpgrade === true,
    IsInstall: opts.isUpgrade !== true,
    Revision: 1n,
    Service: 'Helm',
  });
  // a template parsed later replaces one of the same name, except by an empty body (Go's associate)
  const define = (name: string, body: Node) => {
    if (!templates.has(name) || !isEmptyTree(body)) templates.set(name, body);
  };
  const hasFunction = functionNames(v42);
  const parseInto = (name: string, text: string) => {
    const p = parse(text, name, hasFunction);
    define(name, p.root);
    for (const [d, body] of p.defines) define(d, body);
  };
  // Helm parses and then executes every chart's templates in one order (engine.sortTemplates):
  // deepest paths first, and paths of one depth in reverse byte order. So a parent's define of a
  // name wins over a subchart's, and a template that changes values with `set` runs before the
  // ones Helm runs later.
  // (a library chart gives only its partials, _*.tpl: its other files are not templates at all)
  const ordered = charts
    .flatMap((c) =>
      c.templates
        .filter((t) => strval(c.metadata.type ?? '') !== 'library' || posix.basename(t.name).startsWith('_'))
        .map((t) => ({ chart: c, t })),
    )
    .sort((a, b) => {
      const da = slashes(a.t.name);
      const db = slashes(b.t.name);
      if (da !== db) return db - da;
      return a.t.name < b.t.name ? 1 : a.t.name > b.t.name ? -1 : 0;
    });
  for (const { t } of ordered) {
    try {
      parseInto(t.name, t.text);
    } catch (e) {
      if (e instanceof TemplateSyntaxError)
        throw new SourceError('TEMPLATE_PARSE', helmParseError(e.message, t.name), {
          file: t.name,
        });
      throw e;
    }
  }
  const included = new Map<string, number>();
  let executor: Executor;
  const funcs: Record<string, GoFunc> = helmFuncs({
    helm42: v42,
    random: opts.seed === undefined ? undefined : seededRandom(opts.seed),
    // Helm's includeFun: the 1002nd nested include of one name fails. This stack holds about 550
    // nested includes, so a loop that overflows it fails with the same message, sooner.
    include: (name, data) => {
      const n = (included.get(name) ?? 0) + 1;
      const loop = () =>
        new Error(`rendering template has a nested reference name: ${name}: unable to execute template`);
      if (n > 1001) throw loop();
      included.set(name, n);
      try {
        return executor.execute(name, data);
      } catch (e) {
        if (e instanceof RangeError && /call stack/.test(e.message)) throw loop();
        throw e;
      } finally {
        included.set(name, n - 1);
      }
    },
    // Helm's tplFun: the text is parsed as a template named like the set (gotpl) in a clone of
    // the set, so its defines are seen inside it only
    tpl: (text, data) => {
      let p: ReturnType<typeof parse>;
      try {
        p = parse(text, 'gotpl', hasFunction);
      } catch (e) {
        throw new Error(`cannot parse template ${quoteGo(text)}: ${(e as Error).message}`);
      }
      const shadowed = new Map<string, Node | undefined>();
      const add = (name: string, body: Node) => {
        if (!shadowed.has(name)) shadowed.set(name, templates.get(name));
        templates.set(name, body);
      };
      for (const [d, body] of p.defines) if (!templates.has(d) || !isEmptyTree(body)) add(d, body);
      add('gotpl', p.root);
      try {
        return executor.execute('gotpl', data).replaceAll('<no value>', '');
      } catch (e) {
        const err = e as Error;
        throw Object.assign(
          new Error(`error during tpl function execution for ${quoteGo(text)}: ${err.message}`),
          { cause: err },
        );
      } finally {
        for (const [name, prev] of shadowed)
          if (prev === undefined) templates.delete(name);
          else templates.set(name, prev);
      }
    },
  });
  const impure = opts.impure;
  const clockFixed = fixedClock() !== undefined;
  if (impure)
    for (const [name, source] of Object.entries(IMPURE_FUNCS)) {
      const f = funcs[name];
      if (!f || (source === 'random' && opts.seed !== undefined)) continue;
      if (source === 'clock' && clockFixed) continue;
      funcs[name] = (...args) => {
        impure.add(name);
        return f(...args);
      };
    }
  executor = new Executor({
    missingKey: 'zero',
    funcs,
    templates,
    rootName: 'gotpl',
    signatures: SIGNATURES,
  });
  const out: RenderedFile[] = [];
  // each chart's top-level object; .Subcharts holds those of its enabled subcharts (Helm 3.12+)
  const tops = new Map<string, GoMap>();
  for (const c of charts)
    tops.set(
      c.path,
      valuesObject(valuesType, {
        Values: valuesObject(valuesType, valuesByChart.get(c.path) ?? goMap()),
        Release: release,
        Chart: chartObject(c, v3),
        Capabilities: capabilities,
        Files: filesObject(c.files),
      }),
    );
  for (const c of charts) {
    const subs = goMap();
    for (const s of c.subcharts) {
      const t = tops.get(s.path);
      if (t) subs[s.name] = t;
    }
    (tops.get(c.path) as GoMap).Subcharts = subs;
  }
  for (const { chart: c, t } of ordered) {
    if (posix.basename(t.name).startsWith('_')) continue;
    const top = tops.get(c.path) as GoMap;
    top.Template = namedMap(valuesType, { Name: t.name, BasePath: `${c.path}/templates` });
    let content: string;
    try {
      content = executor.execute(t.name, top);
    } catch (e) {
      if (e instanceof TemplateExecError) throw helmExecError(e, t.name, opts.helmMajor ?? 4);
      if (e instanceof TemplateSyntaxError) throw new SourceError('TEMPLATE', e.message, { file: t.name });
      throw e;
    }
    out.push({ name: t.name, content: content.replaceAll('<no value>', '') });
  }
  return out;
}

/**
 * releaseutil.SplitManifests: the documents of a rendered text, trimmed, empty ones left out;
 * Helm 4.2 trims only their start, so the last document of a text keeps its line breaks.
 */
function splitManifests(text: string, helm42 = false): string[] {
  if (!helm42)
    return text
      .trim()
      .split(/(?:^|\s*\n)---\s*/)
      .map((d) => d.trim())
      .filter((d) => d !== '');
  return goTrimLeft(text)
    .split(/(?:^|\s*\n)---\s*/)
    .filter((d) => d.trim() !== '')
    .map(goTrimLeft);
}

/**
 * `helm template --show-only`: the documents of the whole output whose `# Source:` path (after the
 * chart's name) matches each pattern (Go's filepath.Match), pattern by pattern; a pattern that
 * matches nothing is an error, as in Helm.
 */
export function showOnly(output: string, patterns: string[], helm42 = false): string {
  const docs = splitManifests(output, helm42);
  let out = '';
  for (const pattern of patterns) {
    const re = globToRegExp(pattern.replaceAll('\\', '/'));
    let found = false;
    for (const d of docs) {
      const path = /# Source: [^/]+\/(.+)/.exec(d)?.[1];
      if (path === undefined || !re?.test(path)) continue;
      out += `---\n${d}\n`;
      found = true;
    }
    if (!found) throw new SourceError('HELM_SHOW_ONLY', `could not find template ${pattern} in chart`);
  }
  return out;
}

/**
 * `--include-crds`: Chart.CRDObjects as `helm template` prints them, each file whole: the files
 * under crds/ (nested directories too) named .yaml, .yml or .json in any case, of the chart and
 * then of each enabled subchart, depth first, in the order the charts' files were read.
 */
export function crdsOutput(crds: RenderedFile[]): string {
  return crds.map((c) => `---\n# Source: ${c.name}\n${c.content}\n`).join('');
}

const INSTALL_ORDER = [
  'PriorityClass',
  'Namespace',
  'NetworkPolicy',
  'ResourceQuota',
  'LimitRange',
  'PodSecurityPolicy',
  'PodDisruptionBudget',
  'ServiceAccount',
  'Secret',
  'SecretList',
  'ConfigMap',
  'StorageClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'CustomResourceDefinition',
  'ClusterRole',
  'ClusterRoleList',
  'ClusterRoleBinding',
  'ClusterRoleBindingList',
  'Role',
  'RoleList',
  'RoleBinding',
  'RoleBindingList',
  'Service',
  'DaemonSet',
  'Pod',
  'ReplicationController',
  'ReplicaSet',
  'Deployment',
  'HorizontalPodAutoscaler',
  'StatefulSet',
  'Job',
  'CronJob',
  'IngressClass',
  'Ingress',
  'APIService',
  'MutatingWebhookConfiguration',
  'ValidatingWebhookConfiguration',
];

// js-yaml reads only the manifests the fast reader leaves (quickHead): loaded when one does
const require = createRequire(import.meta.url);
const loadYaml = (text: string, opts: { json: boolean }): unknown =>
  (require('js-yaml') as typeof import('js-yaml')).load(text, opts);

/**
 * releaseutil.SortManifests reads each manifest's head (apiVersion, kind, metadata) as YAML: one
 * that is not YAML, or not a mapping, fails the render as in Helm ("YAML parse error on ...").
 * js-yaml does this check: the output of a large chart is parsed in a third of the time `yaml`
 * takes, and only validity, the kind and the hook annotation are needed here.
 */
function manifestHead(path: string, text: string): { kind: string; hookAnn: string | undefined } {
  const quick = quickHead(text);
  if (quick) {
    checkSimpleHead(path, quick.value);
    return quick;
  }
  let head: unknown;
  try {
    head = loadYaml(text, { json: true });
  } catch (e) {
    const err = e as { reason?: string; mark?: { line?: number } };
    if (err.reason === 'expected a document, but the input is empty') return { kind: '', hookAnn: undefined };
    // go-yaml's own words and line when it finds the fault (it reads the first document); else js-yaml's
    const go = goYamlSyntaxError(text, { firstDocument: true });
    const line = go ? go.line : err.mark?.line !== undefined ? err.mark.line + 1 : undefined;
    const what = go ? go.message : (err.reason ?? (e as Error).message);
    throw new SourceError(
      'HELM_YAML',
      `YAML parse error on ${path}: error converting YAML to JSON: yaml: ${line !== undefined ? `line ${line}: ` : ''}${what}`,
      { file: path, hint: 'the template renders text that is not YAML' },
    );
  }
  if (head === null || head === undefined) return { kind: '', hookAnn: undefined };
  if (typeof head !== 'object' || Array.isArray(head))
    throw new SourceError(
      'HELM_YAML',
      `YAML parse error on ${path}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(head as GoValue)} into Go value of type util.SimpleHead`,
      { file: path, hint: 'each rendered document must be a YAML mapping' },
    );
  checkSimpleHead(path, head as Record<string, unknown>);
  const h = head as { kind?: unknown; metadata?: { annotations?: Record<string, unknown> } };
  const hook = h.metadata?.annotations?.['helm.sh/hook'];
  return {
    kind: h.kind === undefined || h.kind === null ? '' : coercedText(h.kind),
    hookAnn: hook === undefined || hook === null ? undefined : coercedText(hook),
  };
}

/** sigs.k8s.io/yaml's text of a scalar bound for a string field (a float as float32 'g'). */
function coercedText(v: unknown): string {
  if (typeof v === 'number' && !Number.isInteger(v) && Number.isFinite(v)) {
    // the shortest digits that read back as the same float32
    const f = Math.fround(v);
    let p = 1;
    while (p < 9 && Math.fround(Number(f.toPrecision(p))) !== f) p++;
    return formatFloat(Number(f.toPrecision(p)), 'g', -1);
  }
  return String(v);
}

const ANONYMOUS_METADATA =
  'struct { Name string "json:\\"name\\""; Annotations map[string]string "json:\\"annotations\\"" }';

/**
 * releaseutil's SimpleHead: sigs.k8s.io/yaml decodes a manifest's apiVersion, kind, metadata.name
 * and metadata.annotations into Go strings and a map of strings (numbers and bools become their
 * text); a list or map there fails the render as Helm's does, first in the order of the JSON it
 * decodes (keys sorted).
 */
function checkSimpleHead(path: string, head: Record<string, unknown>): void {
  const fail = (v: unknown, field: string, type: string): never => {
    throw new SourceError(
      'HELM_YAML',
      `YAML parse error on ${path}: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal ${jsonKind(v as GoValue)} into Go struct field ${field} of type ${type}`,
      { file: path, hint: 'apiVersion, kind, metadata.name and each annotation must be text' },
    );
  };
  const collection = (v: unknown) => typeof v === 'object' && v !== null;
  if (collection(head.apiVersion)) fail(head.apiVersion, 'SimpleHead.apiVersion', 'string');
  if (collection(head.kind)) fail(head.kind, 'SimpleHead.kind', 'string');
  const md = head.metadata;
  if (md === undefined || md === null) return;
  if (typeof md !== 'object' || Array.isArray(md)) fail(md, 'SimpleHead.metadata', ANONYMOUS_METADATA);
  const { annotations, name } = md as Record<string, unknown>;
  if (annotations !== undefined && annotations !== null) {
    if (typeof annotations !== 'object' || Array.isArray(annotations))
      fail(annotations, '.metadata.annotations', 'map[string]string');
    const a = annotations as Record<string, unknown>;
    for (const k of Object.keys(a).sort())
      if (collection(a[k])) fail(a[k], '.metadata.annotations', 'string');
  }
  if (collection(name)) fail(name, '.metadata.name', 'string');
}

/**
 * manifestHead by the fast reader (../yaml/fast-read.ts), when it reads the text and finds the kind
 * and hook annotation strings js-yaml would find too: it reads plain scalars as YAML 1.1, which
 * js-yaml's schema reads alike, except dates (js-yaml's timestamps); anything else is js-yaml's.
 */
export function quickHead(
  text: string,
): { kind: string; hookAnn: string | undefined; value: Record<string, unknown> } | undefined {
  // only comments: no document, as a template that rendered nothing but its licence header
  if (/^(?: *(?:#[^\n]*)?\n)* *(?:#[^\n]*)?$/.test(text)) return { kind: '', hookAnn: undefined, value: {} };
  const fast = readSimpleYaml(text, resolvePlainScalar(), goMap);
  if (!fast || !isGoMap(fast.value as GoValue)) return undefined;
  const h = fast.value as { kind?: unknown; metadata?: { annotations?: Record<string, unknown> } };
  const hook = h.metadata?.annotations?.['helm.sh/hook'];
  const plainString = (v: unknown) => typeof v === 'string' && !/^\d{4}-\d/.test(v);
  if (!(h.kind === undefined || plainString(h.kind)) || !(hook === undefined || plainString(hook)))
    return undefined;
  return {
    kind: typeof h.kind === 'string' ? h.kind : '',
    hookAnn: hook as string | undefined,
    value: fast.value as Record<string, unknown>,
  };
}

/** The hook events Helm knows (releaseutil's events, test-success kept from Helm 2). */
const HOOK_EVENTS = new Set([
  'pre-install',
  'post-install',
  'pre-delete',
  'post-delete',
  'pre-upgrade',
  'post-upgrade',
  'pre-rollback',
  'post-rollback',
  'test',
  'test-success',
]);

/** `helm template` output: each manifest as `---\n# Source: path\n...`, in install order, hooks last. */
export function formatTemplateOutput(
  files: RenderedFile[],
  opts: { skipTests?: boolean; skipHooks?: boolean; helm42?: boolean; crds?: string } = {},
): string {
  const docs: { path: string; kind: string; hook: boolean; text: string; i: number }[] = [];
  let i = 0;
  for (const f of [...files].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    if (posix.basename(f.name) === 'NOTES.txt') continue;
    for (const text of splitManifests(f.content, opts.helm42)) {
      const { kind, hookAnn } = manifestHead(f.name, text);
      if (hookAnn !== undefined) {
        // releaseutil's events: one unknown event (an empty annotation too) drops the manifest,
        // which Helm only logs
        const events = hookAnn.split(',').map((e) => e.trim().toLowerCase());
        if (!events.every((e) => HOOK_EVENTS.has(e))) continue;
        if (opts.skipHooks) continue;
        if (opts.skipTests && events.some((e) => e === 'test' || e === 'test-success')) continue;
      }
      docs.push({ path: f.name, kind, hook: hookAnn !== undefined, text, i: i++ });
    }
  }
  const rank = (k: string) => {
    const r = INSTALL_ORDER.indexOf(k);
    return r < 0 ? INSTALL_ORDER.length : r;
  };
  // releaseutil's lessByKind: known kinds in install order, unknown kinds after them sorted by kind
  const byKind = (a: (typeof docs)[number], b: (typeof docs)[number]) => {
    const ra = rank(a.kind);
    const rb = rank(b.kind);
    if (ra === INSTALL_ORDER.length && rb === INSTALL_ORDER.length && a.kind !== b.kind)
      return a.kind < b.kind ? -1 : 1;
    return ra - rb || a.i - b.i;
  };
  const manifests = docs.filter((d) => !d.hook).sort(byKind);
  const hooks = docs.filter((d) => d.hook).sort(byKind);
  // helm prints the release's manifest (--include-crds' CRDs, then the manifests) trimmed and a
  // newline (so an empty render is one newline), then each hook as it is
  const doc = (d: (typeof docs)[number]) => `---\n# Source: ${d.path}\n${d.text}\n`;
  const manifest = (opts.crds ?? '') + manifests.map(doc).join('');
  return `${goTrimSpace(manifest)}\n${hooks.map(doc).join('')}`;
}
