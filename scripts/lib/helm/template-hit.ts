// The launcher's shortcut for `gitops template` run again on the same inputs: bundled on its own as
// CommonJS (scripts/tools/bundle.mjs) and required by scripts/bin/gitops.cjs before anything else
// is loaded, so a cached render is printed without starting Node's ES module loader or the engine
// (~130 ms in all, of which ~85 ms are Node's own start). Anything unusual (help, a usage error, a
// remote chart, no entry) is left to the command itself.
import { cachedRender, renderKey } from './render-cache.ts';
import { parseTemplateArgs, renderInputs } from './template-args.ts';

/** The output of an earlier identical render, or undefined to run the command. */
export function cachedTemplate(argv: string[]): Buffer | undefined {
  try {
    const args = parseTemplateArgs(argv);
    if (args.flags.help || !args.name || !args.chart) return undefined;
    return cachedRender(renderKey(renderInputs(argv, { ...args, chart: args.chart })));
  } catch {
    return undefined;
  }
}
