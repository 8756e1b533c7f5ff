/**
 * The layering rules of SPEC §3, checked on every import of the source tree:
 * - actors/ (deciders, evolvers, pricing math) import only each other, zod and node:crypto: no
 *   Colyseus, no store, no network, nothing from rooms/, server/, web/ or load-tests/;
 * - protocol/ (the public room protocol: message schemas, replies, views) imports only zod,
 *   actors/ and itself, so the server, the browser apps and the bots share one declaration;
 * - web/ (the browser apps) imports no server code (server/, rooms/) and no Node built-in;
 * - load-tests/ speaks the public protocol: its bots, runs and scenarios import no server/ code and
 *   from rooms/ only the published state schemas (and protocol/); the books check
 *   (load-tests/check/) and the store benchmarks (load-tests/bench/) may read the store;
 * - rooms/ and server/ import nothing from web/, load-tests/, test/ or scripts/.
 */
import { expect } from 'chai';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g;

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules' && entry.name !== 'dist' && entry.name !== 'results') out.push(...sources(rel));
    } else if (entry.name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

/** Each import of a file: the specifier and, for a relative one, the project path it names. */
function imports(file: string): Array<{ spec: string; target: string | null }> {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const found: Array<{ spec: string; target: string | null }> = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    found.push({ spec, target: spec.startsWith('.') ? path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec)) : null });
  }
  return found;
}

function violations(dirs: string[], allowed: (imp: { spec: string; target: string | null }, file: string) => boolean): string[] {
  return dirs.flatMap((d) => sources(d)).flatMap((file) => imports(file).filter((imp) => !allowed(imp, file)).map((imp) => `${file} imports ${imp.spec}`));
}

const under = (target: string | null, ...dirs: string[]) => target !== null && dirs.some((d) => target === d || target.startsWith(`${d}/`));
const publicProtocol = (target: string | null) => target !== null && /^rooms\/[a-z]+\/schema\.ts$/.test(target);

describe('layering rules (SPEC §3)', () => {
  it('reads the imports it checks (static, re-exports, dynamic)', () => {
    expect(imports('server/app.ts').map((i) => i.target)).to.include.members(['server/config.ts', 'rooms/LobbyRoom.ts']);
    expect(imports('server/app.ts').map((i) => i.spec)).to.include('@colyseus/core');
    expect(imports('actors/roulette/index.ts').length, 're-exports').to.be.greaterThan(3);
  });

  it('actors/ import only each other, zod and node:crypto', () => {
    expect(violations(['actors'], ({ spec, target }) => (target === null ? ['zod', 'node:crypto'].includes(spec) : under(target, 'actors')))).to.deep.equal([]);
  });

  it('protocol/ imports only zod, actors/ and itself', () => {
    expect(violations(['protocol'], ({ spec, target }) => (target === null ? spec === 'zod' : under(target, 'actors', 'protocol')))).to.deep.equal([]);
  });

  it('web/ imports no server code and no Node built-in', () => {
    expect(violations(['web'], ({ spec, target }) => (target === null ? !spec.startsWith('node:') : !under(target, 'server', 'rooms', 'load-tests', 'test', 'scripts')))).to.deep.equal([]);
  });

  it('load-tests/ bots, runs and scenarios use the public protocol only', () => {
    const dirs = ['load-tests/bots', 'load-tests/run', 'load-tests/scenarios', 'load-tests/metrics', 'load-tests/report'];
    expect(violations(dirs, ({ target }) => !under(target, 'server', 'test') && (!under(target, 'rooms') || publicProtocol(target)))).to.deep.equal([]);
  });

  it('rooms/ and server/ import nothing from web/, load-tests/, test/ or scripts/', () => {
    expect(violations(['rooms', 'server'], ({ target }) => !under(target, 'web', 'load-tests', 'test', 'scripts'))).to.deep.equal([]);
  });
});
