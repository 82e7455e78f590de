import type { Context } from 'hono';
import type { AuditInput, AuditTarget } from '#shared/store/audit.ts';
import type { AppEnv } from './env.ts';

/**
 * Records an audit event, best-effort: the event is a log of what already happened (a page
 * shown, a version saved, an email sent), so a failed write is logged and never turns the
 * user's request into an error. The log line names the action and the route pattern only:
 * never the path (tokens), the actor or the detail.
 */
export async function recordAudit(c: Context<AppEnv>, target: AuditTarget, input: AuditInput): Promise<void> {
  const deps = c.get('deps');
  try {
    await deps.audit.record(target, input, deps.clock.now());
  } catch (error) {
    console.error(JSON.stringify({ level: 'error', msg: 'audit write failed', action: input.action, route: c.req.routePath, error: String((error as Error | undefined)?.name) }));
  }
}
