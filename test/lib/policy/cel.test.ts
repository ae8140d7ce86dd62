// The Kubernetes CEL libraries on cel-js, with results from the Kubernetes library docs and tests.
import { describe, expect, it } from 'vitest';
import { celEnvironment, rewriteNamespaced } from '../../../scripts/lib/policy/cel.ts';
import { canonicalQuantity } from '../../../scripts/lib/policy/quantity.ts';

const ev = (e: string, ctx: Record<string, unknown> = {}) =>
  celEnvironment().evaluate(rewriteNamespaced(e), ctx);

describe('Kubernetes CEL libraries', () => {
  it('quantity', () => {
    expect(ev("quantity('1Gi').compareTo(quantity('1024Mi'))")).toBe(0n);
    expect(ev("quantity('500m').isLessThan(quantity('1'))")).toBe(true);
    expect(ev("quantity('1.5').add(quantity('500m')).isInteger()")).toBe(true);
    expect(ev("isQuantity('2x')")).toBe(false);
    expect(() => ev("quantity('2x')")).toThrow(/quantities must match/);
  });

  it('canonical quantity strings as the apiserver stores them', () => {
    expect(
      ['1000m', '0.5', 2, '1024Mi', '1536Mi', '2000', '1e3', '100Ki', '0.5Gi'].map(canonicalQuantity),
    ).toEqual(['1', '500m', '2', '1Gi', '1536Mi', '2k', '1e3', '100Ki', '512Mi']);
  });

  it('regex, strings, lists and sets', () => {
    expect(ev("'abc 123 def 45'.find('[0-9]+')")).toBe('123');
    expect(ev("'abc 123 def 45'.findAll('[0-9]+')")).toEqual(['123', '45']);
    expect(ev("'a-b-c'.replace('-', '_', 1)")).toBe('a_b-c');
    expect(ev("'%s has %d'.format(['x', 2])")).toBe('x has 2');
    expect(ev('[3, 1, 2].isSorted()')).toBe(false);
    expect(ev('[3, 1, 2].max()')).toBe(3n);
    expect(
      ev('sets.contains([1, 2, 3], [2]) && !sets.intersects([1], [2]) && sets.equivalent([1, 2], [2, 1])'),
    ).toBe(true);
  });

  it('semver, url, ip and cidr', () => {
    expect(ev("semver('1.10.0').isGreaterThan(semver('1.9.9'))")).toBe(true);
    expect(ev("url('https://example.com:8443/p').getPort()")).toBe('8443');
    expect(
      ev("cidr('10.0.0.0/8').containsIP(ip('10.1.2.3')) && !cidr('10.0.0.0/8').containsIP('11.0.0.1')"),
    ).toBe(true);
    expect(ev("isIP('::1') && ip('::1').family() == 6")).toBe(true);
  });

  it('two-variable comprehensions', () => {
    const labels = { labels: { team: 'dw', tier: 'batch' } };
    expect(ev('labels.all(k, v, k.size() > 1 && v != "")', labels)).toBe(true);
    expect(ev('labels.exists(k, v, k == "tier" && v == "web")', labels)).toBe(false);
    expect(ev('labels.existsOne(k, v, v == "dw")', labels)).toBe(true);
    expect(ev('labels.transformList(k, v, k + "=" + v)', labels)).toEqual(['team=dw', 'tier=batch']);
    expect(ev('labels.transformMap(k, v, v + "!")', labels)).toEqual({ team: 'dw!', tier: 'batch!' });
    expect(ev('[10, 20].all(i, v, v == (i + 1) * 10)')).toBe(true);
  });

  it('optionals', () => {
    expect(ev('o.?spec.?replicas.orValue(1)', { o: { spec: {} } })).toBe(1n);
    expect(ev("o.?metadata.?labels[?'a'].hasValue()", { o: { metadata: { labels: { a: 'x' } } } })).toBe(
      true,
    );
  });
});
