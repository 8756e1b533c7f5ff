import { expect } from 'chai';
import {
  applyMarginPower,
  applyMarginProportional,
  overroundOf,
  removeMarginPower,
  removeMarginProportional,
  removeMarginShin,
  shinInsiderShare,
} from '../../../actors/odds/index.ts';

const fairBook = [0.62, 0.24, 0.14];
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

describe('odds margin', () => {
  it('achieves the target overround with both methods', () => {
    for (const target of [1.02, 1.05, 1.12]) {
      expect(sum(applyMarginPower(fairBook, target))).to.be.closeTo(target, 1e-12);
      expect(sum(applyMarginProportional(fairBook, target))).to.be.closeTo(target, 1e-12);
    }
    expect(sum(applyMarginPower([0.5, 0.3, 0.15, 0.05], 1.2))).to.be.closeTo(1.2, 1e-12);
  });

  it('preserves the order of the selections and only ever shortens prices', () => {
    const q = applyMarginPower(fairBook, 1.06);
    expect(q[0]).to.be.above(q[1]);
    expect(q[1]).to.be.above(q[2]);
    q.forEach((qi, i) => expect(qi).to.be.above(fairBook[i]));
  });

  it('with the power method, loads long shots more and favourites less than proportional', () => {
    const power = applyMarginPower(fairBook, 1.06);
    const prop = applyMarginProportional(fairBook, 1.06);
    // Higher priced-probability = shorter price.
    expect(power[2]).to.be.above(prop[2]); // long shot shorter under power
    expect(power[0]).to.be.below(prop[0]); // favourite longer under power
    // Relative load q/p rises as p falls.
    const load = power.map((q, i) => q / fairBook[i]);
    expect(load[2]).to.be.above(load[1]);
    expect(load[1]).to.be.above(load[0]);
  });

  it('leaves zero-probability selections at zero and copes with a single live selection', () => {
    const q = applyMarginPower([0.7, 0.3, 0], 1.05);
    expect(q[2]).to.equal(0);
    expect(sum(q)).to.be.closeTo(1.05, 1e-12);
    expect(applyMarginPower([1, 0, 0], 1.05)).to.deep.equal([1, 0, 0]);
  });

  it('removes margin so the probabilities sum to one, and undoes its own application', () => {
    const odds = [1.9, 3.6, 4.4];
    expect(overroundOf(odds)).to.be.above(1);
    for (const remove of [removeMarginProportional, removeMarginShin, removeMarginPower]) {
      const p = remove(odds);
      expect(sum(p)).to.be.closeTo(1, 1e-9);
      expect(p[0]).to.be.above(p[1]);
    }
    const powered = applyMarginPower(fairBook, 1.05).map((q) => 1 / q);
    removeMarginPower(powered).forEach((p, i) => expect(p).to.be.closeTo(fairBook[i], 1e-9));
    const proportional = applyMarginProportional(fairBook, 1.05).map((q) => 1 / q);
    removeMarginProportional(proportional).forEach((p, i) => expect(p).to.be.closeTo(fairBook[i], 1e-12));
  });

  it('Shin gives the favourite more and the long shot less than proportional removal', () => {
    const odds = [1.4, 4.8, 8.5];
    const shin = removeMarginShin(odds);
    const prop = removeMarginProportional(odds);
    expect(shin[0]).to.be.above(prop[0]);
    expect(shin[2]).to.be.below(prop[2]);
    const z = shinInsiderShare(odds);
    expect(z).to.be.above(0).and.below(0.2);
    expect(shinInsiderShare([2.1, 2.1])).to.be.closeTo(0, 1e-9); // booksum < 1: no insiders
  });
});
