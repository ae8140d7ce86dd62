// `gitops drift --env ENV`: the rendered objects against the live ones, ignoring what is expected
// to differ (replicas KEDA manages, the Application's ignoreDifferences, fields only controllers
// set); exit 1 on drift.
import { parseCommandLine } from './lib/args.ts';
import { connect } from './lib/cluster/client.ts';
import { CLUSTER_VIEW_FLAGS, drift, environments, formatDrift } from './lib/cluster/view.ts';
import { SourceError } from './lib/errors.ts';

const USAGE = 'usage: gitops drift --env ENV [--context NAME] [--format text|json]';

export async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, CLUSTER_VIEW_FLAGS, USAGE, false);
  const v = parsed.values as { env?: string[]; context?: string; format: string; help?: boolean };
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (!v.env?.length) throw new SourceError('USAGE', 'drift needs --env ENV', { hint: USAGE });
  const cluster = connect({ context: v.context });
  let drifted = 0;
  const report: Record<string, unknown> = {};
  for (const app of environments(process.cwd(), v.env)) {
    const items = await drift(cluster, app);
    drifted += items.length;
    if (v.format === 'json') report[app.env] = items;
    else process.stdout.write(formatDrift(app.env, items));
  }
  if (v.format === 'json') process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  return drifted > 0 ? 1 : 0;
}
