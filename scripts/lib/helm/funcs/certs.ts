// sprig's certificate functions (genCA, genSelfSignedCert, genSignedCert and their WithKey forms):
// X.509 v3 certificates shaped as Go's x509.CreateCertificate makes them from sprig's template
// (serial of 128 random bits, CN-only names, key usages, server and client auth, basic
// constraints, subject key id on a CA, authority key id from the signer, DNS and IP SANs), keys
// from Node's crypto, signatures with Node's crypto.sign.
//
// Why by hand: Node can parse certificates but not make them; node-forge signs with RSA only and
// @peculiar/x509 is asynchronous (WebCrypto), while template functions run synchronously. What is
// needed is a small DER writer for one fixed structure.
import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomBytes,
  sign,
} from 'node:crypto';
import { isIP } from 'node:net';
import { GO_STRUCT, type GoValue } from '../values.ts';

// ---- DER -------------------------------------------------------------------------------------------

function tlv(tag: number, body: Buffer): Buffer {
  const n = body.length;
  let len: Buffer;
  if (n < 0x80) len = Buffer.from([n]);
  else {
    const bytes: number[] = [];
    for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
    len = Buffer.from([0x80 | bytes.length, ...bytes]);
  }
  return Buffer.concat([Buffer.from([tag]), len, body]);
}

const seq = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const explicit = (n: number, body: Buffer) => tlv(0xa0 + n, body);
const octets = (b: Buffer) => tlv(0x04, b);
const bitString = (b: Buffer) => tlv(0x03, Buffer.concat([Buffer.from([0]), b]));
const bool = (v: boolean) => tlv(0x01, Buffer.from([v ? 0xff : 0]));
const NULL = Buffer.from([0x05, 0x00]);

/** A non-negative integer, big-endian, with a leading zero when the top bit is set. */
function integer(bytes: Buffer): Buffer {
  let b = bytes;
  while (b.length > 1 && b[0] === 0 && ((b[1] as number) & 0x80) === 0) b = b.subarray(1);
  if (((b[0] as number) & 0x80) !== 0) b = Buffer.concat([Buffer.from([0]), b]);
  return tlv(0x02, b);
}

function oid(dotted: string): Buffer {
  const parts = dotted.split('.').map(Number);
  const out = [40 * (parts[0] as number) + (parts[1] as number)];
  for (const p of parts.slice(2)) {
    const stack = [p & 0x7f];
    for (let v = p >>> 7; v > 0; v >>>= 7) stack.unshift(0x80 | (v & 0x7f));
    out.push(...stack);
  }
  return tlv(0x06, Buffer.from(out));
}

/** encoding/asn1 marshals a Go string as PrintableString when it can, UTF8String otherwise. */
function goString(s: string): Buffer {
  return /^[A-Za-z0-9 '()+,\-./:=?*&]*$/.test(s)
    ? tlv(0x13, Buffer.from(s, 'latin1'))
    : tlv(0x0c, Buffer.from(s, 'utf8'));
}

/** UTCTime before 2050, GeneralizedTime after, to the second, as Go writes them. */
function time(ms: number): Buffer {
  const d = new Date(Math.floor(ms / 1000) * 1000);
  const p2 = (n: number) => String(n).padStart(2, '0');
  const rest = `${p2(d.getUTCMonth() + 1)}${p2(d.getUTCDate())}${p2(d.getUTCHours())}${p2(d.getUTCMinutes())}${p2(d.getUTCSeconds())}Z`;
  const y = d.getUTCFullYear();
  return y >= 1950 && y < 2050
    ? tlv(0x17, Buffer.from(`${p2(y % 100)}${rest}`))
    : tlv(0x18, Buffer.from(`${String(y).padStart(4, '0')}${rest}`));
}

/** A DER value's parts: tag, the whole TLV, and its body. */
function readTlv(buf: Buffer, at: number): { tag: number; whole: Buffer; body: Buffer; end: number } {
  const tag = buf[at] as number;
  let len = buf[at + 1] as number;
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + (buf[at + 2 + i] as number);
    head += n;
  }
  const end = at + head + len;
  return { tag, whole: buf.subarray(at, end), body: buf.subarray(at + head, end), end };
}

function children(body: Buffer): ReturnType<typeof readTlv>[] {
  const out: ReturnType<typeof readTlv>[] = [];
  for (let at = 0; at < body.length; ) {
    const t = readTlv(body, at);
    out.push(t);
    at = t.end;
  }
  return out;
}

// ---- certificates ----------------------------------------------------------------------------------

interface Signer {
  key: KeyObject;
  /** The issuer's Name, DER. */
  name: Buffer;
  /** The issuer's subject key identifier, when it has one. */
  keyId?: Buffer;
}

function algorithm(key: KeyObject): { alg: Buffer; hash: string | null } {
  switch (key.asymmetricKeyType) {
    case 'rsa':
      return { alg: seq(oid('1.2.840.113549.1.1.11'), NULL), hash: 'sha256' };
    case 'ec': {
      const curve = key.asymmetricKeyDetails?.namedCurve;
      if (curve === 'secp384r1') return { alg: seq(oid('1.2.840.10045.4.3.3')), hash: 'sha384' };
      if (curve === 'secp521r1') return { alg: seq(oid('1.2.840.10045.4.3.4')), hash: 'sha512' };
      return { alg: seq(oid('1.2.840.10045.4.3.2')), hash: 'sha256' };
    }
    case 'ed25519':
      return { alg: seq(oid('1.3.101.112')), hash: null };
    default:
      throw new Error(`x509: unsupported key type ${key.asymmetricKeyType}`);
  }
}

function nameOf(cn: string): Buffer {
  return seq(set(seq(oid('2.5.4.3'), goString(cn))));
}

function ipBytes(ip: string): Buffer {
  if (isIP(ip) === 4) return Buffer.from(ip.split('.').map(Number));
  // IPv6: expand :: and any embedded IPv4
  let text = ip;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4) {
    const b = (v4[1] as string).split('.').map(Number);
    text = `${text.slice(0, -(v4[1] as string).length)}${(((b[0] as number) << 8) | (b[1] as number)).toString(16)}:${(((b[2] as number) << 8) | (b[3] as number)).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  return Buffer.concat(groups.map((g) => Buffer.from(g.padStart(4, '0'), 'hex')));
}

function stringList(v: GoValue, what: string): string[] {
  if (v === null || v === undefined) return [];
  if (!Array.isArray(v)) throw new Error(`wrong type for value; expected []interface {}; got ${typeof v}`);
  return v.map((x) => {
    if (typeof x !== 'string') throw new Error(`${what}: ${String(x)} is not a string`);
    return x;
  });
}

function makeCert(
  cn: string,
  ips: string[],
  dns: string[],
  days: number,
  key: KeyObject,
  isCA: boolean,
  signer?: Signer,
): string {
  const pub = createPublicKey(key);
  const spki = pub.export({ type: 'spki', format: 'der' });
  const subject = nameOf(cn);
  const issuer = signer ? signer : { key, name: subject };
  const { alg, hash } = algorithm(issuer.key);
  const now = Date.now();
  // key usage bits: digitalSignature (0), keyEncipherment (2), keyCertSign (5) for a CA
  const usage = isCA ? 0b10100100 : 0b10100000;
  const extensions: Buffer[] = [
    seq(oid('2.5.29.15'), bool(true), octets(tlv(0x03, Buffer.from([isCA ? 2 : 5, usage])))),
    seq(oid('2.5.29.37'), octets(seq(oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2')))),
    seq(oid('2.5.29.19'), bool(true), octets(isCA ? seq(bool(true)) : seq())),
  ];
  // Go gives a CA a subject key id: since Go 1.25 (Helm v4.1.4 is built with 1.25.9) the first
  // 20 bytes of the SHA-256 of the public key bits
  const spkiBits = children(readTlv(spki, 0).body)[1]?.body.subarray(1) as Buffer;
  const skid = createHash('sha256').update(spkiBits).digest().subarray(0, 20);
  if (isCA) extensions.push(seq(oid('2.5.29.14'), octets(octets(skid))));
  if (signer?.keyId) extensions.push(seq(oid('2.5.29.35'), octets(seq(tlv(0x80, signer.keyId)))));
  if (dns.length || ips.length)
    extensions.push(
      seq(
        oid('2.5.29.17'),
        octets(
          seq(
            ...dns.map((d) => tlv(0x82, Buffer.from(d, 'latin1'))),
            ...ips.map((ip) => tlv(0x87, ipBytes(ip))),
          ),
        ),
      ),
    );
  const serial = randomBytes(16);
  const tbs = seq(
    explicit(0, integer(Buffer.from([2]))),
    integer(serial),
    alg,
    issuer.name,
    seq(time(now), time(now + days * 86_400_000)),
    subject,
    spki,
    explicit(3, seq(...extensions)),
  );
  const signature = sign(hash, tbs, issuer.key);
  const der = seq(tbs, alg, bitString(signature));
  const b64 = der.toString('base64').replace(/.{64}/g, '$&\n');
  return `-----BEGIN CERTIFICATE-----\n${b64.endsWith('\n') ? b64 : `${b64}\n`}-----END CERTIFICATE-----\n`;
}

/** pemBlockForKey: RSA as PKCS#1, ECDSA as SEC 1, others as PKCS#8. */
export function keyPem(key: KeyObject): string {
  if (key.asymmetricKeyType === 'rsa') return key.export({ type: 'pkcs1', format: 'pem' }).toString();
  if (key.asymmetricKeyType === 'ec') return key.export({ type: 'sec1', format: 'pem' }).toString();
  return key.export({ type: 'pkcs8', format: 'pem' }).toString();
}

function parseKey(pem: GoValue): KeyObject {
  try {
    return createPrivateKey(String(pem));
  } catch {
    throw new Error('parsing private key: no PEM data in input');
  }
}

const rsaKey = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;

/** sprig's certificate struct: the PEM certificate and its PEM key. */
export function certificate(cert: string, key: string): GoValue {
  return { [GO_STRUCT]: 'sprig.certificate', Cert: cert, Key: key } as unknown as GoValue;
}

/** The signer of genSignedCert: the CA certificate's subject and key id, and its key. */
function signerOf(ca: GoValue): Signer {
  const c = ca as unknown as { Cert?: string; Key?: string };
  const pem = /-----BEGIN CERTIFICATE-----([\s\S]*?)-----END CERTIFICATE-----/.exec(String(c?.Cert ?? ''));
  if (!pem) throw new Error('unable to decode certificate');
  const der = Buffer.from((pem[1] as string).replace(/\s+/g, ''), 'base64');
  const tbs = children(readTlv(der, 0).body)[0];
  if (!tbs) throw new Error('error parsing certificate: decodedSignerCert.Bytes: malformed certificate');
  const fields = children(tbs.body);
  const offset = fields[0]?.tag === 0xa0 ? 1 : 0;
  const name = fields[offset + 4]?.whole;
  if (!name) throw new Error('error parsing certificate: decodedSignerCert.Bytes: malformed certificate');
  let keyId: Buffer | undefined;
  const exts = fields.find((f) => f.tag === 0xa3);
  if (exts)
    for (const ext of children(children(exts.body)[0]?.body ?? Buffer.alloc(0))) {
      const parts = children(ext.body);
      if (parts[0]?.whole.equals(oid('2.5.29.14')))
        keyId = readTlv(parts[parts.length - 1]?.body as Buffer, 0).body;
    }
  let key: KeyObject;
  try {
    key = createPrivateKey(String(c?.Key ?? ''));
  } catch {
    throw new Error('error parsing private key: no PEM data in input');
  }
  return { key, name, keyId };
}

const days = (v: GoValue) => Number(v);

export function genCA(cn: GoValue, daysValid: GoValue, keyPemText?: GoValue): GoValue {
  const key = keyPemText === undefined ? rsaKey() : parseKey(keyPemText);
  return certificate(makeCert(String(cn), [], [], days(daysValid), key, true), keyPem(key));
}

export function genSelfSignedCert(
  cn: GoValue,
  ips: GoValue,
  dns: GoValue,
  daysValid: GoValue,
  keyPemText?: GoValue,
): GoValue {
  const key = keyPemText === undefined ? rsaKey() : parseKey(keyPemText);
  const ipList = checkIps(stringList(ips, 'error parsing ip'));
  const dnsList = stringList(dns, 'error processing alternate dns name');
  return certificate(makeCert(String(cn), ipList, dnsList, days(daysValid), key, false), keyPem(key));
}

export function genSignedCert(
  cn: GoValue,
  ips: GoValue,
  dns: GoValue,
  daysValid: GoValue,
  ca: GoValue,
  keyPemText?: GoValue,
): GoValue {
  const signer = signerOf(ca);
  const key = keyPemText === undefined ? rsaKey() : parseKey(keyPemText);
  const ipList = checkIps(stringList(ips, 'error parsing ip'));
  const dnsList = stringList(dns, 'error processing alternate dns name');
  return certificate(makeCert(String(cn), ipList, dnsList, days(daysValid), key, false, signer), keyPem(key));
}

function checkIps(ips: string[]): string[] {
  for (const ip of ips) if (!isIP(ip)) throw new Error(`error parsing ip: ${ip}`);
  return ips;
}
