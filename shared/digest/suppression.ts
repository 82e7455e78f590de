import { Temporal } from 'temporal-polyfill';
import * as z from 'zod';
import { logInfo, type LogSink } from '../log.ts';
import type { SuppressionStore } from '../store/suppressions.ts';

/*
 * SES bounce and complaint events: a permanent bounce or a complaint suppresses the address
 * (store/suppressions.ts).
 */

// SES notifications, as SNS delivers them to a function. Identity notifications name their type
// in `notificationType`, configuration-set events in `eventType`; both carry the same bodies.

const Recipient = z.object({ emailAddress: z.string().min(1) });

const BounceNotification = z.object({
  bounce: z.object({
    bounceType: z.string(),
    bounceSubType: z.string().optional(),
    bouncedRecipients: z.array(Recipient.extend({ diagnosticCode: z.string().optional() })).min(1),
    timestamp: z.string().optional(),
  }),
});

const ComplaintNotification = z.object({
  complaint: z.object({
    complainedRecipients: z.array(Recipient).min(1),
    complaintFeedbackType: z.string().optional(),
    timestamp: z.string().optional(),
  }),
});

const SesNotification = z
  .object({ notificationType: z.string().optional(), eventType: z.string().optional() })
  .loose()
  .transform((value) => ({ ...value, type: value.eventType ?? value.notificationType }));

/** The SNS event a subscribed function receives; only the message text matters here. */
export const SnsEventSchema = z.object({
  Records: z.array(z.object({ Sns: z.object({ Message: z.string(), MessageId: z.string().optional() }) })),
});

/** What an SES event did. */
export interface SesEventResult {
  suppressed: number;
  ignored: number;
}

/**
 * Applies SES bounce and complaint notifications: a permanent bounce or a complaint suppresses the
 * recipients. Anything else (deliveries, transient bounces, unknown or garbled messages) is logged
 * (to `log` when given, else the logger; never an address) and ignored, never thrown: a bad
 * message must not make SNS redeliver it forever. A failing write does throw, so the invocation
 * is retried and no bounce is lost.
 */
export async function handleSesEvent(
  event: unknown,
  store: Pick<SuppressionStore, 'suppress'>,
  log?: LogSink,
): Promise<SesEventResult> {
  const result: SesEventResult = { suppressed: 0, ignored: 0 };
  const parsed = SnsEventSchema.safeParse(event);
  if (!parsed.success) {
    logInfo(log, 'SES event ignored', { reason: 'not an SNS event' });
    return { suppressed: 0, ignored: 1 };
  }
  for (const record of parsed.data.Records) {
    let json: unknown;
    try {
      json = JSON.parse(record.Sns.Message);
    } catch {
      logInfo(log, 'SES event ignored', { reason: 'not JSON', messageId: record.Sns.MessageId });
      result.ignored++;
      continue;
    }
    const header = SesNotification.safeParse(json);
    const type = header.success ? header.data.type : undefined;
    if (type === 'Bounce') {
      const bounce = BounceNotification.safeParse(json);
      if (!bounce.success) {
        logInfo(log, 'SES event ignored', { reason: 'malformed Bounce notification' });
        result.ignored++;
      } else if (bounce.data.bounce.bounceType !== 'Permanent') {
        logInfo(log, 'SES event ignored', { reason: 'not a permanent bounce', bounceType: bounce.data.bounce.bounceType });
        result.ignored++;
      } else {
        const { bounceType, bounceSubType, timestamp } = bounce.data.bounce;
        for (const recipient of bounce.data.bounce.bouncedRecipients) {
          const detail = [`${bounceType}/${bounceSubType ?? '-'}`, recipient.diagnosticCode].filter(Boolean).join(': ');
          await store.suppress(recipient.emailAddress, 'bounce', detail, at(timestamp));
          result.suppressed++;
        }
      }
    } else if (type === 'Complaint') {
      const complaint = ComplaintNotification.safeParse(json);
      if (!complaint.success) {
        logInfo(log, 'SES event ignored', { reason: 'malformed Complaint notification' });
        result.ignored++;
      } else {
        const { complaintFeedbackType, timestamp } = complaint.data.complaint;
        for (const recipient of complaint.data.complaint.complainedRecipients) {
          await store.suppress(recipient.emailAddress, 'complaint', complaintFeedbackType ?? 'complaint', at(timestamp));
          result.suppressed++;
        }
      }
    } else {
      logInfo(log, 'SES event ignored', { reason: 'not a bounce or complaint', type: type ?? 'unknown' });
      result.ignored++;
    }
  }
  return result;
}

/** The event's own timestamp when it is a valid instant, else now. */
function at(timestamp: string | undefined): string {
  try {
    if (timestamp) return Temporal.Instant.from(timestamp).toString();
  } catch {
    // fall through: an unreadable timestamp does not make the bounce less real
  }
  return Temporal.Now.instant().toString();
}
