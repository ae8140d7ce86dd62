// The SourceError a kustomize build fails with; fails the test when the build succeeds or throws
// anything else.
import { SourceError } from '../../scripts/lib/errors.ts';
import { type BuildOptions, build } from '../../scripts/lib/kustomize/index.ts';

export function buildError(dir: string, options: BuildOptions = {}): SourceError {
  try {
    build(dir, options);
  } catch (e) {
    if (e instanceof SourceError) return e;
    throw e;
  }
  throw new Error(`the build of ${dir} did not fail`);
}
