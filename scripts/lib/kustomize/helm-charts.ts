// `helmCharts:` inflation. The in-process Helm engine (scripts/lib/helm) is wired in by the Helm
// issue; until then a kustomization with helmCharts gets a clear error instead of a wrong render.
import { SourceError } from '../errors.ts';
import type { BuildContext } from './context.ts';
import type { Kustomization } from './kustomization.ts';
import type { Loader } from './loader.ts';
import type { Resource } from './resource.ts';

export function inflateHelmCharts(_ldr: Loader, k: Kustomization, ctx: BuildContext): Resource[] {
  if (!ctx.options.enableHelm) {
    throw new SourceError('HELM_DISABLED', 'must specify --enable-helm', {
      file: k.file,
      line: k.lines.helmCharts,
      hint: 'helmCharts are inflated only with --enable-helm',
    });
  }
  throw new SourceError(
    'HELM_UNSUPPORTED',
    'helmCharts inflation is not available yet in the in-process renderer',
    {
      file: k.file,
      line: k.lines.helmCharts,
    },
  );
}
