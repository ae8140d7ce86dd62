#!/usr/bin/env node
// The `gitops` command: registers the TypeScript loader (no build step) and hands over to the
// dispatcher, which maps a subcommand to its entry point in scripts/.
import { register } from 'tsx/esm/api';

register();
const { run } = await import('../cli.ts');
process.exitCode = await run(process.argv.slice(2));
