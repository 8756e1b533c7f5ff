/** Draws the crash curve m(t) = e^(k·t) up to `elapsedMs` on a canvas sized to its box (device pixels). */
import { CURVE_K_PER_MS } from '../../actors/crash/curve.ts';

export function drawCurve(canvas: HTMLCanvasElement, elapsedMs: number, crashed: boolean): void {
  const ratio = window.devicePixelRatio || 1;
  const w = Math.max(200, Math.floor(canvas.clientWidth * ratio));
  const hgt = Math.max(120, Math.floor(canvas.clientHeight * ratio));
  if (canvas.width !== w || canvas.height !== hgt) {
    canvas.width = w;
    canvas.height = hgt;
  }
  const g = canvas.getContext('2d');
  if (!g) return;
  g.clearRect(0, 0, w, hgt);
  // Axes grow with the round: at least 10 s and 2×, so the start is not a flat line.
  const spanMs = Math.max(10_000, elapsedMs * 1.15);
  const top = Math.max(2, Math.exp(CURVE_K_PER_MS * spanMs));
  const pad = 8 * ratio;
  const x = (t: number) => pad + (t / spanMs) * (w - 2 * pad);
  const y = (m: number) => hgt - pad - ((m - 1) / (top - 1)) * (hgt - 2 * pad);
  g.strokeStyle = 'rgba(255,255,255,0.15)';
  g.lineWidth = 1;
  for (const m of [1, 1.5, 2, 5, 10, 100, 1000]) {
    if (m > top) break;
    g.beginPath();
    g.moveTo(pad, y(m));
    g.lineTo(w - pad, y(m));
    g.stroke();
  }
  g.strokeStyle = crashed ? '#e5484d' : '#46a758';
  g.lineWidth = 3 * ratio;
  g.beginPath();
  const steps = 120;
  for (let i = 0; i <= steps; i++) {
    const t = (elapsedMs * i) / steps;
    const px = x(t);
    const py = y(Math.exp(CURVE_K_PER_MS * t));
    if (i === 0) g.moveTo(px, py);
    else g.lineTo(px, py);
  }
  g.stroke();
}
