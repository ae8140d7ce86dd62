// Image references as the OCI distribution spec and Docker's reference grammar define them, and
// the order between two builds of one image (pipeline id, build time, or semver of the tag).
import { SourceError } from '../errors.ts';

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN =
  '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?';
const NAME = new RegExp(`^(?:${DOMAIN}/)?${COMPONENT}(?:/${COMPONENT})*$`);
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

export function validateImage(name: string, tag: string | undefined, digest: string | undefined): void {
  if (!NAME.test(name) || name.length > 255)
    throw new SourceError('BAD_IMAGE', `"${name}" is not a valid image name`, {
      hint: 'lowercase path components separated by "/", optionally after a registry host[:port], e.g. registry.dw.example.com/dw/dags-sales',
    });
  if (tag === undefined && digest === undefined)
    throw new SourceError('USAGE', 'give --tag, --digest or both', {
      hint: 'e.g. --tag 2026.11.24-d41e9a0 --digest sha256:...',
    });
  if (tag !== undefined) {
    if (!TAG.test(tag))
      throw new SourceError('BAD_IMAGE', `"${tag}" is not a valid tag`, {
        hint: 'up to 128 characters of letters, digits, "_", "." and "-", not starting with "." or "-"',
      });
    if (tag === 'latest')
      throw new SourceError('BAD_IMAGE', 'refusing the tag "latest": it names no particular build', {
        hint: 'tag images with something unique (commit, date, version) and bump to that',
      });
  }
  if (digest !== undefined && !DIGEST.test(digest))
    throw new SourceError('BAD_IMAGE', `"${digest}" is not a sha256 digest`, {
      hint: 'sha256: followed by 64 lowercase hex digits',
    });
}

/** `tag@sha256:abcdef1` style short form for subjects. */
export function shortVersion(v: { newTag?: string; digest?: string } | undefined): string {
  if (!v || (!v.newTag && !v.digest)) return '(unset)';
  const d = v.digest ? v.digest.replace(/^sha256:/, '').slice(0, 7) : '';
  if (v.newTag && d) return `${v.newTag}@${d}`;
  return v.newTag ?? d;
}

export function fullReference(
  name: string,
  v: { newName?: string; newTag?: string; digest?: string },
): string {
  return `${v.newName ?? name}${v.newTag ? `:${v.newTag}` : ''}${v.digest ? `@${v.digest}` : ''}`;
}

/** How builds of an image are ordered: `pipeline:<id>`, `time:<ISO>` or `semver:<x.y.z>`. */
export type OrderKey = string;

const SEMVER = /^v?(\d+)\.(\d+)\.(\d+)(?:-([0-9A-Za-z.-]+))?(?:\+.*)?$/;

export function orderKeyFor(opts: {
  pipelineId?: string;
  buildTime?: string;
  tag?: string;
}): OrderKey | undefined {
  if (opts.pipelineId && /^\d+$/.test(opts.pipelineId)) return `pipeline:${opts.pipelineId}`;
  if (opts.buildTime && !Number.isNaN(Date.parse(opts.buildTime)))
    return `time:${new Date(opts.buildTime).toISOString()}`;
  if (opts.tag && SEMVER.test(opts.tag)) return `semver:${opts.tag}`;
  return undefined;
}

function semverCompare(a: string, b: string): number {
  const x = SEMVER.exec(a) as RegExpExecArray;
  const y = SEMVER.exec(b) as RegExpExecArray;
  for (let i = 1; i <= 3; i++) {
    const d = Number(x[i]) - Number(y[i]);
    if (d !== 0) return Math.sign(d);
  }
  if (x[4] === y[4]) return 0;
  if (!x[4]) return 1;
  if (!y[4]) return -1;
  return (x[4] as string) < (y[4] as string) ? -1 : 1;
}

/** -1, 0 or 1 when both keys use one scheme; undefined when they cannot be compared. */
export function compareOrder(a: OrderKey | undefined, b: OrderKey | undefined): number | undefined {
  if (!a || !b) return undefined;
  const [sa, va] = [a.slice(0, a.indexOf(':')), a.slice(a.indexOf(':') + 1)];
  const [sb, vb] = [b.slice(0, b.indexOf(':')), b.slice(b.indexOf(':') + 1)];
  if (sa !== sb) return undefined;
  if (sa === 'pipeline') return Math.sign(Number(va) - Number(vb));
  if (sa === 'time') return Math.sign(Date.parse(va) - Date.parse(vb));
  if (sa === 'semver') return semverCompare(va, vb);
  return undefined;
}
