import { expect } from 'chai';
import {
  PRICE_LADDER_MILLI,
  MAX_PRICE_MILLI,
  MIN_PRICE_MILLI,
  decimalToPriceMilli,
  impliedProbability,
  isOnLadder,
  ladderTickDown,
  ladderTickUp,
  priceMilliToDecimal,
  probabilityToPriceMilli,
  roundDownToLadder,
} from '../../../actors/odds/index.ts';

describe('odds price ladder', () => {
  it('has the documented increments between 1.01 and 1000', () => {
    expect(PRICE_LADDER_MILLI[0]).to.equal(1010);
    expect(PRICE_LADDER_MILLI.at(-1)).to.equal(1_000_000);
    expect(PRICE_LADDER_MILLI).to.have.length(350);
    const stepAt = (p: number) => PRICE_LADDER_MILLI[PRICE_LADDER_MILLI.indexOf(p) + 1] - p;
    expect(stepAt(1500)).to.equal(10);
    expect(stepAt(2000)).to.equal(20);
    expect(stepAt(3000)).to.equal(50);
    expect(stepAt(4000)).to.equal(100);
    expect(stepAt(6000)).to.equal(200);
    expect(stepAt(10_000)).to.equal(500);
    expect(stepAt(20_000)).to.equal(1000);
    expect(stepAt(30_000)).to.equal(2000);
    expect(stepAt(50_000)).to.equal(5000);
    expect(stepAt(100_000)).to.equal(10_000);
    for (let i = 1; i < PRICE_LADDER_MILLI.length; i++) expect(PRICE_LADDER_MILLI[i]).to.be.above(PRICE_LADDER_MILLI[i - 1]);
  });

  it('rounds every raw price down onto the ladder, never above the raw price', () => {
    for (let raw = 1010; raw < 1_000_000; raw = raw * 1.0137 + 0.31) {
      const p = roundDownToLadder(raw);
      expect(isOnLadder(p), `${raw} → ${p}`).to.equal(true);
      expect(p).to.be.at.most(raw + 1e-6);
      expect(ladderTickUp(p)).to.be.above(raw - 1e-6); // the next rung is above: p is the nearest below
    }
    expect(roundDownToLadder(2519.9)).to.equal(2500);
    expect(roundDownToLadder(2520)).to.equal(2520);
    expect(roundDownToLadder(1000 / 0.4)).to.equal(2500); // float noise around 2.5 does not cost a tick
    expect(roundDownToLadder(3.999 * 1000)).to.equal(3950);
  });

  it('clamps to [1.01, 1000]', () => {
    expect(roundDownToLadder(1000)).to.equal(MIN_PRICE_MILLI);
    expect(roundDownToLadder(0)).to.equal(MIN_PRICE_MILLI);
    expect(roundDownToLadder(Number.NaN)).to.equal(MIN_PRICE_MILLI);
    expect(roundDownToLadder(5_000_000)).to.equal(MAX_PRICE_MILLI);
    expect(probabilityToPriceMilli(0)).to.equal(MAX_PRICE_MILLI);
    expect(probabilityToPriceMilli(0.999)).to.equal(MIN_PRICE_MILLI);
    expect(probabilityToPriceMilli(0.4)).to.equal(2500);
    expect(probabilityToPriceMilli(0.41)).to.equal(2420); // 2.439 → 2.42
  });

  it('steps by ticks and converts between decimals and integer milli', () => {
    expect(ladderTickUp(1990)).to.equal(2000);
    expect(ladderTickUp(2000)).to.equal(2020);
    expect(ladderTickDown(2000)).to.equal(1990);
    expect(ladderTickDown(1010)).to.equal(1010);
    expect(ladderTickUp(1_000_000)).to.equal(1_000_000);
    expect(decimalToPriceMilli(2.5)).to.equal(2500);
    expect(decimalToPriceMilli(1.0 + 0.1 + 0.2)).to.equal(1300);
    expect(priceMilliToDecimal(2500)).to.equal(2.5);
    expect(impliedProbability(4000)).to.equal(0.25);
  });
});
