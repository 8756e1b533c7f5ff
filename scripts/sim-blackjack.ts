/**
 * Blackjack return-to-player by simulation: a basic-strategy bot plays through the table actor
 * (provably fair shoe, cut card, the table's rules) and the RTP is reported with its 99% interval
 * beside the published house edge (docs/FAIRNESS.md, "Blackjack: return to player").
 *
 *   npm run sim:blackjack -- [--hands 10000000] [--seats 1] [--seed text] [--h17] [--no-das] [--no-surrender] [--json]
 */
import { parseArgs } from 'node:util';
import { estimate, publishedHouseEdge, simulate } from './lib/blackjack-sim.ts';

const { values } = parseArgs({
  options: {
    hands: { type: 'string', default: '10000000' },
    seats: { type: 'string', default: '1' },
    seed: { type: 'string', default: 'blackjack-sim' },
    h17: { type: 'boolean', default: false },
    'no-das': { type: 'boolean', default: false },
    'no-surrender': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const hands = Number(values.hands);
const seats = Number(values.seats);
if (!Number.isSafeInteger(hands) || hands < 1 || !Number.isSafeInteger(seats) || seats < 1 || seats > 7) {
  console.error('--hands must be a positive integer and --seats 1..7');
  process.exit(2);
}
const config = { dealerHitsSoft17: values.h17, doubleAfterSplit: !values['no-das'], lateSurrender: !values['no-surrender'] };
const started = Date.now();
const pct = (x: number) => `${(x * 100).toFixed(3)}%`;
const result = simulate({
  hands, seats, seed: values.seed, config,
  onProgress: (r) => {
    if (values.json) return;
    const e = estimate(r, 1000, seats);
    process.stderr.write(`  ${r.hands.toLocaleString('en')} hands, RTP ${pct(e.rtp)} ± ${pct(e.ci99[1] - e.rtp)}, ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
  },
});
const e = estimate(result, 1000, seats);
const seconds = (Date.now() - started) / 1000;
const edge = publishedHouseEdge(config);
const published = edge === null ? null : 1 - edge;
const contains = published !== null && published >= e.ci99[0] && published <= e.ci99[1];
if (values.json) {
  console.log(JSON.stringify({ config, seats, seed: values.seed, seconds, ...result, ...e, publishedHouseEdge: edge, containsPublished: contains }));
} else {
  console.log(`rules           : ${values.h17 ? 'H17' : 'S17'}, ${values['no-das'] ? 'no DAS' : 'DAS'}, ${values['no-surrender'] ? 'no surrender' : 'late surrender'}, 6 decks, cut card 234/312, split to 4, peek, 3:2`);
  console.log(`hands           : ${result.hands.toLocaleString('en')} (${result.rounds.toLocaleString('en')} rounds, ${result.shoes.toLocaleString('en')} shoes, ${seats} seat(s)) in ${seconds.toFixed(0)} s`);
  console.log(`outcomes        : ${Object.entries(result.outcomes).map(([k, v]) => `${k} ${(v / result.hands * 100).toFixed(2)}%`).join(', ')}`);
  console.log(`RTP             : ${pct(e.rtp)} (house edge ${pct(e.houseEdge)} per initial bet)`);
  console.log(`99% interval    : ${pct(e.ci99[0])} .. ${pct(e.ci99[1])} (standard error ${pct(e.standardError)})`);
  console.log(`per unit staked : ${pct(e.returnPerWagered)} (doubles and splits included in the stake)`);
  console.log(edge === null || published === null
    ? 'published edge  : none at hand for these rules'
    : `published edge  : ${pct(edge)} (Wizard of Odds calculator, docs/FAIRNESS.md) → RTP ${pct(published)}: ${contains ? 'inside' : 'OUTSIDE'} the 99% interval`);
}
