/** Scenarios by name; `npm run load -- <name>` or a path to a module exporting `scenario`. */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { crash } from './crash.ts';
import { accumulators } from './accumulators.ts';
import { inplayPeak } from './inplay-peak.ts';
import { mixed } from './mixed.ts';
import { soak } from './soak.ts';
import { tablesOnly } from './tables-only.ts';
import type { Scenario } from './types.ts';

export const SCENARIOS: Record<string, Scenario> = {
  [tablesOnly.name]: tablesOnly,
  [inplayPeak.name]: inplayPeak,
  [mixed.name]: mixed,
  [soak.name]: soak,
  [crash.name]: crash,
  [accumulators.name]: accumulators,
};

export async function loadScenario(nameOrPath: string): Promise<Scenario> {
  const known = SCENARIOS[nameOrPath];
  if (known) return known;
  if (/\.(ts|js|mjs)$/.test(nameOrPath)) {
    const mod = (await import(pathToFileURL(path.resolve(nameOrPath)).href)) as { scenario?: Scenario; default?: Scenario };
    const s = mod.scenario ?? mod.default;
    if (s) return s;
    throw new Error(`${nameOrPath} exports no \`scenario\``);
  }
  throw new Error(`unknown scenario "${nameOrPath}"; known: ${Object.keys(SCENARIOS).join(', ')}, or a path to a .ts file exporting \`scenario\``);
}
