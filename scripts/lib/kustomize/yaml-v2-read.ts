// Reading YAML as sigs.k8s.io/yaml does for kustomization files and JSON patch text: go-yaml v2
// resolves plain scalars by YAML 1.1 rules (`on`, `yes`, `y` are true, `0777` is octal, `1_000`
// is 1000, a key `n:` becomes "false"). Only the first document counts; later keys win.
import { type Document, isAlias, isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments } from 'yaml';
import { SourceError } from '../errors.ts';
import type { JsonMap, JsonScalar, JsonValue } from '../json.ts';
import { dropLineBreakAtEof, readFirstSimpleDocument } from '../yaml/fast-read.ts';

/** The first document of text as go-yaml v2 decodes it into interface{} (null when empty). */
export function readFirstDocumentV2(
  text: string,
  file: string,
  code = 'BAD_YAML',
): { value: JsonValue; line: number } {
  // plain YAML by the fast reader; the rest, and errors, by `yaml`
  // go-yaml v2's Unmarshal: no line break after a block scalar that ends the text
  const fast = readFirstSimpleDocument(text, resolveV2, () => ({}), { eofLineBreak: false });
  if (fast !== undefined)
    return fast ? { value: fast.value as JsonValue, line: fast.line } : { value: null, line: 1 };
  return readFirstDocumentV2Fully(text, file, code);
}

/** readFirstDocumentV2 by the full parser, which words the errors. */
export function readFirstDocumentV2Fully(
  text: string,
  file: string,
  code = 'BAD_YAML',
): { value: JsonValue; line: number } {
  const lc = new LineCounter();
  const doc = parseAllDocuments(text, {
    schema: 'failsafe',
    uniqueKeys: false,
    lineCounter: lc,
    logLevel: 'error',
  })[0];
  if (doc === undefined || !('contents' in doc)) return { value: null, line: 1 };
  const err = doc.errors[0];
  if (err) {
    const pos = lc.linePos(err.pos[0]);
    throw new SourceError(code, err.message.split('\n')[0] as string, { file, line: pos.line, col: pos.col });
  }
  dropLineBreakAtEof(doc, text);
  const start = doc.contents?.range?.[0] ?? 0;
  return { value: toValue(doc.contents, doc), line: lc.linePos(start).line };
}

function toValue(node: unknown, doc: Document.Parsed): JsonValue {
  if (isAlias(node)) return toValue(node.resolve(doc), doc);
  if (isSeq(node)) return node.items.map((x) => toValue(x, doc));
  if (isMap(node)) {
    const out: JsonMap = {};
    for (const pair of node.items) {
      if (!isPair(pair)) continue;
      const key = toValue(pair.key, doc);
      out[key === null ? 'null' : String(key)] = toValue(pair.value, doc);
    }
    return out;
  }
  if (!isScalar(node)) return null;
  const text = String(node.value);
  if (node.tag === 'tag:yaml.org,2002:str' || node.type !== 'PLAIN') return text;
  return resolveV2(text);
}

const TRUE = new Set(['y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON', 'true', 'True', 'TRUE']);
const FALSE = new Set(['n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF', 'false', 'False', 'FALSE']);
const NULL = new Set(['', '~', 'null', 'Null', 'NULL']);
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** go-yaml v2 resolve() for an untagged plain scalar (timestamps stay strings, as in the output). */
function resolveV2(s: string): JsonScalar {
  if (NULL.has(s)) return null;
  if (TRUE.has(s)) return true;
  if (FALSE.has(s)) return false;
  if (/^[-+]?\.(inf|Inf|INF)$/.test(s))
    return s.startsWith('-') ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (/^\.(nan|NaN|NAN)$/.test(s)) return Number.NaN;
  const c = s.charAt(0);
  if (c === '.') return YAML_FLOAT.test(s) ? Number(s) : s;
  if (!/[-+0-9]/.test(c)) return s;
  const plain = s.replaceAll('_', '');
  const int = parseGoInt(plain);
  if (int !== undefined) return int;
  if (YAML_FLOAT.test(plain)) return Number(plain);
  return s;
}

/** strconv.ParseInt(s, 0, 64), falling back to ParseUint: sign, then 0x, 0o, 0b or leading-0 octal. */
function parseGoInt(s: string): number | bigint | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const body = m[2] as string;
  const digits = /^0[0-7]+$/.test(body) ? `0o${body.slice(1)}` : body.toLowerCase();
  let n = BigInt(digits);
  if (m[1] === '-') n = -n;
  if (n < -(2n ** 63n) || n >= 2n ** 64n) return undefined;
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : n;
}
