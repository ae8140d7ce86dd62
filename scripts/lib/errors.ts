// One error type for everything a user can get wrong: a stable code, the file and position it
// concerns, a one-line message and, when we know it, a hint on how to fix it. The CLI prints it
// with formatError and exits non-zero; nothing else ever reaches the user as a stack trace.

export interface SourcePosition {
  file?: string;
  line?: number;
  col?: number;
}

export class SourceError extends Error {
  readonly code: string;
  readonly file?: string;
  readonly line?: number;
  readonly col?: number;
  readonly hint?: string;
  /** Exit code the CLI should use (2: broken input; 1: a failed gate). */
  readonly exitCode: number;
  /** Warnings met before the failure (kustomize's deprecations), printed before it. */
  warnings?: string[];

  constructor(
    code: string,
    message: string,
    opts: SourcePosition & { hint?: string; exitCode?: number; cause?: unknown } = {},
  ) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'SourceError';
    this.code = code;
    this.file = opts.file;
    this.line = opts.line;
    this.col = opts.col;
    this.hint = opts.hint;
    this.exitCode = opts.exitCode ?? 2;
  }
}

export function isSourceError(err: unknown): err is SourceError {
  return err instanceof SourceError;
}

/** `file:line:col: error CODE: message` then the hint, as a compiler would print it. */
export function formatError(err: unknown): string {
  if (err instanceof SourceError) {
    let where = err.file ?? '';
    if (where && err.line !== undefined) where += `:${err.line}`;
    if (where && err.line !== undefined && err.col !== undefined) where += `:${err.col}`;
    let out = `${where ? `${where}: ` : ''}error ${err.code}: ${err.message}`;
    if (err.hint) out += `\n  hint: ${err.hint}`;
    return out;
  }
  if (err instanceof Error) return `error INTERNAL: ${err.message}`;
  return `error INTERNAL: ${String(err)}`;
}

/**
 * Runs a command's `main`, printing an error as formatError does (a stack trace only with
 * GITOPS_DEBUG, for errors that are not the user's) and returning the exit code.
 */
export async function runCommand(main: (argv: string[]) => Promise<number>, argv: string[]): Promise<number> {
  try {
    return await main(argv);
  } catch (err) {
    process.stderr.write(`${formatError(err)}\n`);
    if (!(err instanceof SourceError) && process.env.GITOPS_DEBUG) console.error(err);
    return err instanceof SourceError ? err.exitCode : 70;
  }
}
