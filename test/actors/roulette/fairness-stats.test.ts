import { createHash } from 'node:crypto';
import { expect } from 'chai';
import { deriveRoulettePocket, payoutFor } from '../../../actors/roulette/index.ts';

const SPINS = 1_000_000;
const SERVER_SEEDS = 10;
/** Chi-square critical value for df = 36 at the 99% level. */
const CHI2_CRITICAL_99_DF36 = 58.619;
const RTP = 36 / 37;

/** Standard error of the mean return per unit staked for a bet paying `gross` with probability `p`. */
function rtpStandardError(gross: number, p: number, n: number): number {
  const variance = gross * gross * p - (gross * p) ** 2;
  return Math.sqrt(variance / n);
}

describe('roulette RNG statistics (1,000,000 derived spins, fixed seeds)', function () {
  this.timeout(60_000);
  const counts = new Array<number>(37).fill(0);
  let redReturn = 0;
  let straightReturn = 0;

  before(() => {
    for (let s = 0; s < SERVER_SEEDS; s++) {
      const serverSeed = createHash('sha256').update(`statistics server seed ${s}`).digest('hex');
      const clientSeed = `stats-client-${s}`;
      for (let nonce = 1; nonce <= SPINS / SERVER_SEEDS; nonce++) {
        const pocket = deriveRoulettePocket(serverSeed, clientSeed, nonce);
        counts[pocket] += 1;
        redReturn += payoutFor({ kind: 'red' }, 1, pocket);
        straightReturn += payoutFor({ kind: 'straight', numbers: [17] }, 1, pocket);
      }
    }
  });

  it('spreads results uniformly over the 37 pockets (chi-square, df 36, 99%)', () => {
    const expected = SPINS / 37;
    const chi2 = counts.reduce((sum, observed) => sum + (observed - expected) ** 2 / expected, 0);
    expect(counts.reduce((a, b) => a + b, 0)).to.equal(SPINS);
    expect(chi2).to.be.lessThan(CHI2_CRITICAL_99_DF36);
  });

  it('returns 36/37 to an even-money bet (red) within 4 standard errors', () => {
    const se = rtpStandardError(2, 18 / 37, SPINS); // ≈ 0.0010
    expect(se).to.be.closeTo(0.001, 0.0001);
    expect(redReturn / SPINS).to.be.closeTo(RTP, 4 * se);
  });

  it('returns 36/37 to a straight bet within 4 standard errors', () => {
    const se = rtpStandardError(36, 1 / 37, SPINS); // ≈ 0.0058
    expect(se).to.be.closeTo(0.0058, 0.0001);
    expect(straightReturn / SPINS).to.be.closeTo(RTP, 4 * se);
  });
});
