/**
 * Copies the blackjack actor's state into the synced schema, touching only what changed. The one
 * rule that matters: cards reach the schema only once dealt face up (the hole card when revealed,
 * nothing of the shoe's order ever).
 */
import { cardCode, handTotal, nextDeadline, type BlackjackEvent, type Card, type TableState } from '../../actors/blackjack/index.ts';
import { HandSchema, SeatSchema, type BlackjackTableSchema, type DealerSchema } from './schema.ts';

function setCards(target: { length: number; clear(): void; push(...items: string[]): number; [i: number]: string | undefined }, cards: readonly Card[]): void {
  const codes = cards.map(cardCode);
  if (codes.length === target.length && codes.every((c, i) => target[i] === c)) return;
  target.clear();
  target.push(...codes);
}

function projectDealer(d: DealerSchema, t: TableState): void {
  const round = t.round;
  const dealt = round && round.dealer.length > 0 ? round.dealer.map((c) => c.card) : [];
  // SECRET: the hole card (index 1) and any draw stay out until the hole card is revealed.
  const shown = round?.holeRevealed ? dealt : dealt.slice(0, 1);
  setCards(d.cards, shown);
  const total = handTotal(shown);
  d.total = shown.length > 0 ? total.total : 0;
  d.soft = total.soft;
  d.holeHidden = dealt.length > 1 && !round!.holeRevealed;
}

export function projectTable(s: BlackjackTableSchema, t: TableState, events: readonly BlackjackEvent[] | null): void {
  const round = t.round;
  s.phase = t.phase;
  s.roundId = round?.roundId ?? '';
  s.roundNumber = round?.number ?? 0;
  s.deadline = nextDeadline(t) ?? 0;
  const turn = t.phase === 'playing' ? round?.turn : null;
  s.turnSeat = turn ? turn.seat : -1;
  s.turnHand = turn ? turn.hand : -1;
  s.minBetMinor = t.config.minBetMinor;
  s.maxBetMinor = t.config.maxBetMinor;
  const shoe = t.shoe;
  s.shoeId = shoe?.shoeId ?? '';
  s.serverSeedHash = shoe?.serverSeedHash ?? '';
  s.cardsDealt = shoe?.position ?? 0;
  s.cardsTotal = shoe?.cards ?? t.config.decks * 52;
  s.cutCardPosition = shoe?.cutCardPosition ?? t.config.cutCardPosition;
  for (const e of events ?? []) {
    if (e.type === 'ShoeFinished') {
      s.lastShoeId = e.shoeId;
      s.lastServerSeed = e.serverSeed;
    }
  }
  projectDealer(s.dealer, t);
  const settled = t.phase === 'settled' ? lastSettlement(events, round?.roundId) : null;
  while (s.seats.length < t.seats.length) s.seats.push(new SeatSchema().assign({ seat: s.seats.length }));
  t.seats.forEach((owner, index) => {
    const view = s.seats[index]!;
    const inRound = t.phase === 'idle' || t.phase === 'voided' ? undefined : round?.seats.find((r) => r.seat === index);
    view.playerId = owner ?? inRound?.playerId ?? '';
    view.betMinor = inRound?.betMinor ?? 0;
    view.insurance = inRound?.insurance ?? '';
    const hands = inRound?.hands ?? [];
    while (view.hands.length > hands.length) view.hands.pop();
    while (view.hands.length < hands.length) view.hands.push(new HandSchema());
    hands.forEach((h, i) => {
      const hv = view.hands[i]!;
      setCards(hv.cards, h.cards);
      const total = handTotal(h.cards);
      hv.total = total.total;
      hv.soft = total.soft;
      hv.status = h.status;
      hv.stakeMinor = h.stakeMinor;
      hv.doubled = h.doubled;
      const result = settled?.settlements.find((x) => x.seat === index)?.hands[i];
      if (settled || t.phase === 'betting') {
        hv.outcome = result?.outcome ?? '';
        hv.payoutMinor = result?.payoutMinor ?? 0;
      }
    });
  });
}

function lastSettlement(events: readonly BlackjackEvent[] | null, roundId: string | undefined) {
  const e = events?.find((x) => x.type === 'RoundSettled' && x.roundId === roundId);
  return e && e.type === 'RoundSettled' ? e : null;
}
