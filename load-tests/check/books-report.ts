/** The verdict of the end-of-run books check. */
import type { Reconciliation } from '../../server/store/types.ts';

export interface BooksCheck {
  name: string;
  ok: boolean;
  /** How many cases failed (0 when ok). */
  failures: number;
}

export interface BooksReport {
  /** `database`: the server's SQLite file was read; `http`: only what the players' API shows; `skipped`: nothing to check. */
  mode: 'database' | 'http' | 'skipped';
  passed: boolean;
  checks: BooksCheck[];
  /** The first problems found, readable. */
  problems: string[];
  stats: Record<string, number>;
  reconciliation?: Reconciliation;
  notes: string[];
}

const MAX_PROBLEMS = 50;

/** Collects named checks and their first problems. */
export class BooksVerdict {
  private readonly checks = new Map<string, BooksCheck>();
  readonly problems: string[] = [];
  readonly stats: Record<string, number> = {};
  readonly notes: string[] = [];

  constructor(names: string[]) {
    for (const name of names) this.checks.set(name, { name, ok: true, failures: 0 });
  }

  fail(check: string, problem: string): void {
    const c = this.checks.get(check) ?? { name: check, ok: true, failures: 0 };
    c.ok = false;
    c.failures++;
    this.checks.set(check, c);
    if (this.problems.length < MAX_PROBLEMS) this.problems.push(`${check}: ${problem}`);
  }

  stat(name: string, n = 1): void {
    this.stats[name] = (this.stats[name] ?? 0) + n;
  }

  report(mode: BooksReport['mode'], reconciliation?: Reconciliation): BooksReport {
    const checks = [...this.checks.values()];
    return { mode, passed: checks.every((c) => c.ok), checks, problems: this.problems, stats: this.stats, reconciliation, notes: this.notes };
  }
}
