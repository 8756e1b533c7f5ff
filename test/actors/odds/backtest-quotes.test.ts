import { expect } from 'chai';
import { applyMarginPower, preMatchProbabilities } from '../../../actors/odds/index.ts';
import { mulberry32, type PriceMessage } from '../../../actors/sportsbook/index.ts';
import { inputAgeDays } from '../../../scripts/lib/backtest-data.ts';
import { fitMoves, quoteMatch, type MoveSample } from '../../../scripts/lib/backtest-quotes.ts';
import { EVENT_ID, EventDriver, KICK_OFF } from '../sportsbook/helpers.ts';

const logistic = (x: number) => 1 / (1 + Math.exp(-x));
const logit = (p: number) => Math.log(p / (1 - p));

describe('backtest: quotes and the uncertainty they are widened by', () => {
  it('dates the pre-closing prices: Friday afternoon for Friday–Monday fixtures, Tuesday afternoon for midweek ones', () => {
    expect(inputAgeDays('2022-08-06', '15:00')).to.be.closeTo(1, 1e-12); // Saturday
    expect(inputAgeDays('2022-08-07', '16:30')).to.be.closeTo(2 + 1.5 / 24, 1e-12); // Sunday
    expect(inputAgeDays('2022-08-08', '20:00')).to.be.closeTo(3 + 5 / 24, 1e-12); // Monday
    expect(inputAgeDays('2022-08-05', '20:00')).to.be.closeTo(5 / 24, 1e-12); // Friday evening
    expect(inputAgeDays('2022-10-19', '19:30')).to.be.closeTo(1 + 4.5 / 24, 1e-12); // Wednesday
    expect(inputAgeDays('2022-10-18', null)).to.equal(0); // Tuesday, no time: taken as 15:00
  });

  it('recovers the jump and drift variance of logit moves from simulated quotes', () => {
    const rng = mulberry32(7);
    const normal = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    const samples: MoveSample[] = [];
    for (let i = 0; i < 20_000; i++) {
      const ageDays = 3 * rng();
      const sd = Math.sqrt(0.01 + 0.004 * ageDays);
      const from = [0.2 + 0.5 * rng()];
      samples.push({ ageDays, from, to: [logistic(logit(from[0]) + sd * normal())] });
    }
    const fit = fitMoves(samples);
    expect(fit.n).to.equal(20_000);
    expect(fit.jump).to.be.closeTo(0.01, 0.0015);
    expect(fit.drift).to.be.closeTo(0.004, 0.001);
  });

  it("quotes exactly what the server's event quotes for the same input", () => {
    const p = preMatchProbabilities({ lambdaHome: 1.7, lambdaAway: 1.0 }, -0.05);
    const oneXTwo = applyMarginPower(p.slice(0, 3), 1.03).map((q) => Math.round(1000 / q) / 1000) as [number, number, number];
    const [over, under] = applyMarginPower(p.slice(3), 1.03).map((q) => Math.round(1000 / q) / 1000);
    const ageDays = 1.75;
    const message: PriceMessage = { eventId: EVENT_ID, seq: 1, at: KICK_OFF - ageDays * 86_400_000, source: 'test-book', oneXTwo, overUnder: { line: 2.5, over, under } };
    const d = new EventDriver({ pricing: { marketWeight: 0.9, rho: -0.05 } });
    d.ok({ type: 'marketPrices', message, now: d.now });
    const market = d.s.market!;
    const q = quoteMatch(d.s.config.pricing, { lambdaHome: d.s.lambdaHome, lambdaAway: d.s.lambdaAway }, {
      fair: { result: market.fairOneXTwo as [number, number, number], over: market.fairOverUnder!.probs[0] },
      ageDays,
    });
    expect(q.oneXTwo).to.deep.equal(d.market('1x2').selections.map((s) => s.priceMilli / 1000));
    expect(q.ou).to.deep.equal(d.market('ou_2.5').selections.map((s) => s.priceMilli / 1000));
  });
});
