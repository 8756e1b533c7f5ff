import { expect } from 'chai';
import { decideCase, evolveCase, MAX_CASE_NOTES, openWorkflow, type AmlCaseCommand, type AmlWorkflow } from '../../../actors/aml/cases.ts';

const run = (w: AmlWorkflow, cmd: AmlCaseCommand): AmlWorkflow => {
  const d = decideCase('c1', w, cmd);
  if (!d.ok) throw new Error(d.rejection.code);
  return d.events.reduce(evolveCase, w);
};
const code = (w: AmlWorkflow, cmd: AmlCaseCommand) => {
  const d = decideCase('c1', w, cmd);
  return d.ok ? null : d.rejection.code;
};

describe('AML case workflow (actors/aml)', () => {
  it('assigns, notes and closes as reported with the SAR reference', () => {
    let w = run(openWorkflow(), { type: 'assign', assigneeId: 'u-ops', by: 'lead', reason: 'queue', at: 1 });
    expect(code(w, { type: 'assign', assigneeId: 'u-ops', by: 'lead', reason: 'again', at: 2 })).to.equal('aml/no_change');
    w = run(w, { type: 'note', note: 'asked for source of funds', by: 'ops', at: 3 });
    w = run(w, { type: 'close', outcome: 'reported', sarReference: 'NCA-1', by: 'ops', reason: 'no answer', at: 4 });
    expect(w).to.deep.include({ status: 'closed', assigneeId: 'u-ops', outcome: 'reported', sarReference: 'NCA-1', closedBy: 'ops', closedAt: 4, closeReason: 'no answer' });
    expect(w.notes).to.deep.equal([{ note: 'asked for source of funds', by: 'ops', at: 3 }]);
  });

  it('needs a SAR reference exactly when reported, and takes nothing after closing', () => {
    const open = openWorkflow();
    expect(code(open, { type: 'close', outcome: 'reported', sarReference: null, by: 'o', reason: 'r', at: 1 })).to.equal('aml/sar_reference_required');
    expect(code(open, { type: 'close', outcome: 'no_action', sarReference: 'X', by: 'o', reason: 'r', at: 1 })).to.equal('aml/sar_reference_unexpected');
    const closed = run(open, { type: 'close', outcome: 'no_action', sarReference: null, by: 'o', reason: 'r', at: 1 });
    for (const cmd of [
      { type: 'assign', assigneeId: 'x', by: 'o', reason: 'r', at: 2 },
      { type: 'note', note: 'n', by: 'o', at: 2 },
      { type: 'close', outcome: 'reported', sarReference: 'S', by: 'o', reason: 'r', at: 2 },
    ] as AmlCaseCommand[]) expect(code(closed, cmd)).to.equal('aml/case_closed');
  });

  it('keeps the latest notes only (bounded)', () => {
    let w = openWorkflow();
    for (let i = 0; i < MAX_CASE_NOTES + 5; i++) w = run(w, { type: 'note', note: `n${i}`, by: 'o', at: i });
    expect(w.notes).to.have.length(MAX_CASE_NOTES);
    expect(w.notes[0]!.note).to.equal('n5');
  });
});
