/**
 * Flag latency against a running server, end to end (docs/FRAUD.md, "Results"): for each of
 * `--players` fresh accounts, 9 failed logins, then the deciding 10th (the velocity rule's
 * threshold); the time from that request's answer to the player's appearance in the review queue
 * (`GET /admin/fraud/queue`, polled every 25 ms) is one sample. Run it while a load scenario
 * plays against the same server:
 *
 *   npx tsx scripts/fraud/flag-latency.ts --url http://127.0.0.1:2567 --admin ops:ops-pass-1 --players 20
 */
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { url: { type: 'string', default: 'http://127.0.0.1:2567' }, admin: { type: 'string' }, players: { type: 'string', default: '20' } } });
const url = values.url!;
const [adminUser, adminPass] = (values.admin ?? '').split(':');
if (!adminUser || !adminPass) throw new Error('--admin user:password (an operator account) is required');

const post = (path: string, body: unknown, headers: Record<string, string> = {}) => fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
const admin = ((await (await post('/auth/login', { username: adminUser, password: adminPass })).json()) as { token: string }).token;

const samples: number[] = [];
const n = Number(values.players);
for (let i = 0; i < n; i++) {
  const username = `latency${Date.now().toString(36)}${i}`;
  const reg = (await (await post('/auth/register', { username, password: 'flag-latency-1' }, { 'x-device-id': `probe-${username}` })).json()) as { userId: string };
  for (let k = 0; k < 9; k++) await post('/auth/login', { username, password: 'wrong-password-1' });
  await post('/auth/login', { username, password: 'wrong-password-1' });
  const t0 = performance.now();
  for (;;) {
    const q = (await (await fetch(`${url}/admin/fraud/queue?limit=500`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { items: Array<{ playerId: string }> };
    if (q.items.some((it) => it.playerId === reg.userId)) break;
    if (performance.now() - t0 > 30_000) throw new Error(`player ${reg.userId} not flagged within 30 s`);
    await new Promise((r) => setTimeout(r, 25));
  }
  samples.push(performance.now() - t0);
}
samples.sort((a, b) => a - b);
const q = (p: number) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!.toFixed(0);
console.log(JSON.stringify({ samples: samples.length, p50Ms: Number(q(0.5)), p99Ms: Number(q(0.99)), maxMs: Number(samples.at(-1)!.toFixed(0)) }));
