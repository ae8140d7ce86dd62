// `gitops status [--env ENV] [--context NAME]`: each environment's Argo CD Application: sync status,
// health, the revision synced and when, and the images running versus the images in git.
import { parseCommandLine } from './lib/args.ts';
import { connect } from './lib/cluster/client.ts';
import { appStatus, CLUSTER_VIEW_FLAGS, environments, fetchApplication } from './lib/cluster/view.ts';

const USAGE = 'usage: gitops status [--env ENV]... [--context NAME] [--format text|json]';

export async function main(argv: string[]): Promise<number> {
  const parsed = parseCommandLine(argv, CLUSTER_VIEW_FLAGS, USAGE, false);
  const v = parsed.values as { env?: string[]; context?: string; format: string; help?: boolean };
  if (v.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const envs = environments(process.cwd(), v.env ?? []);
  const cluster = connect({ context: v.context });
  const statuses = [];
  for (const app of envs) statuses.push(appStatus(app, await fetchApplication(cluster, app)));
  if (v.format === 'json') {
    process.stdout.write(`${JSON.stringify({ server: cluster.server, environments: statuses }, null, 2)}\n`);
  } else {
    const lines: string[] = [];
    for (const s of statuses) {
      lines.push(
        `${s.env}  ${s.application}  ${s.sync}/${s.health}  revision ${s.revision.slice(0, 12) || '(none)'}  synced ${s.syncedAt || '(never)'}`,
      );
      if (s.operation && s.operation.phase !== 'Succeeded')
        lines.push(`  operation ${s.operation.phase}: ${s.operation.message}`);
      for (const d of s.degraded)
        lines.push(`  ${d.kind} ${d.namespace ? `${d.namespace}/` : ''}${d.name}: ${d.message}`);
      for (const i of s.imagesOnlyInGit) lines.push(`  image in git, not running: ${i}`);
      for (const i of s.imagesOnlyLive) lines.push(`  image running, not in git: ${i}`);
      if (!s.imagesOnlyInGit.length && !s.imagesOnlyLive.length)
        lines.push(`  images: running what git says (${s.imagesGit.length})`);
    }
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  return 0;
}
