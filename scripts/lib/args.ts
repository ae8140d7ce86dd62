// The command line of a `gitops` command, read with node:util's parseArgs: a flag the command does
// not know, one without its value, or an operand where the command takes none, is a usage error
// that shows the command's usage.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { SourceError } from './errors.ts';

export function parseCommandLine(
  argv: string[],
  options: NonNullable<ParseArgsConfig['options']>,
  usage: string,
  allowPositionals = true,
): ReturnType<typeof parseArgs> {
  try {
    return parseArgs({ args: argv, allowPositionals, options });
  } catch (err) {
    throw new SourceError('USAGE', (err as Error).message, { hint: usage });
  }
}
