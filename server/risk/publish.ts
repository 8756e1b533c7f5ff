/**
 * Where producers publish risk events: one call, `publishRisk(event)`, from the auth routes, the
 * payment service and the market rooms (server/risk/producers.ts maps their own events). The
 * composition root installs the stream; with none installed (tools, some tests) publishing does
 * nothing. Publishing never fails the caller: a lost publish is logged and counted, and the risk
 * service's view of that player is that much poorer (docs/FRAUD.md).
 */
import { Counter } from 'prom-client';
import { registry } from '../metrics.ts';
import type { RiskEvent } from '../../actors/risk/index.ts';
import type { Logger } from '../logger.ts';
import type { RiskStream } from './stream.ts';

export const riskPublishFailures = new Counter({ name: 'casino_risk_publish_failures_total', help: 'Risk events that could not be published to the risk stream', registers: [registry] });

let stream: RiskStream | null = null;
let log: Logger | null = null;

export function installRiskPublisher(s: RiskStream | null, logger: Logger | null = null): void {
  stream = s;
  log = logger;
}

export function publishRisk(...events: Array<RiskEvent | null>): void {
  if (!stream) return;
  for (const e of events) {
    if (!e) continue;
    stream.publish(e).catch((err) => {
      riskPublishFailures.inc();
      log?.warn({ err, riskEvent: e.id }, 'could not publish a risk event');
    });
  }
}
