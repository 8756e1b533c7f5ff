/**
 * Every kind of bot a scenario can name. A new kind (e.g. a live-market bettor with cash-out) is
 * one file with its config type and class, added to the union and the switch.
 */
import { RoulettePlayer, type RoulettePlayerConfig } from './roulette-player.ts';
import { RouletteWatcher, type RouletteWatcherConfig } from './roulette-watcher.ts';
import { EchoBettor, EchoSubscriber, type EchoBettorConfig, type EchoSubscriberConfig } from './echo-bots.ts';
import { MarketWatcher, type MarketWatcherConfig } from './market-watcher.ts';
import { CrashPlayer, type CrashPlayerConfig } from './crash-player.ts';
import { AccumulatorBettor, type AccumulatorBettorConfig } from './accumulator-bettor.ts';
import type { BotContext, BotSeat } from './context.ts';

/** When a group's bots arrive: from `startAtS` into the run, spread over `rampUpS` (default: the scenario's ramp). */
export interface GroupTiming {
  startAtS?: number;
  rampUpS?: number;
}

export type BotConfig = (RoulettePlayerConfig | RouletteWatcherConfig | MarketWatcherConfig | AccumulatorBettorConfig | CrashPlayerConfig | EchoBettorConfig | EchoSubscriberConfig) & GroupTiming;

export interface Bot {
  run(): Promise<void>;
}

export function createBot(cfg: BotConfig, ctx: BotContext, seat: BotSeat): Bot {
  switch (cfg.kind) {
    case 'roulette-player':
      return new RoulettePlayer(cfg, ctx, seat);
    case 'roulette-watcher':
      return new RouletteWatcher(cfg, ctx, seat);
    case 'market-watcher':
      return new MarketWatcher(cfg, ctx, seat);
    case 'crash-player':
      return new CrashPlayer(cfg, ctx, seat);
    case 'market-accumulator':
      return new AccumulatorBettor(cfg, ctx, seat);
    case 'echo-bettor':
      return new EchoBettor(cfg, ctx, seat);
    case 'echo-subscriber':
      return new EchoSubscriber(cfg, ctx, seat);
  }
}

/** Whether bots of this kind need an account of their own (bettors) or may share one (watchers). */
export function needsOwnAccount(cfg: BotConfig): boolean {
  return cfg.kind === 'roulette-player' || cfg.kind === 'market-accumulator' || cfg.kind === 'crash-player';
}
