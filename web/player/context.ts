/** What every player view gets from the shell. */
import type { Client } from '@colyseus/sdk';
import type { Session } from './session.ts';

export type { WalletView } from '../../protocol/common.ts';
import type { WalletView } from '../../protocol/common.ts';

export interface AppContext {
  session: Session;
  client: Client;
  /** Shows a wallet (from a room's `me` message or GET /wallet) in the header. */
  showWallet(w: WalletView): void;
  refreshWallet(): Promise<void>;
  currency(): string;
  /** Called when the odds format changes; returns an unsubscribe. */
  onOddsFormat(fn: () => void): () => void;
  logout(): void;
}

/** A view renders into `root` and returns its cleanup (leave rooms, stop timers). */
export type View = (root: HTMLElement, ctx: AppContext, param: string) => Promise<() => void> | (() => void);
