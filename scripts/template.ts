// `gitops template NAME CHART [-f FILE]... [--set|--set-string|--set-json|--set-file K=V]...
//   [--namespace NS] [--kube-version V] [--api-versions V]... [--include-crds] [--skip-tests]
//   [--show-only PATH]...`: what `helm template` prints, rendered in-process.
//   A render run again on the same inputs is printed from the render cache without loading the
//   engine (lib/helm/render-cache.ts), so this module imports the engine only when it renders.
import { readFileSync } from 'node:fs';
import { SourceError } from './lib/errors.ts';
import type { RenderedFile } from './lib/helm/index.ts';
import { cachedRender, renderKey, storeRender } from './lib/helm/render-cache.ts';
import { parseTemplateArgs, renderInputs, type SetKind, USAGE } from './lib/helm/template-args.ts';
import { type GoMap, type GoValue, goMap, isGoMap } from './lib/helm/values.ts';

/** Helm's strvals: `a.b=1,c[0]=x` into nested values; ints become int64, true/false bool, null nil. */
export function setValue(target: GoMap, expr: string, kind: SetKind): void {
  const parts = kind === 'json' || kind === 'file' ? [expr] : splitTopLevel(expr);
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq <= 0)
      throw new SourceError('USAGE', `--set${kind === 'set' ? '' : `-${kind}`} ${part}: expected key=value`, {
        hint: USAGE,
      });
    const path = part.slice(0, eq);
    const raw =
      kind === 'set' || kind === 'string' ? part.slice(eq + 1).replace(/\\(.)/g, '$1') : part.slice(eq + 1);
    let value: GoValue;
    if (kind === 'json') {
      try {
        value = toGo(JSON.parse(raw));
      } catch (e) {
        throw new SourceError('USAGE', `--set-json ${path}: ${(e as Error).message}`);
      }
    } else if (kind === 'file') value = readFileSync(raw, 'utf8');
    else if (kind === 'string') value = raw;
    else value = typed(raw);
    assign(target, path, value);
  }
}

function toGo(x: unknown): GoValue {
  if (Array.isArray(x)) return x.map(toGo);
  if (x !== null && typeof x === 'object') {
    const m = goMap();
    for (const [k, v] of Object.entries(x)) m[k] = toGo(v);
    return m;
  }
  return x as GoValue;
}

function typed(raw: string): GoValue {
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  if (raw === 'null') return null;
  if (/^[-+]?(0|[1-9][0-9]*)$/.test(raw)) {
    const b = BigInt(raw);
    if (b >= -(2n ** 63n) && b < 2n ** 63n) return b;
  }
  if (raw.startsWith('{') && raw.endsWith('}')) {
    const inner = raw.slice(1, -1);
    return inner === '' ? [] : splitTopLevel(inner).map(typed);
  }
  return raw;
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i] as string;
    if (c === '\\' && i + 1 < s.length) {
      // escapes stay until the key is split on dots (a\.b is one key) or the value is read
      cur += c + s[++i];
      continue;
    }
    if (c === '{') depth++;
    if (c === '}') depth--;
    if (c === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out;
}

function assign(target: GoMap, path: string, value: GoValue): void {
  const keys = path.match(/(?:\\.|[^.[\]])+|\[\d+\]/g) ?? [];
  let cur: GoValue = target;
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i] as string;
    const last = i === keys.length - 1;
    const idx = /^\[(\d+)\]$/.exec(k);
    if (idx) {
      if (!Array.isArray(cur))
        throw new SourceError('USAGE', `--set ${path}: ${keys.slice(0, i).join('.')} is not a list`);
      const n = Number(idx[1]);
      while (cur.length <= n) cur.push(null);
      if (last) cur[n] = value;
      else {
        const nextIsIndex = /^\[/.test(keys[i + 1] as string);
        if (!(nextIsIndex ? Array.isArray(cur[n]) : isGoMap(cur[n]))) cur[n] = nextIsIndex ? [] : goMap();
        cur = cur[n] as GoValue;
      }
      continue;
    }
    const key = k.replace(/\\(.)/g, '$1');
    const m = cur as GoMap;
    if (last) m[key] = value;
    else {
      const nextIsIndex = /^\[/.test(keys[i + 1] as string);
      if (!(nextIsIndex ? Array.isArray(m[key]) : isGoMap(m[key]))) m[key] = nextIsIndex ? [] : goMap();
      cur = m[key] as GoValue;
    }
  }
}

export async function main(argv: string[]): Promise<number> {
  const args = parseTemplateArgs(argv);
  const v = args.flags;
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const { name, chart: chartDir } = args;
  if (!name || !chartDir) throw new SourceError('USAGE', 'template needs NAME and CHART', { hint: USAGE });
  if (/^(oci|https?):\/\//.test(chartDir))
    throw new SourceError('REMOTE_CHART', `${chartDir}: remote charts are not fetched (no network)`, {
      hint: 'pull the chart into the repository and give its directory',
    });
  const key = renderKey(renderInputs(argv, { ...args, chart: chartDir }));
  const cached = cachedRender(key);
  if (cached) {
    process.stdout.write(cached);
    return 0;
  }
  const helm = await import('./lib/helm/index.ts');
  if (typeof v['kube-version'] === 'string') helm.parseKubeVersion(v['kube-version']);
  const problem = helm.releaseNameProblem(name);
  if (problem) throw new SourceError('HELM_RELEASE_NAME', `release name check failed: ${problem}`);
  const chart = helm.loadChart(chartDir);
  helm.checkDependencies(chart);
  let values = goMap();
  for (const f of args.valueFiles) values = helm.mergeValues(values, helm.readValues(f, 'user'));
  for (const { expr, kind } of args.sets) setValue(values, expr, kind);
  const seed = v.seed === undefined ? undefined : Number(v.seed);
  if (seed !== undefined && !Number.isInteger(seed))
    throw new SourceError('USAGE', `--seed ${String(v.seed)}: give an integer`, { hint: USAGE });
  const impure = new Set<string>();
  const crds: RenderedFile[] = [];
  const files = helm.renderChart(chart, {
    crds,
    seed,
    releaseName: name,
    namespace: (v.namespace as string | undefined) ?? 'default',
    values,
    kubeVersion: v['kube-version'] as string | undefined,
    apiVersions: v['api-versions'] as string[] | undefined,
    impure,
  });
  const full =
    (v['include-crds'] === true ? helm.crdsOutput(crds) : '') +
    helm.formatTemplateOutput(files, { skipTests: v['skip-tests'] === true });
  const only = v['show-only'] as string[] | undefined;
  const output = only?.length ? helm.showOnly(full, only) : full;
  process.stdout.write(output);
  if (impure.size === 0) storeRender(key, output);
  return 0;
}
