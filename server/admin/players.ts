/**
 * Players for operators: search by username prefix, a player's wallet, ledger, stakes and recent
 * rounds, lock/unlock, and manual balance adjustments (an `adjustment` ledger transfer between
 * the house and the player, idempotent by the caller's key, with a mandatory reason). Every
 * change is audited.
 */
import { Router, type Request, type RequestHandler } from 'express';
import { AppError } from '../errors.ts';
import { parseInput } from '../http/validate.ts';
import type { RoomServices } from '../../rooms/context.ts';
import { playerAccountId } from '../wallet/service.ts';
import { receivableAccountId } from '../store/wallet-input.ts';
import { SYSTEM_ACCOUNTS, type User } from '../store/types.ts';
import type { AuditTrail } from './audit.ts';
import { adjustmentBody, headerIdempotencyKey, pageQuery, pathId, playerSearchQuery, reasonBody } from './schemas.ts';

function publicUser(u: User) {
  return { userId: u.id, username: u.username, role: u.role, status: u.status, createdAt: new Date(u.createdAt).toISOString() };
}

export function playerRoutes(svc: RoomServices, operator: RequestHandler, audit: AuditTrail): Router {
  const r = Router();
  const { store, wallet } = svc;

  async function target(req: Request): Promise<User> {
    const id = parseInput(pathId, String(req.params.userId), 'http/invalid_path');
    const user = await store.users.findById(id);
    if (!user) throw new AppError('admin/player_not_found', `no user ${id}`, 404);
    return user;
  }

  /** Operators act on players and bots; staff accounts only by an admin, and never on oneself. */
  function mayChange(req: Request, user: User): void {
    if (user.id === req.auth!.userId) throw new AppError('admin/forbidden_target', 'operators cannot change their own account', 403);
    if ((user.role === 'operator' || user.role === 'admin') && req.auth!.role !== 'admin') {
      throw new AppError('admin/forbidden_target', 'only an admin may change a staff account', 403);
    }
  }

  r.get('/admin/players', operator, async (req, res) => {
    const q = parseInput(playerSearchQuery, req.query, 'http/invalid_query');
    res.json({ items: (await store.users.search(q.q, q.limit)).map(publicUser) });
  });

  r.get('/admin/players/:userId', operator, async (req, res) => {
    const user = await target(req);
    const [walletView, ledger, rounds, receivable] = await Promise.all([
      wallet.view(user.id).catch(() => null),
      wallet.ledger(user.id, 50, null).catch(() => ({ items: [], nextCursor: null })),
      store.games.recentPlayerRounds(user.id, 20),
      store.wallet.getAccount(receivableAccountId(playerAccountId(user.id))),
    ]);
    // Stakes: the reserve transfers on the first ledger page, with their hold's current state.
    const stakes = await Promise.all(
      ledger.items.filter((t) => t.kind === 'reserve' && t.holdId).slice(0, 20).map(async (t) => {
        const hold = await store.wallet.getHold(t.holdId!);
        return { holdId: t.holdId, memo: t.memo, stakeMinor: -t.amountMinor, placedAt: t.createdAt, status: hold?.status ?? 'unknown', capturedMinor: hold?.capturedMinor ?? 0 };
      }),
    );
    res.json({
      user: publicUser(user),
      wallet: walletView,
      // What the player owes after a clawback they could not cover; later credits pay it down first.
      debtMinor: receivable?.balanceMinor ?? 0,
      ledger,
      stakes,
      rounds: rounds.map((row) => ({ ...row, netMinor: row.payoutMinor - row.stakeMinor, settledAt: new Date(row.settledAt).toISOString() })),
    });
  });

  r.get('/admin/players/:userId/ledger', operator, async (req, res) => {
    const user = await target(req);
    const q = parseInput(pageQuery, req.query, 'http/invalid_query');
    res.json(await wallet.ledger(user.id, q.limit, q.cursor ?? null));
  });

  for (const action of ['lock', 'unlock'] as const) {
    r.post(`/admin/players/:userId/${action}`, operator, async (req, res) => {
      const body = parseInput(reasonBody, req.body);
      const user = await target(req);
      mayChange(req, user);
      const status = action === 'lock' ? 'locked' : 'active';
      const before = user.status;
      if (before !== status) await store.users.setStatus(user.id, status);
      const entry = await audit.record(req.auth!, `player.${action}`, `user:${user.id}`, body.reason, { username: user.username, before, after: status });
      res.json({ user: { ...publicUser(user), status }, changed: before !== status, auditSeq: entry.seq });
    });
  }

  r.post('/admin/players/:userId/adjustments', operator, async (req, res) => {
    const body = parseInput(adjustmentBody, req.body);
    const header = req.headers['idempotency-key'];
    const key = body.idempotencyKey ?? (typeof header === 'string' ? parseInput(headerIdempotencyKey, header, 'http/invalid_header') : undefined);
    if (!key) throw new AppError('admin/idempotency_key_required', 'send an Idempotency-Key header or an idempotencyKey field (unique per adjustment)', 400);
    const user = await target(req);
    mayChange(req, user);
    const player = playerAccountId(user.id);
    const credit = body.amountMinor > 0;
    const [outcome] = await wallet.apply([{
      type: 'transfer', key: `adjust:${user.id}:${key}`, kind: 'adjustment', amountMinor: Math.abs(body.amountMinor),
      fromAccountId: credit ? SYSTEM_ACCOUNTS.house : player, toAccountId: credit ? player : SYSTEM_ACCOUNTS.house,
      memo: `adjustment by ${req.auth!.username}: ${body.reason}`.slice(0, 300),
    }]);
    const details = { username: user.username, amountMinor: body.amountMinor, idempotencyKey: key };
    if (!outcome!.ok) {
      await audit.record(req.auth!, 'player.adjust', `user:${user.id}`, body.reason, { ...details, ok: false, code: outcome!.code });
      throw new AppError(outcome!.code, outcome!.message, outcome!.code === 'wallet/unknown_account' ? 404 : 409);
    }
    // A repeated request is the same adjustment: answered again, audited once.
    const entry = outcome!.replayed ? null : await audit.record(req.auth!, 'player.adjust', `user:${user.id}`, body.reason, { ...details, ok: true, transferId: outcome!.transfers[0]!.id });
    res.status(outcome!.replayed ? 200 : 201).json({
      replayed: outcome!.replayed,
      transferId: outcome!.transfers[0]!.id,
      amountMinor: body.amountMinor,
      wallet: await wallet.view(user.id),
      auditSeq: entry?.seq ?? null,
    });
  });

  return r;
}
