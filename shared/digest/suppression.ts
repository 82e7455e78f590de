import { BatchGetCommand, GetCommand, PutCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { Temporal } from 'temporal-polyfill';
import * as z from 'zod';
import { emailKey } from '../roster/placement.ts';
import { GSI1 } from '../store/table.ts';

/**
 * Undeliverable addresses: a permanent bounce or a complaint marks an address, the digest planner
 * skips it on later runs, and the IO's and SCO's digests list it as "onbestelbaar".
 */

/** Why an address is suppressed. */
export type SuppressionKind = 'bounce' | 'complaint';

/** A suppressed address. */
export interface Suppression {
  email: string;
  kind: SuppressionKind;
  detail: string;
  at: string;
}

/**
 * Keys: `SUPPRESS#<email>` / `SUPPRESS` for the lookups by address, plus one year-independent
 * partition of the overloaded GSI1 (`SUPPRESSED` / `<email>`) so the planner reads every suppressed
 * address with one paginated Query: requests that grow with the (few) suppressed addresses, not
 * with the recipients.
 */
export const suppressionKeys = {
  item: (email: string) => ({ PK: `SUPPRESS#${emailKey(email)}`, SK: 'SUPPRESS' }),
  index: (email: string) => ({ GSI1PK: SUPPRESSED_PARTITION, GSI1SK: emailKey(email) }),
};

const SUPPRESSED_PARTITION = 'SUPPRESSED';

/** Largest BatchGetItem DynamoDB accepts. */
const BATCH_GET_LIMIT = 100;

/** Suppressed addresses in the single table. */
export class SuppressionStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  /** Marks an address; a later event for the same address replaces the earlier one. */
  async suppress(email: string, kind: SuppressionKind, detail: string, at: string): Promise<void> {
    await this.doc.send(
      new PutCommand({
        TableName: this.tableName,
        Item: {
          ...suppressionKeys.item(email),
          ...suppressionKeys.index(email),
          entity: 'suppression',
          email: email.trim(),
          kind,
          detail: detail.slice(0, 1000),
          at,
        },
      }),
    );
  }

  /** Whether an address is suppressed. */
  async isSuppressed(email: string): Promise<boolean> {
    const result = await this.doc.send(
      new GetCommand({ TableName: this.tableName, Key: suppressionKeys.item(email), ProjectionExpression: 'PK' }),
    );
    return result.Item !== undefined;
  }

  /**
   * Which of these addresses are suppressed, as lower-cased keys: BatchGetItem, 100 keys per
   * call, unprocessed keys retried with backoff.
   */
  async suppressedAmong(emails: Iterable<string>): Promise<Set<string>> {
    const unique = [...new Set([...emails].map(emailKey).filter((email) => email !== ''))];
    const found = new Set<string>();
    for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
      let request: Record<string, { Keys: Record<string, unknown>[]; ProjectionExpression?: string }> | undefined = {
        [this.tableName]: {
          Keys: unique.slice(i, i + BATCH_GET_LIMIT).map(suppressionKeys.item),
          ProjectionExpression: 'PK',
        },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt > 0) await this.sleep(Math.min(2000, 50 * 2 ** attempt) * (0.5 + Math.random() / 2));
        if (attempt > 8) throw new Error(`DynamoDB left ${request[this.tableName]?.Keys.length ?? 0} suppression keys unprocessed`);
        const result = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of result.Responses?.[this.tableName] ?? []) found.add(String(item.PK).slice('SUPPRESS#'.length));
        request = result.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  /**
   * Every suppressed address (lower-cased), read from the index a page at a time; `onRequest` is
   * called once per DynamoDB request, so a caller can count them.
   */
  async all(options: { pageSize?: number; onRequest?: () => void } = {}): Promise<Map<string, Suppression>> {
    const all = new Map<string, Suppression>();
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        IndexName: GSI1,
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': SUPPRESSED_PARTITION },
        Limit: options.pageSize,
      },
    );
    for await (const page of pages) {
      options.onRequest?.();
      for (const item of page.Items ?? []) {
        all.set(emailKey(String(item.email)), {
          email: String(item.email),
          kind: item.kind === 'complaint' ? 'complaint' : 'bounce',
          detail: String(item.detail ?? ''),
          at: String(item.at ?? ''),
        });
      }
    }
    return all;
  }
}

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
 * and ignored, never thrown: a bad message must not make SNS redeliver it forever. A failing write
 * does throw, so the invocation is retried and no bounce is lost.
 */
export async function handleSesEvent(
  event: unknown,
  store: Pick<SuppressionStore, 'suppress'>,
  log: (line: string) => void = console.log,
): Promise<SesEventResult> {
  const result: SesEventResult = { suppressed: 0, ignored: 0 };
  const parsed = SnsEventSchema.safeParse(event);
  if (!parsed.success) {
    log('ses-events: ignored an event that is not an SNS event');
    return { suppressed: 0, ignored: 1 };
  }
  for (const record of parsed.data.Records) {
    let json: unknown;
    try {
      json = JSON.parse(record.Sns.Message);
    } catch {
      log(`ses-events: ignored a message that is not JSON (${record.Sns.MessageId ?? 'no id'})`);
      result.ignored++;
      continue;
    }
    const header = SesNotification.safeParse(json);
    const type = header.success ? header.data.type : undefined;
    if (type === 'Bounce') {
      const bounce = BounceNotification.safeParse(json);
      if (!bounce.success) {
        log('ses-events: ignored a malformed Bounce notification');
        result.ignored++;
      } else if (bounce.data.bounce.bounceType !== 'Permanent') {
        log(`ses-events: ignored a ${bounce.data.bounce.bounceType} bounce`);
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
        log('ses-events: ignored a malformed Complaint notification');
        result.ignored++;
      } else {
        const { complaintFeedbackType, timestamp } = complaint.data.complaint;
        for (const recipient of complaint.data.complaint.complainedRecipients) {
          await store.suppress(recipient.emailAddress, 'complaint', complaintFeedbackType ?? 'complaint', at(timestamp));
          result.suppressed++;
        }
      }
    } else {
      log(`ses-events: ignored a notification of type ${type ?? 'unknown'}`);
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
