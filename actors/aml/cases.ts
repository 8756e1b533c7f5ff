/**
 * An AML case's review workflow (pure): open → (assigned, notes) → closed with an outcome, either
 * `no_action` or `reported` (a suspicious activity report was filed: its reference is required).
 * Every step names the operator and a reason; a closed case takes nothing more.
 */
import { accept, reject, type Decision } from '../decision.ts';

export type AmlOutcome = 'no_action' | 'reported';

export type AmlCaseEvent =
  | { type: 'AmlCaseAssigned'; caseId: string; assigneeId: string; by: string; reason: string; at: number }
  | { type: 'AmlCaseNoted'; caseId: string; note: string; by: string; at: number }
  | { type: 'AmlCaseClosed'; caseId: string; outcome: AmlOutcome; sarReference: string | null; by: string; reason: string; at: number };

export type AmlCaseCommand =
  | { type: 'assign'; assigneeId: string; by: string; reason: string; at: number }
  | { type: 'note'; note: string; by: string; at: number }
  | { type: 'close'; outcome: AmlOutcome; sarReference: string | null; by: string; reason: string; at: number };

export interface AmlWorkflow {
  status: 'open' | 'closed';
  assigneeId: string | null;
  notes: Array<{ note: string; by: string; at: number }>;
  outcome: AmlOutcome | null;
  sarReference: string | null;
  closedBy: string | null;
  closedAt: number | null;
  closeReason: string | null;
}

/** Notes kept per case (the journal keeps every one; the view shows the latest). */
export const MAX_CASE_NOTES = 100;

export const openWorkflow = (): AmlWorkflow => ({ status: 'open', assigneeId: null, notes: [], outcome: null, sarReference: null, closedBy: null, closedAt: null, closeReason: null });

export function evolveCase(w: AmlWorkflow, e: AmlCaseEvent): AmlWorkflow {
  switch (e.type) {
    case 'AmlCaseAssigned': return { ...w, assigneeId: e.assigneeId };
    case 'AmlCaseNoted': return { ...w, notes: [...w.notes, { note: e.note, by: e.by, at: e.at }].slice(-MAX_CASE_NOTES) };
    case 'AmlCaseClosed': return { ...w, status: 'closed', outcome: e.outcome, sarReference: e.sarReference, closedBy: e.by, closedAt: e.at, closeReason: e.reason };
  }
}

export function decideCase(caseId: string, w: AmlWorkflow, cmd: AmlCaseCommand): Decision<AmlCaseEvent> {
  if (w.status === 'closed') return reject('aml/case_closed', `case ${caseId} is closed (${w.outcome})`, { outcome: w.outcome });
  switch (cmd.type) {
    case 'assign':
      if (cmd.assigneeId === w.assigneeId) return reject('aml/no_change', 'the case is assigned to this operator already');
      return accept<AmlCaseEvent>({ type: 'AmlCaseAssigned', caseId, assigneeId: cmd.assigneeId, by: cmd.by, reason: cmd.reason, at: cmd.at });
    case 'note':
      return accept<AmlCaseEvent>({ type: 'AmlCaseNoted', caseId, note: cmd.note, by: cmd.by, at: cmd.at });
    case 'close':
      if (cmd.outcome === 'reported' && !cmd.sarReference) return reject('aml/sar_reference_required', 'a case closed as reported needs the SAR reference');
      if (cmd.outcome === 'no_action' && cmd.sarReference) return reject('aml/sar_reference_unexpected', 'a SAR reference belongs to a reported case only');
      return accept<AmlCaseEvent>({ type: 'AmlCaseClosed', caseId, outcome: cmd.outcome, sarReference: cmd.sarReference, by: cmd.by, reason: cmd.reason, at: cmd.at });
  }
}
