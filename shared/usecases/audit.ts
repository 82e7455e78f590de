import type { Clock } from '#shared/clock.ts';
import { logger } from '#shared/log.ts';
import type { AuditStore } from '#shared/store/audit.ts';
import type { AuditInput, AuditTarget } from '#shared/model/audit.ts';

/** What {@link recordAudit} needs. */
export interface AuditDeps {
  audit: Pick<AuditStore, 'record'>;
  clock: Clock;
}

/**
 * Records an audit event, best-effort: the event is a log of what already happened (a page
 * shown, a version saved, an email sent), so a failed write is logged and never turns the
 * user's request into an error. The log line names the action and the error only: never the
 * actor, the detail or a token.
 */
export async function recordAudit(deps: AuditDeps, target: AuditTarget, input: AuditInput): Promise<void> {
  try {
    await deps.audit.record(target, input, deps.clock.now());
  } catch (error) {
    logger.error('audit write failed', { action: input.action, error: String((error as Error | undefined)?.name) });
  }
}
