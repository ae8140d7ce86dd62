// Kubernetes resource quantities (k8s.io/apimachinery/pkg/api/resource): parsing, comparison and
// the canonical string the apiserver stores ("1000m" -> "1", cpu: 2 -> "2", "1024Mi" -> "1Gi").
// Values are exact rationals as bigint numerator over a power of ten (nano precision, rounded up
// as the apiserver rounds).

export type QuantityFormat = 'DecimalSI' | 'BinarySI' | 'DecimalExponent';

export class Quantity {
  /** value = nano / 1e9, rounded up to nano precision as resource.Quantity does. */
  constructor(
    readonly nano: bigint,
    readonly format: QuantityFormat,
  ) {}

  static parse(text: string): Quantity {
    const q = parseQuantity(text);
    if (!q)
      throw new Error(
        `quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      );
    return q;
  }

  static isQuantity(text: string): boolean {
    return parseQuantity(text) !== null;
  }

  compareTo(other: Quantity): number {
    return this.nano < other.nano ? -1 : this.nano > other.nano ? 1 : 0;
  }

  add(other: Quantity): Quantity {
    return new Quantity(this.nano + other.nano, this.format);
  }

  sub(other: Quantity): Quantity {
    return new Quantity(this.nano - other.nano, this.format);
  }

  sign(): number {
    return this.nano < 0n ? -1 : this.nano > 0n ? 1 : 0;
  }

  isInteger(): boolean {
    return this.nano % 1_000_000_000n === 0n;
  }

  /** Rounded up to an integer, as AsInt64 on a fractional quantity errors; callers check isInteger. */
  asInteger(): bigint {
    if (!this.isInteger()) throw new Error('cannot convert value to integer');
    return this.nano / 1_000_000_000n;
  }

  asApproximateFloat(): number {
    return Number(this.nano) / 1e9;
  }

  /** The canonical string (Quantity.String()). */
  toString(): string {
    return canonical(this);
  }
}

const SI: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BIN: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };

function parseQuantity(text: string): Quantity | null {
  const m = /^([+-]?)([0-9]+\.?[0-9]*|\.[0-9]+)(.*)$/.exec(text);
  if (!m) return null;
  const [, sign, num, suffix] = m as unknown as [string, string, string, string];
  let format: QuantityFormat;
  let pow10 = 0;
  let pow2 = 0;
  if (suffix in BIN) {
    format = 'BinarySI';
    pow2 = BIN[suffix] as number;
  } else if (suffix in SI) {
    format = 'DecimalSI';
    pow10 = SI[suffix] as number;
  } else if (/^[eE][-+]?[0-9]+$/.test(suffix)) {
    format = 'DecimalExponent';
    pow10 = Number(suffix.slice(1));
  } else return null;
  const [int, frac = ''] = num.split('.') as [string, string?];
  // value = digits * 10^(pow10 - frac.length) * 2^pow2, kept as a rational numerator/denominator
  let numerator = BigInt(`${int || '0'}${frac}`) * 2n ** BigInt(pow2);
  let denominator = 1n;
  const e = pow10 - frac.length + 9; // in nano units
  if (e >= 0) numerator *= 10n ** BigInt(e);
  else denominator = 10n ** BigInt(-e);
  // round up (away from zero for positives, as resource.Quantity rounds to nano with RoundUp)
  let nano = numerator / denominator;
  if (numerator % denominator !== 0n) nano += 1n;
  if (sign === '-') nano = -nano;
  return new Quantity(nano, format);
}

function canonical(q: Quantity): string {
  if (q.nano === 0n) return '0';
  let format = q.format;
  if (format === 'BinarySI') {
    if (q.nano > -1024n * 1_000_000_000n && q.nano < 1024n * 1_000_000_000n) format = 'DecimalSI';
    else if (!q.isInteger()) format = 'DecimalSI';
  }
  if (format === 'BinarySI') {
    let v = q.nano / 1_000_000_000n;
    let exp = 0;
    while (exp < 60 && v % 1024n === 0n && v !== 0n) {
      v /= 1024n;
      exp += 10;
    }
    const suffix = Object.entries(BIN).find(([, p]) => p === exp)?.[0] ?? '';
    return `${v}${suffix}`;
  }
  // decimal: mantissa without trailing zeros, exponent a multiple of 3
  let mantissa = q.nano;
  let exponent = -9;
  while (mantissa !== 0n && mantissa % 10n === 0n) {
    mantissa /= 10n;
    exponent++;
  }
  const r = ((exponent % 3) + 3) % 3;
  if (r !== 0) {
    mantissa *= 10n ** BigInt(r);
    exponent -= r;
  }
  if (format === 'DecimalExponent') return exponent === 0 ? `${mantissa}` : `${mantissa}e${exponent}`;
  const suffix = Object.entries(SI).find(([, p]) => p === exponent)?.[0];
  if (suffix === undefined) return `${mantissa}e${exponent}`;
  return `${mantissa}${suffix}`;
}

/** The canonical string of a YAML quantity value (string or number), or the value unchanged. */
export function canonicalQuantity(v: unknown): unknown {
  if (typeof v === 'number' || typeof v === 'bigint') {
    const q = parseQuantity(String(v));
    return q ? q.toString() : v;
  }
  if (typeof v === 'string') {
    const q = parseQuantity(v);
    return q ? q.toString() : v;
  }
  return v;
}
