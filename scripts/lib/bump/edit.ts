// A byte-minimal edit of a kustomization's `images:` entry. The `yaml` package parses the file and
// gives the source range of every node; the edit replaces only the bytes of the values that change
// (or inserts one line per new key, or one entry), so comments, key order, quoting and blank lines
// survive and the diff is the changed line.
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { SourceError } from '../errors.ts';
import { resolvesToString } from '../yaml/goyaml2.ts';

export interface ImageValue {
  newName?: string;
  newTag?: string;
  digest?: string;
}

export interface ImageEntry extends ImageValue {
  name: string;
}

function scalarText(v: string, like?: Scalar): string {
  const type = like?.type;
  if (type === 'QUOTE_DOUBLE') return JSON.stringify(v);
  if (type === 'QUOTE_SINGLE') return `'${v.replaceAll("'", "''")}'`;
  // plain when it reads back as the same string (YAML 1.1 and 1.2 alike), else double-quoted
  const plainSafe = /^[A-Za-z0-9_.][A-Za-z0-9._/@:+-]*$/.test(v) && resolvesToString(v);
  return plainSafe ? v : JSON.stringify(v);
}

interface Parsed {
  text: string;
  images: YAMLSeq | undefined;
  root: YAMLMap;
}

function parse(text: string, file: string): Parsed {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, keepSourceTokens: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0] as { message: string; pos: [number, number] };
    throw new SourceError('BAD_YAML', (e.message.split('\n')[0] ?? '').trim(), {
      file,
      line: lc.linePos(e.pos[0]).line,
    });
  }
  const root = doc.contents;
  if (!isMap(root))
    throw new SourceError('BAD_KUSTOMIZATION', 'the kustomization is not a YAML map', { file });
  const images = root.get('images', true);
  if (images !== undefined && !isSeq(images))
    throw new SourceError('BAD_KUSTOMIZATION', '`images:` is not a list', {
      file,
      hint: 'images: is a list of {name, newName, newTag, digest}',
    });
  return { text, images: images as YAMLSeq | undefined, root };
}

/** The images: entries as written. */
export function readImages(text: string, file: string): ImageEntry[] {
  const { images } = parse(text, file);
  if (!images) return [];
  return images.items.filter(isMap).map((m) => {
    const s = (k: string) => {
      const v = (m as YAMLMap).get(k);
      return v === undefined || v === null ? undefined : String(v);
    };
    return { name: s('name') ?? '', newName: s('newName'), newTag: s('newTag'), digest: s('digest') };
  });
}

function lineStart(text: string, offset: number): number {
  return text.lastIndexOf('\n', offset - 1) + 1;
}

function _indentAt(text: string, offset: number): string {
  const start = lineStart(text, offset);
  return (/^[ \t]*/.exec(text.slice(start)) as RegExpExecArray)[0];
}

/** Sets newTag/digest (and newName when given) of the entry for `name`, adding the entry or the
 * `images:` list when missing. Keys set to undefined in `value` are left as they are; keys set to
 * null are removed. */
export function setImage(
  text: string,
  file: string,
  name: string,
  value: { newName?: string | null; newTag?: string | null; digest?: string | null },
): string {
  const { images } = parse(text, file);
  const fields = (['newName', 'newTag', 'digest'] as const).filter((k) => value[k] !== undefined);
  if (!images) {
    const nl = text.endsWith('\n') || text === '' ? '' : '\n';
    const lines = [`images:`, `- name: ${scalarText(name)}`];
    for (const k of fields) if (value[k] !== null) lines.push(`  ${k}: ${scalarText(value[k] as string)}`);
    return `${text}${nl}${lines.join('\n')}\n`;
  }
  const entry = images.items.find((m) => isMap(m) && String((m as YAMLMap).get('name')) === name) as
    | YAMLMap
    | undefined;
  if (!entry) {
    const last = images.items[images.items.length - 1] as YAMLMap | undefined;
    if (images.flow || !last || !last.range)
      throw new SourceError(
        'CANNOT_EDIT',
        'images: is written in flow style ([...]); cannot add an entry byte-minimally',
        {
          file,
          hint: 'write images: as a block list (one "- name: ..." per entry)',
        },
      );
    // insert after the last entry, with its indentation
    const firstKeyOffset = ((last.items[0]?.key as Scalar | undefined)?.range?.[0] ??
      last.range[0]) as number;
    const ls = lineStart(text, firstKeyOffset);
    const dashLine = text.slice(ls, firstKeyOffset);
    const dash = dashLine.indexOf('-');
    const itemIndent = dash >= 0 ? dashLine.slice(0, dash) : ' '.repeat(Math.max(0, dashLine.length - 2));
    const childIndent = ' '.repeat(firstKeyOffset - ls);
    const end = last.range[1];
    const eol = text.indexOf('\n', end - 1);
    const insertAt = text[end - 1] === '\n' ? end : eol < 0 ? text.length : eol + 1;
    const lines = [`${itemIndent}- name: ${scalarText(name)}`];
    for (const k of fields)
      if (value[k] !== null) lines.push(`${childIndent}${k}: ${scalarText(value[k] as string)}`);
    const prefix = insertAt === text.length && !text.endsWith('\n') ? '\n' : '';
    return `${text.slice(0, insertAt)}${prefix}${lines.join('\n')}\n${text.slice(insertAt)}`;
  }
  if (entry.flow)
    throw new SourceError('CANNOT_EDIT', `the images: entry for ${name} is in flow style ({...})`, {
      file,
      hint: 'write it as a block map',
    });
  // edits from the end of the file backwards keep earlier offsets valid
  const edits: { at: number; end: number; text: string; n: number }[] = [];
  const nameKey = entry.items.find((p) => isScalar(p.key) && p.key.value === 'name');
  for (const k of fields) {
    const pair = entry.items.find((p) => isScalar(p.key) && p.key.value === k);
    const v = value[k];
    if (pair && isScalar(pair.value) && pair.value.range) {
      const [s, e] = pair.value.range;
      if (v === null) {
        const ks = (pair.key as Scalar).range?.[0] as number;
        const ls = lineStart(text, ks);
        const le = text.indexOf('\n', e);
        edits.push({ at: ls, end: le < 0 ? text.length : le + 1, text: '', n: edits.length });
      } else if (String(pair.value.value) !== v)
        edits.push({ at: s, end: e, text: scalarText(v as string, pair.value), n: edits.length });
    } else if (v !== null && v !== undefined) {
      // a new key, on its own line after the last key of the entry, at the entry's key indentation
      const anchorPair = entry.items[entry.items.length - 1] ?? nameKey;
      const anchorEnd = ((anchorPair?.value as Scalar | undefined)?.range?.[1] ?? entry.range?.[1]) as number;
      const keyStart = ((nameKey?.key as Scalar | undefined)?.range?.[0] ?? 0) as number;
      const col = keyStart - lineStart(text, keyStart);
      const eol = text.indexOf('\n', anchorEnd);
      const at = eol < 0 ? text.length : eol + 1;
      const pre = eol < 0 ? '\n' : '';
      edits.push({ at, end: at, text: `${pre}${' '.repeat(col)}${k}: ${scalarText(v)}\n`, n: edits.length });
    }
  }
  // from the end backwards (earlier offsets stay valid); insertions at one place keep their order
  edits.sort((a, b) => b.at - a.at || b.n - a.n);
  let out = text;
  for (const e of edits) out = out.slice(0, e.at) + e.text + out.slice(e.end);
  return out;
}
