/**
 * Issue 13, defect 4: a lone UTF-16 surrogate in an operator's reason broke the audit chain for
 * good (the hash covered the surrogate, the database kept U+FFFD). Ill-formed text is refused at
 * the edge, the store hashes exactly what it keeps, and `verify` stays ok for any input
 * (property tests over arbitrary strings, lone surrogates included).
 */
import { expect } from 'chai';
import fc from 'fast-check';
import { openSqliteStore } from '../../server/store/sqlite/index.ts';
import { makeTempDir } from '../store/tmpdir.ts';
import { bootTestServer, http, registerPlayer, type TestServer } from '../support/server.ts';

const ADMIN = { username: 'audit_admin', password: 'audit-admin-pass-1' };
const temp = makeTempDir('audit-text');
after(() => temp.cleanup());

/** No lone surrogate (written out here, so the test stands on its own). */
const isWellFormedText = (s: string) => !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);

/** Any UTF-16 code units, lone surrogates included (fast-check's own units never yield one alone). */
const codeUnit = fc.oneof(fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), fc.constantFrom('\ud800', '\udbff', '\udc00', '\udfff'));
const anyText = (maxLength: number) => fc.string({ unit: codeUnit, minLength: 1, maxLength });

describe('audit chain and ill-formed text (issue 13: defect 4)', function () {
  this.timeout(120_000);

  it('the store keeps its chain verifiable for entries of arbitrary strings (property)', async () => {
    const store = await openSqliteStore({ path: temp.file('audit') });
    try {
      let appended = 0;
      let ill = 0;
      await fc.assert(
        fc.asyncProperty(anyText(40), anyText(40), fc.option(anyText(80), { nil: null }), anyText(40), async (actorName, target, reason, note) => {
          if (![actorName, target, reason ?? '', note].every(isWellFormedText)) ill++;
          const entry = await store.audit.append({ actorId: 'op-1', actorName, action: 'player.lock', target, reason, details: { note, [note]: 1 }, at: 1_700_000_000_000 + appended++ });
          // What is returned (and hashed) is what a later read gives back.
          const [stored] = (await store.audit.list({ limit: 1, before: null })).items;
          expect(stored).to.deep.equal(entry);
          for (const text of [stored!.actorName, stored!.target, stored!.reason ?? '']) expect(isWellFormedText(text)).to.equal(true);
        }),
        { numRuns: 300, seed: 13 },
      );
      expect(ill, 'lone surrogates were tried').to.be.greaterThan(30);
      const verdict = await store.audit.verify();
      expect(verdict, JSON.stringify(verdict)).to.include({ ok: true, entries: 300 });
    } finally {
      await store.close();
    }
  });

  describe('over HTTP', () => {
    let srv: TestServer;
    let admin: string;
    let player: string;
    before(async () => {
      srv = await bootTestServer({ ADMIN_USERNAME: ADMIN.username, ADMIN_PASSWORD: ADMIN.password, ROULETTE_TABLES: '0' });
      admin = (await http(srv.url, 'POST', '/auth/login', ADMIN)).body.token;
      player = (await registerPlayer(srv, 'audited')).userId;
    });
    after(async () => srv?.stop());

    it('refuses the reproduced reason "lone \\ud800 surrogate" and verify stays ok', async () => {
      const res = await http(srv.url, 'POST', `/admin/players/${player}/lock`, '{"reason":"lone \\ud800 surrogate"}', admin);
      expect(res.status).to.equal(400);
      expect(res.body.error.code).to.equal('http/invalid_text');
      expect(res.body.error.message).to.include('reason');
      expect((await http(srv.url, 'GET', '/admin/audit/verify', undefined, admin)).body.ok).to.equal(true);
    });

    it('accepts exactly the well-formed reasons, stores them as sent, and verify stays ok for any input (property)', async () => {
      let accepted = 0;
      let refused = 0;
      await fc.assert(
        fc.asyncProperty(anyText(60), fc.constantFrom('lock', 'unlock'), async (reason, action) => {
          const res = await http(srv.url, 'POST', `/admin/players/${player}/${action}`, JSON.stringify({ reason }), admin);
          const wellFormed = isWellFormedText(reason);
          if (!wellFormed) {
            expect(res.status).to.equal(400);
            expect(res.body.error.code).to.equal('http/invalid_text');
            refused++;
            return;
          }
          if (reason.trim() === '') {
            expect(res.body.error.code).to.equal('http/invalid_body');
            return;
          }
          expect(res.status, JSON.stringify(res.body)).to.equal(200);
          accepted++;
          const [last] = (await http(srv.url, 'GET', '/admin/audit?limit=1', undefined, admin)).body.items;
          expect(last.reason).to.equal(reason.trim());
        }),
        { numRuns: 150, seed: 4 },
      );
      expect(accepted).to.be.greaterThan(10);
      expect(refused, 'lone surrogates were tried').to.be.greaterThan(10);
      const verdict = (await http(srv.url, 'GET', '/admin/audit/verify', undefined, admin)).body;
      expect(verdict, JSON.stringify(verdict)).to.include({ ok: true });
    });
  });
});
