/** The bet-slip service as the composition root wires it: service, cash-out, recovery sweep, routes. */
import type { RequestHandler, Router } from 'express';
import type { RoomServices } from '../../rooms/context.ts';
import { SlipCashOut } from './cashout.ts';
import { remoteLegRooms } from './legs-remote.ts';
import { slipRoutes } from './routes.ts';
import { SlipService } from './service.ts';
import { SlipSweep } from './sweep.ts';

export interface Slips {
  service: SlipService;
  cashOut: SlipCashOut;
  sweep: SlipSweep;
  router: Router;
}

export function setUpSlips(services: RoomServices, authed: RequestHandler, reopen?: (eventId: string) => Promise<void>): Slips {
  const service = new SlipService(services.store.journal, services.wallet, services.config.slips, remoteLegRooms, services.log, services.now);
  const cashOut = new SlipCashOut(service);
  return { service, cashOut, sweep: new SlipSweep(service, reopen), router: slipRoutes(service, cashOut, authed) };
}
