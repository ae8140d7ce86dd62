// `gitops template NAME CHART [-f FILE]... [--set|--set-string|--set-json|--set-file|--set-literal K=V]...
//   [--namespace NS] [--kube-version V] [--api-versions V]... [--include-crds] [--skip-tests]
//   [--show-only PATH]...`: what `helm template` prints, rendered in-process.
//   A render run again on the same inputs is printed from the render cache without loading the
//   engine (lib/helm/render-cache.ts), so this module imports the engine only when it renders.
import { SourceError } from './lib/errors.ts';
import type { RenderedFile } from './lib/helm/index.ts';
import { cachedRender, renderKey, storeRender } from './lib/helm/render-cache.ts';
import { parseTemplateArgs, renderInputs, USAGE } from './lib/helm/template-args.ts';
import { goMap } from './lib/helm/values.ts';

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
  const helmVersion = (v['helm-version'] as string | undefined)?.replace(/^v/, '') ?? '4.1.4';
  if (!(helm.HELM_VERSIONS as readonly string[]).includes(helmVersion))
    throw new SourceError('USAGE', `unsupported --helm-version ${String(v['helm-version'])}`, {
      hint: `give one of ${helm.HELM_VERSIONS.join(', ')}`,
    });
  const helm42 = helmVersion === '4.2.3';
  const chart = helm.loadChart(chartDir);
  helm.checkDependencies(chart, helm42);
  let values = goMap();
  for (const f of args.valueFiles) values = helm.mergeValues(values, helm.readValues(f, 'user'));
  values = (await import('./lib/helm/strvals.ts')).applySets(values, args.sets, USAGE);
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
    helmVersion: helmVersion as import('./lib/helm/index.ts').HelmVersion,
    impure,
  });
  const full = helm.formatTemplateOutput(files, {
    skipTests: v['skip-tests'] === true,
    skipHooks: v['no-hooks'] === true,
    helm42,
    crds: v['include-crds'] === true ? helm.crdsOutput(crds) : '',
  });
  const only = v['show-only'] as string[] | undefined;
  const output = only?.length ? helm.showOnly(full, only, helm42) : full;
  process.stdout.write(output);
  if (impure.size === 0) storeRender(key, output);
  return 0;
}
