/**
 * The operators' KYC review queue through the real server: a submission the provider refers
 * (sandbox: document numbers starting `REV`) stays pending and waits in the queue; an operator
 * approves or rejects it with a reason (audited); reviewing anything not pending is refused.
 */
import { expect } from 'chai';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);

describe('KYC operator review (server)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  let admin: string;
  before(async () => {
    srv = await bootTestServer({ KYC_REQUIRED_FOR: 'withdrawal', ADMIN_USERNAME: 'kyc_ops', ADMIN_PASSWORD: 'kyc-ops-pass-1' });
    admin = (await http(srv.url, 'POST', '/auth/login', { username: 'kyc_ops', password: 'kyc-ops-pass-1' })).body.token;
  });
  after(async () => srv?.stop());

  async function submit(token: string, documentNumber: string, fullName = 'Grace Hopper'): Promise<any> {
    const query = new URLSearchParams({ fullName, dateOfBirth: '1986-12-09', country: 'GB', documentNumber });
    const res = await fetch(`${srv.url}/kyc/documents?${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'image/png' }, body: PNG });
    return res.json();
  }
  const queue = async () => (await http(srv.url, 'GET', '/admin/kyc/reviews', undefined, admin)).body.items as Array<{ userId: string; reason: string; identity: { fullName: string } }>;
  const review = (userId: string, body: unknown, token = admin) => http(srv.url, 'POST', `/admin/players/${userId}/kyc/review`, body, token);

  it('queues a referred submission as pending, and an operator approves it with a reason (audited)', async () => {
    const p = await registerPlayer(srv, 'kycr');
    expect(await submit(p.token, 'REV-1001')).to.include({ status: 'pending', submissions: 1 });
    const item = (await queue()).find((i) => i.userId === p.userId);
    expect(item).to.deep.include({ reason: 'manual_review' });
    expect(item!.identity.fullName).to.equal('Grace Hopper');
    expect((await submit(p.token, 'P1234567')).error.code, 'no second submission while pending').to.equal('kyc/pending');

    const ok = await review(p.userId, { approve: true, reason: 'document checked by hand' });
    expect(ok.status, JSON.stringify(ok.body)).to.equal(200);
    expect(ok.body.status).to.equal('verified');
    expect((await http(srv.url, 'GET', '/kyc', undefined, p.token)).body.status).to.equal('verified');
    expect((await queue()).map((i) => i.userId)).to.not.include(p.userId);
    const audit = (await http(srv.url, 'GET', '/admin/audit?limit=50', undefined, admin)).body.items.find((e: any) => e.target === `user:${p.userId}`);
    expect(audit).to.deep.include({ action: 'kyc.approved', reason: 'document checked by hand' });

    const again = await review(p.userId, { approve: false, reason: 'changed my mind' });
    expect(again.status).to.equal(409);
    expect(again.body.error).to.deep.include({ code: 'kyc/not_pending' });
    expect((await http(srv.url, 'GET', '/kyc', undefined, p.token)).body.status, 'unchanged').to.equal('verified');
  });

  it('rejects with the operator\'s reason; refuses reviews of unsubmitted players, bad bodies and players\' own calls', async () => {
    const p = await registerPlayer(srv, 'kycx');
    await submit(p.token, 'REV-2002', 'Rex Review');
    const no = await review(p.userId, { approve: false, reason: 'photo does not match' });
    expect(no.body).to.include({ status: 'rejected', reason: 'photo does not match' });
    const audit = (await http(srv.url, 'GET', '/admin/audit?limit=50', undefined, admin)).body.items.find((e: any) => e.target === `user:${p.userId}`);
    expect(audit.action).to.equal('kyc.rejected');

    const fresh = await registerPlayer(srv, 'kycn');
    expect((await review(fresh.userId, { approve: true, reason: 'x' })).body.error.code).to.equal('kyc/not_pending');
    expect((await review(fresh.userId, { approve: true })).body.error.code).to.equal('http/invalid_body');
    expect((await review(fresh.userId, { approve: 'yes', reason: 'x' })).body.error.code).to.equal('http/invalid_body');
    expect((await review('nobody-here', { approve: true, reason: 'x' })).status).to.equal(404);
    expect((await review(fresh.userId, { approve: true, reason: 'x' }, fresh.token)).status, 'operators only').to.equal(403);
    expect((await http(srv.url, 'GET', '/admin/kyc/reviews?limit=0', undefined, admin)).body.error.code).to.equal('http/invalid_query');
  });
});
