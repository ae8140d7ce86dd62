// The rarer sprig and Helm functions: Master Password derivation, bcrypt and htpasswd (bcryptjs),
// keys and certificates, AES, Go time layouts, durationRound, toToml.
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  generateKeyPairSync,
  randomBytes,
  scryptSync,
  X509Certificate,
} from 'node:crypto';
import { createRequire } from 'node:module';
import { formatValue } from '../template/fmt.ts';
import { GO_STRUCT, type GoMap, type GoValue, goMap, isGoMap, isGoStruct } from '../values.ts';
import { certificate, keyPem } from './certs.ts';

// bcryptjs (~15 ms to load) and smol-toml are loaded by the first template that needs them
const require = createRequire(import.meta.url);
const bcryptjs = (): typeof import('bcryptjs') => require('bcryptjs');
const parseToml = (text: string, opts: { integersAsBigInt: boolean }): Record<string, unknown> =>
  (require('smol-toml') as typeof import('smol-toml')).parse(text, opts);

const str = (v: GoValue): string => (typeof v === 'string' ? v : v === null ? '' : formatValue(v));

// ---- derivePassword (Master Password algorithm, as sprig implements it) ----------------------------

const TEMPLATES: Record<string, string[]> = {
  maximum: ['anoxxxxxxxxxxxxxxxxx', 'axxxxxxxxxxxxxxxxxno'],
  long: [
    'CvcvnoCvcvCvcv',
    'CvcvCvcvnoCvcv',
    'CvcvCvcvCvcvno',
    'CvccnoCvcvCvcv',
    'CvccCvcvnoCvcv',
    'CvccCvcvCvcvno',
    'CvcvnoCvccCvcv',
    'CvcvCvccnoCvcv',
    'CvcvCvccCvcvno',
    'CvcvnoCvcvCvcc',
    'CvcvCvcvnoCvcc',
    'CvcvCvcvCvccno',
    'CvccnoCvccCvcv',
    'CvccCvccnoCvcv',
    'CvccCvccCvcvno',
    'CvcvnoCvccCvcc',
    'CvcvCvccnoCvcc',
    'CvcvCvccCvccno',
    'CvccnoCvcvCvcc',
    'CvccCvcvnoCvcc',
    'CvccCvcvCvccno',
  ],
  medium: ['CvcnoCvc', 'CvcCvcno'],
  short: ['Cvcn'],
  basic: ['aaanaaan', 'aannaaan', 'aaannaaa'],
  pin: ['nnnn'],
};
const CHARS: Record<string, string> = {
  V: 'AEIOU',
  C: 'BCDFGHJKLMNPQRSTVWXYZ',
  v: 'aeiou',
  c: 'bcdfghjklmnpqrstvwxyz',
  A: 'AEIOUBCDFGHJKLMNPQRSTVWXYZ',
  a: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz',
  n: '0123456789',
  o: "@&%?,=[]_:-+*$#!'^~;()/.",
  x: 'AEIOUaeiouBCDFGHJKLMNPQRSTVWXYZbcdfghjklmnpqrstvwxyz0123456789!@#$%^&*()',
};
const SEED = 'com.lyndir.masterpassword';

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

export function derivePassword(
  counter: GoValue,
  type: GoValue,
  password: GoValue,
  user: GoValue,
  site: GoValue,
): string {
  const templates = TEMPLATES[str(type)];
  if (!templates) return `cannot find password template ${str(type)}`;
  const u = Buffer.from(str(user), 'utf8');
  const salt = Buffer.concat([Buffer.from(SEED), u32(u.length), u]);
  const key = scryptSync(Buffer.from(str(password), 'utf8'), salt, 64, {
    N: 32768,
    r: 8,
    p: 2,
    maxmem: 256 * 1024 * 1024,
  });
  const s = Buffer.from(str(site), 'utf8');
  const seed = createHmac('sha256', key)
    .update(
      Buffer.concat([
        Buffer.from(SEED),
        u32(s.length),
        s,
        u32(Number(typeof counter === 'bigint' ? counter : Number(counter))),
      ]),
    )
    .digest();
  const template = templates[(seed[0] as number) % templates.length] as string;
  let out = '';
  for (let i = 0; i < template.length; i++) {
    const chars = CHARS[template[i] as string] as string;
    out += chars[(seed[i + 1] as number) % chars.length];
  }
  return out;
}

// ---- keys, certificates, AES ------------------------------------------------------------------------

/**
 * sprig's bcrypt: golang.org/x/crypto/bcrypt at its default cost (10), version 2a, with a random
 * salt (from `random` when renders are seeded). Go refuses passwords over 72 bytes where bcryptjs
 * would silently truncate them, so that case is checked first.
 */
export function bcrypt(password: GoValue, random?: () => number): string {
  const bytes = Buffer.from(str(password), 'utf8');
  if (bytes.length > 72)
    return 'failed to encrypt string with bcrypt: bcrypt: password length exceeds 72 bytes';
  const salt = random ? Array.from({ length: 16 }, () => Math.floor(random() * 256)) : [...randomBytes(16)];
  return bcryptjs().hashSync(bytes.toString('utf8'), `$2a$10$${bcryptjs().encodeBase64(salt, 16)}`);
}

/** sprig's htpasswd: `user:` and the bcrypt hash of the password. */
export function htpasswd(username: GoValue, password: GoValue, random?: () => number): string {
  if (str(username).includes(':')) return `invalid username: ${str(username)}`;
  return `${str(username)}:${bcrypt(password, random)}`;
}

export function genPrivateKey(type: GoValue): string {
  switch (str(type)) {
    case '':
    case 'rsa':
      return keyPem(generateKeyPairSync('rsa', { modulusLength: 4096 }).privateKey);
    case 'ecdsa':
      return keyPem(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey);
    case 'ed25519':
      return keyPem(generateKeyPairSync('ed25519').privateKey);
    case 'dsa':
      return keyPem(generateKeyPairSync('dsa', { modulusLength: 2048, divisorLength: 256 }).privateKey);
    default:
      return `Unknown type ${str(type)}`;
  }
}

export function buildCustomCert(b64cert: GoValue, b64key: GoValue): GoValue {
  const cert = Buffer.from(str(b64cert), 'base64').toString('utf8');
  const key = Buffer.from(str(b64key), 'base64').toString('utf8');
  try {
    new X509Certificate(cert);
  } catch {
    throw new Error('error parsing certificate: decoding failed');
  }
  try {
    createPrivateKey(key);
  } catch {
    throw new Error('error parsing private key: decoding failed');
  }
  return certificate(cert, key);
}

function aesKey(password: string): Buffer {
  const key = Buffer.alloc(32);
  Buffer.from(password, 'utf8').copy(key);
  return key;
}

export function encryptAES(password: GoValue, plaintext: GoValue): string {
  const text = str(plaintext);
  if (text === '') return '';
  const iv = randomBytes(16);
  const c = createCipheriv('aes-256-cbc', aesKey(str(password)), iv);
  return Buffer.concat([iv, c.update(text, 'utf8'), c.final()]).toString('base64');
}

export function decryptAES(password: GoValue, crypt: GoValue): string {
  const data = Buffer.from(str(crypt), 'base64');
  if (data.length < 16) throw new Error('ciphertext too short');
  const d = createDecipheriv('aes-256-cbc', aesKey(str(password)), data.subarray(0, 16));
  return Buffer.concat([d.update(data.subarray(16)), d.final()]).toString('utf8');
}

// ---- time -------------------------------------------------------------------------------------------

export interface GoTime {
  [GO_STRUCT]: 'time.Time';
  ms: number;
}

export function goTime(ms: number, zone: Zone = UTC): GoValue {
  const d = new Date(ms + zone.offset * 60000);
  const start = new Date(d);
  start.setUTCMonth(0, 1);
  start.setUTCHours(0, 0, 0, 0);
  return {
    [GO_STRUCT]: 'time.Time',
    ms,
    String: () => formatGoTime(ms, '2006-01-02 15:04:05.999999999 -0700 MST', zone),
    // time.Time's accessors, in the time's zone; Month and Weekday print by name
    Year: () => BigInt(d.getUTCFullYear()),
    Month: () => MONTHS[d.getUTCMonth()] as string,
    Day: () => BigInt(d.getUTCDate()),
    Hour: () => BigInt(d.getUTCHours()),
    Minute: () => BigInt(d.getUTCMinutes()),
    Second: () => BigInt(d.getUTCSeconds()),
    Nanosecond: () => BigInt(d.getUTCMilliseconds()) * 1_000_000n,
    YearDay: () => BigInt(Math.floor((d.getTime() - start.getTime()) / 86_400_000) + 1),
    Weekday: () => DAYS[d.getUTCDay()] as string,
    Unix: () => BigInt(Math.floor(ms / 1000)),
    UnixMilli: () => BigInt(Math.floor(ms)),
    UTC: () => goTime(ms),
    Format: (layout: GoValue) => formatGoTime(ms, String(layout), zone),
    IsZero: () => ms === GO_ZERO_TIME_MS,
  } as unknown as GoValue;
}

/** time.Time{}: January 1, year 1, 00:00:00 UTC (Date.UTC reads year 1 as 1901). */
const GO_ZERO_TIME_MS = -62_135_596_800_000;

function isTime(v: GoValue): v is GoValue & { ms: number } {
  return isGoStruct(v) && (v as unknown as { [GO_STRUCT]: string })[GO_STRUCT] === 'time.Time';
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const TOKENS = [
  'January',
  'Monday',
  '2006',
  '-07:00',
  'Z07:00',
  '-0700',
  'Z0700',
  '-07',
  'Z07',
  'Jan',
  'Mon',
  'MST',
  '.000000000',
  '.000000',
  '.000',
  '.999999999',
  '.999999',
  '.999',
  '01',
  '02',
  '_2',
  '15',
  '03',
  '04',
  '05',
  '06',
  'PM',
  'pm',
  '1',
  '2',
  '3',
  '4',
  '5',
];

/** A time zone at an instant: its offset east of UTC in minutes and its abbreviation. */
interface Zone {
  offset: number;
  abbr: string;
}

const UTC: Zone = { offset: 0, abbr: 'UTC' };

/** tzdata's abbreviations of the zones Intl names only by their offset in en-US. */
const TZ_ABBREVIATIONS: Record<string, string> = {
  'Central European Standard Time': 'CET',
  'Central European Summer Time': 'CEST',
  'Eastern European Standard Time': 'EET',
  'Eastern European Summer Time': 'EEST',
  'Western European Standard Time': 'WET',
  'Western European Summer Time': 'WEST',
  'British Summer Time': 'BST',
  'Irish Standard Time': 'IST',
  'Greenwich Mean Time': 'GMT',
  'Moscow Standard Time': 'MSK',
  'India Standard Time': 'IST',
  'Israel Standard Time': 'IST',
  'Israel Daylight Time': 'IDT',
  'Japan Standard Time': 'JST',
  'Korean Standard Time': 'KST',
  'China Standard Time': 'CST',
  'Hong Kong Standard Time': 'HKT',
  'Philippine Standard Time': 'PST',
  'Western Indonesia Time': 'WIB',
  'South Africa Standard Time': 'SAST',
  'Australian Eastern Standard Time': 'AEST',
  'Australian Eastern Daylight Time': 'AEDT',
  'Australian Central Standard Time': 'ACST',
  'Australian Central Daylight Time': 'ACDT',
  'Australian Western Standard Time': 'AWST',
  'New Zealand Standard Time': 'NZST',
  'New Zealand Daylight Time': 'NZDT',
};

const zoneFormats = new Map<string, Intl.DateTimeFormat>();

/** The date, time and zone name of a zone, one formatter per zone and name style (making one is
 * far dearer than using it, and toDate asks twice per call). */
function zoneFormat(tz: string, name: 'short' | 'long'): Intl.DateTimeFormat {
  const key = `${tz} ${name}`;
  let f = zoneFormats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      timeZoneName: name,
    });
    zoneFormats.set(key, f);
  }
  return f;
}

/**
 * time.LoadLocation(name) at instant `ms`: "UTC" and "" are UTC, "Local" the process's zone (TZ),
 * other names IANA zones through Intl; an unknown name is UTC, as sprig falls back. Abbreviations
 * are Intl's (en-US), which are tzdata's for UTC and the US zones and numeric (+01) elsewhere.
 */
const EARLIEST_ZONE_MS = Date.UTC(1800, 0, 1);

export function zoneAt(ms: number, name: string): Zone {
  let tz = name;
  if (tz === 'Local') tz = process.env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone;
  if (tz === '' || tz === 'UTC' || tz === 'Etc/UTC') return UTC;
  try {
    // zones keep their local mean time before 1800; Intl's parts for years before 100 (and BC)
    // do not read back, so older instants are looked up in 1800
    if (ms < EARLIEST_ZONE_MS) {
      const d = new Date(ms);
      d.setUTCFullYear(1800);
      return zoneAt(d.getTime(), name);
    }
    const parts = zoneFormat(tz, 'short').formatToParts(new Date(ms));
    const get = (t: string) => Number(parts.find((p) => p.type === t)?.value ?? 0);
    const local = Date.UTC(
      get('year'),
      get('month') - 1,
      get('day'),
      get('hour'),
      get('minute'),
      get('second'),
    );
    const offset = Math.round((local - Math.floor(ms / 1000) * 1000) / 60000);
    let abbr = parts.find((p) => p.type === 'timeZoneName')?.value ?? 'UTC';
    // an offset to the second is tzdata's local mean time
    if (/^GMT[+-]\d+:\d+:\d+$/.test(abbr)) return { offset, abbr: 'LMT' };
    if (/^GMT[+-]/.test(abbr) || abbr === 'GMT') {
      const long = zoneFormat(tz, 'long')
        .formatToParts(new Date(ms))
        .find((p) => p.type === 'timeZoneName')?.value;
      abbr = (long && TZ_ABBREVIATIONS[long]) ?? (offset === 0 ? 'GMT' : numericZone(offset));
    }
    return { offset, abbr };
  } catch {
    return UTC;
  }
}

function numericZone(offset: number): string {
  const a = Math.abs(offset);
  const hh = String(Math.floor(a / 60)).padStart(2, '0');
  return `${offset < 0 ? '-' : '+'}${hh}${a % 60 ? String(a % 60).padStart(2, '0') : ''}`;
}

/** Go's time.Format, in UTC or in `zone`. */
export function formatGoTime(ms: number, layout: string, zone: Zone = UTC): string {
  const d = new Date(ms + zone.offset * 60000);
  const off = (colon: boolean, z: boolean, short = false) => {
    if (z && zone.offset === 0) return 'Z';
    const a = Math.abs(zone.offset);
    const hh = String(Math.floor(a / 60)).padStart(2, '0');
    const mm = String(a % 60).padStart(2, '0');
    return `${zone.offset < 0 ? '-' : '+'}${hh}${short ? '' : `${colon ? ':' : ''}${mm}`}`;
  };
  const p2 = (n: number) => String(n).padStart(2, '0');
  let out = '';
  for (let i = 0; i < layout.length; ) {
    const t = TOKENS.find((tok) => layout.startsWith(tok, i));
    if (!t) {
      out += layout[i++];
      continue;
    }
    i += t.length;
    const h = d.getUTCHours();
    switch (t) {
      case 'January':
        out += MONTHS[d.getUTCMonth()];
        break;
      case 'Jan':
        out += (MONTHS[d.getUTCMonth()] as string).slice(0, 3);
        break;
      case 'Monday':
        out += DAYS[d.getUTCDay()];
        break;
      case 'Mon':
        out += (DAYS[d.getUTCDay()] as string).slice(0, 3);
        break;
      case '2006':
        // Go writes at least four digits: 0001
        out += String(d.getUTCFullYear()).padStart(4, '0');
        break;
      case '06':
        out += p2(d.getUTCFullYear() % 100);
        break;
      case '01':
        out += p2(d.getUTCMonth() + 1);
        break;
      case '1':
        out += String(d.getUTCMonth() + 1);
        break;
      case '02':
        out += p2(d.getUTCDate());
        break;
      case '_2':
        out += String(d.getUTCDate()).padStart(2, ' ');
        break;
      case '2':
        out += String(d.getUTCDate());
        break;
      case '15':
        out += p2(h);
        break;
      case '03':
        out += p2(h % 12 || 12);
        break;
      case '3':
        out += String(h % 12 || 12);
        break;
      case '04':
        out += p2(d.getUTCMinutes());
        break;
      case '4':
        out += String(d.getUTCMinutes());
        break;
      case '05':
        out += p2(d.getUTCSeconds());
        break;
      case '5':
        out += String(d.getUTCSeconds());
        break;
      case 'PM':
        out += h >= 12 ? 'PM' : 'AM';
        break;
      case 'pm':
        out += h >= 12 ? 'pm' : 'am';
        break;
      case 'MST':
        // a zone with no name (an offset read from the text) prints as -0700
        out += zone.abbr === '' ? off(false, false) : zone.abbr;
        break;
      case '-07:00':
        out += off(true, false);
        break;
      case '-0700':
        out += off(false, false);
        break;
      case '-07':
        out += off(false, false, true);
        break;
      case 'Z07:00':
        out += off(true, true);
        break;
      case 'Z0700':
        out += off(false, true);
        break;
      case 'Z07':
        out += off(false, true, true);
        break;
      case '.000':
        out += `.${String(d.getUTCMilliseconds()).padStart(3, '0')}`;
        break;
      case '.000000':
        out += `.${String(d.getUTCMilliseconds()).padStart(3, '0')}000`;
        break;
      case '.000000000':
        out += `.${String(d.getUTCMilliseconds()).padStart(3, '0')}000000`;
        break;
      default: {
        const msPart = d.getUTCMilliseconds();
        if (msPart) out += `.${String(msPart).padStart(3, '0').replace(/0+$/, '')}`;
      }
    }
  }
  return out;
}

/** Go's time.Parse for the numeric layouts charts use (UTC). */
export function parseGoTime(layout: string, value: string): number {
  return parseGoTimeZone(layout, value).ms;
}

/** time.ParseInLocation(layout, value, time.Local): the instant, and the zone the text gave. */
export function parseGoTimeZone(layout: string, value: string): { ms: number; zone?: Zone } {
  let y = 0;
  let mo = 1;
  let day = 1;
  let h = 0;
  let mi = 0;
  let s = 0;
  let frac = 0;
  let pm: boolean | undefined;
  let offset: number | undefined; // minutes east of UTC, when the value gives one
  let zoneName: string | undefined;
  let j = 0;
  const fail = (): never => {
    throw new Error(`parsing time "${value}" as "${layout}": cannot parse "${value.slice(j)}"`);
  };
  const num = (min: number, max: number) => {
    const m = new RegExp(`^\\d{${min},${max}}`).exec(value.slice(j));
    if (!m) fail();
    j += (m as RegExpExecArray)[0].length;
    return Number((m as RegExpExecArray)[0]);
  };
  const name = (names: string[], len?: number) => {
    const found = names.findIndex((n) => {
      const w = len ? n.slice(0, len) : n;
      return value.slice(j, j + w.length).toLowerCase() === w.toLowerCase();
    });
    if (found < 0) fail();
    j += len ? len : (names[found] as string).length;
    return found;
  };
  // Go reads a fractional second after the seconds even where the layout has none
  const fraction = () => {
    const m = /^[.,]\d+/.exec(value.slice(j));
    if (m) {
      frac = Number(`0.${m[0].slice(1)}`);
      j += m[0].length;
    }
  };
  for (let i = 0; i < layout.length; ) {
    const t = TOKENS.find((tok) => layout.startsWith(tok, i));
    if (!t) {
      if (value[j] !== layout[i])
        throw new Error(
          `parsing time "${value}" as "${layout}": cannot parse "${value.slice(j)}" as "${layout.slice(i)}"`,
        );
      i++;
      j++;
      continue;
    }
    i += t.length;
    switch (t) {
      case '2006':
        y = num(4, 4);
        break;
      case '06':
        y = 2000 + num(2, 2);
        if (y >= 2069) y -= 100;
        break;
      case 'January':
        mo = name(MONTHS) + 1;
        break;
      case 'Jan':
        mo = name(MONTHS, 3) + 1;
        break;
      case 'Monday':
        name(DAYS);
        break;
      case 'Mon':
        name(DAYS, 3);
        break;
      case '01':
        mo = num(2, 2);
        break;
      case '1':
        mo = num(1, 2);
        break;
      case '02':
        day = num(2, 2);
        break;
      case '2':
      case '_2':
        if (t === '_2' && value[j] === ' ') j++;
        day = num(1, 2);
        break;
      case '15':
        h = num(1, 2);
        break;
      case '03':
        h = num(2, 2);
        break;
      case '3':
        h = num(1, 2);
        break;
      case '04':
        mi = num(2, 2);
        break;
      case '4':
        mi = num(1, 2);
        break;
      case '05':
        s = num(2, 2);
        if (!layout.startsWith('.', i) && !layout.startsWith(',', i)) fraction();
        break;
      case '5':
        s = num(1, 2);
        if (!layout.startsWith('.', i) && !layout.startsWith(',', i)) fraction();
        break;
      case 'PM':
      case 'pm': {
        const v = value.slice(j, j + 2).toUpperCase();
        if (v !== 'AM' && v !== 'PM') fail();
        pm = v === 'PM';
        j += 2;
        break;
      }
      case 'Z07:00':
      case 'Z0700':
      case 'Z07':
      case '-07:00':
      case '-0700':
      case '-07': {
        if (t.startsWith('Z') && value[j] === 'Z') {
          offset = 0;
          zoneName = 'UTC';
          j++;
          break;
        }
        const m = (
          t.endsWith(':00')
            ? /^([+-])(\d\d):(\d\d)/
            : t.endsWith('00')
              ? /^([+-])(\d\d)(\d\d)/
              : /^([+-])(\d\d)/
        ).exec(value.slice(j));
        if (!m) fail();
        const mm = m as RegExpExecArray;
        offset = (mm[1] === '-' ? -1 : 1) * (Number(mm[2]) * 60 + Number(mm[3] ?? 0));
        j += mm[0].length;
        break;
      }
      case 'MST': {
        // a zone abbreviation: UTC and GMT are UTC, another stays an unknown zone at offset 0
        const m = /^(?:UTC|GMT|[A-Z]{3,5})/.exec(value.slice(j));
        if (!m) fail();
        const abbr = (m as RegExpExecArray)[0];
        j += abbr.length;
        if (offset === undefined) {
          offset = 0;
          zoneName = abbr;
        }
        break;
      }
      default:
        if (/^[.,][09]+$/.test(t)) {
          // .000 wants exactly its digits, .999 any number of them
          const m = (t[1] === '0' ? new RegExp(`^[.,]\\d{${t.length - 1}}`) : /^[.,]\d+/).exec(
            value.slice(j),
          );
          if (m) {
            frac = Number(`0.${m[0].slice(1)}`);
            j += m[0].length;
          } else if (t[1] === '0') fail();
          break;
        }
        throw new Error(`layout element ${t} is not supported`);
    }
  }
  if (j !== value.length) throw new Error(`parsing time "${value}": extra text: "${value.slice(j)}"`);
  if (pm !== undefined) {
    if (h > 12) fail();
    if (pm && h < 12) h += 12;
    if (!pm && h === 12) h = 0;
  }
  const wallDate = new Date(Date.UTC(2000, mo - 1, day, h, mi, s));
  wallDate.setUTCFullYear(y); // Date.UTC would read years 0-99 as 1900-1999
  const wall = wallDate.getTime() + frac * 1000;
  if (offset !== undefined) {
    const ms = wall - offset * 60000;
    // an offset the Local zone has then is the Local zone; another makes a zone with no name
    if (zoneName === 'UTC' || zoneName === 'GMT') return { ms, zone: UTC };
    const local = zoneAt(ms, 'Local');
    if (local.offset === offset && (zoneName === undefined || zoneName === local.abbr))
      return { ms, zone: local };
    return { ms, zone: { offset, abbr: zoneName ?? '' } };
  }
  // sprig parses in the Local zone (time.ParseInLocation with time.Local)
  let ms = wall - zoneAt(wall, 'Local').offset * 60000;
  const again = zoneAt(ms, 'Local').offset;
  ms = wall - again * 60000;
  return { ms, zone: zoneAt(ms, 'Local') };
}

export function toDate(layout: GoValue, value: GoValue): GoValue {
  try {
    const t = parseGoTimeZone(str(layout), str(value));
    return goTime(t.ms, t.zone);
  } catch {
    return goTime(GO_ZERO_TIME_MS);
  }
}

/**
 * The clock of `now`, `date`, `ago` and `durationRound`: SOURCE_DATE_EPOCH (seconds, the
 * reproducible-builds convention) when set, so that a render that reads the clock is reproducible.
 */
export function nowMs(): number {
  return fixedClock() ?? Date.now();
}

/** SOURCE_DATE_EPOCH in milliseconds when it is set (to whole seconds), else undefined. */
export function fixedClock(): number | undefined {
  const epoch = process.env.SOURCE_DATE_EPOCH;
  return epoch && /^\d+$/.test(epoch) ? Number(epoch) * 1000 : undefined;
}

/** The instant sprig's date functions take: a time, Unix seconds as an int, anything else now
 * (a float64 from values included, as sprig's type switch has no case for it). */
function instant(date: GoValue): number {
  if (isTime(date)) return (date as unknown as { ms: number }).ms;
  if (typeof date === 'bigint') return Number(date) * 1000;
  return nowMs();
}

/** sprig's dateInZone; date and htmlDate are it in the Local zone. */
export function dateInZone(layout: GoValue, date: GoValue, zone: GoValue): string {
  const ms = instant(date);
  return formatGoTime(ms, str(layout), zoneAt(ms, str(zone)));
}

export function dateFmt(layout: GoValue, date: GoValue): string {
  return dateInZone(layout, date, 'Local');
}

/** sprig's unixEpoch: seconds since 1970 of a time. */
export function unixEpoch(date: GoValue): string {
  if (!isTime(date)) throw new Error(`wrong type for value; expected time.Time; got ${typeof date}`);
  return String(Math.floor((date as unknown as { ms: number }).ms / 1000));
}

/** sprig's dateModify: the time moved by a Go duration ("-1.5h"); a bad duration leaves it. */
export function dateModify(duration: GoValue, date: GoValue, must = false): GoValue {
  if (!isTime(date)) throw new Error(`wrong type for value; expected time.Time; got ${typeof date}`);
  const d = str(duration);
  if (!/^[-+]?((\d+(\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h))+$/.test(d) && d !== '0') {
    if (must) throw new Error(`time: invalid duration "${d}"`);
    return date;
  }
  return goTime((date as unknown as { ms: number }).ms + parseGoDuration(d) / 1e6);
}

/** sprig's mustToDate: toDate that fails on text the layout does not fit. */
export function mustToDate(layout: GoValue, value: GoValue): GoValue {
  const t = parseGoTimeZone(str(layout), str(value));
  return goTime(t.ms, t.zone);
}

/** Unix seconds (an int) or a time, as sprig's ago takes them; anything else is now. */
export function agoNs(date: GoValue): number {
  const ms = instant(date);
  return Math.round((nowMs() - ms) / 1000) * 1e9;
}

/** time.ParseDuration. */
export function parseGoDuration(s: string): number {
  const m = /^([-+]?)((?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/.exec(s.trim());
  if (!m) return 0;
  const unit: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9, m: 6e10, h: 3.6e12 };
  let total = 0;
  for (const part of (m[2] as string).matchAll(/(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/g))
    total += Number(part[1]) * (unit[part[2] as string] as number);
  return m[1] === '-' ? -total : total;
}

export function durationRound(v: GoValue): string {
  let ns = 0;
  if (typeof v === 'string') ns = parseGoDuration(v);
  else if (typeof v === 'bigint') ns = Number(v);
  else if (isTime(v)) ns = (nowMs() - (v as unknown as { ms: number }).ms) * 1e6;
  const u = Math.abs(ns);
  const hour = 3.6e12;
  const steps: [number, string][] = [
    [hour * 24 * 365, 'y'],
    [hour * 24 * 30, 'mo'],
    [hour * 24, 'd'],
    [hour, 'h'],
    [6e10, 'm'],
    [1e9, 's'],
  ];
  for (const [size, suffix] of steps) if (u > size) return `${Math.floor(u / size)}${suffix}`;
  return '0s';
}

// ---- toToml (BurntSushi/toml's encoder) -----------------------------------------------------------

function tomlKey(k: string): string {
  return /^[A-Za-z0-9_-]+$/.test(k) ? k : JSON.stringify(k);
}

function tomlValue(v: GoValue): string {
  if (typeof v === 'string') return JSON.stringify(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'bigint') return v.toString();
  if (typeof v === 'number') return Number.isInteger(v) ? `${v}.0` : String(v);
  if (Array.isArray(v)) return `[${v.map(tomlValue).join(', ')}]`;
  if (isGoMap(v))
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${tomlKey(k)} = ${tomlValue((v as GoMap)[k] as GoValue)}`)
      .join(', ')}}`;
  return JSON.stringify(str(v));
}

/** Whether a list anywhere in `v` holds a nil, which BurntSushi's encoder refuses. */
function hasNilElement(v: GoValue): boolean {
  if (Array.isArray(v)) return v.some((x) => x === null || hasNilElement(x));
  if (isGoMap(v)) return Object.values(v as GoMap).some((x) => hasNilElement(x as GoValue));
  return false;
}

export function toToml(v: GoValue): string {
  // BurntSushi's encoder at the top level (toTOML returns its error as the text): nil panics in
  // reflect; a scalar or a list of scalars is written as a value
  if (v === null || v === undefined) throw new Error('reflect: call of reflect.Value.Type on zero Value');
  if (Array.isArray(v)) {
    if (v.some((x) => x === null)) return 'toml: cannot encode array with nil element';
    if (v.some((x) => isGoMap(x))) return 'toml: top-level values must be Go maps or structs';
  }
  if (!isGoMap(v)) return tomlValue(v);
  if (hasNilElement(v)) return 'toml: cannot encode array with nil element';
  const out: string[] = [];
  const table = (m: GoMap, path: string[], indent: string) => {
    const keys = Object.keys(m).sort();
    for (const k of keys) {
      const x = m[k] as GoValue;
      if (x === null || isGoMap(x)) continue;
      out.push(`${indent}${tomlKey(k)} = ${tomlValue(x)}`);
    }
    for (const k of keys) {
      const x = m[k] as GoValue;
      if (!isGoMap(x)) continue;
      const p = [...path, k];
      // a blank line before a top-level table only, and not at the start (BurntSushi's eTable)
      if (p.length === 1 && out.length > 0) out.push('');
      out.push(`${indent}[${p.map(tomlKey).join('.')}]`);
      table(x as GoMap, p, `${indent}  `);
    }
  };
  table(v as GoMap, [], '');
  return `${out.join('\n')}\n`;
}

/** Helm's fromToml (BurntSushi/toml into a map): int64, float64, strings, bools, times, lists and
 * tables; a document that does not parse gives {"Error": message}. */
export function fromToml(text: string): GoValue {
  try {
    return tomlToGo(parseToml(text, { integersAsBigInt: true }));
  } catch (e) {
    return goMap({ Error: (e as Error).message.split('\n')[0] as string });
  }
}

function tomlToGo(v: unknown): GoValue {
  if (v instanceof Date) return goTime(v.getTime());
  if (Array.isArray(v)) return v.map(tomlToGo);
  if (v !== null && typeof v === 'object') {
    const m = goMap();
    for (const k of Object.keys(v)) m[k] = tomlToGo((v as Record<string, unknown>)[k]);
    return m;
  }
  return v as GoValue;
}
