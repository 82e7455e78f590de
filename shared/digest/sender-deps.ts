import { systemClock } from '../clock.ts';
import type { Config } from '../config.ts';
import { SesMailer, type Mailer } from '../mail/mailer.ts';
import type { AwsClients } from '../store/clients.ts';
import { NotificationLedger } from '../store/ledger.ts';
import { RateLimiter, type SenderDeps } from './sender.ts';

// Apart from deps.ts (the planner's), so the sender's bundle carries neither the planner's
// automatic requests nor the form registry they name forms from.

/**
 * The sender's dependencies: the ledger, SES under the configured rate (SES_RATE sends per second
 * for this process), and the real clock for claims and their leases (never NOW: a fixed clock
 * would never let a lease expire).
 */
export function senderDeps(
  config: Pick<Config, 'TABLE_NAME' | 'MAIL_FROM' | 'MAIL_REPLY_TO' | 'SES_RATE' | 'SES_CONFIGURATION_SET'>,
  clients: Pick<AwsClients, 'doc' | 'ses'>,
  options: { mailer?: Mailer } = {},
): SenderDeps {
  return {
    ledger: new NotificationLedger(clients.doc, config.TABLE_NAME),
    mailer: options.mailer ?? new SesMailer(clients.ses, config.MAIL_FROM, config.MAIL_REPLY_TO, config.SES_CONFIGURATION_SET),
    limiter: new RateLimiter(config.SES_RATE),
    clock: systemClock,
  };
}
