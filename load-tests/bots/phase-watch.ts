/**
 * Broadcast receipt latency from a table's state: the table publishes when its phase is due to
 * change (`deadline`); the time from that deadline to a client holding the new phase is what
 * the room's clock, its patch interval and the fan-out to every client cost together.
 */
import type { Recorder } from '../metrics/recorder.ts';
import type { TableView } from './table-link.ts';

export class PhaseWatch {
  private phase = '';
  private deadline = 0;

  constructor(private readonly recorder: Recorder) {}

  onState(table: TableView | null, arrivedAtMs: number): void {
    if (!table) return;
    if (this.phase !== '' && table.phase !== this.phase && this.deadline > 0 && arrivedAtMs >= this.deadline) {
      this.recorder.latency('broadcast', arrivedAtMs - this.deadline);
    }
    this.phase = table.phase;
    this.deadline = table.deadline;
  }

  /** After a reconnect the first state is a snapshot, not a change. */
  reset(): void {
    this.phase = '';
    this.deadline = 0;
  }
}
