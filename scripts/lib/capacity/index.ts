// The nightly window simulated: what KEDA will do with the rendered ScaledObjects over time, the
// CPU and memory the workers request, and what that saves against static sizing at the peak.
//
// KEDA's cron scaler (pkg/scalers/cron_scaler.go) is active when the next end comes before the
// next start (both computed in the trigger's IANA timezone), which handles windows crossing
// midnight and daylight-saving days; the HPA takes the maximum over triggers, bounded by
// minReplicaCount and maxReplicaCount (idleReplicaCount when nothing is active). Triggers driven
// by queues cannot be predicted from git: they make a band between the floor and the maximum.
import { CronExpressionParser } from 'cron-parser';
import { isMap, type JsonMap, type JsonValue } from '../json.ts';
import { Quantity } from '../policy/quantity.ts';

export interface CronTrigger {
  name: string;
  timezone: string;
  start: string;
  end: string;
  desiredReplicas: number;
}

export interface Workload {
  scaledObject: string;
  target: string;
  min: number;
  max: number;
  idle?: number;
  crons: CronTrigger[];
  /** Triggers other than cron (queue depth, metrics...): the band's reason. */
  others: string[];
  pod: { cpu: number; memory: number };
  /** The declared batch window (annotation gitops.dw.example.com/batch-window). */
  window?: BatchWindow;
}

export interface BatchWindow {
  start: string;
  end: string;
  timezone: string;
  text: string;
}

export interface Sample {
  time: string;
  /** Replicas the cron floor and the bounds give (what git fixes). */
  floor: number;
  /** The most the queue-driven triggers could add (maxReplicaCount when there are any). */
  ceiling: number;
  cpu: [number, number];
  memory: [number, number];
  activeCrons: string[];
}

export interface CapacityReport {
  env: string;
  from: string;
  to: string;
  stepMinutes: number;
  timezone: string;
  workloads: {
    name: string;
    min: number;
    max: number;
    crons: CronTrigger[];
    others: string[];
    pod: { cpu: number; memory: number };
    window?: BatchWindow;
  }[];
  samples: Sample[];
  /** Other workloads' constant requests (schedulers, api-server, ...). */
  baseline: { cpu: number; memory: number };
  peak: { replicas: number; cpu: number; memory: number };
  /** Resource-hours: static sizing at the peak versus the autoscaled floor and ceiling. */
  cpuHours: { static: number; floor: number; ceiling: number };
  memoryGiBHours: { static: number; floor: number; ceiling: number };
  savedPercent: { floor: number; ceiling: number };
}

const str = (v: JsonValue | undefined) =>
  typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v);
const get = (v: JsonValue | undefined, ...path: string[]): JsonValue | undefined => {
  let cur = v;
  for (const p of path) {
    if (!isMap(cur)) return undefined;
    cur = cur[p];
  }
  return cur;
};

function quantity(v: JsonValue | undefined): number {
  if (v === undefined || v === null) return 0;
  try {
    return Quantity.parse(String(v)).asApproximateFloat();
  } catch {
    return 0;
  }
}

/** Effective pod requests: max(sum of containers, largest initContainer), per resource. */
export function podRequests(podSpec: JsonValue | undefined): { cpu: number; memory: number } {
  const list = (f: string) => (Array.isArray(get(podSpec, f)) ? (get(podSpec, f) as JsonValue[]) : []);
  const req = (c: JsonValue, r: string) => quantity(get(c, 'resources', 'requests', r));
  const out = { cpu: 0, memory: 0 };
  for (const r of ['cpu', 'memory'] as const) {
    const sum = list('containers').reduce((a: number, c) => a + req(c, r), 0);
    const init = list('initContainers').reduce((a: number, c) => Math.max(a, req(c, r)), 0);
    out[r] = Math.max(sum, init);
  }
  return out;
}

export function parseBatchWindow(text: string): BatchWindow | undefined {
  const m = /^\s*([0-2]?\d:[0-5]\d)\s*-\s*([0-2]?\d:[0-5]\d)\s+(\S+)\s*$/.exec(text);
  if (!m) return undefined;
  return { start: m[1] as string, end: m[2] as string, timezone: m[3] as string, text };
}

export function workloadsOf(objects: JsonMap[]): Workload[] {
  const out: Workload[] = [];
  for (const so of objects) {
    if (so.kind !== 'ScaledObject') continue;
    const ns = str(get(so, 'metadata', 'namespace'));
    const targetName = str(get(so, 'spec', 'scaleTargetRef', 'name'));
    const targetKind = str(get(so, 'spec', 'scaleTargetRef', 'kind')) || 'Deployment';
    const target = objects.find(
      (o) =>
        o.kind === targetKind &&
        str(get(o, 'metadata', 'name')) === targetName &&
        str(get(o, 'metadata', 'namespace')) === ns,
    );
    const triggers = (
      Array.isArray(get(so, 'spec', 'triggers')) ? (get(so, 'spec', 'triggers') as JsonValue[]) : []
    ).filter(isMap);
    const crons: CronTrigger[] = [];
    const others: string[] = [];
    for (const [i, t] of triggers.entries()) {
      if (t.type === 'cron')
        crons.push({
          name: str(t.name) || `cron-${i}`,
          timezone: str(get(t, 'metadata', 'timezone')) || 'UTC',
          start: str(get(t, 'metadata', 'start')),
          end: str(get(t, 'metadata', 'end')),
          desiredReplicas: Number(str(get(t, 'metadata', 'desiredReplicas')) || 1),
        });
      else others.push(`${str(t.type)}${t.name ? ` (${str(t.name)})` : ''}`);
    }
    const annotation = str(get(so, 'metadata', 'annotations', 'gitops.dw.example.com/batch-window'));
    const idle = get(so, 'spec', 'idleReplicaCount');
    out.push({
      scaledObject: str(get(so, 'metadata', 'name')),
      target: `${targetKind}/${targetName}`,
      min: Number(get(so, 'spec', 'minReplicaCount') ?? 0),
      max: Number(get(so, 'spec', 'maxReplicaCount') ?? 100),
      idle: idle === undefined ? undefined : Number(idle),
      crons,
      others,
      pod: podRequests(get(target, 'spec', 'template', 'spec')),
      window: annotation ? parseBatchWindow(annotation) : undefined,
    });
  }
  return out;
}

/**
 * The fire times of one cron expression in one zone, worked out once and searched: a simulation
 * asks for the next start and end at every sample, and parsing the expression anew each time
 * (with cron-parser's timezone arithmetic) made checking every environment take a second.
 * Same answers as `CronExpressionParser.parse(expr, { currentDate, tz }).next()/.prev()`: the
 * first fire time after, or the last one before, an instant.
 */
class CronSeries {
  private readonly times: number[] = [];
  private readonly it: ReturnType<typeof CronExpressionParser.parse>;
  constructor(
    private readonly expr: string,
    private readonly tz: string,
    readonly origin: number,
  ) {
    this.it = CronExpressionParser.parse(expr, { currentDate: new Date(origin), tz });
  }

  /** Index of the first fire time after `t`, the list extended as far as needed. */
  private firstAfter(t: number): number {
    while (this.times.length === 0 || (this.times[this.times.length - 1] as number) <= t)
      this.times.push(this.it.next().getTime());
    let lo = 0;
    let hi = this.times.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.times[mid] as number) > t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }

  next(t: number): number {
    if (t < this.origin)
      return CronExpressionParser.parse(this.expr, { currentDate: new Date(t), tz: this.tz })
        .next()
        .getTime();
    return this.times[this.firstAfter(t)] as number;
  }

  /** The last fire time before `t`. */
  prev(t: number): number {
    const i = t < this.origin ? 0 : this.firstAfter(t - 1);
    if (i === 0)
      return CronExpressionParser.parse(this.expr, { currentDate: new Date(t), tz: this.tz })
        .prev()
        .getTime();
    return this.times[i - 1] as number;
  }
}

const series = new Map<string, CronSeries>();

/** The series of `expr` in `tz`, made on first use with fire times from just before `t`. */
function seriesOf(expr: string, tz: string, t: number): CronSeries {
  const key = `${expr}\0${tz}`;
  let s = series.get(key);
  if (!s || t < s.origin) {
    s = new CronSeries(expr, tz, t - 1000);
    series.set(key, s);
  }
  return s;
}

function nextTime(expr: string, after: Date, tz: string): number {
  return seriesOf(expr, tz, after.getTime()).next(after.getTime());
}

/** KEDA's cron scaler: active when the next end comes no later than the next start. */
export function cronActive(t: CronTrigger, at: Date): boolean {
  return nextTime(t.end, at, t.timezone) <= nextTime(t.start, at, t.timezone);
}

export function replicasAt(w: Workload, at: Date): { floor: number; ceiling: number; active: string[] } {
  const active = w.crons.filter((c) => cronActive(c, at));
  const desired = Math.max(0, ...active.map((c) => c.desiredReplicas));
  let floor = Math.min(w.max, Math.max(w.min, desired));
  if (active.length === 0 && w.idle !== undefined && w.others.length === 0) floor = w.idle;
  const ceiling = w.others.length > 0 ? w.max : floor;
  return { floor, ceiling, active: active.map((c) => c.name) };
}

function baselineOf(objects: JsonMap[], scaledTargets: Set<string>): { cpu: number; memory: number } {
  const out = { cpu: 0, memory: 0 };
  for (const o of objects) {
    if (!['Deployment', 'StatefulSet'].includes(str(o.kind))) continue;
    if (scaledTargets.has(`${str(o.kind)}/${str(get(o, 'metadata', 'name'))}`)) continue;
    const replicas = Number(get(o, 'spec', 'replicas') ?? 1);
    const p = podRequests(get(o, 'spec', 'template', 'spec'));
    out.cpu += replicas * p.cpu;
    out.memory += replicas * p.memory;
  }
  return out;
}

export interface SimulateOptions {
  env: string;
  from: Date;
  days: number;
  stepMinutes: number;
}

const GiB = 2 ** 30;

export function simulateCapacity(objects: JsonMap[], opts: SimulateOptions): CapacityReport {
  const workloads = workloadsOf(objects);
  const stepMs = opts.stepMinutes * 60_000;
  const end = opts.from.getTime() + opts.days * 86_400_000;
  const samples: Sample[] = [];
  for (let t = opts.from.getTime(); t < end; t += stepMs) {
    const at = new Date(t);
    let floor = 0;
    let ceiling = 0;
    const cpu: [number, number] = [0, 0];
    const memory: [number, number] = [0, 0];
    const activeCrons: string[] = [];
    for (const w of workloads) {
      const r = replicasAt(w, at);
      floor += r.floor;
      ceiling += r.ceiling;
      cpu[0] += r.floor * w.pod.cpu;
      cpu[1] += r.ceiling * w.pod.cpu;
      memory[0] += r.floor * w.pod.memory;
      memory[1] += r.ceiling * w.pod.memory;
      activeCrons.push(...r.active.map((a) => `${w.scaledObject}/${a}`));
    }
    samples.push({ time: at.toISOString(), floor, ceiling, cpu, memory, activeCrons });
  }
  const hours = opts.stepMinutes / 60;
  const peakReplicas = Math.max(0, ...samples.map((s) => s.ceiling));
  const peakCpu = Math.max(0, ...samples.map((s) => s.cpu[1]));
  const peakMem = Math.max(0, ...samples.map((s) => s.memory[1]));
  const total = samples.length * hours;
  const sum = (f: (s: Sample) => number) => samples.reduce((a, s) => a + f(s), 0) * hours;
  const cpuHours = { static: peakCpu * total, floor: sum((s) => s.cpu[0]), ceiling: sum((s) => s.cpu[1]) };
  const memoryGiBHours = {
    static: (peakMem * total) / GiB,
    floor: sum((s) => s.memory[0]) / GiB,
    ceiling: sum((s) => s.memory[1]) / GiB,
  };
  const saved = (used: number) =>
    cpuHours.static > 0 ? Math.round((1 - used / cpuHours.static) * 1000) / 10 : 0;
  return {
    env: opts.env,
    from: opts.from.toISOString(),
    to: new Date(end).toISOString(),
    stepMinutes: opts.stepMinutes,
    timezone: workloads[0]?.crons[0]?.timezone ?? workloads[0]?.window?.timezone ?? 'UTC',
    workloads: workloads.map((w) => ({
      name: w.scaledObject,
      min: w.min,
      max: w.max,
      crons: w.crons,
      others: w.others,
      pod: w.pod,
      window: w.window,
    })),
    samples,
    baseline: baselineOf(objects, new Set(workloads.map((w) => w.target))),
    peak: { replicas: peakReplicas, cpu: peakCpu, memory: peakMem },
    cpuHours,
    memoryGiBHours,
    savedPercent: { floor: saved(cpuHours.floor), ceiling: saved(cpuHours.ceiling) },
  };
}

/** Before/after figures for a merge request; null when nothing changes. */
export function formatCapacityDiff(before: CapacityReport, after: CapacityReport): string | null {
  const row = (r: CapacityReport) =>
    `| ${r.env} | ${r.peak.replicas} | ${r.peak.cpu.toFixed(1)} | ${(r.peak.memory / GiB).toFixed(1)} | ${r.cpuHours.floor.toFixed(1)} | ${r.savedPercent.floor}% |`;
  const a = row(before);
  const b = row(after);
  const floorsSame = before.samples.every(
    (s, i) => s.floor === after.samples[i]?.floor && s.ceiling === after.samples[i]?.ceiling,
  );
  if (a === b && floorsSame) return null;
  return [
    '| | peak replicas | peak CPU | peak memory (GiB) | worker CPU-hours (floor) | saved vs static |',
    '| --- | --- | --- | --- | --- | --- |',
    a.replace(`| ${before.env} |`, `| ${before.env} before |`),
    b.replace(`| ${after.env} |`, `| ${after.env} after |`),
  ].join('\n');
}

// ---- the batch-window rule -------------------------------------------------------------------------

export interface WindowFinding {
  severity: 'deny' | 'warn';
  kind: string;
  name: string;
  message: string;
}

const formats = new Map<string, Intl.DateTimeFormat>();

function localParts(at: Date, tz: string): { minutes: number; weekday: number } {
  let f = formats.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
      hourCycle: 'h23',
    });
    formats.set(tz, f);
  }
  const parts = Object.fromEntries(f.formatToParts(at).map((p) => [p.type, p.value]));
  const weekday = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'].indexOf(parts.weekday as string);
  return { minutes: Number(parts.hour) * 60 + Number(parts.minute), weekday };
}

function inWindow(w: BatchWindow, at: Date): boolean {
  const [sh, sm] = w.start.split(':').map(Number) as [number, number];
  const [eh, em] = w.end.split(':').map(Number) as [number, number];
  const s = sh * 60 + sm;
  const e = eh * 60 + em;
  const { minutes } = localParts(at, w.timezone);
  return s < e ? minutes >= s && minutes < e : minutes >= s || minutes < e;
}

function validZone(tz: string): boolean {
  try {
    localParts(new Date(0), tz);
    return true;
  } catch {
    return false;
  }
}

/** Sync windows of an AppProject that apply to an Application. */
function syncWindowActive(win: JsonMap, at: Date): boolean {
  const tz = str(win.timeZone) || 'UTC';
  const durMin = parseDurationMinutes(str(win.duration));
  // active when the last schedule start is within the duration before `at`
  const t = at.getTime() + 1000;
  const prev = seriesOf(str(win.schedule), tz, t).prev(t);
  return at.getTime() - prev < durMin * 60_000;
}

function parseDurationMinutes(d: string): number {
  let total = 0;
  for (const m of d.matchAll(/(\d+)(h|m|s)/g))
    total += Number(m[1]) * ({ h: 60, m: 1, s: 1 / 60 }[m[2] as 'h' | 'm' | 's'] as number);
  return total;
}

/** The cron floor covers the declared window; sync windows neither deny syncs during it nor
 * allow them only then. Samples a week every 15 minutes in the window's timezone. */
export function checkBatchWindow(
  objects: JsonMap[],
  project?: JsonMap,
  application?: string,
  from = new Date('2026-01-05T00:00:00Z'),
): WindowFinding[] {
  const out: WindowFinding[] = [];
  for (const w of workloadsOf(objects)) {
    const annotation = objects.find(
      (o) => o.kind === 'ScaledObject' && str(get(o, 'metadata', 'name')) === w.scaledObject,
    );
    const text = str(get(annotation, 'metadata', 'annotations', 'gitops.dw.example.com/batch-window'));
    if (!text) continue;
    if (!w.window || !validZone(w.window.timezone)) {
      out.push({
        severity: 'deny',
        kind: 'ScaledObject',
        name: w.scaledObject,
        message: `batch-window annotation "${text}" is not "HH:MM-HH:MM Area/City" with an IANA timezone`,
      });
      continue;
    }
    const uncovered: string[] = [];
    const windows = (
      Array.isArray(get(project, 'spec', 'syncWindows'))
        ? (get(project, 'spec', 'syncWindows') as JsonValue[])
        : []
    )
      .filter(isMap)
      .filter((sw) => {
        const apps = Array.isArray(sw.applications) ? sw.applications.map(String) : [];
        return (
          apps.length === 0 || (application !== undefined && apps.some((a) => a === '*' || a === application))
        );
      });
    let deniedInWindow = false;
    let allowedOutside = false;
    let allowedInside = false;
    for (let t = from.getTime(); t < from.getTime() + 7 * 86_400_000; t += 15 * 60_000) {
      const at = new Date(t);
      const inside = inWindow(w.window, at);
      if (inside && replicasAt(w, at).floor <= w.min && w.crons.every((c) => !cronActive(c, at))) {
        const local = new Intl.DateTimeFormat('en-GB', {
          timeZone: w.window.timezone,
          weekday: 'short',
          hour: '2-digit',
          minute: '2-digit',
        }).format(at);
        if (uncovered.length < 3) uncovered.push(local);
        else if (uncovered.length === 3) uncovered.push('...');
      }
      for (const sw of windows) {
        const active = syncWindowActive(sw, at);
        if (sw.kind === 'deny' && active && inside) deniedInWindow = true;
        if (sw.kind === 'allow' && active) {
          if (inside) allowedInside = true;
          else allowedOutside = true;
        }
      }
    }
    if (uncovered.length > 0)
      out.push({
        severity: 'deny',
        kind: 'ScaledObject',
        name: w.scaledObject,
        message: `the cron floor does not cover the batch window ${w.window.text} (no cron trigger active at ${uncovered.join(', ')})`,
      });
    if (deniedInWindow)
      out.push({
        severity: 'warn',
        kind: 'AppProject',
        name: str(get(project, 'metadata', 'name')),
        message: `a deny sync window overlaps the batch window ${w.window.text}: a fix cannot be synced during the night`,
      });
    if (allowedInside && !allowedOutside)
      out.push({
        severity: 'warn',
        kind: 'AppProject',
        name: str(get(project, 'metadata', 'name')),
        message: `syncs are allowed only during the batch window ${w.window.text}: changes land while the batch runs`,
      });
  }
  return out;
}
