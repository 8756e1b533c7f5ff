/** The fitted team strengths shipped with the odds engine (static data, read once at import). */
import fitted from './fitted-strengths.json' with { type: 'json' };
import type { FittedStrengths } from '../../actors/odds/index.ts';

export const FITTED_STRENGTHS: FittedStrengths = fitted as FittedStrengths;
