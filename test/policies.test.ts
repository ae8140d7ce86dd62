// The shipped policies, each against its passing and failing examples (policies/examples/<policy>/):
// the passing file raises nothing, every object of the failing file is denied by that policy.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluatePolicies, loadPolicies } from '../scripts/lib/policy/index.ts';
import { readManifests, yamlFiles } from '../scripts/validate.ts';

const root = join(import.meta.dirname, '..');
const policyFiles = yamlFiles(join(root, 'policies'), true);
const set = loadPolicies(
  policyFiles.map((p) => ({ path: relative(root, p), text: readFileSync(p, 'utf8') })),
);
const examples = join(root, 'policies', 'examples');

describe('shipped policies', () => {
  it('every policy has a binding and examples', () => {
    for (const name of set.policies.keys()) {
      expect(
        set.bindings.some((b) => b.policyName === name),
        `${name} has a binding`,
      ).toBe(true);
      expect(
        existsSync(join(examples, name, 'pass.yaml')),
        `${name} has policies/examples/${name}/pass.yaml`,
      ).toBe(true);
      expect(
        existsSync(join(examples, name, 'fail.yaml')),
        `${name} has policies/examples/${name}/fail.yaml`,
      ).toBe(true);
    }
  });

  for (const name of readdirSync(examples)) {
    it(`${name}: the passing example raises nothing`, () => {
      const findings = evaluatePolicies(set, readManifests([join(examples, name, 'pass.yaml')]));
      expect(findings.map((f) => `${f.policy} ${f.kind}/${f.name}: ${f.message}`)).toEqual([]);
    });
    it(`${name}: every object of the failing example is denied by ${name}`, () => {
      const all = readManifests([join(examples, name, 'fail.yaml')]);
      // Namespaces give the environment labels; the other objects are the ones that must fail
      const objects = all.filter((o) => o.object.kind !== 'Namespace');
      const findings = evaluatePolicies(set, all);
      expect(objects.length).toBeGreaterThan(0);
      for (const o of objects) {
        const n = (o.object.metadata as { name: string }).name;
        expect(
          findings.some((f) => f.policy === name && f.name === n && f.action === 'Deny'),
          `${n} is denied by ${name}`,
        ).toBe(true);
      }
    });
  }
});

// The ValidatingAdmissionPolicy corpus beside the checkout, run in-process (the same comparison as
// its runner: a multiset of findings keyed by kind, name, policy, binding, action and message).
const corpus = join(root, '..', 'shared', 'conformance', 'policy', 'cases');
describe.skipIf(!existsSync(corpus))('policy conformance corpus (../shared/conformance/policy)', () => {
  for (const c of existsSync(corpus) ? readdirSync(corpus) : [])
    it(c, () => {
      const dir = join(corpus, c);
      const s = loadPolicies([{ path: 'policy.yaml', text: readFileSync(join(dir, 'policy.yaml'), 'utf8') }]);
      const findings = evaluatePolicies(s, readManifests([join(dir, 'resources.yaml')]));
      const expected = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8')).violations as {
        kind: string;
        name: string;
        policy: string;
        binding: string;
        action: string;
        message: string;
        messagePrefix?: string;
      }[];
      const left = [...findings];
      for (const e of expected) {
        const i = left.findIndex(
          (f) =>
            f.kind === e.kind &&
            f.name === e.name &&
            f.policy === e.policy &&
            f.binding === e.binding &&
            f.action === e.action &&
            (e.messagePrefix ? f.message.startsWith(e.messagePrefix) : f.message === e.message),
        );
        expect(i, `expected ${JSON.stringify(e)}`).toBeGreaterThanOrEqual(0);
        left.splice(i, 1);
      }
      expect(left).toEqual([]);
    });
});
