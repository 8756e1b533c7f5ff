import { expect } from 'chai';
import {
  DEFAULT_SHADING,
  roundDownToLadder,
  shadeRawPriceMilli,
  shadingFraction,
  type ShadingConfig,
} from '../../../actors/odds/index.ts';

describe('odds liability shading', () => {
  it('leaves prices alone below the first threshold and for negative liability', () => {
    expect(shadeRawPriceMilli(3400, 0)).to.equal(3400);
    expect(shadeRawPriceMilli(3400, 99_999)).to.equal(3400);
    expect(shadeRawPriceMilli(3400, -5_000_000)).to.equal(3400);
  });

  it('shortens monotonically as liability grows', () => {
    for (const raw of [1050, 1800, 3400, 12_500, 250_000]) {
      let previous = raw;
      for (let liability = 0; liability <= 5_000_000; liability += 50_000) {
        const shaded = roundDownToLadder(shadeRawPriceMilli(raw, liability));
        expect(shaded, `${raw} at ${liability}`).to.be.at.most(roundDownToLadder(previous));
        previous = shadeRawPriceMilli(raw, liability);
      }
      expect(roundDownToLadder(shadeRawPriceMilli(raw, 5_000_000))).to.be.below(roundDownToLadder(raw));
    }
    expect(shadeRawPriceMilli(3000, 100_000)).to.be.closeTo(1000 + 2000 * 0.97, 1e-9);
    expect(shadeRawPriceMilli(3000, 500_000)).to.be.closeTo(1000 + 2000 * 0.93, 1e-9);
    expect(shadeRawPriceMilli(3000, 2_000_000)).to.be.closeTo(1000 + 2000 * 0.88, 1e-9);
  });

  it('never removes more than the cap of the price’s excess over 1 and never goes below 1.01', () => {
    const greedy: ShadingConfig = { thresholdsMinor: [1, 2, 3], shortenFractions: [0.2, 0.5, 0.9], maxShortenFraction: 0.15 };
    expect(shadingFraction(10, greedy)).to.equal(0.15);
    for (const raw of [1011, 1100, 2000, 7000, 900_000]) {
      const shaded = shadeRawPriceMilli(raw, 1e12, greedy);
      expect(shaded).to.be.at.least(1000 + (raw - 1000) * 0.85 - 1e-9);
      expect(shaded).to.be.at.least(1010);
    }
    expect(shadeRawPriceMilli(1005, 1e12, greedy)).to.equal(1005); // already at the floor: untouched
  });

  it('stays monotone even for a config listing fractions out of order', () => {
    const odd: ShadingConfig = { thresholdsMinor: [10, 20], shortenFractions: [0.1, 0.05], maxShortenFraction: 0.15 };
    expect(shadingFraction(25, odd)).to.equal(0.1);
    expect(shadingFraction(15, odd)).to.equal(0.1);
    expect(shadingFraction(5, DEFAULT_SHADING)).to.equal(0);
  });
});
