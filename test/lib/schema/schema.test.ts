import { describe, expect, it } from 'vitest';
import { createSchemaValidator } from '../../../scripts/lib/schema/index.ts';

const v = createSchemaValidator();

const deployment = (container: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'worker' },
  spec: { selector: { matchLabels: { a: 'b' } }, template: { spec: { containers: [container] } }, ...extra },
});

describe('schema validation', () => {
  it('accepts valid objects of each family', () => {
    expect(v.validate(deployment({ name: 'w', image: 'apache/airflow:3.3.2' }))).toEqual([]);
    expect(
      v.validate({
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name: 'w' },
        spec: {
          scaleTargetRef: { name: 'w' },
          triggers: [
            {
              type: 'cron',
              metadata: { timezone: 'UTC', start: '0 0 * * *', end: '0 6 * * *', desiredReplicas: '2' },
            },
          ],
        },
      }),
    ).toEqual([]);
    expect(
      v.validate({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'a' },
        spec: {
          project: 'p',
          destination: {},
          source: { repoURL: 'x', path: 'overlays/dev', targetRevision: 'main' },
        },
      }),
    ).toEqual([]);
  });

  it('names the field and what is wrong, one complaint per field', () => {
    expect(
      v.validate(
        deployment(
          { name: 'w', image: 3, resources: { limits: { cpu: '2x', memory: '1Gi' } } },
          { replicas: 'two' },
        ),
      ),
    ).toEqual([
      { path: 'spec.replicas', message: 'must be integer' },
      { path: 'spec.template.spec.containers[0].image', message: 'must be string' },
      {
        path: 'spec.template.spec.containers[0].resources.limits.cpu',
        message: 'must be a quantity such as 500m, 2, 1.5Gi or 512Mi',
      },
    ]);
    expect(
      v.validate({ apiVersion: 'keda.sh/v1alpha1', kind: 'ScaledObject', metadata: { name: 'w' }, spec: {} }),
    ).toEqual([
      { path: 'spec', message: 'missing required field "scaleTargetRef"' },
      { path: 'spec', message: 'missing required field "triggers"' },
    ]);
  });

  it('an unknown kind is a finding unless missing schemas are ignored', () => {
    const obj = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(v.validate(obj)).toEqual([{ path: '', message: 'no schema for example.com/v1/Widget' }]);
    expect(createSchemaValidator({ ignoreMissingSchemas: true }).validate(obj)).toEqual([]);
    expect(v.has('apps/v1', 'Deployment')).toBe(true);
    expect(v.has('apps/v1', '../../etc')).toBe(false);
  });
});

describe('custom resources against their CRD', () => {
  const crd = {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: 'backfills.dw.example.com' },
    spec: {
      group: 'dw.example.com',
      names: { kind: 'Backfill', plural: 'backfills' },
      scope: 'Namespaced',
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: 'object',
              properties: {
                spec: {
                  type: 'object',
                  required: ['dag', 'from'],
                  'x-kubernetes-validations': [
                    { rule: 'self.from <= self.to', message: 'from must not be after to' },
                    {
                      rule: 'self.parallelism <= 4',
                      messageExpression: "'parallelism ' + string(self.parallelism) + ' is above 4'",
                    },
                    { rule: 'self.dag == oldSelf.dag', message: 'dag is immutable' },
                  ],
                  properties: {
                    dag: { type: 'string', pattern: '^[a-z_]+$' },
                    from: { type: 'string' },
                    to: { type: 'string' },
                    parallelism: { type: 'integer', minimum: 1, default: 1 },
                    pool: { 'x-kubernetes-int-or-string': true },
                    mode: { type: 'string', enum: ['full', 'incremental'] },
                    extra: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  },
                },
              },
            },
          },
        },
      ],
    },
  };
  const v2 = createSchemaValidator({ crds: [crd] });
  const backfill = (spec: Record<string, unknown>) => ({
    apiVersion: 'dw.example.com/v1',
    kind: 'Backfill',
    metadata: { name: 'b' },
    spec,
  });

  it('accepts a valid resource (transition rules do not run on create)', () => {
    expect(
      v2.validate(
        backfill({
          dag: 'sales_daily',
          from: '2026-01-01',
          to: '2026-02-01',
          parallelism: 2,
          pool: 'p',
          extra: { any: 1 },
        }),
      ),
    ).toEqual([]);
    expect(v2.has('dw.example.com/v1', 'Backfill')).toBe(true);
  });

  it('reports structural errors, unknown fields and CEL rules with their messages', () => {
    expect(
      v2.validate(
        backfill({
          dag: 'Sales',
          from: '2026-03-01',
          to: '2026-02-01',
          parallelism: 9,
          pool: true,
          mode: 'partial',
          colour: 'red',
        }),
      ),
    ).toEqual([
      { path: 'spec.dag', message: "should match '^[a-z_]+$'" },
      { path: 'spec.pool', message: 'must be an integer or a string, not boolean' },
      { path: 'spec.mode', message: 'Unsupported value: "partial": supported values: "full", "incremental"' },
      { path: 'spec.colour', message: 'unknown field "spec.colour"' },
      { path: 'spec', message: 'Invalid value: "object": from must not be after to' },
      { path: 'spec', message: 'Invalid value: "object": parallelism 9 is above 4' },
    ]);
    expect(v2.validate(backfill({ dag: 'x', parallelism: 0 }))).toContainEqual({
      path: 'spec.from',
      message: 'Required value',
    });
  });
});
