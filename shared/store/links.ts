import { GetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { LinkItem } from '../links.ts';
import { linkKeys } from './keys.ts';
import { TTL_ATTRIBUTE } from './table.ts';

/** How long after expiry a link item is kept, so that it answers 410 rather than 404. */
const KEEP_AFTER_EXPIRY_SECONDS = 365 * 24 * 3600;

/**
 * The DynamoDB item of a link; the table's TTL removes it a year after it stopped opening. Links
 * are written together with their owner (a request or a student link), in its transaction: see
 * store/requests.ts.
 */
export function linkItem(link: LinkItem): Record<string, unknown> {
  return {
    ...linkKeys(link.hash),
    entity: 'link',
    ...link,
    [TTL_ATTRIBUTE]: Math.floor(Date.parse(link.validUntil) / 1000) + KEEP_AFTER_EXPIRY_SECONDS,
  };
}

/** Reads links by hash. */
export class LinkStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** The link with this hash, or undefined. */
  async get(tokenHash: string): Promise<LinkItem | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: linkKeys(tokenHash) }));
    if (!result.Item) return undefined;
    const { hash, purpose, ownerPk, ownerSk, recipient, validUntil, revokedAt, latestVersion, observerRole } = result.Item as LinkItem;
    return {
      hash,
      purpose,
      ownerPk,
      ownerSk,
      recipient,
      validUntil,
      ...(revokedAt ? { revokedAt } : {}),
      ...(latestVersion !== undefined ? { latestVersion } : {}),
      ...(observerRole ? { observerRole } : {}),
    };
  }
}
