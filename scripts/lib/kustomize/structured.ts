// kustomize 5.8's replacements into structured data (api/filters/replacement/replacement.go
// setValueInStructuredData, kustomize#5679): a target field path that runs into a string field
// holding JSON or YAML (`data.config\.json.db.host`) goes on inside that text; the value is set
// there and the text written back, as compact or indented JSON when it began with `{` or `[`,
// else as YAML with its comments and styles. Also the path matcher's walk into such a text
// (kyaml/yaml/match.go handleStructuredDataInScalar), where what is set is lost, as in kustomize.
//
// The text is parsed with `yaml` in its failsafe schema, so every scalar keeps its source text and
// style when written back (go-yaml v3 re-emits a node as it read it); values are resolved from
// that text by go-yaml v3's rules (yaml-io.ts) where JSON needs them.
import {
  type Document,
  isScalar,
  isSeq,
  isMap as isYamlMap,
  Pair,
  parseDocument,
  Scalar,
  visit,
  YAMLMap,
  YAMLSeq,
  type Node as YamlNode,
} from 'yaml';
import { isMap, type JsonMap, type JsonValue, scalarTextOf } from '../json.ts';
import { goYamlSyntaxError } from '../yaml/goyaml-errors.ts';
import { goJson, goJsonIndent } from './go-json.ts';
import { type CreateKind, isIdx, isListIndex, partKind } from './pathmatch.ts';
import { plainTag, resolvePlain, type V3Tag } from './yaml-io.ts';

/** A parsed structured text, or why it is not one (go-yaml's words where we have them). */
export type Parsed = { doc: Document; root: YamlNode | null } | { error: string };

/** go-yaml v3's Unmarshal of a scalar's text into a yaml.Node: its first document. */
export function parseStructured(text: string): Parsed {
  // yaml.Unmarshal reads the first document; the rest is not read, and not written back
  const doc = parseDocument(firstDocument(text), {
    schema: 'failsafe',
    resolveKnownTags: false,
    uniqueKeys: false,
    strict: false,
    logLevel: 'error',
  });
  const err = doc.errors[0];
  if (err) {
    const go = goYamlSyntaxError(text, { firstDocument: true });
    if (!go) return { error: err.message.split('\n')[0] as string };
    return { error: go.line ? `line ${go.line}: ${go.message}` : go.message };
  }
  return { doc, root: (doc.contents as YamlNode | null) ?? null };
}

/** The text up to the end of its first document (a `---` or `...` line after content). */
function firstDocument(text: string): string {
  const lines = text.split('\n');
  let content = false;
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    if (/^(---|\.\.\.)(\s|$)/.test(l)) {
      if (content || l.startsWith('...')) return lines.slice(0, i).join('\n');
      continue;
    }
    if (l.trim() && !l.trimStart().startsWith('#') && !l.startsWith('%')) content = true;
  }
  return text;
}

/** A place in the parsed text the path reached: the node there and how to replace it. */
export interface NodeSlot {
  get(): YamlNode | null;
  set(n: YamlNode): void;
}

/** The kind kyaml names a node by in "wrong node kind" errors ("" for no node at all). */
function kindOf(n: YamlNode | null): string {
  if (n === null) return '';
  if (isYamlMap(n)) return 'MappingNode';
  if (isSeq(n)) return 'SequenceNode';
  return 'ScalarNode';
}

const isNullScalar = (n: YamlNode | null) =>
  isScalar(n) && n.type === 'PLAIN' && plainTag(String(n.value)) === 'null';

export class PathError extends Error {}

function checkKind(n: YamlNode | null, want: 'MappingNode' | 'SequenceNode'): void {
  if (isNullScalar(n)) return;
  const got = kindOf(n);
  if (got !== want) throw new PathError(`wrong node kind: expected ${want} but got ${got}`);
}

/**
 * kyaml's PathMatcher over a parsed text: fields, indexes, `[k=v]` (a regular expression on the
 * element's field, or on the element for `[=v]`), `*` over a list's elements, with creation of
 * `create`'s kind. Throws PathError where kyaml fails.
 */
export function matchNodes(root: NodeSlot, path: string[], create: CreateKind): NodeSlot[] {
  const out: NodeSlot[] = [];
  walk(
    root,
    path.map((p) => p.trim()).filter((p) => p !== ''),
    create,
    out,
  );
  return out;
}

/** Scalars the path matcher made: untagged, so a text set there is resolved as it reads. */
const createdScalars = new WeakSet<Scalar>();

function emptyNode(next: string | undefined, create: CreateKind): YamlNode {
  const kind = partKind(next, create);
  if (kind === 'map') return new YAMLMap();
  if (kind === 'seq') return new YAMLSeq();
  const s = new Scalar('');
  createdScalars.add(s);
  return s;
}

function walk(slot: NodeSlot, path: string[], create: CreateKind, out: NodeSlot[]): void {
  if (path.length === 0) {
    out.push(slot);
    return;
  }
  const head = path[0] as string;
  const rest = path.slice(1);
  const node = slot.get();
  if (isIdx(head)) {
    checkKind(node, 'SequenceNode');
    if (!isSeq(node)) return;
    const idx = Number(head);
    if (node.items.length === idx && create) node.items.push(emptyNode(rest[0], create));
    if (node.items.length < idx + 1)
      throw new PathError(`index ${idx} specified but only ${node.items.length} elements found`);
    walk(elemSlot(node, idx), rest, create, out);
    return;
  }
  if (isListIndex(head)) {
    checkKind(node, 'SequenceNode');
    if (!isSeq(node)) return;
    const elem = head.slice(1, -1);
    const eq = elem.indexOf('=');
    if (eq < 0)
      throw new PathError('list path element must contain fieldName=fieldValue for element to match');
    const [field, pattern] = [elem.slice(0, eq), elem.slice(eq + 1)];
    const re = new RegExp(pattern);
    for (let i = 0; i < node.items.length; i++) {
      const el = node.items[i] as YamlNode;
      if (field === '') {
        if (isScalar(el) && re.test(String(el.value).trim())) out.push(elemSlot(node, i));
      } else if (isYamlMap(el)) {
        const v = el.get(field, true) as YamlNode | undefined;
        if (isScalar(v) && re.test(String(v.value).trim())) walk(elemSlot(node, i), rest, create, out);
      }
    }
    return;
  }
  if (head === '*') {
    checkKind(node, 'SequenceNode');
    if (isSeq(node)) for (let i = 0; i < node.items.length; i++) walk(elemSlot(node, i), rest, create, out);
    return;
  }
  checkKind(node, 'MappingNode');
  if (!isYamlMap(node)) return;
  if (!node.has(head)) {
    if (!create) return;
    node.set(new Scalar(head), emptyNode(rest[0], create));
  }
  walk(
    { get: () => (node.get(head, true) as YamlNode | undefined) ?? null, set: (n) => node.set(head, n) },
    rest,
    create,
    out,
  );
}

function elemSlot(seq: YAMLSeq, i: number): NodeSlot {
  return { get: () => (seq.items[i] as YamlNode | undefined) ?? null, set: (n) => (seq.items[i] = n) };
}

/** The go-yaml v3 tag a failsafe scalar resolves to: a plain one by its text, others strings. */
function scalarTag(n: Scalar): V3Tag {
  if (n.tag) {
    const t = n.tag.replace(/^tag:yaml\.org,2002:|^!!/, '');
    if (t === 'null' || t === 'bool' || t === 'int' || t === 'float' || t === 'timestamp' || t === 'str')
      return t;
  }
  return n.type === undefined || n.type === 'PLAIN' ? plainTag(String(n.value)) : 'str';
}

/**
 * Sets a scalar's text as kyaml does (`node.Value = value`): the node keeps its tag and style, and
 * go-yaml v3 writes it so it still reads as its tag: a plain string that would read as something
 * else is double-quoted, another tag the text does not resolve to is written out (`!!int x`).
 */
export function setScalarText(n: Scalar, text: string): void {
  const tag = scalarTag(n);
  n.value = text;
  // go-yaml v3 writes a plain (or new) scalar with a line break as a literal block (`|-`), which
  // `yaml` turns into a double-quoted one inside a flow collection, as go-yaml does
  if ((n.type === undefined || n.type === 'PLAIN') && text.includes('\n')) {
    n.type = 'BLOCK_LITERAL';
    return;
  }
  if (createdScalars.has(n) || n.type !== 'PLAIN') return;
  const now = plainTag(text);
  if (now === tag || (tag === 'float' && now === 'int')) {
    // text go-yaml's emitter cannot write plain goes single-quoted
    if (!plainAllowed(text)) n.type = 'QUOTE_SINGLE';
    return;
  }
  if (tag === 'str') n.type = 'QUOTE_DOUBLE';
  else n.tag = `tag:yaml.org,2002:${tag}`;
}

/** Roughly go-yaml's yaml_emitter_analyze_scalar: whether a text may be written plain. */
function plainAllowed(text: string): boolean {
  return !(text === '' || /^[\s\-?:,[\]{}#&*!|>'"%@`]|: | #|\n|\s$|:$/.test(text));
}

/**
 * A source value as a node (kyaml SetYNode with the source's node). Our values keep no style, so
 * collections come out in block style and strings plain unless they would read as something else.
 */
export function nodeOf(v: JsonValue, text?: string): YamlNode {
  if (Array.isArray(v)) {
    const seq = new YAMLSeq();
    seq.items = v.map((x) => nodeOf(x));
    return seq;
  }
  if (isMap(v)) {
    const map = new YAMLMap();
    for (const k of Object.keys(v))
      map.items.push(new Pair(new Scalar(k), nodeOf(v[k] as JsonValue, scalarTextOf(v, k))));
    return map;
  }
  if (typeof v === 'string') {
    const s = new Scalar(v);
    if (plainTag(v) !== 'str' || v === '' || /^[\s\-?:,[\]{}#&*!|>'"%@`]|: | #|\n|\s$/.test(v))
      s.type = 'QUOTE_DOUBLE';
    return s;
  }
  const s = new Scalar(text ?? (v === null ? 'null' : String(v)));
  s.type = 'PLAIN';
  return s;
}

class NotJson extends Error {}

/**
 * The text written back: JSON (indented by two spaces when the original text had line breaks and
 * two spaces, else compact) when the original began with `{` or `[`, else the YAML, trimmed.
 * Undefined when encoding/json cannot write the values (a map with a key that is not a string, an
 * infinity), where kustomize goes on with the plain path.
 */
export function serialize(doc: Document, original: string): string | undefined {
  const first = original.trim()[0];
  if (first !== '{' && first !== '[') return yamlText(doc).trim();
  let v: JsonValue;
  try {
    v = goValue((doc.contents as YamlNode | null) ?? null);
  } catch (e) {
    if (e instanceof NotJson) return undefined;
    throw e;
  }
  return original.includes('\n') && original.includes('  ') ? goJsonIndent(v) : goJson(v);
}

/**
 * go-yaml v3 writing a node tree as kyaml's encoder does (indent 2, compact sequences); blank
 * lines before a comment are not kept.
 */
export function yamlText(doc: Document): string {
  visit(doc, {
    Node(_, n) {
      if (n.spaceBefore && n.commentBefore) n.spaceBefore = false;
    },
    Pair(_, p) {
      const k = p.key as YamlNode | null;
      if (k && 'spaceBefore' in k && k.spaceBefore && k.commentBefore) k.spaceBefore = false;
    },
  });
  return doc.toString({ indentSeq: false, flowCollectionPadding: false, lineWidth: 0, minContentWidth: 0 });
}

/** go-yaml v3's Unmarshal into interface{}: what encoding/json then writes. */
function goValue(n: YamlNode | null): JsonValue {
  if (n === null) return null;
  if (isScalar(n)) {
    const text = String(n.value);
    const tag = scalarTag(n);
    // an explicit tag the text does not resolve to fails go-yaml's decoding
    if (n.tag && tag !== 'str' && plainTag(text) !== tag && !(tag === 'float' && plainTag(text) === 'int'))
      throw new NotJson();
    if (tag === 'str') return text;
    // a timestamp is kept as its text when the target is interface{}
    if (tag === 'timestamp') return text;
    const v = resolvePlain(text);
    if (typeof v === 'number' && !Number.isFinite(v)) throw new NotJson();
    if (tag === 'float' && typeof v === 'bigint') return Number(v);
    return v;
  }
  if (isSeq(n)) return n.items.map((x) => goValue(x as YamlNode));
  if (isYamlMap(n)) {
    const out: JsonMap = {};
    for (const pair of n.items) {
      const k = pair.key as YamlNode | null;
      if (!isScalar(k) || scalarTag(k) !== 'str') throw new NotJson();
      out[String(k.value)] = goValue((pair.value as YamlNode | null) ?? null);
    }
    return out;
  }
  // an alias: kustomize resolves it; we refuse to guess
  throw new NotJson();
}

/**
 * The values of a parsed text for the plain path matcher to walk (kyaml's walk into a scalar
 * holding YAML): what it sets there is lost with the copy, as in kustomize.
 */
export function valueCopy(n: YamlNode | null): JsonValue {
  if (n === null) return null;
  if (isScalar(n)) {
    const text = String(n.value);
    return scalarTag(n) === 'str' || scalarTag(n) === 'timestamp' ? text : resolvePlain(text);
  }
  if (isSeq(n)) return n.items.map((x) => valueCopy(x as YamlNode));
  if (isYamlMap(n)) {
    const out: JsonMap = {};
    for (const pair of n.items)
      out[String(isScalar(pair.key) ? pair.key.value : pair.key)] = valueCopy(
        (pair.value as YamlNode | null) ?? null,
      );
    return out;
  }
  return null;
}
