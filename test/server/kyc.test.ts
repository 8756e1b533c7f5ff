/**
 * KYC through the real server: document upload with type and size limits, the age check, the
 * sanctions/PEP hook, the sandbox provider's deterministic decisions, gating of play
 * (KYC_REQUIRED_FOR=play), and a self-excluded person refused a second account on their
 * verified identity.
 */
import { expect } from 'chai';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const PDF = Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1');

describe('KYC (sandbox provider, server)', function () {
  this.timeout(60_000);
  let srv: TestServer;
  before(async () => {
    srv = await bootTestServer({ KYC_REQUIRED_FOR: 'play', KYC_MAX_UPLOAD_BYTES: '4096', ROULETTE_TABLES: '1' });
  });
  after(async () => srv?.stop());

  async function upload(token: string, identity: Record<string, string>, body: Buffer, contentType = 'image/png'): Promise<{ status: number; body: any }> {
    const res = await fetch(`${srv.url}/kyc/documents?${new URLSearchParams(identity)}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': contentType }, body });
    return { status: res.status, body: await res.json() };
  }
  const ada = (over: Record<string, string> = {}) => ({ fullName: 'Ada Lovelace', dateOfBirth: '1990-12-10', country: 'GB', documentNumber: 'P1234567', ...over });

  it('gates play until the identity is verified, and checks the document\'s type and size', async () => {
    const p = await registerPlayer(srv, 'kyc');
    expect((await http(srv.url, 'GET', '/kyc', undefined, p.token)).body).to.include({ status: 'unverified', submissions: 0 });
    const err: any = await p.client.join('roulette', { tableId: 'roulette-1' }).then(() => null, (e) => e);
    expect(String(err?.message)).to.include('kyc/required');

    expect((await upload(p.token, ada(), Buffer.from('hello'), 'text/plain')).body.error.code).to.equal('kyc/invalid_document');
    const renamed = await upload(p.token, ada(), PNG, 'image/jpeg');
    expect(renamed.status).to.equal(415);
    const big = await upload(p.token, ada(), Buffer.concat([PNG, Buffer.alloc(5000)]));
    expect(big.status).to.equal(413);
    expect((await upload(p.token, ada({ dateOfBirth: '1990-02-30' }), PNG)).body.error.code).to.equal('kyc/invalid_identity');
    expect((await upload(p.token, { ...ada(), country: 'Britain' }, PNG)).body.error.code).to.equal('http/invalid_query');
    expect((await http(srv.url, 'GET', '/kyc', undefined, p.token)).body.submissions, 'nothing counted').to.equal(0);

    const ok = await upload(p.token, ada(), PDF, 'application/pdf');
    expect(ok.status, JSON.stringify(ok.body)).to.equal(201);
    expect(ok.body).to.include({ status: 'verified', submissions: 1 });
    const room = await p.client.join('roulette', { tableId: 'roulette-1' });
    expect(room.roomId).to.equal('roulette-1');
    await room.leave();
    expect((await upload(p.token, ada(), PNG)).body.error.code).to.equal('kyc/already_verified');
  });

  it('rejects under-age players, screening matches and unreadable documents deterministically', async () => {
    const young = await registerPlayer(srv, 'kycy');
    expect((await upload(young.token, ada({ dateOfBirth: '2012-05-01' }), PNG)).body).to.include({ status: 'rejected', reason: 'under 18' });
    const listed = await registerPlayer(srv, 'kycs');
    expect((await upload(listed.token, ada({ fullName: 'Ivan Sandboxov', dateOfBirth: '1970-01-01' }), PNG)).body).to.include({ status: 'rejected', reason: 'screening_match:sanctions' });
    const pep = await registerPlayer(srv, 'kycp');
    expect((await upload(pep.token, ada({ fullName: 'petra POLITICA' }), PNG)).body).to.include({ status: 'rejected', reason: 'screening_match:pep' });
    const blurred = await registerPlayer(srv, 'kycr');
    expect((await upload(blurred.token, ada({ documentNumber: 'REJ-0001' }), PNG)).body).to.include({ status: 'rejected', reason: 'document_unreadable' });
    expect((await upload(blurred.token, ada(), PNG)).body, 'a new submission after a rejection').to.include({ status: 'verified', submissions: 2 });
  });

  it('refuses a self-excluded person a second account, matched on their verified identity, and excludes it too', async () => {
    const first = await registerPlayer(srv, 'kycx');
    const grace = ada({ fullName: 'Grace Hopper', dateOfBirth: '1986-12-09', country: 'US', documentNumber: 'X9876543' });
    expect((await upload(first.token, grace, PNG)).body.status).to.equal('verified');
    expect((await http(srv.url, 'POST', '/protection/self-exclusion', { months: 12 }, first.token)).status).to.equal(200);

    const second = await registerPlayer(srv, 'kycx2');
    const refused = await upload(second.token, { ...grace, fullName: 'GRACE  hopper', documentNumber: 'Z1111111' }, PNG);
    expect(refused.body).to.include({ status: 'rejected', reason: 'self_excluded' });
    const login = await http(srv.url, 'POST', '/auth/login', { username: second.username, password: 'correct-horse-1' });
    const status = await http(srv.url, 'GET', '/protection', undefined, login.body.token);
    expect(status.body.block).to.include({ kind: 'self_exclusion' });
    const firstBlock = (await http(srv.url, 'GET', '/protection', undefined, (await http(srv.url, 'POST', '/auth/login', { username: first.username, password: 'correct-horse-1' })).body.token)).body.block;
    expect(status.body.block.until, 'until the same end').to.equal(firstBlock.until);
  });
});
