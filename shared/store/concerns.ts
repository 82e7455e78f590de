import type { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, paginateQuery, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DomainError } from '../errors.ts';
import { ConcernStateError, StoredConcern, type ConcernRecord, type ConcernStepRecord } from '../model/concerns.ts';
import { workflowKeys } from './keys.ts';
import { transactWrite, type TransactionWrite } from './table.ts';

/**
 * Concerns about a student's progress (docs/workflow.md, "Concerns about progress") in the
 * placement's partition: `CONCERN#<id>`, in the year index right after the placement, and the
 * open marker `CONCERNOPEN` that makes one open concern per student. Raising puts the concern and
 * the marker in one transaction (the marker with `attribute_not_exists`); closing records the
 * `gesloten` step and deletes the marker in one transaction. Every step is conditional on `rev`
 * and on the concern being open.
 */

/** The marker's entity: not a concern, so readers of the partition (and the year model) skip it. */
const MARKER_ENTITY = 'concern-open';

/**
 * Another write changed the concern since it was read (its `rev` moved), or it was closed
 * meanwhile: nothing was written. The use-case reads it again and decides (a replay, closed, or
 * try again).
 */
export class ConcernChangedError extends ConcernStateError {
  constructor() {
    super('Deze zorg is intussen gewijzigd. Er is niets vastgelegd; laad de pagina opnieuw en probeer het nog eens.');
  }
}

/** Another write of the same concern kept getting in the way: nothing was written (409). */
export class ConcernBusyError extends DomainError {
  constructor() {
    super('Er werd op hetzelfde moment iets anders aan deze zorg vastgelegd. Er is niets gewijzigd; probeer het nog eens.', 409);
  }
}

/** Concerns in the single table. */
export class ConcernStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Stores a new open concern with the student's open marker, in one transaction.
   *
   * @throws ConcernStateError (409) when a concern is already open for the student (the marker
   *   exists): nothing is written
   */
  async raise(concern: ConcernRecord): Promise<void> {
    const { schoolYear, studentNumber, concernId, school } = concern;
    await transactWrite(
      this.doc,
      [
        {
          Put: {
            TableName: this.tableName,
            Item: {
              ...workflowKeys.concern(schoolYear, studentNumber, concernId),
              ...workflowKeys.concernYearIndex(schoolYear, school, studentNumber, concernId),
              entity: 'concern',
              ...concern,
            },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
        {
          Put: {
            TableName: this.tableName,
            Item: { ...workflowKeys.openConcernMarker(schoolYear, studentNumber), entity: MARKER_ENTITY, concernId, raisedAt: concern.raisedAt },
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ],
      { onConditionFailed: () => new ConcernStateError(`Er staat al een zorg open voor ${concern.student.name}.`), busy: () => new ConcernBusyError() },
    );
  }

  /**
   * Appends a step to an open concern at revision `concern.rev` (the revision moves to `rev + 1`).
   * The `gesloten` step also closes it and deletes the open marker, in one transaction, so a new
   * concern can be raised.
   *
   * @throws ConcernChangedError when the concern moved on or was closed since it was read
   */
  async recordStep(concern: ConcernRecord, step: ConcernStepRecord): Promise<ConcernRecord> {
    const { schoolYear, studentNumber, concernId } = concern;
    const closing = step.step === 'gesloten';
    const update: TransactionWrite = {
      Update: {
        TableName: this.tableName,
        Key: workflowKeys.concern(schoolYear, studentNumber, concernId),
        UpdateExpression: `SET steps = list_append(steps, :step), rev = :next${closing ? ', #state = :closed' : ''}`,
        ConditionExpression: 'attribute_exists(PK) AND rev = :rev AND #state = :open',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: {
          ':step': [step],
          ':rev': concern.rev,
          ':next': concern.rev + 1,
          ':open': 'open',
          ...(closing ? { ':closed': 'gesloten' } : {}),
        },
      },
    };
    const writes: TransactionWrite[] = [update];
    if (closing) {
      writes.push({
        Delete: {
          TableName: this.tableName,
          Key: workflowKeys.openConcernMarker(schoolYear, studentNumber),
          // Only this concern's marker (or none left, should it be missing): never another's.
          ConditionExpression: 'attribute_not_exists(PK) OR concernId = :id',
          ExpressionAttributeValues: { ':id': concernId },
        },
      });
    }
    await transactWrite(this.doc, writes, { onConditionFailed: (_failed: number[], _error: TransactionCanceledException) => new ConcernChangedError(), busy: () => new ConcernBusyError() });
    return { ...concern, steps: [...concern.steps, step], rev: concern.rev + 1, state: closing ? 'gesloten' : concern.state };
  }

  /** One concern, or undefined. */
  async get(schoolYear: string, studentNumber: string, concernId: string): Promise<ConcernRecord | undefined> {
    const result = await this.doc.send(new GetCommand({ TableName: this.tableName, Key: workflowKeys.concern(schoolYear, studentNumber, concernId), ConsistentRead: true }));
    return result.Item?.entity === 'concern' ? StoredConcern.parse(result.Item) : undefined;
  }

  /** Every concern of a placement, oldest first (the open marker is skipped). */
  async listForPlacement(schoolYear: string, studentNumber: string): Promise<ConcernRecord[]> {
    const concerns: ConcernRecord[] = [];
    const pages = paginateQuery(
      { client: this.doc },
      {
        TableName: this.tableName,
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': workflowKeys.concern(schoolYear, studentNumber, '').PK, ':prefix': workflowKeys.concernPrefix() },
        ConsistentRead: true,
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) if (item.entity === 'concern') concerns.push(StoredConcern.parse(item));
    }
    return concerns.sort((a, b) => a.raisedAt.localeCompare(b.raisedAt) || a.concernId.localeCompare(b.concernId));
  }
}
