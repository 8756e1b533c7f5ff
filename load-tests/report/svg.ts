/** Line charts as inline SVG (no scripts, no external assets), for the HTML reports. */

export interface Line {
  name: string;
  color: string;
  points: Array<[number, number]>;
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  for (const m of [1, 2, 2.5, 5, 10]) if (v <= m * p) return m * p;
  return 10 * p;
}

const label = (v: number) => (v >= 1000 ? `${Math.round(v / 100) / 10}k` : Number.isInteger(v) ? String(v) : v.toFixed(1));

export function lineChart(title: string, yUnit: string, lines: Line[], xUnit = 's', width = 720, height = 240): string {
  const pad = { l: 56, r: 12, t: 28, b: 34 };
  const all = lines.flatMap((l) => l.points);
  const xMax = Math.max(1, ...all.map((p) => p[0]));
  const yMax = niceMax(Math.max(0, ...all.map((p) => (Number.isFinite(p[1]) ? p[1] : 0))));
  const w = width - pad.l - pad.r;
  const h = height - pad.t - pad.b;
  const x = (v: number) => pad.l + (v / xMax) * w;
  const y = (v: number) => pad.t + h - (Math.min(v, yMax) / yMax) * h;
  const grid = [0, 0.25, 0.5, 0.75, 1].map((f) => {
    const v = yMax * f;
    return `<line x1="${pad.l}" x2="${pad.l + w}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/><text x="${pad.l - 6}" y="${y(v) + 4}" text-anchor="end">${label(v)}</text>`;
  });
  const xticks = [0, 0.25, 0.5, 0.75, 1].map((f) => `<text x="${x(xMax * f)}" y="${pad.t + h + 16}" text-anchor="middle">${label(Math.round(xMax * f))}${xUnit}</text>`);
  const paths = lines
    .filter((l) => l.points.length > 0)
    .map((l) => `<polyline fill="none" stroke="${l.color}" stroke-width="1.6" points="${l.points.map(([a, b]) => `${x(a).toFixed(1)},${y(b).toFixed(1)}`).join(' ')}"/>`);
  const legend = lines.map((l, i) => `<rect x="${pad.l + i * 150}" y="8" width="10" height="10" fill="${l.color}"/><text x="${pad.l + 14 + i * 150}" y="17">${esc(l.name)}</text>`);
  return `<figure><figcaption>${esc(title)} (${esc(yUnit)})</figcaption><svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">${grid.join('')}${xticks.join('')}${paths.join('')}${legend.join('')}</svg></figure>`;
}

export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const cell = (v: string | number) => `<td>${esc(String(v))}</td>`;
  return `<table><thead><tr>${headers.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map(cell).join('')}</tr>`).join('')}</tbody></table>`;
}

export const PAGE_STYLE = `body{font-family:sans-serif;max-width:1000px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:.5em 0 1.5em}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}figure{margin:1em 0}figcaption{font-weight:bold;margin-bottom:4px}.pass{color:#070}.fail{color:#b00}`;

export { esc };
