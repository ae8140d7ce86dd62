// Dispatches `gitops <command> ...` to the entry point of that command. Each entry point exports
// `main(argv): Promise<number>` and is imported lazily, so `gitops build` never loads git or HTTP
// clients. Errors a user can cause are SourceErrors: printed on one line, no stack trace.
import { runCommand } from './lib/errors.ts';

type Main = (argv: string[]) => Promise<number>;

const commands: Record<string, { summary: string; load: () => Promise<{ main: Main }> }> = {
  build: { summary: 'render one kustomization, as `kustomize build`', load: () => import('./build.ts') },
  render: { summary: 'render every overlay (or the named ones)', load: () => import('./render.ts') },
  check: { summary: 'render, validate schemas and enforce policies', load: () => import('./check.ts') },
  validate: {
    summary: 'check any manifests against schemas and policies',
    load: () => import('./validate.ts'),
  },
  template: { summary: 'render a Helm chart, as `helm template`', load: () => import('./template.ts') },
  'bump-image': {
    summary: 'change an image in an overlay, check, commit, open a merge request',
    load: () => import('./bump-image.ts'),
  },
  promote: {
    summary: 'copy image versions from one environment to another',
    load: () => import('./promote.ts'),
  },
  capacity: {
    summary: 'simulate the nightly window: replicas, CPU and memory over time',
    load: () => import('./capacity.ts'),
  },
  audit: { summary: 'the deployment ledger from git history', load: () => import('./audit.ts') },
  status: { summary: 'Argo CD sync status and images running versus git', load: () => import('./status.ts') },
  wait: {
    summary: 'wait until an environment is synced and healthy at a revision',
    load: () => import('./wait.ts'),
  },
  drift: { summary: 'rendered objects against the live objects', load: () => import('./drift.ts') },
};

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((c) => c.length));
  const lines = Object.entries(commands).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return `usage: gitops <command> [flags]\n\ncommands:\n${lines.join('\n')}\n`;
}

export async function run(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`error USAGE: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  return runCommand(async (argv) => (await command.load()).main(argv), rest);
}
