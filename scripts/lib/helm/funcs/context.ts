// What the template functions need from the engine that runs them.
import type { GoValue } from '../values.ts';

export interface FuncContext {
  /** Executes a named template with `data` as dot and returns its output (Helm's include). */
  include(name: string, data: GoValue): string;
  /** Parses `text` as a template beside the chart's and executes it (Helm's tpl). */
  tpl(text: string, data: GoValue): string;
  /** A seeded generator for reproducible random functions (`--seed`); Math.random otherwise. */
  random?: () => number;
  /** Helm's lookup: offline there is no cluster, so an empty map. */
  lookup?(apiVersion: string, kind: string, namespace: string, name: string): GoValue;
  /** Helm 4.2's functions too (mustToToml). */
  helm42?: boolean;
}
