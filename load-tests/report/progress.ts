/**
 * Live progress while a run goes: two status lines redrawn in place on a terminal; nothing when
 * stdout is not a terminal (CI logs get the final summary only).
 */
import type { SeriesPoint } from '../run/aggregate.ts';

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number | undefined) => (n === undefined ? '–' : n < 10 ? n.toFixed(1) : fmt(n));

export class Progress {
  private drawn = 0;

  constructor(
    private readonly tty: boolean = Boolean(process.stdout.isTTY),
    /** Print nothing at all (tests). */
    private readonly silent = false,
  ) {}

  /** A message above the status lines (TTY) or a plain line (otherwise, only when `always`). */
  note(text: string, always = false): void {
    if (this.silent) return;
    if (!this.tty) {
      if (always) process.stdout.write(text + '\n');
      return;
    }
    this.clear();
    process.stdout.write(text + '\n');
  }

  update(label: string, elapsedS: number, totalS: number, p: SeriesPoint, totals: { betsAcked: number; errors: number; rejected: number }): void {
    if (!this.tty) return;
    const bet = p.latency.betAck;
    const line1 = `[${label} ${fmt(elapsedS)}s/${fmt(totalS)}s] conns ${fmt(p.connections)} | bets ${fmt(p.counters.betsAcked)}/s acked (${fmt(totals.betsAcked)} total) ack p50 ${ms(bet?.p50Ms)} p99 ${ms(bet?.p99Ms)} ms | bcast p99 ${ms(p.latency.broadcast?.p99Ms)} ms | join p99 ${ms(p.latency.join?.p99Ms)} ms | rejected ${fmt(totals.rejected)} errors ${fmt(totals.errors)}`;
    const s = p.server;
    const line2 = `  server ${s ? `cpu ${fmt(s.cpuPct)}% rss ${fmt(s.rssMB)} MB loop p99 ${ms(s.eventLoopP99Ms)} ms rooms ${fmt(s.rooms)} clients ${fmt(s.clients)}` : 'metrics unavailable'} | bots cpu ${fmt(p.bots.cpuPct)}% rss ${fmt(p.bots.rssMB)} MB | in ${fmt(p.counters.messagesIn)}/s out ${fmt(p.counters.messagesOut)}/s`;
    this.clear();
    const cols = process.stdout.columns || 200;
    process.stdout.write(line1.slice(0, cols - 1) + '\n' + line2.slice(0, cols - 1) + '\n');
    this.drawn = 2;
  }

  clear(): void {
    if (!this.tty || this.drawn === 0) return;
    process.stdout.write(`\x1b[${this.drawn}A\x1b[0J`);
    this.drawn = 0;
  }
}
