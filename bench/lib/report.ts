// Output of a bench run: a table per scenario on stdout (figures down, servers across, each with
// its ratio to ours), one JSON line per measurement, and a hand-written SVG chart of latency
// percentiles.

import { appendFileSync, writeFileSync } from 'node:fs';
import type { Percentiles } from './histogram.ts';
import type { PhaseResult, ScenarioStatus } from './types.ts';

/** One scenario phase on one server: one JSON line in bench/results/<run>.jsonl. */
export type Measurement = {
  run: string;
  time: string;
  scenario: string;
  /** Column label: the server, or e.g. "ours (commit bypassed)" in the durability run. */
  server: string;
  version: string;
  phase: string;
  /** Round number with --repeat (0-based); tables show the median over rounds. */
  round: number;
  status: ScenarioStatus;
  figures: Record<string, number>;
  latency: Percentiles | null;
  latencyOf: string | null;
  lost: number | null;
  notes: string[];
  genCpuMs: number | null;
  wallMs: number | null;
  pinned: string;
  /** How busy the machine was when the measurement ended (other processes skew figures). */
  load: { loadavg1: number; cpuPressurePct: number } | null;
  params: Record<string, number>;
};

export function measurementsOf(
  base: Omit<Measurement, 'phase' | 'figures' | 'latency' | 'latencyOf' | 'lost'>,
  phases: PhaseResult[],
): Measurement[] {
  if (phases.length === 0) return [{ ...base, phase: '-', figures: {}, latency: null, latencyOf: null, lost: null }];
  return phases.map((p) => ({
    ...base,
    phase: p.phase,
    figures: p.figures,
    latency: p.latency ?? null,
    latencyOf: p.latencyOf ?? null,
    lost: typeof p.figures.lost === 'number' ? p.figures.lost : null,
  }));
}

// Figures where a single bad round must show: the worst round is reported, not the median.
const WORST_OF = new Set(['lost', 'reordered', 'failed', 'shortPages']);

/** Folds --repeat rounds into one measurement per (scenario, server, phase): medians, worst for losses. */
export function medianOfRounds(ms: Measurement[]): Measurement[] {
  const groups = new Map<string, Measurement[]>();
  for (const m of ms) {
    const key = `${m.scenario}\u0000${m.server}\u0000${m.phase}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const out: Measurement[] = [];
  for (const group of groups.values()) {
    const ok = group.filter((m) => m.status === 'ok');
    const first = ok[0] ?? group[0]!;
    if (ok.length <= 1) {
      out.push({ ...first, notes: uniqueNotes(group) });
      continue;
    }
    const figures: Record<string, number> = {};
    for (const k of Object.keys(first.figures)) {
      const vs = ok.map((m) => m.figures[k]).filter((v): v is number => typeof v === 'number');
      figures[k] = WORST_OF.has(k) ? Math.max(...vs) : median(vs);
    }
    let latency: Percentiles | null = null;
    if (first.latency !== null) {
      const ls = ok.map((m) => m.latency).filter((l): l is Percentiles => l !== null);
      latency = { ...first.latency };
      for (const k of Object.keys(latency) as Array<keyof Percentiles>) latency[k] = median(ls.map((l) => l[k]));
    }
    const notes = uniqueNotes(group);
    if (ok.length < group.length) notes.push(`${group.length - ok.length} of ${group.length} rounds did not complete`);
    notes.push(`median of ${ok.length} rounds`);
    out.push({ ...first, figures, latency, lost: typeof figures.lost === 'number' ? figures.lost : null, notes, round: -1 });
  }
  return out;
}

function median(vs: number[]): number {
  if (vs.length === 0) return Number.NaN;
  const s = [...vs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

function uniqueNotes(group: Measurement[]): string[] {
  return [...new Set(group.flatMap((m) => m.notes))];
}

export function appendJsonl(file: string, ms: Measurement[]): void {
  appendFileSync(file, ms.map((m) => JSON.stringify(m)).join('\n') + '\n');
}

// Figures where a smaller number is better (the ratio still reads value / ours).
const LOWER_IS_BETTER = /Ms$|KiB$|Pct$|PerDelivery$|PerMessage$|PerRegistration$|^lost$|^reordered$|^failed$|^shortPages$/;

/** Prints one scenario's table: for each phase, figures as rows and server labels as columns. */
export function formatTable(title: string, ms: Measurement[]): string {
  const labels = ordered(ms.map((m) => m.server));
  const phases = [...new Set(ms.filter((m) => m.phase !== '-').map((m) => m.phase))];
  const baseLabel = labels.includes('ours') ? 'ours' : null;
  const lines: string[] = [`\n== ${title} ==`];
  for (const phase of phases) {
    const byLabel = new Map(ms.filter((m) => m.phase === phase).map((m) => [m.server, m]));
    const rows: string[][] = [];
    const figureNames: string[] = [];
    for (const m of byLabel.values()) for (const k of Object.keys(m.figures)) if (!figureNames.includes(k)) figureNames.push(k);
    const latOf = [...byLabel.values()].find((m) => m.latencyOf !== null)?.latencyOf;
    const get = (m: Measurement | undefined, name: string): number | undefined => {
      if (m === undefined) return undefined;
      if (name.startsWith('latency ')) {
        const k = name.slice(8).replace(' ms', '') as keyof Percentiles;
        return m.latency && m.latency.count > 0 ? m.latency[k] : undefined;
      }
      return m.figures[name];
    };
    const names = [...figureNames, ...(latOf ? ['latency p50 ms', 'latency p99 ms', 'latency max ms'] : [])];
    for (const name of names) {
      const row = [name];
      const base = baseLabel ? get(byLabel.get(baseLabel), name) : undefined;
      for (const label of labels) {
        const v = get(byLabel.get(label), name);
        if (v === undefined) {
          row.push(byLabel.get(label)?.status === 'ok' || byLabel.get(label) === undefined ? '—' : (byLabel.get(label)?.status ?? '—'));
          continue;
        }
        let cell = fmt(v);
        if (label !== baseLabel && !PARAMS.has(name) && base !== undefined && base !== 0 && v !== 0) cell += ` (×${fmtRatio(v / base)})`;
        row.push(cell);
      }
      rows.push(row);
    }
    lines.push(`-- ${phase}${latOf ? ` (latency: ${latOf})` : ''}`);
    lines.push(...renderTable(['figure', ...labels.map((l) => (l === baseLabel ? `${l} (base)` : l))], rows));
  }
  // Notes belong to a server's whole scenario run: print them once, after the tables.
  const noted = new Set<string>();
  for (const m of ms) {
    if (noted.has(m.server) || (m.status === 'ok' && m.notes.length === 0)) continue;
    noted.add(m.server);
    lines.push(`   ${m.server}: ${m.status === 'ok' ? '' : `${m.status} — `}${m.notes.join('; ')}`);
  }
  if (baseLabel === null) lines.push('   (ratios are to ours; ours did not run, so none are shown)');
  else lines.push('   (×r = value / ours; lower is better for latency, memory, CPU and loss, higher for rates)');
  return lines.join('\n');
}

// Columns and colours in a fixed order whatever order the rounds ran in: ours first.
const RANK = ['ours', 'ours (baseline)', 'ours (data on tmpfs)', 'ours (commit bypassed)', 'ngircd', 'inspircd'];

function ordered(labels: string[]): string[] {
  const rank = (l: string): number => (RANK.includes(l) ? RANK.indexOf(l) : RANK.length);
  return [...new Set(labels)].sort((a, b) => rank(a) - rank(b));
}

export function isLowerBetter(figure: string): boolean {
  return LOWER_IS_BETTER.test(figure);
}

// Sizes echoed in the tables: no ratio for them.
const PARAMS = new Set(['targetRate', 'window', 'clients', 'senders', 'concurrency', 'connections', 'pairs', 'stored']);

// The headline figures, one row each: [scenario, phase, figure or latency percentile, label].
const HEADLINES: Array<[string, string, string, string]> = [
  ['fanout', 'max-rate', 'deliveriesPerSec', 'fanout max deliveries/s'],
  ['fanout', 'max-rate', 'serverCpuUsPerDelivery', 'fanout server CPU µs/delivery'],
  ['fanout', 'fixed-rate', 'latency p50', 'fanout fixed-rate p50 ms'],
  ['fanout', 'fixed-rate', 'latency p99', 'fanout fixed-rate p99 ms'],
  ['fanout', 'fixed-rate', 'serverCpuUsPerDelivery', 'fanout fixed-rate server CPU µs/delivery'],
  ['fanout', 'fixed-rate', 'serverSysUsPerDelivery', '… of which kernel (system) µs'],
  ['fanout', 'max-rate', 'lost', 'fanout messages lost'],
  ['fanout', 'fixed-rate', 'peakRssKiB', 'fanout fixed-rate peak RSS KiB'],
  ['fanout', 'max-rate', 'peakRssKiB', 'fanout max-rate peak RSS KiB'],
  ['fanout', 'flat-out', 'deliveriesPerSec', 'fanout flat-out deliveries/s'],
  ['fanout', 'flat-out', 'lost', 'fanout flat-out messages lost'],
  ['fanout', 'flat-out', 'peakRssKiB', 'fanout flat-out peak RSS KiB'],
  ['bigroom', 'one message/s', 'latency p50', 'bigroom p50 ms'],
  ['bigroom', 'one message/s', 'latency p99', 'bigroom p99 ms'],
  ['bigroom', 'one message/s', 'serverCpuUsPerDelivery', 'bigroom server CPU µs/delivery'],
  ['bigroom', 'one message/s', 'lost', 'bigroom messages lost'],
  ['bigroom', 'one message/s', 'peakRssKiB', 'bigroom peak RSS KiB'],
  ['bigroom', 'one message/s', 'joinPeakRssKiB', 'bigroom peak RSS during the joins KiB'],
  ['connect', 'steady', 'registrationsPerSec', 'connect steady registrations/s'],
  ['connect', 'steady', 'latency p99', 'connect steady p99 ms'],
  ['connect', 'burst', 'peakRssKiB', 'connect peak RSS KiB'],
  ['idle', 'idle', 'held', 'idle connections held'],
  ['idle', 'idle', 'rssPerConnKiB', 'idle RSS KiB/connection'],
  ['idle', 'idle', 'rssMarginalKiB', 'idle RSS KiB/connection, 2nd half'],
  ['idle', 'idle', 'latency p99', 'idle PING p99 ms'],
  ['dm', 'round-trip', 'roundTripsPerSec', 'dm round trips/s'],
  ['dm', 'round-trip', 'serverCpuUsPerMessage', 'dm server CPU µs/DM'],
  ['idle', 'idle', 'peakRssKiB', 'idle peak RSS KiB'],
  ['memory', '10,000 connections', 'rssPerConnKiB', 'memory at 10k: RSS KiB/connection'],
  ['memory', '10,000 connections', 'rssMarginalKiB', '… over the 2nd half'],
  ['dm', 'round-trip', 'latency p50', 'dm round trip p50 ms'],
  ['dm', 'round-trip', 'latency p99', 'dm round trip p99 ms'],
  ['dm', 'round-trip', 'peakRssKiB', 'dm peak RSS KiB'],
  ['history', 'LATEST', 'latency p99', 'history LATEST 100 p99 ms'],
  ['history', 'BEFORE', 'latency p99', 'history BEFORE 100 p99 ms'],
  ['search', 'common word', 'latency p99', 'search common word p99 ms'],
  ['search', 'rare word', 'latency p99', 'search rare word p99 ms'],
  ['search', 'word of other rooms', 'latency p99', 'search word of other rooms p99 ms'],
];

/**
 * One table of the headline figures across scenarios (what the README quotes). With the rounds of a
 * --repeat run, each ratio is the median over rounds of that round's ratio to ours: servers run
 * side by side within a round, so load that drifts between rounds cancels out of each ratio.
 */
export function formatSummary(ms: Measurement[], rounds: Measurement[] = []): string {
  const labels = ordered(ms.filter((m) => m.scenario !== 'durability').map((m) => m.server));
  const rows: string[][] = [];
  let paired = false;
  for (const [scenario, phase, figure, title] of HEADLINES) {
    const valueOf = (m: Measurement | undefined): number | undefined => {
      if (m === undefined || m.status !== 'ok') return undefined;
      if (figure.startsWith('latency ')) return m.latency && m.latency.count ? m.latency[figure.slice(8) as keyof Percentiles] : undefined;
      return m.figures[figure];
    };
    const pick = (label: string): number | undefined =>
      valueOf(ms.find((x) => x.scenario === scenario && x.phase === phase && x.server === label && x.status === 'ok'));
    const pairedRatio = (label: string): number | undefined => {
      const of = (l: string, round: number) => valueOf(rounds.find((x) => x.scenario === scenario && x.phase === phase && x.server === l && x.round === round));
      const ratios: number[] = [];
      for (const round of new Set(rounds.map((x) => x.round))) {
        const v = of(label, round);
        const base = of('ours', round);
        if (v !== undefined && base !== undefined && base !== 0 && v !== 0) ratios.push(v / base);
      }
      return ratios.length > 1 ? median(ratios) : undefined;
    };
    if (!labels.some((l) => pick(l) !== undefined)) continue;
    const base = pick('ours');
    rows.push([
      title,
      ...labels.map((l) => {
        const v = pick(l);
        if (v === undefined) return '—';
        if (l === 'ours') return fmt(v);
        const ratio = pairedRatio(l);
        if (ratio !== undefined) paired = true;
        const r = ratio ?? (base !== undefined && base !== 0 && v !== 0 ? v / base : undefined);
        return fmt(v) + (r !== undefined ? ` (×${fmtRatio(r)})` : '');
      }),
    ]);
  }
  if (rows.length === 0) return '';
  const legend = paired ? ['   (values: medians of the rounds; ×r: the median of each round\'s ratio to ours)'] : [];
  return ['\n== summary ==', ...renderTable(['figure', ...labels], rows), ...legend].join('\n');
}

function renderTable(head: string[], rows: string[][]): string[] {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)];
}

function fmt(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  if (Number.isInteger(v)) return v.toLocaleString('en-US');
  return v >= 100 ? Math.round(v).toLocaleString('en-US') : String(Math.round(v * 1000) / 1000);
}

function fmtRatio(r: number): string {
  return r >= 10 ? r.toFixed(1) : r >= 0.1 ? r.toFixed(2) : r.toPrecision(2);
}

const COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b'];
const PCTS: Array<[keyof Percentiles, string]> = [
  ['p50', 'p50'],
  ['p90', 'p90'],
  ['p99', 'p99'],
  ['p999', 'p99.9'],
  ['max', 'max'],
];

/** One panel per scenario phase with latencies; bars per percentile, a colour per server; log scale. */
export function latencySvg(ms: Measurement[], subtitle: string): string {
  const panels = new Map<string, Measurement[]>();
  for (const m of ms) {
    if (m.latency === null || m.latency.count === 0) continue;
    const key = `${m.scenario} · ${m.phase}`;
    panels.set(key, [...(panels.get(key) ?? []), m]);
  }
  const labels = ordered(ms.filter((m) => m.latency && m.latency.count > 0).map((m) => m.server));
  const W = 860;
  const PH = 210;
  const top = 70;
  const left = 70;
  const plotW = W - left - 20;
  const plotH = PH - 70;
  const H = top + panels.size * PH + 10;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="${left}" y="22" font-size="15" font-weight="bold">Latency percentiles (ms, log scale)</text>`,
    `<text x="${left}" y="40" fill="#555">${esc(subtitle)}</text>`,
  ];
  labels.forEach((l, i) => {
    const x = left + i * 170;
    out.push(`<rect x="${x}" y="50" width="12" height="12" fill="${COLORS[i % COLORS.length]}"/>`, `<text x="${x + 16}" y="60">${esc(l)}</text>`);
  });
  let y0 = top;
  for (const [title, group] of panels) {
    const values = group.flatMap((m) => PCTS.map(([k]) => m.latency![k] as number)).filter((v) => v > 0);
    const lo = Math.pow(10, Math.floor(Math.log10(Math.max(0.001, Math.min(...values)))));
    const hi = Math.pow(10, Math.ceil(Math.log10(Math.max(lo * 10, ...values))));
    const yOf = (v: number): number => y0 + 30 + plotH - ((Math.log10(Math.max(v, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))) * plotH;
    out.push(`<text x="${left}" y="${y0 + 18}" font-size="13" font-weight="bold">${esc(title)}</text>`);
    out.push(`<text x="${left + 8 + esc(title).length * 7.5}" y="${y0 + 18}" fill="#555">${esc(group[0]!.latencyOf ?? '')}</text>`);
    for (let d = lo; d <= hi * 1.0001; d *= 10) {
      const y = yOf(d);
      out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y}" y2="${y}" stroke="#ddd"/>`, `<text x="${left - 6}" y="${y + 4}" text-anchor="end">${d >= 1 ? d : d.toPrecision(1)}</text>`);
    }
    const groupW = plotW / PCTS.length;
    const barW = Math.min(36, (groupW - 16) / Math.max(1, labels.length));
    PCTS.forEach(([k, name], gi) => {
      const gx = left + gi * groupW + (groupW - barW * labels.length) / 2;
      out.push(`<text x="${left + gi * groupW + groupW / 2}" y="${y0 + 30 + plotH + 16}" text-anchor="middle">${name}</text>`);
      labels.forEach((l, li) => {
        const m = group.find((g) => g.server === l);
        if (!m) return;
        const v = m.latency![k] as number;
        const y = yOf(v);
        const x = gx + li * barW;
        out.push(
          `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(barW - 2).toFixed(1)}" height="${Math.max(0.5, y0 + 30 + plotH - y).toFixed(1)}" fill="${COLORS[li % COLORS.length]}"><title>${esc(`${l} ${name}: ${v} ms`)}</title></rect>`,
          `<text x="${(x + barW / 2 - 1).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" font-size="9">${short(v)}</text>`,
        );
      });
    });
    out.push(`<line x1="${left}" x2="${left + plotW}" y1="${y0 + 30 + plotH}" y2="${y0 + 30 + plotH}" stroke="#333"/>`);
    y0 += PH;
  }
  if (panels.size === 0) out.push(`<text x="${left}" y="${top + 20}">no latency measurements in this run</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

export function writeSvg(file: string, svg: string): void {
  writeFileSync(file, svg);
}

function short(v: number): string {
  return v >= 100 ? String(Math.round(v)) : v >= 10 ? v.toFixed(1) : v >= 1 ? v.toFixed(2) : v.toFixed(3);
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
