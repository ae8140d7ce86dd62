// `gitops wait --env ENV [--revision SHA] [--timeout 10m]`: until the environment's Argo CD
// Application reports Synced and Healthy at that revision; exit 1 with what is wrong otherwise.
import { parseCommandLine } from './lib/args.ts';
import { git } from './lib/audit/history.ts';
import { connect } from './lib/cluster/client.ts';
import { environments, parseDuration, waitFor } from './lib/cluster/view.ts';
import { SourceError } from './lib/errors.ts';

const USAGE =
  'usage: gitops wait --env ENV [--revision SHA] [--timeout 10m] [--interval 5s] [--context NAME]';

export interface WaitArgs {
  env: string;
  revision?: string;
  timeout?: string;
  interval?: string;
  context?: string;
}

/** Used by `bump-image --wait` and `promote --wait` after pushing straight to a branch. */
export async function waitForEnv(
  repoRoot: string,
  args: WaitArgs,
  log = (s: string) => process.stderr.write(`${s}\n`),
): Promise<number> {
  const [app] = environments(repoRoot, [args.env]);
  if (!app) throw new SourceError('UNKNOWN_ENV', `no environment "${args.env}"`);
  const cluster = connect({ context: args.context });
  const revision = args.revision ?? git(repoRoot, ['rev-parse', 'HEAD']).trim();
  const result = await waitFor(cluster, app, {
    revision,
    timeoutMs: parseDuration(args.timeout ?? '10m'),
    intervalMs: parseDuration(args.interval ?? '5s'),
    onProgress: (why) => log(`waiting for ${args.env} (${app.namespace}/${app.name}): ${why}`),
  });
  if (result.ok) {
    log(`${args.env}: ${result.why}`);
    return 0;
  }
  log(`${args.env}: not live: ${result.why}`);
  return 1;
}

export async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(
    argv,
    {
      env: { type: 'string' },
      revision: { type: 'string' },
      timeout: { type: 'string' },
      interval: { type: 'string' },
      context: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    USAGE,
    false,
  );
  const v = parsed.values as Partial<WaitArgs> & { help?: boolean };
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!v.env) throw new SourceError('USAGE', 'wait needs --env ENV', { hint: USAGE });
  return waitForEnv(process.cwd(), { ...v, env: v.env });
}
