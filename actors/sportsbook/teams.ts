/** The fitted team strengths shipped with the odds engine (static data, read once at import). */
import fitted from '../odds/fitted-strengths.json' with { type: 'json' };
import type { FittedStrengths } from '../odds/index.ts';

export const FITTED_STRENGTHS: FittedStrengths = fitted as FittedStrengths;
