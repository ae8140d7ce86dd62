// The command line of `gitops template`, read the same way by the command (../../template.ts) and
// by the launcher's render-cache lookup (template-hit.ts). Light: node: and errors.ts only.
import { parseCommandLine } from '../args.ts';
import type { RenderInputs } from './render-cache.ts';
import type { SetKind } from './strvals.ts';

export const USAGE = `usage: gitops template NAME CHART [-f FILE]...
                       [--set|--set-string|--set-json|--set-file|--set-literal K=V]...
                       [--namespace NS] [--kube-version V] [--api-versions V]... [--include-crds]
                       [--skip-tests] [--no-hooks] [--show-only PATH]... [--seed N]
                       [--helm-version 4.1.4|4.2.3]
  --helm-version V    the Helm 4 to follow where releases differ: 4.1.4 (default) or 4.2.3
                      (what Argo CD 3.5's Helm 4.2.1 renders; only .Capabilities.HelmVersion differs)
  --seed N            random functions (randAlphaNum, uuidv4, shuffle...) reproducible
  SOURCE_DATE_EPOCH   (environment, Unix seconds) the clock of now, date and ago
  GITOPS_CACHE=0      render afresh: neither reuse an earlier identical render nor a parsed values.yaml
                      (renders that call random functions without --seed, or the clock without
                      SOURCE_DATE_EPOCH, are never reused)`;

export interface TemplateArgs {
  flags: Record<string, string | string[] | boolean | undefined>;
  name: string | undefined;
  chart: string | undefined;
  valueFiles: string[];
  /** --set, --set-string, --set-json, --set-file and --set-literal in command-line order. */
  sets: { expr: string; kind: SetKind }[];
}

/** The flags and positionals of `argv`; a flag gitops does not know is a usage error. */
export function parseTemplateArgs(argv: string[]): TemplateArgs {
  const parsed = parseCommandLine(
    argv,
    {
      values: { type: 'string', short: 'f', multiple: true },
      set: { type: 'string', multiple: true },
      'set-string': { type: 'string', multiple: true },
      'set-json': { type: 'string', multiple: true },
      'set-file': { type: 'string', multiple: true },
      'set-literal': { type: 'string', multiple: true },
      namespace: { type: 'string', short: 'n' },
      'kube-version': { type: 'string' },
      'api-versions': { type: 'string', short: 'a', multiple: true },
      'include-crds': { type: 'boolean' },
      'skip-tests': { type: 'boolean' },
      'no-hooks': { type: 'boolean' },
      'show-only': { type: 'string', short: 's', multiple: true },
      seed: { type: 'string' },
      'helm-version': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
  );
  const flags = parsed.values as TemplateArgs['flags'];
  // parseArgs keeps each kind of --set apart: their order across kinds comes from argv
  const sets: TemplateArgs['sets'] = [];
  for (let i = 0; i < argv.length; i++) {
    const m = /^--set(?:-(string|json|file|literal))?(?:=(.*))?$/s.exec(argv[i] as string);
    if (!m) continue;
    const expr = m[2] ?? (argv[++i] as string);
    sets.push({ expr, kind: (m[1] ?? 'set') as SetKind });
  }
  const [name, chart] = parsed.positionals;
  return { flags, name, chart, valueFiles: (flags.values as string[] | undefined) ?? [], sets };
}

/** What a render of these arguments reads from disk, for its cache key. */
export function renderInputs(argv: string[], args: TemplateArgs & { chart: string }): RenderInputs {
  return {
    argv,
    chart: args.chart,
    files: [
      ...args.valueFiles,
      ...args.sets.filter((s) => s.kind === 'file').flatMap((s) => setFilePaths(s.expr)),
    ],
  };
}

/** The files a --set-file line reads: the value of each name=path pair (`\\` escaping, as strvals reads it). */
function setFilePaths(expr: string): string[] {
  const paths: string[] = [];
  let cur = '';
  let inValue = false;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i] as string;
    if (c === '\\' && i + 1 < expr.length) {
      if (inValue) cur += expr[++i];
      else i++;
    } else if (c === '=' && !inValue) inValue = true;
    else if (c === ',' && inValue) {
      paths.push(cur);
      cur = '';
      inValue = false;
    } else if (inValue) cur += c;
  }
  if (inValue) paths.push(cur);
  return paths;
}
