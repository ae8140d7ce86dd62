// The syntax errors of go-yaml v2 (gopkg.in/yaml.v2: readerc.go, scannerc.go, parserc.go, the
// libyaml port), worded and placed as `yaml.Unmarshal` prints them, which is what Helm (through
// sigs.k8s.io/yaml) and kustomize show for a broken YAML file. Why by hand: `yaml` and `js-yaml`
// reject other texts, at other places, with other words; users compare what we print with what
// `helm template` and `kubectl kustomize` print.
//
// The reader, the scanner and the parser are ported state for state (token queue, simple keys with
// their token numbers, indentation stack, flow levels, the reader's 512-byte input chunks, since
// they decide whether a reader error or a syntax error comes first). Scalar values are not built:
// nothing here needs them.

/** One go-yaml position: character index, 0-based line and column. */
interface Mark {
  index: number;
  line: number;
  column: number;
}

type TokenType =
  | 'STREAM_START'
  | 'STREAM_END'
  | 'VERSION_DIRECTIVE'
  | 'TAG_DIRECTIVE'
  | 'DOCUMENT_START'
  | 'DOCUMENT_END'
  | 'BLOCK_SEQUENCE_START'
  | 'BLOCK_MAPPING_START'
  | 'BLOCK_END'
  | 'FLOW_SEQUENCE_START'
  | 'FLOW_SEQUENCE_END'
  | 'FLOW_MAPPING_START'
  | 'FLOW_MAPPING_END'
  | 'BLOCK_ENTRY'
  | 'FLOW_ENTRY'
  | 'KEY'
  | 'VALUE'
  | 'ALIAS'
  | 'ANCHOR'
  | 'TAG'
  | 'SCALAR';

interface Token {
  type: TokenType;
  start: Mark;
  end: Mark;
  /** tag handle, %TAG handle */
  value?: string;
  /** tag suffix, %TAG prefix */
  suffix?: string;
  major?: number;
  minor?: number;
}

interface SimpleKey {
  possible: boolean;
  required: boolean;
  tokenNumber: number;
  mark: Mark;
}

/** A failure as go-yaml records it in yaml_parser_t (error kind, problem, problem_mark, context_mark). */
class YamlFailure {
  constructor(
    readonly kind: 'reader' | 'scanner' | 'parser',
    readonly problem: string,
    readonly problemMark: Mark,
    readonly contextMark: Mark,
  ) {}
}

const ZERO: Mark = { index: 0, line: 0, column: 0 };
const RAW_CHUNK = 512; // input_raw_buffer_size
const MAX_FLOW_LEVEL = 10000;
const MAX_INDENTS = 10000;

const isBreak = (c: number) => c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBlank = (c: number) => c === 0x20 || c === 0x09;
const isBreakZ = (c: number) => c === 0 || isBreak(c);
const isBlankZ = (c: number) => isBlank(c) || isBreakZ(c);
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isAlpha = (c: number) =>
  isDigit(c) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x2d;
const isHex = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);
const asHex = (c: number) => (c >= 0x61 ? c - 0x61 + 10 : c >= 0x41 ? c - 0x41 + 10 : c - 0x30);
const utf8Width = (b: number) =>
  (b & 0x80) === 0 ? 1 : (b & 0xe0) === 0xc0 ? 2 : (b & 0xf0) === 0xe0 ? 3 : (b & 0xf8) === 0xf0 ? 4 : 0;

/** Characters the plain-scalar test in fetch_next_token excludes from starting a scalar. */
const INDICATORS = new Set([...'-?:,[]{}#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));
/** Characters allowed in a tag URI besides alphanumerics. */
const URI_CHARS = new Set([...";/?:@&=+$,.!~*'()[]%"].map((c) => c.charCodeAt(0)));
/** What may follow an anchor or alias name. */
const AFTER_ANCHOR = new Set([...'?:,]}%@`'].map((c) => c.charCodeAt(0)));

class Scanner {
  // reader (readerc.go), over the input bytes
  private readonly src: Uint8Array;
  private rawStart = 0;
  private rawPos = 0;
  private rawEnd = 0;
  private eof = false;
  private encoding: 'any' | 'utf8' | 'utf16le' | 'utf16be' = 'any';
  /** decoded characters (code points); `pos` is buffer_pos, reads past the end give 0 */
  private readonly buf: number[] = [];
  private pos = 0;
  private unread = 0;

  // scanner (scannerc.go)
  index = 0;
  line = 0;
  column = 0;
  tokens: Token[] = [];
  head = 0;
  tokensParsed = 0;
  tokenAvailable = false;
  private streamStartProduced = false;
  private indent = 0;
  private readonly indents: number[] = [];
  private simpleKeyAllowed = false;
  private readonly simpleKeys: SimpleKey[] = [];
  private readonly simpleKeysByTok = new Map<number, number>();
  private flowLevel = 0;

  constructor(src: Uint8Array) {
    this.src = src;
  }

  private mark(): Mark {
    return { index: this.index, line: this.line, column: this.column };
  }

  private ch(k = 0): number {
    return this.buf[this.pos + k] ?? 0;
  }

  private fail(contextMark: Mark, problem: string): never {
    throw new YamlFailure('scanner', problem, this.mark(), contextMark);
  }

  private readerFail(problem: string): never {
    throw new YamlFailure('reader', problem, ZERO, ZERO);
  }

  // ---- reader ----

  private updateRawBuffer(): void {
    if (this.rawPos === this.rawStart && this.rawEnd - this.rawStart === RAW_CHUNK) return;
    if (this.eof) return;
    this.rawStart = this.rawPos;
    if (this.rawEnd === this.src.length) {
      this.eof = true;
      return;
    }
    this.rawEnd = Math.min(this.src.length, this.rawEnd + RAW_CHUNK - (this.rawEnd - this.rawStart));
  }

  private determineEncoding(): void {
    while (!this.eof && this.rawEnd - this.rawPos < 3) this.updateRawBuffer();
    const s = this.src;
    const p = this.rawPos;
    const avail = this.rawEnd - p;
    if (avail >= 2 && s[p] === 0xff && s[p + 1] === 0xfe) {
      this.encoding = 'utf16le';
      this.rawPos += 2;
    } else if (avail >= 2 && s[p] === 0xfe && s[p + 1] === 0xff) {
      this.encoding = 'utf16be';
      this.rawPos += 2;
    } else if (avail >= 3 && s[p] === 0xef && s[p + 1] === 0xbb && s[p + 2] === 0xbf) {
      this.encoding = 'utf8';
      this.rawPos += 3;
    } else this.encoding = 'utf8';
  }

  /** yaml_parser_update_buffer: make `length` characters available (or fail as the reader does). */
  private updateBuffer(length: number): void {
    if (this.unread >= length) return;
    if (this.encoding === 'any') this.determineEncoding();
    let first = true;
    while (this.unread < length) {
      if (!first || this.rawPos === this.rawEnd) this.updateRawBuffer();
      first = false;
      while (this.rawPos !== this.rawEnd) {
        const s = this.src;
        const p = this.rawPos;
        const rawUnread = this.rawEnd - p;
        let value: number;
        let width: number;
        if (this.encoding === 'utf8') {
          const octet = s[p] as number;
          width = utf8Width(octet);
          if (width === 0) this.readerFail('invalid leading UTF-8 octet');
          if (width > rawUnread) {
            if (this.eof) this.readerFail('incomplete UTF-8 octet sequence');
            break;
          }
          value =
            width === 1
              ? octet & 0x7f
              : width === 2
                ? octet & 0x1f
                : width === 3
                  ? octet & 0x0f
                  : octet & 0x07;
          for (let k = 1; k < width; k++) {
            const o = s[p + k] as number;
            if ((o & 0xc0) !== 0x80) this.readerFail('invalid trailing UTF-8 octet');
            value = (value << 6) + (o & 0x3f);
          }
          if (
            !(
              width === 1 ||
              (width === 2 && value >= 0x80) ||
              (width === 3 && value >= 0x800) ||
              (width === 4 && value >= 0x10000)
            )
          )
            this.readerFail('invalid length of a UTF-8 sequence');
          if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff)
            this.readerFail('invalid Unicode character');
        } else {
          const [lo, hi] = this.encoding === 'utf16le' ? [0, 1] : [1, 0];
          if (rawUnread < 2) {
            if (this.eof) this.readerFail('incomplete UTF-16 character');
            break;
          }
          value = (s[p + lo] as number) + ((s[p + hi] as number) << 8);
          if ((value & 0xfc00) === 0xdc00) this.readerFail('unexpected low surrogate area');
          if ((value & 0xfc00) === 0xd800) {
            width = 4;
            if (rawUnread < 4) {
              if (this.eof) this.readerFail('incomplete UTF-16 surrogate pair');
              break;
            }
            const value2 = (s[p + lo + 2] as number) + ((s[p + hi + 2] as number) << 8);
            if ((value2 & 0xfc00) !== 0xdc00) this.readerFail('expected low surrogate area');
            value = 0x10000 + ((value & 0x3ff) << 10) + (value2 & 0x3ff);
          } else width = 2;
        }
        if (
          !(
            value === 0x09 ||
            value === 0x0a ||
            value === 0x0d ||
            (value >= 0x20 && value <= 0x7e) ||
            value === 0x85 ||
            (value >= 0xa0 && value <= 0xd7ff) ||
            (value >= 0xe000 && value <= 0xfffd) ||
            (value >= 0x10000 && value <= 0x10ffff)
          )
        )
          this.readerFail('control characters are not allowed');
        this.rawPos += width;
        this.buf.push(value);
        this.unread++;
      }
      if (this.eof) {
        this.buf.push(0);
        this.unread++;
        break;
      }
    }
  }

  private cache(length: number): void {
    if (this.unread < length) this.updateBuffer(length);
  }

  private skip(): void {
    this.index++;
    this.column++;
    this.unread--;
    this.pos++;
  }

  private skipLine(): void {
    if (this.ch() === 0x0d && this.ch(1) === 0x0a) {
      this.index += 2;
      this.column = 0;
      this.line++;
      this.unread -= 2;
      this.pos += 2;
    } else if (isBreak(this.ch())) {
      this.index++;
      this.column = 0;
      this.line++;
      this.unread--;
      this.pos++;
    }
  }

  /** read_line without the bytes: consumes one line break, CRLF as one. */
  private readLine(): void {
    const c = this.ch();
    if (c === 0x0d && this.ch(1) === 0x0a) {
      this.pos += 2;
      this.index++;
      this.unread--;
    } else if (isBreak(c)) this.pos++;
    else return;
    this.index++;
    this.column = 0;
    this.line++;
    this.unread--;
  }

  // ---- token queue ----

  private insertToken(at: number, token: Token): void {
    if (at < 0) this.tokens.push(token);
    else this.tokens.splice(this.head + at, 0, token);
  }

  private queued(): number {
    return this.tokensParsed + (this.tokens.length - this.head);
  }

  fetchMoreTokens(): void {
    for (;;) {
      if (this.head !== this.tokens.length) {
        const idx = this.simpleKeysByTok.get(this.tokensParsed);
        if (idx === undefined) break;
        if (!this.simpleKeyIsValid(this.simpleKeys[idx] as SimpleKey)) break;
      }
      this.fetchNextToken();
    }
    this.tokenAvailable = true;
  }

  private fetchNextToken(): void {
    this.cache(1);
    if (!this.streamStartProduced) {
      this.fetchStreamStart();
      return;
    }
    this.scanToNextToken();
    this.unrollIndent(this.column);
    this.cache(4);
    const c = this.ch();
    if (c === 0) this.fetchStreamEnd();
    else if (this.column === 0 && c === 0x25 /* % */) this.fetchDirective();
    else if (
      this.column === 0 &&
      c === 0x2d &&
      this.ch(1) === 0x2d &&
      this.ch(2) === 0x2d &&
      isBlankZ(this.ch(3))
    )
      this.fetchDocumentIndicator('DOCUMENT_START');
    else if (
      this.column === 0 &&
      c === 0x2e &&
      this.ch(1) === 0x2e &&
      this.ch(2) === 0x2e &&
      isBlankZ(this.ch(3))
    )
      this.fetchDocumentIndicator('DOCUMENT_END');
    else if (c === 0x5b) this.fetchFlowCollectionStart('FLOW_SEQUENCE_START');
    else if (c === 0x7b) this.fetchFlowCollectionStart('FLOW_MAPPING_START');
    else if (c === 0x5d) this.fetchFlowCollectionEnd('FLOW_SEQUENCE_END');
    else if (c === 0x7d) this.fetchFlowCollectionEnd('FLOW_MAPPING_END');
    else if (c === 0x2c) this.fetchFlowEntry();
    else if (c === 0x2d && isBlankZ(this.ch(1))) this.fetchBlockEntry();
    else if (c === 0x3f && (this.flowLevel > 0 || isBlankZ(this.ch(1)))) this.fetchKey();
    else if (c === 0x3a && (this.flowLevel > 0 || isBlankZ(this.ch(1)))) this.fetchValue();
    else if (c === 0x2a) this.fetchAnchor('ALIAS');
    else if (c === 0x26) this.fetchAnchor('ANCHOR');
    else if (c === 0x21) this.fetchTag();
    else if (c === 0x7c && this.flowLevel === 0) this.fetchBlockScalar();
    else if (c === 0x3e && this.flowLevel === 0) this.fetchBlockScalar();
    else if (c === 0x27) this.fetchFlowScalar(true);
    else if (c === 0x22) this.fetchFlowScalar(false);
    else if (
      !(isBlankZ(c) || INDICATORS.has(c)) ||
      (c === 0x2d && !isBlank(this.ch(1))) ||
      (this.flowLevel === 0 && (c === 0x3f || c === 0x3a) && !isBlankZ(this.ch(1)))
    )
      this.fetchPlainScalar();
    else this.fail(this.mark(), 'found character that cannot start any token');
  }

  // ---- simple keys, flow levels, indentation ----

  private simpleKeyIsValid(key: SimpleKey): boolean {
    if (!key.possible) return false;
    if (key.mark.line < this.line || key.mark.index + 1024 < this.index) {
      if (key.required) this.fail(key.mark, "could not find expected ':'");
      key.possible = false;
      return false;
    }
    return true;
  }

  private saveSimpleKey(): void {
    const required = this.flowLevel === 0 && this.indent === this.column;
    if (this.simpleKeyAllowed) {
      const key: SimpleKey = { possible: true, required, tokenNumber: this.queued(), mark: this.mark() };
      this.removeSimpleKey();
      this.simpleKeys[this.simpleKeys.length - 1] = key;
      this.simpleKeysByTok.set(key.tokenNumber, this.simpleKeys.length - 1);
    }
  }

  private removeSimpleKey(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1] as SimpleKey;
    if (key.possible) {
      if (key.required) this.fail(key.mark, "could not find expected ':'");
      key.possible = false;
      this.simpleKeysByTok.delete(key.tokenNumber);
    }
  }

  private increaseFlowLevel(): void {
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: this.queued(), mark: this.mark() });
    this.flowLevel++;
    if (this.flowLevel > MAX_FLOW_LEVEL)
      this.fail(
        (this.simpleKeys[this.simpleKeys.length - 1] as SimpleKey).mark,
        `exceeded max depth of ${MAX_FLOW_LEVEL}`,
      );
  }

  private decreaseFlowLevel(): void {
    if (this.flowLevel > 0) {
      this.flowLevel--;
      const last = this.simpleKeys.pop() as SimpleKey;
      this.simpleKeysByTok.delete(last.tokenNumber);
    }
  }

  private rollIndent(column: number, number: number, type: TokenType, mark: Mark): void {
    if (this.flowLevel > 0) return;
    if (this.indent < column) {
      this.indents.push(this.indent);
      this.indent = column;
      if (this.indents.length > MAX_INDENTS)
        this.fail(
          (this.simpleKeys[this.simpleKeys.length - 1] as SimpleKey).mark,
          `exceeded max depth of ${MAX_INDENTS}`,
        );
      this.insertToken(number > -1 ? number - this.tokensParsed : number, { type, start: mark, end: mark });
    }
  }

  private unrollIndent(column: number): void {
    if (this.flowLevel > 0) return;
    while (this.indent > column) {
      const m = this.mark();
      this.insertToken(-1, { type: 'BLOCK_END', start: m, end: m });
      this.indent = this.indents.pop() as number;
    }
  }

  // ---- fetchers ----

  private fetchStreamStart(): void {
    this.indent = -1;
    this.simpleKeys.push({ possible: false, required: false, tokenNumber: 0, mark: { ...ZERO } });
    this.simpleKeyAllowed = true;
    this.streamStartProduced = true;
    const m = this.mark();
    this.insertToken(-1, { type: 'STREAM_START', start: m, end: m });
  }

  private fetchStreamEnd(): void {
    if (this.column !== 0) {
      this.column = 0;
      this.line++;
    }
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    const m = this.mark();
    this.insertToken(-1, { type: 'STREAM_END', start: m, end: m });
  }

  private fetchDirective(): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanDirective());
  }

  private simpleToken(type: TokenType, n: number): void {
    const start = this.mark();
    for (let i = 0; i < n; i++) this.skip();
    this.insertToken(-1, { type, start, end: this.mark() });
  }

  private fetchDocumentIndicator(type: TokenType): void {
    this.unrollIndent(-1);
    this.removeSimpleKey();
    this.simpleKeyAllowed = false;
    this.simpleToken(type, 3);
  }

  private fetchFlowCollectionStart(type: TokenType): void {
    this.saveSimpleKey();
    this.increaseFlowLevel();
    this.simpleKeyAllowed = true;
    this.simpleToken(type, 1);
  }

  private fetchFlowCollectionEnd(type: TokenType): void {
    this.removeSimpleKey();
    this.decreaseFlowLevel();
    this.simpleKeyAllowed = false;
    this.simpleToken(type, 1);
  }

  private fetchFlowEntry(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.simpleToken('FLOW_ENTRY', 1);
  }

  private fetchBlockEntry(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed)
        this.fail(this.mark(), 'block sequence entries are not allowed in this context');
      this.rollIndent(this.column, -1, 'BLOCK_SEQUENCE_START', this.mark());
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.simpleToken('BLOCK_ENTRY', 1);
  }

  private fetchKey(): void {
    if (this.flowLevel === 0) {
      if (!this.simpleKeyAllowed) this.fail(this.mark(), 'mapping keys are not allowed in this context');
      this.rollIndent(this.column, -1, 'BLOCK_MAPPING_START', this.mark());
    }
    this.removeSimpleKey();
    this.simpleKeyAllowed = this.flowLevel === 0;
    this.simpleToken('KEY', 1);
  }

  private fetchValue(): void {
    const key = this.simpleKeys[this.simpleKeys.length - 1] as SimpleKey;
    if (this.simpleKeyIsValid(key)) {
      this.insertToken(key.tokenNumber - this.tokensParsed, { type: 'KEY', start: key.mark, end: key.mark });
      this.rollIndent(key.mark.column, key.tokenNumber, 'BLOCK_MAPPING_START', key.mark);
      key.possible = false;
      this.simpleKeysByTok.delete(key.tokenNumber);
      this.simpleKeyAllowed = false;
    } else {
      if (this.flowLevel === 0) {
        if (!this.simpleKeyAllowed) this.fail(this.mark(), 'mapping values are not allowed in this context');
        this.rollIndent(this.column, -1, 'BLOCK_MAPPING_START', this.mark());
      }
      this.simpleKeyAllowed = this.flowLevel === 0;
    }
    this.simpleToken('VALUE', 1);
  }

  private fetchAnchor(type: 'ANCHOR' | 'ALIAS'): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanAnchor(type));
  }

  private fetchTag(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanTag());
  }

  private fetchBlockScalar(): void {
    this.removeSimpleKey();
    this.simpleKeyAllowed = true;
    this.insertToken(-1, this.scanBlockScalar());
  }

  private fetchFlowScalar(single: boolean): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanFlowScalar(single));
  }

  private fetchPlainScalar(): void {
    this.saveSimpleKey();
    this.simpleKeyAllowed = false;
    this.insertToken(-1, this.scanPlainScalar());
  }

  // ---- scanners ----

  private skipComment(): void {
    if (this.ch() === 0x23) {
      while (!isBreakZ(this.ch())) {
        this.skip();
        this.cache(1);
      }
    }
  }

  private skipBlanks(): void {
    this.cache(1);
    while (isBlank(this.ch())) {
      this.skip();
      this.cache(1);
    }
  }

  private scanToNextToken(): void {
    for (;;) {
      this.cache(1);
      // go-yaml's is_bom looks at the start of its decoded buffer; the character here is what it means
      if (this.column === 0 && this.ch() === 0xfeff) this.skip();
      this.cache(1);
      while (this.ch() === 0x20 || ((this.flowLevel > 0 || !this.simpleKeyAllowed) && this.ch() === 0x09)) {
        this.skip();
        this.cache(1);
      }
      this.skipComment();
      if (!isBreak(this.ch())) break;
      this.cache(2);
      this.skipLine();
      if (this.flowLevel === 0) this.simpleKeyAllowed = true;
    }
  }

  private scanDirective(): Token {
    const start = this.mark();
    this.skip();
    const name = this.scanDirectiveName(start);
    let token: Token;
    if (name === 'YAML') {
      this.skipBlanks();
      const major = this.scanVersionNumber(start);
      if (this.ch() !== 0x2e) this.fail(start, "did not find expected digit or '.' character");
      this.skip();
      const minor = this.scanVersionNumber(start);
      token = { type: 'VERSION_DIRECTIVE', start, end: this.mark(), major, minor };
    } else if (name === 'TAG') {
      this.skipBlanks();
      const handle = this.scanTagHandle(true, start);
      this.cache(1);
      if (!isBlank(this.ch())) this.fail(start, 'did not find expected whitespace');
      this.skipBlanks();
      const prefix = this.scanTagUri(true, '', start);
      this.cache(1);
      if (!isBlankZ(this.ch())) this.fail(start, 'did not find expected whitespace or line break');
      token = { type: 'TAG_DIRECTIVE', start, end: this.mark(), value: handle, suffix: prefix };
    } else this.fail(start, 'found unknown directive name');
    this.skipBlanks();
    this.skipComment();
    if (!isBreakZ(this.ch())) this.fail(start, 'did not find expected comment or line break');
    if (isBreak(this.ch())) {
      this.cache(2);
      this.skipLine();
    }
    return token;
  }

  private scanDirectiveName(start: Mark): string {
    this.cache(1);
    let name = '';
    while (isAlpha(this.ch())) {
      name += String.fromCodePoint(this.ch());
      this.skip();
      this.cache(1);
    }
    if (name === '') this.fail(start, 'could not find expected directive name');
    if (!isBlankZ(this.ch())) this.fail(start, 'found unexpected non-alphabetical character');
    return name;
  }

  private scanVersionNumber(start: Mark): number {
    this.cache(1);
    let value = 0;
    let length = 0;
    while (isDigit(this.ch())) {
      if (++length > 2) this.fail(start, 'found extremely long version number');
      value = value * 10 + this.ch() - 0x30;
      this.skip();
      this.cache(1);
    }
    if (length === 0) this.fail(start, 'did not find expected version number');
    return value;
  }

  private scanAnchor(type: 'ANCHOR' | 'ALIAS'): Token {
    const start = this.mark();
    this.skip();
    this.cache(1);
    let length = 0;
    while (isAlpha(this.ch())) {
      this.skip();
      this.cache(1);
      length++;
    }
    const end = this.mark();
    if (length === 0 || !(isBlankZ(this.ch()) || AFTER_ANCHOR.has(this.ch())))
      this.fail(start, 'did not find expected alphabetic or numeric character');
    return { type, start, end };
  }

  private scanTag(): Token {
    const start = this.mark();
    this.cache(2);
    let handle: string;
    let suffix: string;
    if (this.ch(1) === 0x3c) {
      handle = '';
      this.skip();
      this.skip();
      suffix = this.scanTagUri(false, '', start);
      if (this.ch() !== 0x3e) this.fail(start, "did not find the expected '>'");
      this.skip();
    } else {
      handle = this.scanTagHandle(false, start);
      if (handle.length > 1 && handle.startsWith('!') && handle.endsWith('!')) {
        suffix = this.scanTagUri(false, '', start);
      } else {
        suffix = this.scanTagUri(false, handle, start);
        handle = '!';
        if (suffix === '') [handle, suffix] = [suffix, handle];
      }
    }
    this.cache(1);
    if (!isBlankZ(this.ch())) this.fail(start, 'did not find expected whitespace or line break');
    return { type: 'TAG', start, end: this.mark(), value: handle, suffix };
  }

  private scanTagHandle(directive: boolean, start: Mark): string {
    this.cache(1);
    if (this.ch() !== 0x21) this.fail(start, "did not find expected '!'");
    let s = '!';
    this.skip();
    this.cache(1);
    while (isAlpha(this.ch())) {
      s += String.fromCodePoint(this.ch());
      this.skip();
      this.cache(1);
    }
    if (this.ch() === 0x21) {
      s += '!';
      this.skip();
    } else if (directive && s !== '!') this.fail(start, "did not find expected '!'");
    return s;
  }

  private scanTagUri(directive: boolean, head: string, start: Mark): string {
    let s = head.length > 1 ? head.slice(1) : '';
    let hasTag = head.length > 0;
    this.cache(1);
    while (isAlpha(this.ch()) || URI_CHARS.has(this.ch())) {
      if (this.ch() === 0x25) s += this.scanUriEscapes(directive, start);
      else {
        s += String.fromCodePoint(this.ch());
        this.skip();
      }
      this.cache(1);
      hasTag = true;
    }
    if (!hasTag) this.fail(start, 'did not find expected tag URI');
    return s;
  }

  private scanUriEscapes(_directive: boolean, start: Mark): string {
    let w = 1024;
    const octets: number[] = [];
    while (w > 0) {
      this.cache(3);
      if (!(this.ch() === 0x25 && isHex(this.ch(1)) && isHex(this.ch(2))))
        this.fail(start, 'did not find URI escaped octet');
      const octet = (asHex(this.ch(1)) << 4) + asHex(this.ch(2));
      if (w === 1024) {
        w = utf8Width(octet);
        if (w === 0) this.fail(start, 'found an incorrect leading UTF-8 octet');
      } else if ((octet & 0xc0) !== 0x80) this.fail(start, 'found an incorrect trailing UTF-8 octet');
      octets.push(octet);
      this.skip();
      this.skip();
      this.skip();
      w--;
    }
    return Buffer.from(octets).toString('utf8');
  }

  private scanBlockScalar(): Token {
    const start = this.mark();
    this.skip();
    this.cache(1);
    let increment = 0;
    const indicatorZero = () => this.fail(start, 'found an indentation indicator equal to 0');
    if (this.ch() === 0x2b || this.ch() === 0x2d) {
      this.skip();
      this.cache(1);
      if (isDigit(this.ch())) {
        if (this.ch() === 0x30) indicatorZero();
        increment = this.ch() - 0x30;
        this.skip();
      }
    } else if (isDigit(this.ch())) {
      if (this.ch() === 0x30) indicatorZero();
      increment = this.ch() - 0x30;
      this.skip();
      this.cache(1);
      if (this.ch() === 0x2b || this.ch() === 0x2d) this.skip();
    }
    this.skipBlanks();
    this.skipComment();
    if (!isBreakZ(this.ch())) this.fail(start, 'did not find expected comment or line break');
    if (isBreak(this.ch())) {
      this.cache(2);
      this.skipLine();
    }
    const end = { value: this.mark() };
    let indent = increment > 0 ? (this.indent >= 0 ? this.indent + increment : increment) : 0;
    indent = this.scanBlockScalarBreaks(indent, start, end);
    this.cache(1);
    while (this.column === indent && this.ch() !== 0) {
      while (!isBreakZ(this.ch())) {
        this.skip();
        this.cache(1);
      }
      this.cache(2);
      this.readLine();
      indent = this.scanBlockScalarBreaks(indent, start, end);
    }
    return { type: 'SCALAR', start, end: end.value };
  }

  private scanBlockScalarBreaks(indent: number, start: Mark, end: { value: Mark }): number {
    end.value = this.mark();
    let maxIndent = 0;
    for (;;) {
      this.cache(1);
      while ((indent === 0 || this.column < indent) && this.ch() === 0x20) {
        this.skip();
        this.cache(1);
      }
      if (this.column > maxIndent) maxIndent = this.column;
      if ((indent === 0 || this.column < indent) && this.ch() === 0x09)
        this.fail(start, 'found a tab character where an indentation space is expected');
      if (!isBreak(this.ch())) break;
      this.cache(2);
      this.readLine();
      end.value = this.mark();
    }
    if (indent === 0) {
      indent = maxIndent;
      if (indent < this.indent + 1) indent = this.indent + 1;
      if (indent < 1) indent = 1;
    }
    return indent;
  }

  private atDocumentIndicator(): boolean {
    const c = this.ch();
    return (
      this.column === 0 &&
      ((c === 0x2d && this.ch(1) === 0x2d && this.ch(2) === 0x2d) ||
        (c === 0x2e && this.ch(1) === 0x2e && this.ch(2) === 0x2e)) &&
      isBlankZ(this.ch(3))
    );
  }

  private scanFlowScalar(single: boolean): Token {
    const start = this.mark();
    this.skip();
    const quote = single ? 0x27 : 0x22;
    for (;;) {
      this.cache(4);
      if (this.atDocumentIndicator()) this.fail(start, 'found unexpected document indicator');
      if (this.ch() === 0) this.fail(start, 'found unexpected end of stream');
      while (!isBlankZ(this.ch())) {
        const c = this.ch();
        if (single && c === 0x27 && this.ch(1) === 0x27) {
          this.skip();
          this.skip();
        } else if (c === quote) break;
        else if (!single && c === 0x5c && isBreak(this.ch(1))) {
          this.cache(3);
          this.skip();
          this.skipLine();
          break;
        } else if (!single && c === 0x5c) {
          let codeLength = 0;
          switch (String.fromCodePoint(this.ch(1))) {
            case '0':
            case 'a':
            case 'b':
            case 't':
            case '\t':
            case 'n':
            case 'v':
            case 'f':
            case 'r':
            case 'e':
            case ' ':
            case '"':
            case "'":
            case '\\':
            case 'N':
            case '_':
            case 'L':
            case 'P':
              break;
            case 'x':
              codeLength = 2;
              break;
            case 'u':
              codeLength = 4;
              break;
            case 'U':
              codeLength = 8;
              break;
            default:
              this.fail(start, 'found unknown escape character');
          }
          this.skip();
          this.skip();
          if (codeLength > 0) {
            this.cache(codeLength);
            let value = 0;
            for (let k = 0; k < codeLength; k++) {
              if (!isHex(this.ch(k))) this.fail(start, 'did not find expected hexdecimal number');
              value = value * 16 + asHex(this.ch(k));
            }
            if ((value >= 0xd800 && value <= 0xdfff) || value > 0x10ffff)
              this.fail(start, 'found invalid Unicode character escape code');
            for (let k = 0; k < codeLength; k++) this.skip();
          }
        } else this.skip();
        this.cache(2);
      }
      this.cache(1);
      if (this.ch() === quote) break;
      while (isBlank(this.ch()) || isBreak(this.ch())) {
        if (isBlank(this.ch())) this.skip();
        else {
          this.cache(2);
          this.readLine();
        }
        this.cache(1);
      }
    }
    this.skip();
    return { type: 'SCALAR', start, end: this.mark() };
  }

  private scanPlainScalar(): Token {
    let leadingBlanks = false;
    const indent = this.indent + 1;
    const start = this.mark();
    let end = this.mark();
    for (;;) {
      this.cache(4);
      if (this.atDocumentIndicator()) break;
      if (this.ch() === 0x23) break;
      while (!isBlankZ(this.ch())) {
        const c = this.ch();
        if (
          (c === 0x3a && isBlankZ(this.ch(1))) ||
          (this.flowLevel > 0 &&
            (c === 0x2c || c === 0x3f || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d))
        )
          break;
        leadingBlanks = false;
        this.skip();
        end = this.mark();
        this.cache(2);
      }
      if (!(isBlank(this.ch()) || isBreak(this.ch()))) break;
      this.cache(1);
      while (isBlank(this.ch()) || isBreak(this.ch())) {
        if (isBlank(this.ch())) {
          if (leadingBlanks && this.column < indent && this.ch() === 0x09)
            this.fail(start, 'found a tab character that violates indentation');
          this.skip();
        } else {
          this.cache(2);
          this.readLine();
          leadingBlanks = true;
        }
        this.cache(1);
      }
      if (this.flowLevel === 0 && this.column < indent) break;
    }
    if (leadingBlanks) this.simpleKeyAllowed = true;
    return { type: 'SCALAR', start, end };
  }
}

type State =
  | 'STREAM_START'
  | 'IMPLICIT_DOCUMENT_START'
  | 'DOCUMENT_START'
  | 'DOCUMENT_CONTENT'
  | 'DOCUMENT_END'
  | 'BLOCK_NODE'
  | 'BLOCK_NODE_OR_INDENTLESS_SEQUENCE'
  | 'FLOW_NODE'
  | 'BLOCK_SEQUENCE_FIRST_ENTRY'
  | 'BLOCK_SEQUENCE_ENTRY'
  | 'INDENTLESS_SEQUENCE_ENTRY'
  | 'BLOCK_MAPPING_FIRST_KEY'
  | 'BLOCK_MAPPING_KEY'
  | 'BLOCK_MAPPING_VALUE'
  | 'FLOW_SEQUENCE_FIRST_ENTRY'
  | 'FLOW_SEQUENCE_ENTRY'
  | 'FLOW_SEQUENCE_ENTRY_MAPPING_KEY'
  | 'FLOW_SEQUENCE_ENTRY_MAPPING_VALUE'
  | 'FLOW_SEQUENCE_ENTRY_MAPPING_END'
  | 'FLOW_MAPPING_FIRST_KEY'
  | 'FLOW_MAPPING_KEY'
  | 'FLOW_MAPPING_VALUE'
  | 'FLOW_MAPPING_EMPTY_VALUE'
  | 'END';

/** What the parser hands on; only whether the stream ended matters here. */
type Event = 'STREAM_START' | 'STREAM_END' | 'DOCUMENT_END' | 'OTHER';

/** The libyaml event state machine (parserc.go), without building events' contents. */
class Parser {
  private state: State = 'STREAM_START';
  private readonly states: State[] = [];
  private readonly marks: Mark[] = [];
  private tagDirectives: { handle: string; prefix: string }[] = [];

  constructor(private readonly s: Scanner) {}

  private peek(): Token {
    if (!this.s.tokenAvailable) this.s.fetchMoreTokens();
    return this.s.tokens[this.s.head] as Token;
  }

  private skipToken(): void {
    this.s.tokenAvailable = false;
    this.s.tokensParsed++;
    this.s.head++;
    if (this.s.head > 64 && this.s.head * 2 > this.s.tokens.length) {
      this.s.tokens = this.s.tokens.slice(this.s.head);
      this.s.head = 0;
    }
  }

  private fail(problem: string, problemMark: Mark, contextMark: Mark = ZERO): never {
    throw new YamlFailure('parser', problem, problemMark, contextMark);
  }

  private pop(): void {
    this.state = this.states.pop() as State;
  }

  next(): Event {
    switch (this.state) {
      case 'END':
        return 'STREAM_END';
      case 'STREAM_START': {
        const t = this.peek();
        if (t.type !== 'STREAM_START') this.fail('did not find expected <stream-start>', t.start);
        this.state = 'IMPLICIT_DOCUMENT_START';
        this.skipToken();
        return 'STREAM_START';
      }
      case 'IMPLICIT_DOCUMENT_START':
        return this.documentStart(true);
      case 'DOCUMENT_START':
        return this.documentStart(false);
      case 'DOCUMENT_CONTENT': {
        const t = this.peek();
        if (
          t.type === 'VERSION_DIRECTIVE' ||
          t.type === 'TAG_DIRECTIVE' ||
          t.type === 'DOCUMENT_START' ||
          t.type === 'DOCUMENT_END' ||
          t.type === 'STREAM_END'
        ) {
          this.pop();
          return 'OTHER';
        }
        return this.node(true, false);
      }
      case 'DOCUMENT_END': {
        const t = this.peek();
        if (t.type === 'DOCUMENT_END') this.skipToken();
        this.tagDirectives = [];
        this.state = 'DOCUMENT_START';
        return 'DOCUMENT_END';
      }
      case 'BLOCK_NODE':
        return this.node(true, false);
      case 'BLOCK_NODE_OR_INDENTLESS_SEQUENCE':
        return this.node(true, true);
      case 'FLOW_NODE':
        return this.node(false, false);
      case 'BLOCK_SEQUENCE_FIRST_ENTRY':
        return this.blockSequenceEntry(true);
      case 'BLOCK_SEQUENCE_ENTRY':
        return this.blockSequenceEntry(false);
      case 'INDENTLESS_SEQUENCE_ENTRY':
        return this.indentlessSequenceEntry();
      case 'BLOCK_MAPPING_FIRST_KEY':
        return this.blockMappingKey(true);
      case 'BLOCK_MAPPING_KEY':
        return this.blockMappingKey(false);
      case 'BLOCK_MAPPING_VALUE':
        return this.blockMappingValue();
      case 'FLOW_SEQUENCE_FIRST_ENTRY':
        return this.flowSequenceEntry(true);
      case 'FLOW_SEQUENCE_ENTRY':
        return this.flowSequenceEntry(false);
      case 'FLOW_SEQUENCE_ENTRY_MAPPING_KEY': {
        const t = this.peek();
        if (t.type !== 'VALUE' && t.type !== 'FLOW_ENTRY' && t.type !== 'FLOW_SEQUENCE_END') {
          this.states.push('FLOW_SEQUENCE_ENTRY_MAPPING_VALUE');
          return this.node(false, false);
        }
        this.skipToken();
        this.state = 'FLOW_SEQUENCE_ENTRY_MAPPING_VALUE';
        return 'OTHER';
      }
      case 'FLOW_SEQUENCE_ENTRY_MAPPING_VALUE': {
        const t = this.peek();
        if (t.type === 'VALUE') {
          this.skipToken();
          const u = this.peek();
          if (u.type !== 'FLOW_ENTRY' && u.type !== 'FLOW_SEQUENCE_END') {
            this.states.push('FLOW_SEQUENCE_ENTRY_MAPPING_END');
            return this.node(false, false);
          }
        }
        this.state = 'FLOW_SEQUENCE_ENTRY_MAPPING_END';
        return 'OTHER';
      }
      case 'FLOW_SEQUENCE_ENTRY_MAPPING_END':
        this.peek();
        this.state = 'FLOW_SEQUENCE_ENTRY';
        return 'OTHER';
      case 'FLOW_MAPPING_FIRST_KEY':
        return this.flowMappingKey(true);
      case 'FLOW_MAPPING_KEY':
        return this.flowMappingKey(false);
      case 'FLOW_MAPPING_VALUE':
        return this.flowMappingValue(false);
      case 'FLOW_MAPPING_EMPTY_VALUE':
        return this.flowMappingValue(true);
    }
  }

  private documentStart(implicit: boolean): Event {
    let t = this.peek();
    if (!implicit) {
      while (t.type === 'DOCUMENT_END') {
        this.skipToken();
        t = this.peek();
      }
    }
    if (
      implicit &&
      t.type !== 'VERSION_DIRECTIVE' &&
      t.type !== 'TAG_DIRECTIVE' &&
      t.type !== 'DOCUMENT_START' &&
      t.type !== 'STREAM_END'
    ) {
      this.processDirectives();
      this.states.push('DOCUMENT_END');
      this.state = 'BLOCK_NODE';
      return 'OTHER';
    }
    if (t.type !== 'STREAM_END') {
      this.processDirectives();
      t = this.peek();
      if (t.type !== 'DOCUMENT_START') this.fail('did not find expected <document start>', t.start);
      this.states.push('DOCUMENT_END');
      this.state = 'DOCUMENT_CONTENT';
      this.skipToken();
      return 'OTHER';
    }
    this.state = 'END';
    this.skipToken();
    return 'STREAM_END';
  }

  private processDirectives(): void {
    let t = this.peek();
    let version = false;
    while (t.type === 'VERSION_DIRECTIVE' || t.type === 'TAG_DIRECTIVE') {
      if (t.type === 'VERSION_DIRECTIVE') {
        if (version) this.fail('found duplicate %YAML directive', t.start);
        if (t.major !== 1 || t.minor !== 1) this.fail('found incompatible YAML document', t.start);
        version = true;
      } else this.appendTagDirective(t.value ?? '', t.suffix ?? '', false, t.start);
      this.skipToken();
      t = this.peek();
    }
    this.appendTagDirective('!', '!', true, t.start);
    this.appendTagDirective('!!', 'tag:yaml.org,2002:', true, t.start);
  }

  private appendTagDirective(handle: string, prefix: string, allowDuplicates: boolean, mark: Mark): void {
    if (this.tagDirectives.some((d) => d.handle === handle)) {
      if (allowDuplicates) return;
      this.fail('found duplicate %TAG directive', mark);
    }
    this.tagDirectives.push({ handle, prefix });
  }

  private node(block: boolean, indentlessSequence: boolean): Event {
    let t = this.peek();
    if (t.type === 'ALIAS') {
      this.pop();
      this.skipToken();
      return 'OTHER';
    }
    let start = t.start;
    let anchor = false;
    let tagToken: Token | undefined;
    if (t.type === 'ANCHOR') {
      anchor = true;
      this.skipToken();
      t = this.peek();
      if (t.type === 'TAG') {
        tagToken = t;
        this.skipToken();
        t = this.peek();
      }
    } else if (t.type === 'TAG') {
      tagToken = t;
      start = t.start;
      this.skipToken();
      t = this.peek();
      if (t.type === 'ANCHOR') {
        anchor = true;
        this.skipToken();
        t = this.peek();
      }
    }
    let tag = '';
    if (tagToken) {
      const handle = tagToken.value ?? '';
      if (handle === '') tag = tagToken.suffix ?? '';
      else {
        const d = this.tagDirectives.find((x) => x.handle === handle);
        if (d) tag = d.prefix + (tagToken.suffix ?? '');
        if (tag === '') this.fail('found undefined tag handle', tagToken.start, start);
      }
    }
    if (indentlessSequence && t.type === 'BLOCK_ENTRY') {
      this.state = 'INDENTLESS_SEQUENCE_ENTRY';
      return 'OTHER';
    }
    if (t.type === 'SCALAR') {
      this.pop();
      this.skipToken();
      return 'OTHER';
    }
    if (t.type === 'FLOW_SEQUENCE_START') {
      this.state = 'FLOW_SEQUENCE_FIRST_ENTRY';
      return 'OTHER';
    }
    if (t.type === 'FLOW_MAPPING_START') {
      this.state = 'FLOW_MAPPING_FIRST_KEY';
      return 'OTHER';
    }
    if (block && t.type === 'BLOCK_SEQUENCE_START') {
      this.state = 'BLOCK_SEQUENCE_FIRST_ENTRY';
      return 'OTHER';
    }
    if (block && t.type === 'BLOCK_MAPPING_START') {
      this.state = 'BLOCK_MAPPING_FIRST_KEY';
      return 'OTHER';
    }
    if (anchor || tag !== '') {
      this.pop();
      return 'OTHER';
    }
    this.fail('did not find expected node content', t.start, start);
  }

  private blockSequenceEntry(first: boolean): Event {
    if (first) {
      this.marks.push(this.peek().start);
      this.skipToken();
    }
    let t = this.peek();
    if (t.type === 'BLOCK_ENTRY') {
      this.skipToken();
      t = this.peek();
      if (t.type !== 'BLOCK_ENTRY' && t.type !== 'BLOCK_END') {
        this.states.push('BLOCK_SEQUENCE_ENTRY');
        return this.node(true, false);
      }
      this.state = 'BLOCK_SEQUENCE_ENTRY';
      return 'OTHER';
    }
    if (t.type === 'BLOCK_END') {
      this.pop();
      this.marks.pop();
      this.skipToken();
      return 'OTHER';
    }
    this.fail("did not find expected '-' indicator", t.start, this.marks.pop());
  }

  private indentlessSequenceEntry(): Event {
    let t = this.peek();
    if (t.type === 'BLOCK_ENTRY') {
      this.skipToken();
      t = this.peek();
      if (t.type !== 'BLOCK_ENTRY' && t.type !== 'KEY' && t.type !== 'VALUE' && t.type !== 'BLOCK_END') {
        this.states.push('INDENTLESS_SEQUENCE_ENTRY');
        return this.node(true, false);
      }
      this.state = 'INDENTLESS_SEQUENCE_ENTRY';
      return 'OTHER';
    }
    this.pop();
    return 'OTHER';
  }

  private blockMappingKey(first: boolean): Event {
    if (first) {
      this.marks.push(this.peek().start);
      this.skipToken();
    }
    let t = this.peek();
    if (t.type === 'KEY') {
      this.skipToken();
      t = this.peek();
      if (t.type !== 'KEY' && t.type !== 'VALUE' && t.type !== 'BLOCK_END') {
        this.states.push('BLOCK_MAPPING_VALUE');
        return this.node(true, true);
      }
      this.state = 'BLOCK_MAPPING_VALUE';
      return 'OTHER';
    }
    if (t.type === 'BLOCK_END') {
      this.pop();
      this.marks.pop();
      this.skipToken();
      return 'OTHER';
    }
    this.fail('did not find expected key', t.start, this.marks.pop());
  }

  private blockMappingValue(): Event {
    let t = this.peek();
    if (t.type === 'VALUE') {
      this.skipToken();
      t = this.peek();
      if (t.type !== 'KEY' && t.type !== 'VALUE' && t.type !== 'BLOCK_END') {
        this.states.push('BLOCK_MAPPING_KEY');
        return this.node(true, true);
      }
    }
    this.state = 'BLOCK_MAPPING_KEY';
    return 'OTHER';
  }

  private flowSequenceEntry(first: boolean): Event {
    if (first) {
      this.marks.push(this.peek().start);
      this.skipToken();
    }
    let t = this.peek();
    if (t.type !== 'FLOW_SEQUENCE_END') {
      if (!first) {
        if (t.type === 'FLOW_ENTRY') {
          this.skipToken();
          t = this.peek();
        } else this.fail("did not find expected ',' or ']'", t.start, this.marks.pop());
      }
      if (t.type === 'KEY') {
        this.state = 'FLOW_SEQUENCE_ENTRY_MAPPING_KEY';
        this.skipToken();
        return 'OTHER';
      }
      if (t.type !== 'FLOW_SEQUENCE_END') {
        this.states.push('FLOW_SEQUENCE_ENTRY');
        return this.node(false, false);
      }
    }
    this.pop();
    this.marks.pop();
    this.skipToken();
    return 'OTHER';
  }

  private flowMappingKey(first: boolean): Event {
    if (first) {
      this.marks.push(this.peek().start);
      this.skipToken();
    }
    let t = this.peek();
    if (t.type !== 'FLOW_MAPPING_END') {
      if (!first) {
        if (t.type === 'FLOW_ENTRY') {
          this.skipToken();
          t = this.peek();
        } else this.fail("did not find expected ',' or '}'", t.start, this.marks.pop());
      }
      if (t.type === 'KEY') {
        this.skipToken();
        t = this.peek();
        if (t.type !== 'VALUE' && t.type !== 'FLOW_ENTRY' && t.type !== 'FLOW_MAPPING_END') {
          this.states.push('FLOW_MAPPING_VALUE');
          return this.node(false, false);
        }
        this.state = 'FLOW_MAPPING_VALUE';
        return 'OTHER';
      }
      if (t.type !== 'FLOW_MAPPING_END') {
        this.states.push('FLOW_MAPPING_EMPTY_VALUE');
        return this.node(false, false);
      }
    }
    this.pop();
    this.marks.pop();
    this.skipToken();
    return 'OTHER';
  }

  private flowMappingValue(empty: boolean): Event {
    let t = this.peek();
    if (empty) {
      this.state = 'FLOW_MAPPING_KEY';
      return 'OTHER';
    }
    if (t.type === 'VALUE') {
      this.skipToken();
      t = this.peek();
      if (t.type !== 'FLOW_ENTRY' && t.type !== 'FLOW_MAPPING_END') {
        this.states.push('FLOW_MAPPING_KEY');
        return this.node(false, false);
      }
    }
    this.state = 'FLOW_MAPPING_KEY';
    return 'OTHER';
  }
}

/**
 * The syntax error go-yaml (libyaml's scanner and parser, as yaml.v2/yaml.v3 port them) finds in
 * `text`, or undefined when it finds none. `line` is 1-based as go-yaml prints it
 * ("yaml: line N: MESSAGE"); line is undefined when go-yaml prints no line.
 *
 * The whole stream is read, every document, as a yaml.v2/yaml.v3 Decoder reads it; with
 * `firstDocument`, only up to the end of the first document, as `yaml.Unmarshal` reads it (Helm and
 * kustomize cut files at `---` lines and unmarshal each piece, so what follows a `...` in a piece is
 * never read there). The line is chosen as yaml.v2's decoder chooses it (what
 * Helm and sigs.k8s.io/yaml print): the problem's line, plus one for reader and scanner errors only,
 * else the context's line; none when that is 0 (so parser errors on the second line, and every
 * error on the first, print no line).
 */
export function goYamlSyntaxError(
  text: string | Uint8Array,
  options: { firstDocument?: boolean } = {},
): { line?: number; message: string } | undefined {
  let bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
  if (bytes.length === 0) bytes = Buffer.from('\n');
  const parser = new Parser(new Scanner(bytes));
  try {
    for (;;) {
      const event = parser.next();
      if (event === 'STREAM_END' || (event === 'DOCUMENT_END' && options.firstDocument)) break;
    }
    return undefined;
  } catch (e) {
    if (!(e instanceof YamlFailure)) throw e;
    let line = 0;
    if (e.problemMark.line !== 0) line = e.problemMark.line + (e.kind === 'scanner' ? 1 : 0);
    else if (e.contextMark.line !== 0) line = e.contextMark.line;
    return line !== 0 ? { line, message: e.problem } : { message: e.problem };
  }
}
