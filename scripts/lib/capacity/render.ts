// The capacity report as a table (hourly rows in the window's timezone), JSON, or an SVG chart:
// time on x in the window's timezone, worker replicas (floor and the queue band) on the left
// axis, requested CPU on the right, the declared batch window shaded.
import type { CapacityReport, Sample } from './index.ts';

const GiB = 2 ** 30;

function localTime(iso: string, tz: string, withDay: boolean): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone: tz,
    ...(withDay ? { weekday: 'short', day: '2-digit', month: 'short' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

function range(a: number, b: number, digits = 0): string {
  return a === b ? a.toFixed(digits) : `${a.toFixed(digits)}-${b.toFixed(digits)}`;
}

export function formatTable(r: CapacityReport): string {
  const lines: string[] = [];
  lines.push(`${r.env}: ${r.from} to ${r.to}, times in ${r.timezone}`);
  for (const w of r.workloads) {
    lines.push(
      `  ${w.name}: min ${w.min}, max ${w.max}, per pod ${w.pod.cpu} CPU ${(w.pod.memory / GiB).toFixed(2)} GiB; ` +
        `cron ${w.crons.map((c) => `${c.start}..${c.end} ${c.timezone} -> ${c.desiredReplicas}`).join('; ') || '(none)'}` +
        `${w.others.length ? `; queue-driven: ${w.others.join(', ')} (band up to max)` : ''}`,
    );
  }
  lines.push('');
  lines.push(
    `  ${'time'.padEnd(18)} ${'replicas'.padStart(8)} ${'CPU'.padStart(11)} ${'memory GiB'.padStart(13)}  cron`,
  );
  const perHour = Math.max(1, Math.round(60 / r.stepMinutes));
  r.samples.forEach((s: Sample, i) => {
    if (i % perHour !== 0) return;
    lines.push(
      `  ${localTime(s.time, r.timezone, true).padEnd(18)} ${range(s.floor, s.ceiling).padStart(8)} ${range(s.cpu[0], s.cpu[1], 1).padStart(11)} ${range(s.memory[0] / GiB, s.memory[1] / GiB, 1).padStart(13)}  ${s.activeCrons.join(', ')}`,
    );
  });
  lines.push('');
  lines.push(
    `  peak: ${r.peak.replicas} workers, ${r.peak.cpu.toFixed(1)} CPU, ${(r.peak.memory / GiB).toFixed(1)} GiB (plus ${r.baseline.cpu.toFixed(1)} CPU, ${(r.baseline.memory / GiB).toFixed(1)} GiB for the other workloads)`,
  );
  lines.push(
    `  worker CPU-hours: static at peak ${r.cpuHours.static.toFixed(1)}, autoscaled ${range(r.cpuHours.floor, r.cpuHours.ceiling, 1)}; saved ${r.savedPercent.ceiling === r.savedPercent.floor ? `${r.savedPercent.floor}%` : `${r.savedPercent.ceiling}% to ${r.savedPercent.floor}%`}`,
  );
  return `${lines.join('\n')}\n`;
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c] as string);

export function formatSvg(r: CapacityReport): string {
  const W = 960;
  const H = 450;
  const m = { l: 60, r: 70, t: 50, b: 90 };
  const pw = W - m.l - m.r;
  const ph = H - m.t - m.b;
  const n = r.samples.length;
  const maxRep = Math.max(1, ...r.samples.map((s) => s.ceiling));
  const maxCpu = Math.max(1, ...r.samples.map((s) => s.cpu[1]));
  const x = (i: number) => m.l + (pw * i) / Math.max(1, n);
  const yRep = (v: number) => m.t + ph - (ph * v) / maxRep;
  const yCpu = (v: number) => m.t + ph - (ph * v) / maxCpu;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#ffffff"/>`);
  out.push(
    `<text x="${m.l}" y="24" font-size="16" font-weight="bold">${esc(`${r.env}: Celery workers over ${Math.round((n * r.stepMinutes) / 1440)} day(s), up to ${r.savedPercent.floor}% of worker CPU-hours saved vs static sizing at the peak`)}</text>`,
  );
  // batch windows shaded
  const window = r.workloads.find((w) => w.window)?.window;
  if (window) {
    let startI = -1;
    const inside = (s: Sample) => {
      const t = new Intl.DateTimeFormat('en-GB', {
        timeZone: window.timezone,
        hour: '2-digit',
        minute: '2-digit',
        hourCycle: 'h23',
      }).format(new Date(s.time));
      return window.start < window.end
        ? t >= window.start && t < window.end
        : t >= window.start || t < window.end;
    };
    r.samples.forEach((s, i) => {
      const inw = inside(s);
      if (inw && startI < 0) startI = i;
      if ((!inw || i === n - 1) && startI >= 0) {
        const endI = inw ? i + 1 : i;
        out.push(
          `<rect class="batch-window" x="${x(startI).toFixed(1)}" y="${m.t}" width="${(x(endI) - x(startI)).toFixed(1)}" height="${ph}" fill="#1f77b4" fill-opacity="0.12"/>`,
        );
        startI = -1;
      }
    });
  }
  // axes and grid
  out.push(`<line x1="${m.l}" y1="${m.t + ph}" x2="${m.l + pw}" y2="${m.t + ph}" stroke="#333"/>`);
  out.push(`<line x1="${m.l}" y1="${m.t}" x2="${m.l}" y2="${m.t + ph}" stroke="#333"/>`);
  out.push(`<line x1="${m.l + pw}" y1="${m.t}" x2="${m.l + pw}" y2="${m.t + ph}" stroke="#333"/>`);
  for (let k = 0; k <= 4; k++) {
    const v = (maxRep * k) / 4;
    const y = yRep(v);
    out.push(`<line x1="${m.l}" y1="${y.toFixed(1)}" x2="${m.l + pw}" y2="${y.toFixed(1)}" stroke="#ddd"/>`);
    out.push(
      `<text x="${m.l - 6}" y="${(y + 4).toFixed(1)}" text-anchor="end">${Number.isInteger(v) ? v : v.toFixed(1)}</text>`,
    );
    out.push(`<text x="${m.l + pw + 6}" y="${(y + 4).toFixed(1)}">${((maxCpu * k) / 4).toFixed(1)}</text>`);
  }
  out.push(
    `<text x="16" y="${m.t + ph / 2}" transform="rotate(-90 16 ${m.t + ph / 2})" text-anchor="middle">worker replicas</text>`,
  );
  out.push(
    `<text x="${W - 14}" y="${m.t + ph / 2}" transform="rotate(90 ${W - 14} ${m.t + ph / 2})" text-anchor="middle">requested CPU (cores)</text>`,
  );
  const perLabel = Math.max(1, Math.round((n * r.stepMinutes) / 60 / 12)) * Math.round(60 / r.stepMinutes);
  for (let i = 0; i < n; i += perLabel) {
    const s = r.samples[i] as Sample;
    out.push(
      `<line x1="${x(i).toFixed(1)}" y1="${m.t + ph}" x2="${x(i).toFixed(1)}" y2="${m.t + ph + 5}" stroke="#333"/>`,
    );
    out.push(
      `<text x="${x(i).toFixed(1)}" y="${m.t + ph + 18}" text-anchor="middle">${esc(localTime(s.time, r.timezone, false))}</text>`,
    );
  }
  out.push(
    `<text x="${m.l + pw / 2}" y="${m.t + ph + 38}" text-anchor="middle">${esc(`time (${r.timezone})`)}</text>`,
  );
  // queue band and floor (steps)
  const step = (vals: number[], y: (v: number) => number) =>
    vals
      .map(
        (v, i) =>
          `${i === 0 ? 'M' : 'L'}${x(i).toFixed(1)},${y(v).toFixed(1)} L${x(i + 1).toFixed(1)},${y(v).toFixed(1)}`,
      )
      .join(' ');
  const ceil = r.samples.map((s) => s.ceiling);
  const floor = r.samples.map((s) => s.floor);
  if (ceil.some((c, i) => c !== floor[i])) {
    const top = ceil
      .map((v, i) => `${x(i).toFixed(1)},${yRep(v).toFixed(1)} ${x(i + 1).toFixed(1)},${yRep(v).toFixed(1)}`)
      .join(' ');
    const bottom = [...floor.keys()]
      .reverse()
      .map(
        (i) =>
          `${x(i + 1).toFixed(1)},${yRep(floor[i] as number).toFixed(1)} ${x(i).toFixed(1)},${yRep(floor[i] as number).toFixed(1)}`,
      )
      .join(' ');
    out.push(
      `<polygon class="queue-band" points="${top} ${bottom}" fill="#ff7f0e" fill-opacity="0.25" stroke="none"/>`,
    );
  }
  out.push(`<path class="floor" d="${step(floor, yRep)}" fill="none" stroke="#1f77b4" stroke-width="2.5"/>`);
  out.push(
    `<path class="cpu" d="${step(
      r.samples.map((s) => s.cpu[0]),
      yCpu,
    )}" fill="none" stroke="#2ca02c" stroke-width="1.5" stroke-dasharray="5,3"/>`,
  );
  // legend
  const ly = H - 16;
  const legend: [string, string][] = [
    ['#1f77b4', 'replicas held by the cron floor'],
    ['#ff7f0e', 'queue-driven band (up to maxReplicaCount)'],
    ['#2ca02c', 'CPU requested at the floor'],
  ];
  legend.forEach(([color, label], i) => {
    const lx = m.l + i * 300;
    out.push(`<rect x="${lx}" y="${ly - 9}" width="14" height="10" fill="${color}" fill-opacity="0.8"/>`);
    out.push(`<text x="${lx + 20}" y="${ly}">${esc(label)}</text>`);
  });
  if (window)
    out.push(
      `<text x="${m.l + pw}" y="${m.t - 8}" text-anchor="end" fill="#1f77b4">${esc(`shaded: batch window ${window.text}`)}</text>`,
    );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
