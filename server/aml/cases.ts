/**
 * The AML case workflow as the server runs it: each case's steps are a journal of their own
 * (`aml-case:<caseId>`, appended at the next sequence so concurrent operators are ordered),
 * decided by actors/aml/cases.ts; the opening stays in the `aml-cases` journal (monitor.ts).
 */
import { decideCase, evolveCase, openWorkflow, type AmlCaseCommand, type AmlCaseEvent, type AmlWorkflow } from '../../actors/aml/cases.ts';
import { AppError } from '../errors.ts';
import { StoreError, type JournalStore } from '../store/types.ts';
import { AML_JOURNAL, type AmlCase } from './monitor.ts';

export type AmlCaseView = AmlCase & AmlWorkflow;

/** Openings searched for a case id (the newest first); older cases are out of the workflow's reach. */
export const CASE_SEARCH_WINDOW = 10_000;
const MAX_ATTEMPTS = 5;
const caseJournal = (caseId: string) => `aml-case:${caseId}`;

const STATUS: Record<string, number> = { 'aml/case_closed': 409, 'aml/no_change': 409, 'aml/sar_reference_required': 400, 'aml/sar_reference_unexpected': 400 };

export class AmlCases {
  constructor(private readonly journal: JournalStore, private readonly now: () => number) {}

  async workflow(caseId: string): Promise<{ workflow: AmlWorkflow; seq: number }> {
    const records = await this.journal.read(caseJournal(caseId), { limit: 1_000 });
    return { workflow: records.reduce((w, r) => evolveCase(w, r.data as AmlCaseEvent), openWorkflow()), seq: records.at(-1)?.seq ?? 0 };
  }

  async withWorkflow(c: AmlCase): Promise<AmlCaseView> {
    return { ...c, ...(await this.workflow(c.caseId)).workflow };
  }

  async find(caseId: string): Promise<AmlCase | null> {
    const last = await this.journal.lastSeq(AML_JOURNAL);
    for (let to = last; to > Math.max(0, last - CASE_SEARCH_WINDOW); to -= 1_000) {
      const records = await this.journal.read(AML_JOURNAL, { afterSeq: Math.max(0, to - 1_000), limit: 1_000 });
      const hit = records.find((r) => (r.data as AmlCase).caseId === caseId);
      if (hit) return hit.data as AmlCase;
    }
    return null;
  }

  /** Runs one step on a case; the caller audits it. */
  async act(caseId: string, build: (at: number) => AmlCaseCommand): Promise<AmlCaseView> {
    const opened = await this.find(caseId);
    if (!opened) throw new AppError('aml/case_not_found', `no AML case ${caseId}`, 404);
    for (let attempt = 1; ; attempt++) {
      const { workflow, seq } = await this.workflow(caseId);
      const d = decideCase(caseId, workflow, build(this.now()));
      if (!d.ok) throw new AppError(d.rejection.code, d.rejection.message, STATUS[d.rejection.code] ?? 409, d.rejection.details);
      try {
        await this.journal.append(caseJournal(caseId), seq + 1, d.events.map((e) => ({ type: e.type, data: e })));
        return { ...opened, ...d.events.reduce(evolveCase, workflow) };
      } catch (err) {
        if (!(err instanceof StoreError && err.code === 'journal/seq_conflict') || attempt >= MAX_ATTEMPTS) throw err;
      }
    }
  }
}
