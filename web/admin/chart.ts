/** A small SVG line chart: the series scaled into the box, with its latest, min and max. */
import { h, svg } from '../shared/dom.ts';

export function lineChart(title: string, values: number[], format: (n: number) => string = String): HTMLElement {
  const W = 300, H = 100, PAD = 14;
  const min = Math.min(0, ...values);
  const max = Math.max(1, ...values);
  const x = (i: number) => (values.length <= 1 ? W : (i / (values.length - 1)) * W);
  const y = (v: number) => H - PAD - ((v - min) / (max - min || 1)) * (H - 2 * PAD);
  const points = values.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const chart = svg('svg', { viewBox: `0 0 ${W} ${H}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': title },
    svg('line', { class: 'axis', x1: 0, x2: W, y1: y(0), y2: y(0) }),
    svg('polyline', { points }),
  );
  const last = values.length ? values[values.length - 1]! : 0;
  return h('div', { class: 'card chart', testid: `chart-${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}` },
    h('div', { class: 'row' }, h('strong', null, title), h('span', { class: 'muted' }, `now ${format(last)} · max ${format(max)}`)),
    chart as unknown as HTMLElement);
}
