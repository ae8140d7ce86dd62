// Commands whose issue is still open are registered so `gitops --help` shows the whole toolkit;
// running one says plainly that it is not available yet instead of failing obscurely.
import { SourceError } from './errors.ts';

export function unavailable(command: string, issue: string): (argv: string[]) => Promise<number> {
  return async () => {
    throw new SourceError('NOT_AVAILABLE', `\`gitops ${command}\` is not available yet`, {
      hint: `it arrives with the ${issue}; see the README for what works today`,
    });
  };
}
