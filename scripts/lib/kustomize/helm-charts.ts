// `helmCharts:` inflation (api/internal/builtins/HelmChartInflationGenerator.go) with the in-process
// Helm engine instead of a `helm template` process: the chart under helmGlobals.chartHome
// (default `charts/`), the values file (the chart's values.yaml by default) with valuesInline merged
// by valuesMerge, additionalValuesFiles, releaseName or nameTemplate, namespace, apiVersions,
// kubeVersion, includeCRDs, skipTests, skipHooks. Remote repositories are refused: no network.
import { existsSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { SourceError } from '../errors.ts';
import {
  checkDependencies,
  crdsOutput,
  formatTemplateOutput,
  HELM3_DEFAULT_KUBE_VERSION,
  loadChart,
  mergeValues,
  type RenderedFile,
  readValues,
  releaseNameProblem,
  renderChart,
  renderNameTemplate,
} from '../helm/index.ts';
import { type GoMap, type GoValue, goMap } from '../helm/values.ts';
import { isMap, type JsonMap, type JsonValue } from '../json.ts';
import type { BuildContext } from './context.ts';
import type { Kustomization } from './kustomization.ts';
import type { Loader } from './loader.ts';
import { strategicMerge } from './patch/smp.ts';
import { ANNO, type Resource } from './resource.ts';
import { resourcesFromText } from './target.ts';
import { since58 } from './version.ts';
import { readYamlDocuments } from './yaml-io.ts';

function toGo(v: JsonValue): GoValue {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return v;
  if (Array.isArray(v)) return v.map(toGo);
  if (isMap(v)) {
    const m = goMap();
    for (const [k, x] of Object.entries(v)) m[k] = toGo(x);
    return m;
  }
  return v as GoValue;
}

const str = (v: JsonValue | undefined) => (typeof v === 'string' ? v : '');

/**
 * `rootNamespace` is the namespace of the nearest kustomization above this one that sets one:
 * kustomize 5.8 renders a chart without its own namespace in this kustomization's namespace, or
 * else that one (kusttarget.go helmRootNamespace, kustomize#5940 and #6044); 5.7 in "default".
 */
export function inflateHelmCharts(
  ldr: Loader,
  k: Kustomization,
  ctx: BuildContext,
  rootNamespace = '',
): Resource[] {
  const where = { file: k.file, line: k.lines.helmCharts };
  if (!ctx.options.enableHelm)
    throw new SourceError('HELM_DISABLED', 'must specify --enable-helm', {
      ...where,
      hint: 'helmCharts are inflated only with --enable-helm',
    });
  const globals = (k.helmGlobals ?? {}) as JsonMap;
  const chartHomeCfg = str(globals.chartHome) || 'charts';
  const out: Resource[] = [];
  for (const chart of k.helmCharts ?? []) {
    const name = str(chart.name);
    if (!name) throw new SourceError('BAD_KUSTOMIZATION', 'chart name cannot be empty', where);
    const repo = str(chart.repo);
    const version = str(chart.version);
    let home = isAbsolute(chartHomeCfg) ? chartHomeCfg : join(ldr.root, chartHomeCfg);
    if (version && repo) home = join(home, `${name}-${version}`);
    const dir = join(home, name);
    if (!existsSync(join(dir, 'Chart.yaml'))) {
      if (!repo)
        throw new SourceError('HELM_CHART', `no repo specified for pull, no chart found at '${dir}'`, where);
      throw new SourceError(
        'REMOTE_CHART',
        `chart ${name} is not in ${home} and remote repositories are not fetched (${repo})`,
        {
          ...where,
          hint: `pull it once (helm pull ${repo}/${name}${version ? ` --version ${version}` : ''} --untar --untardir ${chartHomeCfg}) and commit it`,
        },
      );
    }
    const valuesMerge = str(chart.valuesMerge) || 'override';
    if (!['merge', 'override', 'replace'].includes(valuesMerge))
      throw new SourceError(
        'BAD_KUSTOMIZATION',
        'valuesMerge must be one of [merge override replace]',
        where,
      );
    const valuesFile = str(chart.valuesFile)
      ? join(ldr.root, str(chart.valuesFile))
      : join(dir, 'values.yaml');
    // kustomize reads the values file, the chart's values.yaml when none is given, and fails
    // without it
    if (!existsSync(valuesFile))
      throw new SourceError(
        'HELM_VALUES',
        `evalsymlink failure on '${valuesFile}' : lstat ${valuesFile}: no such file or directory`,
        { ...where, hint: 'give the chart a values.yaml (it may be empty: {}), or a valuesFile' },
      );
    // through the loader, as kustomize reads it: outside the root only without load restrictions
    ldr.resolvePath(valuesFile, where.file);
    let values = readValues(valuesFile, str(chart.valuesFile) ? 'user' : 'chart-values', 3);
    const inline = chart.valuesInline;
    if (isMap(inline) && Object.keys(inline).length > 0) {
      if (valuesMerge === 'replace') values = toGo(inline) as GoMap;
      else {
        // kustomize merges the values file (read by kyaml, go-yaml v3) and valuesInline with
        // kyaml's merge2 (replaceValuesInline): the values of the side walked as the destination
        // that are empty (`key:`) are dropped, written nulls kept; the other side's win
        const file = (readYamlDocuments(ldr.load(valuesFile, where.file), valuesFile)[0]?.value ??
          {}) as JsonMap;
        const merged =
          valuesMerge === 'override'
            ? strategicMerge(isMap(file) ? file : {}, inline, undefined)
            : strategicMerge(inline, isMap(file) ? file : {}, undefined);
        values = toGo(merged ?? {}) as GoMap;
      }
    }
    for (const f of Array.isArray(chart.additionalValuesFiles) ? chart.additionalValuesFiles : []) {
      const p = join(ldr.root, String(f));
      if (!existsSync(p))
        throw new SourceError('HELM_VALUES', `could not load additionalValuesFile: ${String(f)}`, where);
      try {
        ldr.resolvePath(p, where.file);
      } catch (e) {
        if (!(e instanceof SourceError)) throw e;
        throw new SourceError(e.code, `could not load additionalValuesFile: ${e.message}`, {
          ...where,
          hint: e.hint,
        });
      }
      values = mergeValues(values, readValues(p, 'user', 3));
    }
    const loaded = loadChart(dir, 3);
    ctx.usedHelm = true;
    checkDependencies(loaded);
    // kustomize runs `helm template [RELEASE | --generate-name] --name-template T`: a name and a
    // template together are refused, the template is rendered, and with neither helm template
    // falls back to its own default, release-name
    if (str(chart.releaseName) && str(chart.nameTemplate))
      throw new SourceError('HELM_RELEASE_NAME', 'cannot set --name-template and also specify a name', where);
    const release =
      str(chart.releaseName) ||
      (str(chart.nameTemplate) ? renderNameTemplate(str(chart.nameTemplate)) : 'release-name');
    const problem = releaseNameProblem(release);
    if (problem) throw new SourceError('HELM_RELEASE_NAME', problem, where);
    const crds: RenderedFile[] = [];
    const files = renderChart(loaded, {
      crds,
      helmMajor: 3,
      releaseName: release,
      namespace: str(chart.namespace) || (since58() ? k.namespace || rootNamespace : '') || 'default',
      values,
      kubeVersion: str(chart.kubeVersion) || ctx.options.helmKubeVersion || HELM3_DEFAULT_KUBE_VERSION,
      apiVersions: Array.isArray(chart.apiVersions) ? chart.apiVersions.map(String) : undefined,
    });
    const text = formatTemplateOutput(files, {
      skipTests: chart.skipTests === true,
      skipHooks: chart.skipHooks === true,
      crds: chart.includeCRDs === true ? crdsOutput(crds) : '',
    });
    const inflated = resourcesFromText(text, join(dir, 'Chart.yaml'));
    if (since58()) for (const r of inflated) r.setAnnotation(ANNO.helmGenerated, 'true');
    out.push(...inflated);
  }
  return out;
}
