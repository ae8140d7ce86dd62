// Real git repositories for tests: commits with chosen authors, dates and messages.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTree } from './tmp.ts';

export interface TestRepo {
  dir: string;
  git(...args: string[]): string;
  /** Runs git with author and committer dates set (merges, amends). */
  gitAt(date: string, ...args: string[]): string;
  /** Writes files (null deletes), stages everything and commits; returns the commit id. */
  commit(
    files: Record<string, string | null>,
    message: string,
    opts?: { date?: string; author?: string },
  ): string;
}

export function gitRepo(dir = mkdtempSync(join(tmpdir(), 'gitops-git-'))): TestRepo {
  const baseEnv = {
    ...process.env,
    GIT_CONFIG_NOSYSTEM: '1',
    GIT_CONFIG_GLOBAL: '/dev/null',
    GIT_AUTHOR_NAME: 'Platform Engineer',
    GIT_AUTHOR_EMAIL: 'pe@example.com',
    GIT_COMMITTER_NAME: 'Platform Engineer',
    GIT_COMMITTER_EMAIL: 'pe@example.com',
  };
  const run = (args: string[], env: NodeJS.ProcessEnv = baseEnv) =>
    execFileSync('git', args, { cwd: dir, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  run(['init', '-q', '-b', 'main']);
  return {
    dir,
    git: (...args) => run(args),
    gitAt: (date, ...args) => run(args, { ...baseEnv, GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date }),
    commit(files, message, opts = {}) {
      const write: Record<string, string> = {};
      for (const [p, c] of Object.entries(files)) {
        if (c === null) rmSync(join(dir, p), { force: true });
        else write[p] = c;
      }
      writeTree(write, dir);
      run(['add', '-A']);
      const env: NodeJS.ProcessEnv = { ...baseEnv };
      if (opts.date) {
        env.GIT_AUTHOR_DATE = opts.date;
        env.GIT_COMMITTER_DATE = opts.date;
      }
      if (opts.author) {
        const m = /^(.*) <(.*)>$/.exec(opts.author);
        if (m) {
          env.GIT_AUTHOR_NAME = m[1];
          env.GIT_AUTHOR_EMAIL = m[2];
        }
      }
      run(['commit', '-q', '--allow-empty', '-m', message], env);
      return run(['rev-parse', 'HEAD']).trim();
    },
  };
}
