// Timelines computed by hand for KEDA's cron semantics, the savings arithmetic, the batch-window
// rule, and the SVG rendered to PNG.
import { Resvg } from '@resvg/resvg-js';
import { CronExpressionParser } from 'cron-parser';
import { describe, expect, it } from 'vitest';
import {
  checkBatchWindow,
  cronActive,
  formatCapacityDiff,
  replicasAt,
  simulateCapacity,
  type Workload,
} from '../../../scripts/lib/capacity/index.ts';
import { formatSvg } from '../../../scripts/lib/capacity/render.ts';
import type { JsonMap } from '../../../scripts/lib/json.ts';

function objects(opts: {
  triggers: JsonMap[];
  min?: number;
  max?: number;
  cpu?: string;
  annotation?: string;
}): JsonMap[] {
  return [
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'worker', namespace: 'ns' },
      spec: {
        template: {
          spec: {
            initContainers: [{ name: 'i', resources: { requests: { cpu: '3', memory: '1Gi' } } }],
            containers: [
              { name: 'a', resources: { requests: { cpu: opts.cpu ?? '500m', memory: '1Gi' } } },
              { name: 'b', resources: { requests: { cpu: opts.cpu ?? '500m', memory: '1Gi' } } },
            ],
          },
        },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'scheduler', namespace: 'ns' },
      spec: {
        replicas: 2,
        template: {
          spec: { containers: [{ name: 's', resources: { requests: { cpu: '250m', memory: '512Mi' } } }] },
        },
      },
    },
    {
      apiVersion: 'keda.sh/v1alpha1',
      kind: 'ScaledObject',
      metadata: {
        name: 'worker',
        namespace: 'ns',
        annotations: opts.annotation ? { 'gitops.dw.example.com/batch-window': opts.annotation } : {},
      },
      spec: {
        scaleTargetRef: { name: 'worker' },
        minReplicaCount: opts.min ?? 1,
        maxReplicaCount: opts.max ?? 10,
        triggers: opts.triggers,
      },
    },
  ];
}

const cron = (start: string, end: string, desired: number, timezone = 'UTC', name = 'c') => ({
  type: 'cron',
  name,
  metadata: { timezone, start, end, desiredReplicas: String(desired) },
});

const floorAt = (objs: JsonMap[], iso: string) =>
  simulateCapacity(objs, { env: 't', from: new Date(iso), days: 1 / 96, stepMinutes: 15 }).samples[0]?.floor;

describe('the cron floor', () => {
  it('a window crossing midnight', () => {
    const o = objects({ triggers: [cron('0 22 * * *', '0 6 * * *', 4)] });
    expect(
      [
        '2026-06-01T21:45:00Z',
        '2026-06-01T22:00:00Z',
        '2026-06-02T00:00:00Z',
        '2026-06-02T05:45:00Z',
        '2026-06-02T06:00:00Z',
      ].map((t) => floorAt(o, t)),
    ).toEqual([1, 4, 4, 4, 1]);
  });

  it('daylight saving days in the trigger timezone (Europe/Berlin)', () => {
    const o = objects({ triggers: [cron('0 1 * * *', '0 4 * * *', 3, 'Europe/Berlin')] });
    // 29 March 2026: 01:00 CET = 00:00Z, clocks jump 02:00 -> 03:00, 04:00 CEST = 02:00Z: two hours
    expect(
      ['2026-03-28T23:45:00Z', '2026-03-29T00:00:00Z', '2026-03-29T01:45:00Z', '2026-03-29T02:00:00Z'].map(
        (t) => floorAt(o, t),
      ),
    ).toEqual([1, 3, 3, 1]);
    // 25 October 2026: 01:00 CEST = 23:00Z (24th), 04:00 CET = 03:00Z: four hours
    expect(
      ['2026-10-24T22:45:00Z', '2026-10-24T23:00:00Z', '2026-10-25T02:45:00Z', '2026-10-25T03:00:00Z'].map(
        (t) => floorAt(o, t),
      ),
    ).toEqual([1, 3, 3, 1]);
    const day = simulateCapacity(o, {
      env: 't',
      from: new Date('2026-10-24T22:00:00Z'),
      days: 1,
      stepMinutes: 15,
    });
    expect(day.samples.filter((s) => s.floor === 3).length * 15).toBe(4 * 60);
  });

  it('several triggers: the maximum, within min and max', () => {
    const o = objects({
      min: 2,
      max: 5,
      triggers: [
        cron('0 0 * * *', '0 6 * * *', 3, 'UTC', 'a'),
        cron('0 2 * * *', '0 4 * * *', 8, 'UTC', 'b'),
      ],
    });
    expect(
      ['2026-06-01T01:00:00Z', '2026-06-01T03:00:00Z', '2026-06-01T05:00:00Z', '2026-06-01T12:00:00Z'].map(
        (t) => floorAt(o, t),
      ),
    ).toEqual([3, 5, 3, 2]);
  });

  it('day-of-week fields', () => {
    const o = objects({ triggers: [cron('0 0 * * 1-5', '0 6 * * 1-5', 4)] });
    // 2026-06-05 is a Friday, 06-06 a Saturday
    expect(
      ['2026-06-05T03:00:00Z', '2026-06-06T03:00:00Z', '2026-06-08T03:00:00Z'].map((t) => floorAt(o, t)),
    ).toEqual([4, 1, 4]);
  });

  it('queue-driven triggers are a band up to maxReplicaCount, not invented numbers', () => {
    const o = objects({
      max: 7,
      triggers: [
        cron('0 0 * * *', '0 6 * * *', 4),
        { type: 'postgresql', metadata: { query: 'x', targetQueryValue: '1' } },
      ],
    });
    const w = {
      crons: [{ name: 'c', timezone: 'UTC', start: '0 0 * * *', end: '0 6 * * *', desiredReplicas: 4 }],
      others: ['postgresql'],
      min: 1,
      max: 7,
    } as Workload;
    expect(replicasAt(w, new Date('2026-06-01T03:00:00Z'))).toEqual({ floor: 4, ceiling: 7, active: ['c'] });
    expect(replicasAt(w, new Date('2026-06-01T12:00:00Z'))).toEqual({ floor: 1, ceiling: 7, active: [] });
    expect(
      simulateCapacity(o, { env: 't', from: new Date('2026-06-01T00:00:00Z'), days: 1, stepMinutes: 60 })
        .savedPercent.ceiling,
    ).toBe(0);
  });
});

describe('cron fire times worked out once', () => {
  it("answer as cron-parser's next() does, forwards, backwards and across DST", () => {
    const exprs = ['0 22 * * *', '30 6 * * 1-5', '*/15 * * * *', '0 2 * * 0', '0 0 1 * *'];
    const zones = ['UTC', 'Europe/Berlin', 'America/New_York', 'Australia/Sydney'];
    const base = Date.parse('2026-03-20T00:00:00Z');
    let compared = 0;
    for (const timezone of zones)
      for (const start of exprs)
        for (const end of exprs) {
          const trigger = { name: 'x', start, end, timezone, desiredReplicas: 1 };
          // instants going forwards, then a jump back (each 7h13m, across the March/April DST changes)
          const instants = Array.from({ length: 40 }, (_, i) => base + i * 26_000_000 + (i % 3) * 500);
          instants.push(base - 86_400_000, base + 13 * 60_000);
          for (const t of instants) {
            const at = new Date(t);
            const direct =
              CronExpressionParser.parse(end, { currentDate: at, tz: timezone }).next().getTime() <=
              CronExpressionParser.parse(start, { currentDate: at, tz: timezone }).next().getTime();
            expect(cronActive(trigger, at), `${start} / ${end} in ${timezone} at ${at.toISOString()}`).toBe(
              direct,
            );
            compared++;
          }
        }
    expect(compared).toBe(5 * 5 * 4 * 42);
  });
});

describe('resources and savings', () => {
  it('pod requests are max(sum of containers, largest initContainer); savings against the peak', () => {
    // per pod: cpu max(0.5+0.5, 3) = 3, memory max(2Gi, 1Gi) = 2Gi; 4 workers for 6 h, 1 for 18 h
    const r = simulateCapacity(objects({ triggers: [cron('0 0 * * *', '0 6 * * *', 4)] }), {
      env: 't',
      from: new Date('2026-06-01T00:00:00Z'),
      days: 1,
      stepMinutes: 15,
    });
    expect(r.workloads[0]?.pod).toEqual({ cpu: 3, memory: 2 * 2 ** 30 });
    expect(r.peak).toEqual({ replicas: 4, cpu: 12, memory: 8 * 2 ** 30 });
    expect(r.cpuHours).toEqual({ static: 12 * 24, floor: 12 * 6 + 3 * 18, ceiling: 12 * 6 + 3 * 18 });
    expect(r.savedPercent.floor).toBe(Math.round((1 - 126 / 288) * 1000) / 10);
    expect(r.baseline).toEqual({ cpu: 0.5, memory: 2 ** 30 });
  });
});

describe('before and after', () => {
  it('a table when the figures change, nothing when they do not', () => {
    const opts = { env: 'prod', from: new Date('2026-06-01T00:00:00Z'), days: 1, stepMinutes: 15 };
    const a = simulateCapacity(objects({ triggers: [cron('0 0 * * *', '0 6 * * *', 4)] }), opts);
    const b = simulateCapacity(objects({ triggers: [cron('0 0 * * *', '0 8 * * *', 4)] }), opts);
    expect(formatCapacityDiff(a, a)).toBeNull();
    expect(formatCapacityDiff(a, b)?.split('\n').slice(2)).toEqual([
      `| prod before | 4 | 12.0 | 8.0 | ${(12 * 6 + 3 * 18).toFixed(1)} | ${a.savedPercent.floor}% |`,
      `| prod after | 4 | 12.0 | 8.0 | ${(12 * 8 + 3 * 16).toFixed(1)} | ${b.savedPercent.floor}% |`,
    ]);
  });
});

describe('the batch-window rule', () => {
  it('the cron floor must cover the declared window', () => {
    const covered = objects({ annotation: '00:00-06:00 UTC', triggers: [cron('0 0 * * *', '0 6 * * *', 4)] });
    expect(checkBatchWindow(covered)).toEqual([]);
    const short = objects({
      annotation: '00:00-08:00 Asia/Shanghai',
      triggers: [cron('0 0 * * *', '0 6 * * *', 4, 'Asia/Shanghai')],
    });
    const f = checkBatchWindow(short);
    expect(f.map((x) => x.severity)).toEqual(['deny']);
    expect(f[0]?.message).toMatch(
      /^the cron floor does not cover the batch window 00:00-08:00 Asia\/Shanghai \(no cron trigger active at Tue 06:00, Tue 06:15, Tue 06:30, ...\)$/,
    );
    expect(checkBatchWindow(objects({ annotation: 'nightly', triggers: [] }))[0]?.message).toMatch(
      /not "HH:MM-HH:MM Area\/City"/,
    );
  });

  it('sync windows that deny syncs during the batch or allow them only then are reported', () => {
    const o = objects({ annotation: '00:00-06:00 UTC', triggers: [cron('0 0 * * *', '0 6 * * *', 4)] });
    const project = (kind: string, schedule: string, duration: string) => ({
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AppProject',
      metadata: { name: 'airflow' },
      spec: { syncWindows: [{ kind, schedule, duration, applications: ['*'], timeZone: 'UTC' }] },
    });
    expect(
      checkBatchWindow(o, project('deny', '0 1 * * *', '2h'), 'airflow-prod').map((x) => x.message),
    ).toEqual([
      'a deny sync window overlaps the batch window 00:00-06:00 UTC: a fix cannot be synced during the night',
    ]);
    expect(
      checkBatchWindow(o, project('allow', '0 0 * * *', '6h'), 'airflow-prod').map((x) => x.severity),
    ).toEqual(['warn']);
    expect(checkBatchWindow(o, project('deny', '0 12 * * *', '2h'), 'airflow-prod')).toEqual([]);
  });
});

describe('the chart', () => {
  it('renders to PNG with the batch window shaded where it is', () => {
    const r = simulateCapacity(
      objects({ annotation: '00:00-06:00 UTC', triggers: [cron('0 0 * * *', '0 6 * * *', 4)] }),
      {
        env: 'prod',
        from: new Date('2026-06-01T00:00:00Z'),
        days: 1,
        stepMinutes: 15,
      },
    );
    const svg = formatSvg(r);
    const png = new Resvg(svg).render();
    expect([png.width, png.height]).toEqual([960, 450]);
    expect(png.asPng().length).toBeGreaterThan(5000);
    // 24 h over the 830 px plot starting at x=60: 00:00-06:00 is a quarter
    const rect = /<rect class="batch-window" x="([\d.]+)" y="\d+" width="([\d.]+)"/.exec(svg);
    expect(rect && [Number(rect[1]), Number(rect[2])]).toEqual([60, 207.5]);
    expect(svg).toContain('time (UTC)');
  });
});
