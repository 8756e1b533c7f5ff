import { expect } from 'chai';
import { formatAmerican, formatDecimal, formatFractional, formatPrice, NOT_A_PRICE } from '../../../actors/odds/index.ts';

describe('odds display formats', () => {
  it('shows decimal odds with two places (three when the price has them)', () => {
    expect(formatDecimal(2500)).to.equal('2.50');
    expect(formatDecimal(1010)).to.equal('1.01');
    expect(formatDecimal(1_000_000)).to.equal('1000.00');
    expect(formatDecimal(11_000)).to.equal('11.00');
    expect(formatDecimal(1333)).to.equal('1.333');
  });

  it('shows traditional fractions where they exist and exact or lower fractions otherwise', () => {
    expect(formatFractional(2500)).to.equal('6/4');
    expect(formatFractional(1670)).to.equal('67/100'); // 1.67 is not exactly 4/6
    expect(formatFractional(2000)).to.equal('1/1');
    expect(formatFractional(3000)).to.equal('2/1');
    expect(formatFractional(3250)).to.equal('9/4');
    expect(formatFractional(1010)).to.equal('1/100');
    expect(formatFractional(1370)).to.equal('37/100');
    expect(formatFractional(2020)).to.equal('51/50');
    expect(formatFractional(11_000)).to.equal('10/1');
    expect(formatFractional(1_000_000)).to.equal('999/1');
    // 1.333 has no fraction with denominator ≤ 100; the closest one not above it is shown.
    const [n, d] = formatFractional(1333).split('/').map(Number);
    expect(n / d).to.be.at.most(0.333);
    expect(n / d).to.be.at.least(0.33);
  });

  it('shows American odds as +profit on 100 or −stake to win 100', () => {
    expect(formatAmerican(2500)).to.equal('+150');
    expect(formatAmerican(1500)).to.equal('-200');
    expect(formatAmerican(2000)).to.equal('+100');
    expect(formatAmerican(1010)).to.equal('-10000');
    expect(formatAmerican(1330)).to.equal('-303');
    expect(formatAmerican(1_000_000)).to.equal('+99900');
  });

  it('has no fractional or American form for a price that is not offered', () => {
    expect(formatPrice(0)).to.deep.equal({ decimal: '0.00', fractional: NOT_A_PRICE, american: NOT_A_PRICE });
    expect(formatPrice(2500)).to.deep.equal({ decimal: '2.50', fractional: '6/4', american: '+150' });
  });
});
