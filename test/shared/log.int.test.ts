import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createApp } from '../../functions/http/app.tsx';
import { getForm } from '../../forms/index.ts';
import type { Mailer } from '../../shared/mail/mailer.ts';
import type { AuditInput, AuditTarget } from '../../shared/model/audit.ts';
import { AuditStore } from '../../shared/store/audit.ts';
import { ensureStudentLink } from '../../shared/usecases/welcome.ts';
import type { Temporal } from 'temporal-polyfill';
import { appDeps, TEST_ORIGIN } from '../support/app.ts';
import { freshBucket, freshTable, localClients } from '../support/aws.ts';
import { completeFields } from '../support/forms.ts';
import { inboxOf, tokenIn } from '../support/inbox.ts';
import { movableClock, staffPlacement } from '../support/staff.ts';

/**
 * The WPB's submit through the real app while everything around it fails: SES refuses the receipt
 * and the student's notice, and the audit log cannot be written (neither inside the save's
 * transaction nor on its own). The answers are saved, and the log lines that say so carry the
 * request id and error names only: no link token, no address, no answer, no email body, although
 * the errors themselves quote them. (test/shared/log.test.ts does the same without the stack.)
 */

const DEF = getForm('kijkwijzer-pedagogiek')!;
const ANSWER = 'Zoë legde breuken uit met pizzapunten en iedereen deed mee';

/** An audit log whose writes all fail, the error quoting what it was given. */
class BrokenAuditStore extends AuditStore {
  override prepare(target: AuditTarget, input: AuditInput, now: Temporal.Instant) {
    const prepared = super.prepare(target, input, now);
    // A write to a table that does not exist: the save's transaction fails as a whole.
    return { ...prepared, write: { Put: { ...prepared.write.Put, TableName: 'no-such-audit-table' } } };
  }
  override async record(target: AuditTarget, input: AuditInput): Promise<never> {
    throw Object.assign(new Error(`audit write for ${JSON.stringify(target)} by ${input.actor}: ${input.detail ?? ''}`), { name: 'ServiceUnavailable' });
  }
}

/** SES refusing every message, its error quoting the recipient and the body. */
const refusingMailer: Mailer = {
  async send(message) {
    throw Object.assign(new Error(`refused for ${message.to}: ${message.text.slice(0, 200)}`), { name: 'AccountSendingPausedException' });
  },
};

describe('log lines of a form submit while SES and the audit log fail', () => {
  const clock = movableClock('2025-11-10T09:00');
  let deps: ReturnType<typeof appDeps>;
  let app: ReturnType<typeof createApp>;
  let lines: string[] = [];

  beforeAll(async () => {
    const clients = localClients();
    const names = { tableName: await freshTable(clients), bucket: await freshBucket(clients) };
    deps = appDeps(clients, names, clock);
    app = createApp(deps);
  });

  afterEach(() => {
    vi.restoreAllMocks();
  });

  const post = (path: string, fields: Record<string, string>) =>
    app.request(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: TEST_ORIGIN },
      body: new URLSearchParams(fields).toString(),
    });

  it('saves the answers and logs the failures by name only', async () => {
    const p = staffPlacement('9901', 'log1');
    await deps.placements.create(p, clock.now().toString());
    await ensureStudentLink(deps, p);
    const studentToken = tokenIn((await inboxOf(p.student.email))[0], 's');
    expect((await post(`/s/${studentToken}/aanvragen`, { formId: DEF.id, observerRole: 'wpb', lessonDate: '2025-11-07' })).status).toBe(303);
    const token = tokenIn((await inboxOf(p.wpb.email)).at(-1), 'f');
    // From here on SES and the audit log fail (the app reads its deps per request).
    deps.mailer = refusingMailer;
    deps.audit = new BrokenAuditStore(localClients().doc, 'unused');
    lines = [];
    const capture = (...chunks: unknown[]) => {
      lines.push(chunks.map(String).join(' '));
      return true;
    };
    for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) vi.spyOn(console, method).mockImplementation(capture);

    const response = await post(`/f/${token}`, { ...completeFields(DEF, ANSWER), actie: 'versturen', basis: '0' });

    expect(response.status).toBe(303);
    const [request] = await deps.requests.listForPlacement(p.schoolYear, p.studentNumber);
    expect(request?.state).toBe('ingediend');
    const entries = lines.filter((line) => line.startsWith('{')).map((line) => JSON.parse(line) as Record<string, unknown>);
    const messages = entries.map((entry) => entry.message);
    expect(messages).toContain('saving with the audit event failed; saving without it');
    expect(messages).toContain('audit write failed');
    expect(messages.filter((message) => message === 'notification email failed').length).toBeGreaterThanOrEqual(1);
    expect(entries.find((entry) => entry.message === 'notification email failed')).toMatchObject({ level: 'ERROR', requestId: request!.requestId, error: 'AccountSendingPausedException' });
    const all = lines.join('\n');
    for (const secret of [token, studentToken, p.wpb.email, p.student.email, p.wpb.name, ANSWER, 'pizzapunten']) expect(all).not.toContain(secret);
  });
});
