import { expect } from 'chai';
import { parseCsv, parseDayMonthYear, parseFootballDataCsv } from '../../../server/pricing/football-data-csv.ts';
import {
  brierScore,
  choleskySolve,
  expectedGoalsFor,
  fitTeamModel,
  logLoss,
  type FitMatch,
} from '../../../scripts/lib/pricing-fit.ts';
import { expectedGoals, type LeagueStrengths } from '../../../actors/odds/index.ts';

const CSV =
  '\uFEFFDiv,Date,Time,HomeTeam,AwayTeam,FTHG,FTAG,FTR,HTHG,HTAG,PSH,PSD,PSA,PSCH,PSCD,PSCA,PC>2.5,PC<2.5\r\n' +
  'E0,09/08/2019,20:00,Liverpool,Norwich,4.0,1.0,H,4,0,1.15,9.59,18.05,1.14,10.0,19.0,1.4,3.11\r\n' +
  'E0,10/08/19,12:30,"West Ham",Man City,0,5,A,0,1,,,,11.68,6.53,1.26,,\r\n' +
  'E0,31/02/2020,15:00,Bad,Date,1,1,D,0,0,2,3,4,2,3,4,2,2\r\n' +
  'E0,11/08/2019,15:00,Burnley,Southampton,3,0,D,0,0,2,3,4,2,3,4,2,2\r\n' +
  'E0,12/08/2019,15:00,"Nott\'m, Forest",Fulham,,,,,,2,3,4,2,3,4,2,2\r\n' +
  '\r\n';

describe('fit-pricing CSV parser', () => {
  it('splits quoted fields, CRLF and a BOM', () => {
    const rows = parseCsv('\uFEFFa,b\r\n"x,1","say ""hi"""\n\nlast,row');
    expect(rows).to.deep.equal([['a', 'b'], ['x,1', 'say "hi"'], ['last', 'row']]);
  });

  it('parses dd/mm/yyyy and dd/mm/yy dates and rejects impossible ones', () => {
    expect(parseDayMonthYear('09/08/2019')).to.deep.equal({ iso: '2019-08-09', day: 18117 });
    expect(parseDayMonthYear('10/08/19')?.iso).to.equal('2019-08-10');
    expect(parseDayMonthYear('31/02/2020')).to.equal(null);
    expect(parseDayMonthYear('2019-08-09')).to.equal(null);
  });

  it('reads results and Pinnacle odds, tolerating "4.0" integers and blank odds, skipping bad rows with reasons', () => {
    const { matches, skipped } = parseFootballDataCsv(CSV, { league: 'E0', season: '2019-20' });
    expect(matches).to.have.length(2);
    const [first, second] = matches;
    expect(first).to.include({ homeTeam: 'Liverpool', awayTeam: 'Norwich', homeGoals: 4, awayGoals: 1, result: 'H', date: '2019-08-09' });
    expect(first.pinnacleClosing).to.deep.equal([1.14, 10, 19]);
    expect(first.pinnacle).to.deep.equal([1.15, 9.59, 18.05]);
    expect(first.pinnacleClosingTotals).to.deep.equal([1.4, 3.11]);
    expect(first.halfTimeHomeGoals).to.equal(4);
    expect(second).to.include({ homeTeam: 'West Ham', result: 'A' });
    expect(second.pinnacle).to.equal(null);
    expect(second.pinnacleClosingTotals).to.equal(null);
    expect(skipped.map((s) => s.line)).to.deep.equal([4, 5, 6]);
    expect(skipped[0].reason).to.match(/bad date/);
    expect(skipped[1].reason).to.match(/FTR D disagrees/);
    expect(skipped[2].reason).to.match(/full-time score/);
  });

  it('fails loudly when a required column is missing', () => {
    expect(() => parseFootballDataCsv('Div,Date,HomeTeam\nE0,01/01/2020,A\n', { league: 'E0', season: 'x' })).to.throw(/FTHG|AwayTeam/);
  });
});

describe('fit-pricing team-strength fit', () => {
  it('solves a symmetric positive-definite system by Cholesky', () => {
    const a = Float64Array.from([4, 2, 0, 2, 5, 1, 0, 1, 3]);
    const x = choleskySolve(a, Float64Array.from([6, 8, 4]), 3);
    [1, 1, 1].forEach((v, i) => expect(x[i]).to.be.closeTo(v, 1e-12));
  });

  it('recovers known strengths from expected goal counts (deterministic data)', () => {
    // Each pairing is replayed with the goal counts at their rounded expectations many times, which
    // is enough for the maximum-likelihood fit to land near the generating parameters.
    const attack = [0.3, 0.1, 0, -0.1, -0.3];
    const defence = [0.2, 0.1, 0, -0.1, -0.2];
    const c = 0.2;
    const h = 0.25;
    const matches: FitMatch[] = [];
    let day = 0;
    for (let rep = 0; rep < 40; rep++) {
      for (let i = 0; i < 5; i++) {
        for (let j = 0; j < 5; j++) {
          if (i === j) continue;
          const lh = Math.exp(c + h + attack[i] - defence[j]);
          const la = Math.exp(c + attack[j] - defence[i]);
          // Alternate floor/ceil so the average goal count equals λ to within rounding noise.
          const frac = (rep % 10) / 10 + 0.05;
          matches.push({ home: i, away: j, homeGoals: Math.floor(lh + frac), awayGoals: Math.floor(la + frac), day: day++, ghost: false });
        }
      }
    }
    const model = fitTeamModel(matches, 5, { decayPerDay: 0, ridge: 0.01, ghostSplit: false, referenceDay: day + 1 });
    expect(model.home).to.be.closeTo(h, 0.05);
    for (let t = 0; t < 5; t++) {
      expect(model.attack[t] - model.attack[2]).to.be.closeTo(attack[t], 0.06);
      expect(model.defence[t] - model.defence[2]).to.be.closeTo(defence[t], 0.06);
    }
    const [lh, la] = expectedGoalsFor(model, 0, 4);
    expect(lh).to.be.above(la);
  });

  it('scores predictions with log-loss and multi-class Brier', () => {
    expect(logLoss([0.5, 0.3, 0.2], 0)).to.be.closeTo(Math.log(2), 1e-15);
    expect(logLoss([1, 0, 0], 2)).to.be.closeTo(-Math.log(1e-15), 1e-9);
    expect(brierScore([0.5, 0.3, 0.2], 0)).to.be.closeTo(0.25 + 0.09 + 0.04, 1e-15);
    expect(brierScore([1 / 3, 1 / 3, 1 / 3], 1)).to.be.closeTo(2 / 3, 1e-15);
  });

  it('turns fitted strengths into expected goals, using the promoted prior for unknown teams', () => {
    const league: LeagueStrengths = {
      league: 'X',
      fittedThrough: '2022-23',
      intercept: 0.2,
      homeAdvantage: 0.2,
      rho: -0.05,
      promotedPrior: { attack: -0.3, defence: -0.2 },
      typicalLambda: { home: 1.5, away: 1.2 },
      teams: { Big: { attack: 0.4, defence: 0.3 } },
    };
    const { lambdaHome, lambdaAway } = expectedGoals(league, 'Big', 'Newcomer');
    expect(lambdaHome).to.be.closeTo(Math.exp(0.2 + 0.2 + 0.4 + 0.2), 1e-12);
    expect(lambdaAway).to.be.closeTo(Math.exp(0.2 - 0.3 - 0.3), 1e-12);
  });
});
