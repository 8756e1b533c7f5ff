/**
 * `npm run load -- <scenario> [--url http://127.0.0.1:2567] [--duration s] [--bots n]
 *                              [--workers n] [--data-dir path] [--settle-timeout s] [--seed n]`
 * Runs a scenario against a running server and writes load-tests/results/<time>-<scenario>/
 * (result.json, report.html, the acknowledged-bet logs). Exits 1 when the run fails (books
 * wrong, no bot could play), 2 on bad usage.
 */
import { parseArgs } from 'node:util';
import { loadScenario, SCENARIOS } from './scenarios/index.ts';
import { runLoad } from './run/runner.ts';
import { summaryText } from './report/summary.ts';

const USAGE = `usage: npm run load -- <scenario|path.ts> [--url http://127.0.0.1:2567] [--duration s] [--bots n] [--workers n] [--data-dir path] [--settle-timeout s] [--seed n]
scenarios: ${Object.values(SCENARIOS).map((s) => `\n  ${s.name.padEnd(12)} ${s.description}`).join('')}`;

function positiveInt(name: string, v: string | undefined): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) {
    console.error(`--${name} must be a non-negative integer (got ${v})\n${USAGE}`);
    process.exit(2);
  }
  return n;
}

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:2567' },
    duration: { type: 'string' },
    bots: { type: 'string' },
    workers: { type: 'string' },
    'data-dir': { type: 'string' },
    'settle-timeout': { type: 'string' },
    seed: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help || positionals.length !== 1) {
  console.log(USAGE);
  process.exit(values.help ? 0 : 2);
}

try {
  const scenario = await loadScenario(positionals[0]!);
  const { result, dir } = await runLoad({
    scenario,
    url: values.url!,
    durationS: positiveInt('duration', values.duration),
    bots: positiveInt('bots', values.bots),
    workers: positiveInt('workers', values.workers),
    dataDir: values['data-dir'] ?? null,
    settleTimeoutS: positiveInt('settle-timeout', values['settle-timeout']),
    seed: positiveInt('seed', values.seed),
  });
  console.log(summaryText(result, dir));
  process.exit(result.passed ? 0 : 1);
} catch (e) {
  console.error(`load run failed: ${(e as Error).message}`);
  process.exit(1);
}
