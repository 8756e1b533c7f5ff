/** HTTP routes of the casino tables: fairness proofs (roulette and crash rounds) and players' game recall of every casino game (docs/API.md). */
import { Router } from 'express';
import { AppError } from '../../server/errors.ts';
import type { RequestHandler } from 'express';
import type { GameRound, GameStore, PlayerRoundRecord } from '../../server/store/types.ts';
import { shoeRecord } from '../blackjack/routes.ts';
import { crashRoundRecord } from '../crash/fairness-record.ts';
import { fairnessRecordId } from '../round-records.ts';

export const ROUND_ID = /^[A-Za-z0-9_-]{1,64}:\d{1,12}$/;

export function rouletteRoutes(games: GameStore, authed: RequestHandler): Router {
  const r = Router();
  r.get('/fairness/rounds/:roundId', async (req, res) => {
    const roundId = String(req.params.roundId);
    if (!ROUND_ID.test(roundId)) throw new AppError('http/invalid_path', 'roundId must look like <tableId>:<number>', 400);
    const round = await games.getRound(roundId);
    if (!round) throw new AppError('fairness/round_not_found', `no round ${roundId}`, 404);
    if (round.game === 'crash') return void res.json(crashRoundRecord(round));
    const revealed = round.status !== 'open' && round.serverSeed !== null;
    res.json({
      tableId: round.tableId,
      roundId: round.roundId,
      nonce: round.nonce,
      serverSeedHash: round.serverSeedHash,
      serverSeed: revealed ? round.serverSeed : null,
      clientSeed: round.clientSeed,
      // The players' seeds and how they were combined (docs/FAIRNESS.md §3), once betting closed.
      clientSeeds: round.clientSeed === null ? null : (round.clientSeeds ?? null),
      clientSeedRule: round.clientSeed === null ? null : clientSeedRule(round),
      result: round.result,
      status: round.status,
    });
  });
  r.get('/games/recent', authed, async (req, res) => {
    const rows = await games.recentPlayerRounds(req.auth!.userId, 10);
    const proofs = await Promise.all(rows.map((row) => proofOf(games, row)));
    res.json({
      items: rows.map((row, i) => ({
        roundId: row.roundId,
        tableId: row.tableId,
        game: row.game,
        result: row.result,
        bets: row.bets,
        stakeMinor: row.stakeMinor,
        winningsMinor: row.payoutMinor,
        netMinor: row.payoutMinor - row.stakeMinor,
        balanceBeforeMinor: row.balanceBeforeMinor,
        balanceAfterMinor: row.balanceAfterMinor,
        settledAt: new Date(row.settledAt).toISOString(),
        proof: proofs[i],
      })),
    });
  });
  return r;
}

/**
 * What the game's verifier takes to check a recalled round (docs/API.md#get-gamesrecent): a
 * roulette round's seeds and nonce; a crash round's chain link and crash point (crash/fairness-
 * record.ts); a blackjack round's shoe record (blackjack/routes.ts), named by its seats' `shoeId`,
 * the cards being in `bets[].deal`. null when the record is missing.
 */
async function proofOf(games: GameStore, row: PlayerRoundRecord): Promise<object | null> {
  const id = fairnessRecordId(row);
  const round = id === null ? null : await games.getRound(id);
  if (!round) return null;
  if (row.game === 'blackjack') return shoeRecord(round);
  if (row.game === 'crash') {
    const { chainIndex, terminalHash, roundHash, salt, crashCents, crashPoint, status } = crashRoundRecord(round);
    return { chainIndex, terminalHash, roundHash, salt, crashCents, crashPoint, status };
  }
  return {
    nonce: round.nonce,
    serverSeedHash: round.serverSeedHash,
    serverSeed: round.status !== 'open' ? round.serverSeed : null,
    clientSeed: round.clientSeed,
    clientSeeds: round.clientSeed === null ? null : (round.clientSeeds ?? null),
  };
}

/**
 * How the client seed was made from the players' seeds: `roundId` when nobody submitted one,
 * `sha256(seeds joined by \n)` otherwise; null when the seeds were never recorded (old rounds).
 */
function clientSeedRule(round: GameRound): string | null {
  if (!round.clientSeeds) return null;
  return round.clientSeeds.length === 0 ? 'roundId' : 'sha256-newline-joined';
}
