// `gitops template` on its own, bundled as CommonJS (scripts/tools/bundle.mjs) and required by the
// launcher (scripts/bin/gitops.cjs) when the render cache has no answer: Node's ES module loader
// costs ~45 ms of a first render of the official Airflow chart, this path none of it.
import { main } from '../../template.ts';
import { runCommand } from '../errors.ts';

export function run(argv: string[]): Promise<number> {
  return runCommand(main, argv);
}
