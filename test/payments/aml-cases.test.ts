/**
 * The AML case workflow through the real server and the sandbox PSP: a case opened by a deposit
 * over the 24-hour threshold is assigned to an operator, noted and closed (no action, or reported
 * with the SAR reference), every step audited with its reason; a closed case takes nothing more.
 */
import { expect } from 'chai';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';
import { freePort } from '../support/process.ts';
import { startPsp, TEST_PSP_KEY, TEST_PSP_SECRET, type PspProcess } from '../support/psp.ts';

describe('AML case workflow (admin API)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let psp: PspProcess;
  let admin: string;
  let adminId: string;

  before(async () => {
    const pspPort = await freePort();
    srv = await bootTestServer({ PSP_URL: `http://127.0.0.1:${pspPort}`, PSP_API_KEY: TEST_PSP_KEY, PSP_WEBHOOK_SECRET: TEST_PSP_SECRET, PAYMENTS_POLL_MS: '0', DEMO_BALANCE_MINOR: '0',
      AML_CUMULATIVE_24H_MINOR: '5000', ADMIN_USERNAME: 'aml_lead', ADMIN_PASSWORD: 'aml-lead-pass-1' });
    psp = await startPsp({ port: pspPort, webhookUrl: `${srv.url}/payments/webhook` });
    const login = (await http(srv.url, 'POST', '/auth/login', { username: 'aml_lead', password: 'aml-lead-pass-1' })).body;
    admin = login.token;
    adminId = login.userId;
  });
  after(async () => {
    await psp?.stop();
    await srv?.stop();
  });

  async function openCase(prefix: string): Promise<{ caseId: string; userId: string; token: string }> {
    const p = await registerPlayer(srv, prefix);
    expect((await http(srv.url, 'POST', '/payments/deposits', { amountMinor: 6_000, method: 'card' }, p.token)).status).to.equal(201);
    const items = (await http(srv.url, 'GET', '/admin/aml/cases?limit=500', undefined, admin)).body.items;
    const c = items.find((x: any) => x.userId === p.userId && x.rule === 'cumulative_24h');
    expect(c, 'a case opened').to.not.equal(undefined);
    expect(c).to.deep.include({ status: 'open', assigneeId: null, outcome: null, sarReference: null });
    return { caseId: c.caseId, userId: p.userId, token: p.token };
  }
  const act = (caseId: string, step: string, body: unknown, token = admin) => http(srv.url, 'POST', `/admin/aml/cases/${caseId}/${step}`, body, token);
  const auditOf = async (caseId: string) => (await http(srv.url, 'GET', '/admin/audit?limit=200', undefined, admin)).body.items.filter((e: any) => e.target === `aml-case:${caseId}`);

  it('assigns, notes and closes a case as reported with its SAR reference, each step audited with its reason', async () => {
    const { caseId, userId } = await openCase('amlw');
    const assigned = await act(caseId, 'assign', { assigneeId: adminId, reason: 'MLRO queue' });
    expect(assigned.status, JSON.stringify(assigned.body)).to.equal(200);
    expect(assigned.body).to.deep.include({ caseId, userId, assigneeId: adminId, status: 'open' });
    expect((await act(caseId, 'assign', { assigneeId: adminId, reason: 'again' })).body.error.code).to.equal('aml/no_change');
    const noted = await act(caseId, 'notes', { note: 'source of funds requested' });
    expect(noted.body.notes).to.have.length(1);
    expect(noted.body.notes[0]).to.deep.include({ note: 'source of funds requested', by: 'aml_lead' });

    expect((await act(caseId, 'close', { outcome: 'reported', reason: 'no SoF' })).body.error.code).to.equal('aml/sar_reference_required');
    expect((await act(caseId, 'close', { outcome: 'no_action', sarReference: 'SAR-1', reason: 'x' })).body.error.code).to.equal('aml/sar_reference_unexpected');
    const closed = await act(caseId, 'close', { outcome: 'reported', sarReference: 'NCA/2026/000123', reason: 'no source of funds given' });
    expect(closed.body).to.deep.include({ status: 'closed', outcome: 'reported', sarReference: 'NCA/2026/000123', closedBy: 'aml_lead', closeReason: 'no source of funds given' });

    const listed = (await http(srv.url, 'GET', '/admin/aml/cases?status=closed&limit=500', undefined, admin)).body.items.find((c: any) => c.caseId === caseId);
    expect(listed).to.deep.include({ status: 'closed', sarReference: 'NCA/2026/000123' });
    const audit = await auditOf(caseId);
    expect(audit.map((e: any) => e.action).sort()).to.deep.equal(['aml.case_assigned', 'aml.case_closed', 'aml.case_noted']);
    expect(audit.find((e: any) => e.action === 'aml.case_closed')).to.deep.include({ reason: 'no source of funds given' });

    const late = await act(caseId, 'notes', { note: 'too late' });
    expect(late.status).to.equal(409);
    expect(late.body.error.code).to.equal('aml/case_closed');
    expect((await act(caseId, 'close', { outcome: 'no_action', reason: 'x' })).body.error.code).to.equal('aml/case_closed');
  });

  it('closes with no action; refuses unknown cases, players as assignees, bad bodies and players\' own calls', async () => {
    const { caseId, userId, token } = await openCase('amln');
    expect((await act(caseId, 'assign', { assigneeId: userId, reason: 'x' })).body.error.code).to.equal('aml/invalid_assignee');
    const closed = await act(caseId, 'close', { outcome: 'no_action', reason: 'salary deposit, documented' });
    expect(closed.body).to.deep.include({ status: 'closed', outcome: 'no_action', sarReference: null });
    expect((await act('00000000-0000-4000-8000-000000000000', 'notes', { note: 'x' })).status).to.equal(404);
    expect((await act('not-a-case', 'notes', { note: 'x' })).body.error.code).to.equal('http/invalid_path');
    expect((await act(caseId, 'close', { outcome: 'maybe', reason: 'x' })).body.error.code).to.equal('http/invalid_body');
    expect((await act(caseId, 'notes', { note: 'x' }, token)).status, 'operators only').to.equal(403);
  });
});
