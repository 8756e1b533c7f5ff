import { expect } from 'chai';

/** ecosystem.config.js reads the environment when loaded: each case loads a fresh copy. */
async function loadEcosystem(env: Record<string, string | undefined>): Promise<Array<{ name: string; script: string; env: Record<string, string> }>> {
  const saved = { ...process.env };
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    const mod = await import(`../../ecosystem.config.js?case=${Math.random()}`);
    return mod.apps;
  } finally {
    for (const k of Object.keys(env)) delete process.env[k];
    Object.assign(process.env, saved);
  }
}

describe('PM2 ecosystem: the sandbox PSP', () => {
  it('runs casino-psp and points every server at it when the PSP keys are set', async () => {
    const apps = await loadEcosystem({ PSP_API_KEY: 'k'.repeat(20), PSP_WEBHOOK_SECRET: 's'.repeat(20), PSP_URL: undefined, CLUSTER_PROCESSES: '2', CLUSTER_BASE_PORT: '3100' });
    const psp = apps.find((a) => a.name === 'casino-psp')!;
    expect(psp.script).to.match(/psp\/main\.(ts|js)$/);
    expect(psp.env.PSP_WEBHOOK_URL).to.equal('http://127.0.0.1:3100/payments/webhook');
    const servers = apps.filter((a) => /server\/main\.(ts|js)$/.test(a.script));
    expect(servers).to.have.length(2);
    for (const s of servers) {
      expect(s.env.PSP_URL).to.equal('http://127.0.0.1:4100');
      expect(s.env.PSP_WEBHOOK_SECRET).to.equal('s'.repeat(20));
    }
  });

  it('runs no sandbox without PSP keys, nor when another PSP is configured', async () => {
    expect((await loadEcosystem({ PSP_API_KEY: undefined, PSP_WEBHOOK_SECRET: undefined })).map((a) => a.name)).not.to.include('casino-psp');
    const other = await loadEcosystem({ PSP_API_KEY: 'k'.repeat(20), PSP_WEBHOOK_SECRET: 's'.repeat(20), PSP_URL: 'https://psp.example' });
    expect(other.map((a) => a.name)).not.to.include('casino-psp');
    expect(other[0]!.env.PSP_URL).to.equal('https://psp.example');
  });
});
