import { describe, expect, it } from 'vitest';
import { handleSesEvent } from '../../../shared/digest/suppression.ts';
import { type SuppressionKind } from '../../../shared/model/suppressions.ts';
import { createSesEventsHandler } from '../../../functions/ses-events/handler.ts';

/** A suppression store that keeps what it is told. */
class MemorySuppressions {
  readonly suppressed: { email: string; kind: SuppressionKind; detail: string; at: string }[] = [];
  async suppress(email: string, kind: SuppressionKind, detail: string, at: string): Promise<void> {
    this.suppressed.push({ email, kind, detail, at });
  }
}

/** An SNS event carrying these messages, as a subscribed function receives it. */
const sns = (...messages: unknown[]) => ({
  Records: messages.map((message, i) => ({
    EventSource: 'aws:sns',
    Sns: { MessageId: `m${i}`, Message: typeof message === 'string' ? message : JSON.stringify(message) },
  })),
});

const bounce = (bounceType: string, ...addresses: string[]) => ({
  notificationType: 'Bounce',
  bounce: {
    bounceType,
    bounceSubType: 'General',
    bouncedRecipients: addresses.map((emailAddress) => ({ emailAddress, diagnosticCode: 'smtp; 550 5.1.1 user unknown' })),
    timestamp: '2025-11-10T07:01:02.000Z',
    feedbackId: 'f1',
  },
  mail: { messageId: 'x', destination: addresses },
});

const complaint = (...addresses: string[]) => ({
  eventType: 'Complaint',
  complaint: {
    complainedRecipients: addresses.map((emailAddress) => ({ emailAddress })),
    complaintFeedbackType: 'abuse',
    timestamp: '2025-11-10T09:00:00.000Z',
    feedbackId: 'f2',
  },
  mail: { messageId: 'y', destination: addresses },
});

const quiet = () => undefined;

describe('SES bounce and complaint events', () => {
  it('suppresses every recipient of a permanent bounce', async () => {
    const store = new MemorySuppressions();
    const result = await handleSesEvent(sns(bounce('Permanent', 'weg@school.nl', 'ook.weg@school.nl')), store, quiet);
    expect(result).toEqual({ suppressed: 2, ignored: 0 });
    expect(store.suppressed).toEqual([
      { email: 'weg@school.nl', kind: 'bounce', detail: 'Permanent/General: smtp; 550 5.1.1 user unknown', at: '2025-11-10T07:01:02Z' },
      expect.objectContaining({ email: 'ook.weg@school.nl', kind: 'bounce' }),
    ]);
  });

  it('suppresses the recipient of a complaint (configuration-set events name it eventType)', async () => {
    const store = new MemorySuppressions();
    await handleSesEvent(sns(complaint('boos@school.nl')), store, quiet);
    expect(store.suppressed).toEqual([{ email: 'boos@school.nl', kind: 'complaint', detail: 'abuse', at: '2025-11-10T09:00:00Z' }]);
  });

  it('does not suppress on a transient bounce', async () => {
    const store = new MemorySuppressions();
    const result = await handleSesEvent(sns(bounce('Transient', 'vol@school.nl')), store, quiet);
    expect(result).toEqual({ suppressed: 0, ignored: 1 });
    expect(store.suppressed).toHaveLength(0);
  });

  it('ignores garbage with a log line and never throws', async () => {
    const store = new MemorySuppressions();
    const lines: string[] = [];
    const garbage = [
      undefined,
      null,
      'tekst',
      {},
      { Records: 'geen lijst' },
      sns('geen json {'),
      sns({ notificationType: 'Delivery', delivery: {} }),
      sns({ notificationType: 'Bounce', bounce: { bounceType: 'Permanent', bouncedRecipients: [] } }),
      sns({ eventType: 'Complaint', complaint: { complainedRecipients: 'iedereen' } }),
      sns(42, [], null),
    ];
    for (const event of garbage) await expect(handleSesEvent(event, store, (line) => lines.push(line))).resolves.toBeDefined();
    expect(store.suppressed).toHaveLength(0);
    expect(lines.length).toBeGreaterThanOrEqual(garbage.length);
  });

  it('applies the good messages of an event that also holds bad ones', async () => {
    const store = new MemorySuppressions();
    const result = await handleSesEvent(sns('{kapot', bounce('Permanent', 'weg@school.nl'), { eventType: 'Open' }), store, quiet);
    expect(result).toEqual({ suppressed: 1, ignored: 2 });
  });

  it('the function never throws on garbage either', async () => {
    const store = new MemorySuppressions();
    const handler = createSesEventsHandler(store, quiet);
    await expect(handler({ Records: [{ Sns: { Message: '<xml/>' } }] }, {} as never)).resolves.toEqual({ suppressed: 0, ignored: 1 });
    await expect(handler('onzin', {} as never)).resolves.toEqual({ suppressed: 0, ignored: 1 });
    await expect(handler(sns(complaint('boos@school.nl')), {} as never)).resolves.toEqual({ suppressed: 1, ignored: 0 });
  });
});
