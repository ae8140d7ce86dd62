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
