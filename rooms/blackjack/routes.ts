/** HTTP routes of the blackjack tables: each shoe's fairness record (docs/FAIRNESS.md, blackjack). */
import { Router } from 'express';
import { AppError } from '../../server/errors.ts';
import type { GameRound, GameStore } from '../../server/store/types.ts';

export const SHOE_ID = /^[A-Za-z0-9_-]{1,64}:shoe-\d{1,12}$/;

export function blackjackRoutes(games: GameStore): Router {
  const r = Router();
  r.get('/fairness/shoes/:shoeId', async (req, res) => {
    const shoeId = String(req.params.shoeId);
    if (!SHOE_ID.test(shoeId)) throw new AppError('http/invalid_path', 'shoeId must look like <tableId>:shoe-<number>', 400);
    const shoe = await games.getRound(shoeId);
    if (shoe?.game !== 'blackjack') throw new AppError('fairness/shoe_not_found', `no shoe ${shoeId}`, 404);
    res.json(shoeRecord(shoe));
  });
  return r;
}

/** A shoe's public fairness record (docs/FAIRNESS.md, B4): what the shoe verifier takes. */
export function shoeRecord(shoe: GameRound) {
  const finished = shoe.status === 'drawn';
  return {
    tableId: shoe.tableId,
    shoeId: shoe.roundId,
    nonce: shoe.nonce,
    // persistence.ts stores the shoe's size in `result`
    cards: shoe.result,
    serverSeedHash: shoe.serverSeedHash,
    // Never before the shoe is finished: the seed would give away every card still to come.
    serverSeed: finished ? shoe.serverSeed : null,
    clientSeed: shoe.clientSeed,
    clientSeeds: shoe.clientSeed === null ? null : (shoe.clientSeeds ?? null),
    clientSeedRule: shoe.clientSeed === null || !shoe.clientSeeds ? null : shoe.clientSeeds.length === 0 ? 'shoeId' : 'sha256-newline-joined',
    status: finished ? 'finished' : 'open',
  };
}
