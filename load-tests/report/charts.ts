/**
 * Charts for the benchmark's HTML report, as inline SVG (no scripts, no external assets): x/y
 * line charts with linear, logarithmic or "nines" axes (a percentile p drawn at log10(1/(1 − p)),
 * as HdrHistogram plots do, so p90, p99, p99.9 are evenly spaced) and stacked bars.
 */
import { esc } from './svg.ts';

export type Scale = 'linear' | 'log' | 'nines';

export interface Series {
  name: string;
  color: string;
  points: Array<[number, number]>;
}

export interface XYChart {
  title: string;
  xLabel: string;
  yLabel: string;
  x: Scale;
  y: Scale;
  series: Series[];
  width?: number;
  height?: number;
}

export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

const PAD = { l: 64, r: 16, t: 44, b: 40 };
/** The highest percentile the nines axis shows apart from 100 (drawn a little beyond, as "max"). */
const MAX_NINES = 5;
/** Decades a log axis spans at most. */
const MAX_DECADES = 4;

const fmt = (v: number) => {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1000) return `${Math.round(v / 100) / 10}k`;
  if (a >= 10 || Number.isInteger(v)) return String(Math.round(v));
  return String(Number(v.toPrecision(2)));
};

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

interface Axis {
  /** value → 0..1 along the axis */
  pos(v: number): number;
  ticks: Array<{ v: number; label: string }>;
}

function ninesOf(p: number): number {
  if (p >= 100) return MAX_NINES + 0.3;
  return Math.min(MAX_NINES, Math.log10(100 / (100 - Math.max(0, p))));
}

function axis(scale: Scale, values: number[]): Axis {
  if (scale === 'nines') {
    const top = MAX_NINES + 0.3;
    const ticks = [0, 90, 99, 99.9, 99.99, 99.999].map((v) => ({ v, label: `${v}%` }));
    return { pos: (v) => ninesOf(v) / top, ticks: [...ticks, { v: 100, label: 'max' }] };
  }
  if (scale === 'log') {
    const pos = values.filter((v) => v > 0 && Number.isFinite(v));
    let hi = 10 ** Math.ceil(Math.log10(pos.length ? Math.max(...pos) : 10));
    // At most MAX_DECADES below the top: a few near-zero values would squash the rest.
    const lo = Math.max(hi / 10 ** MAX_DECADES, 10 ** Math.floor(Math.log10(pos.length ? Math.min(...pos) : 1)));
    if (hi <= lo) hi = lo * 10;
    const span = Math.log10(hi) - Math.log10(lo);
    const ticks: Axis['ticks'] = [];
    for (let e = Math.log10(lo); e <= Math.log10(hi) + 1e-9; e++) ticks.push({ v: 10 ** e, label: fmt(10 ** e) });
    return { pos: (v) => (Math.log10(Math.min(hi, Math.max(lo, v))) - Math.log10(lo)) / span, ticks };
  }
  const finite = values.filter((v) => Number.isFinite(v));
  const max = niceMax(Math.max(0, ...finite));
  return { pos: (v) => Math.min(max, Math.max(0, v)) / max, ticks: [0, 0.25, 0.5, 0.75, 1].map((f) => ({ v: max * f, label: fmt(max * f) })) };
}

function frame(title: string, width: number, height: number, body: string): string {
  return `<figure><figcaption>${esc(title)}</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">${body}</svg></figure>`;
}

function legend(items: Array<{ name: string; color: string }>, width: number): string {
  const per = Math.max(90, Math.floor((width - PAD.l) / Math.max(1, items.length)));
  return items.map((it, i) => `<rect x="${PAD.l + i * per}" y="8" width="10" height="10" fill="${it.color}"/><text x="${PAD.l + 14 + i * per}" y="17">${esc(it.name)}</text>`).join('');
}

const noData = (w: number, h: number) => `<text x="${PAD.l + w / 2}" y="${PAD.t + h / 2}" text-anchor="middle" fill="#888">no data</text>`;

export function xyChart(c: XYChart): string {
  const width = c.width ?? 720;
  const height = c.height ?? 280;
  const w = width - PAD.l - PAD.r;
  const h = height - PAD.t - PAD.b;
  const pts = c.series.flatMap((s) => s.points).filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
  const ax = axis(c.x, pts.map((p) => p[0]));
  const ay = axis(c.y, pts.map((p) => p[1]));
  const X = (v: number) => (PAD.l + ax.pos(v) * w).toFixed(1);
  const Y = (v: number) => (PAD.t + h - ay.pos(v) * h).toFixed(1);
  const parts: string[] = [];
  for (const t of ay.ticks) parts.push(`<line x1="${PAD.l}" x2="${PAD.l + w}" y1="${Y(t.v)}" y2="${Y(t.v)}" stroke="#ddd"/><text x="${PAD.l - 6}" y="${Number(Y(t.v)) + 4}" text-anchor="end">${esc(t.label)}</text>`);
  if (pts.length > 0 || c.x === 'nines') for (const t of ax.ticks) parts.push(`<line x1="${X(t.v)}" x2="${X(t.v)}" y1="${PAD.t}" y2="${PAD.t + h}" stroke="#eee"/><text x="${X(t.v)}" y="${PAD.t + h + 14}" text-anchor="middle">${esc(t.label)}</text>`);
  parts.push(`<text x="${PAD.l + w / 2}" y="${height - 4}" text-anchor="middle">${esc(c.xLabel)}</text>`);
  parts.push(`<text transform="translate(12 ${PAD.t + h / 2}) rotate(-90)" text-anchor="middle">${esc(c.yLabel)}</text>`);
  if (pts.length === 0) parts.push(noData(w, h));
  for (const s of c.series) {
    const ok = s.points.filter(([a, b]) => Number.isFinite(a) && Number.isFinite(b));
    if (ok.length === 0) continue;
    const coords = ok.map(([a, b]) => `${X(a)},${Y(b)}`);
    parts.push(`<polyline fill="none" stroke="${s.color}" stroke-width="1.8" points="${coords.join(' ')}"/>`);
    for (const xy of coords) {
      const [cx, cy] = xy.split(',');
      parts.push(`<circle cx="${cx}" cy="${cy}" r="2.2" fill="${s.color}"/>`);
    }
  }
  parts.push(legend(c.series, width));
  return frame(c.title, width, height, parts.join(''));
}

export interface Stack {
  name: string;
  color: string;
  /** One value per category; null draws nothing. */
  values: Array<number | null>;
}

export interface BarChart {
  title: string;
  yLabel: string;
  categories: string[];
  stacks: Stack[];
  /** A horizontal reference line (e.g. the machine's cores × 100 %). */
  limit?: { value: number; label: string };
  width?: number;
  height?: number;
}

export function stackedBars(c: BarChart): string {
  const width = c.width ?? 720;
  const height = c.height ?? 280;
  const w = width - PAD.l - PAD.r;
  const h = height - PAD.t - PAD.b;
  const totals = c.categories.map((_, i) => c.stacks.reduce((n, s) => n + Math.max(0, s.values[i] ?? 0), 0));
  const ay = axis('linear', [...totals, c.limit?.value ?? 0]);
  const Y = (v: number) => PAD.t + h - ay.pos(v) * h;
  const parts: string[] = [];
  for (const t of ay.ticks) parts.push(`<line x1="${PAD.l}" x2="${PAD.l + w}" y1="${Y(t.v).toFixed(1)}" y2="${Y(t.v).toFixed(1)}" stroke="#ddd"/><text x="${PAD.l - 6}" y="${(Y(t.v) + 4).toFixed(1)}" text-anchor="end">${esc(t.label)}</text>`);
  parts.push(`<text transform="translate(12 ${PAD.t + h / 2}) rotate(-90)" text-anchor="middle">${esc(c.yLabel)}</text>`);
  if (c.categories.length === 0) parts.push(noData(w, h));
  const slot = w / Math.max(1, c.categories.length);
  const barW = Math.max(4, Math.min(60, slot * 0.6));
  c.categories.forEach((cat, i) => {
    const x = PAD.l + slot * i + (slot - barW) / 2;
    let base = 0;
    for (const s of c.stacks) {
      const v = Math.max(0, s.values[i] ?? 0);
      if (v <= 0) continue;
      const top = Y(base + v);
      parts.push(`<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${barW.toFixed(1)}" height="${(Y(base) - top).toFixed(1)}" fill="${s.color}"><title>${esc(`${cat}: ${s.name} ${fmt(v)}`)}</title></rect>`);
      base += v;
    }
    parts.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${PAD.t + h + 14}" text-anchor="middle">${esc(cat)}</text>`);
  });
  if (c.limit) {
    const y = Y(c.limit.value).toFixed(1);
    parts.push(`<line x1="${PAD.l}" x2="${PAD.l + w}" y1="${y}" y2="${y}" stroke="#b00" stroke-dasharray="5,3"/><text x="${PAD.l + w}" y="${Number(y) - 4}" text-anchor="end" fill="#b00">${esc(c.limit.label)}</text>`);
  }
  parts.push(legend(c.stacks, width));
  return frame(c.title, width, height, parts.join(''));
}
