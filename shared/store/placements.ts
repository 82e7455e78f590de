import {
  BatchGetCommand,
  paginateQuery,
  TransactWriteCommand,
  type DynamoDBDocumentClient,
  type QueryCommandInput,
} from '@aws-sdk/lib-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { PLACEMENT_ROLES, StoredPlacement, emailKey, type Placement, type PlacementRole } from '../roster/placement.ts';
import { PlacementConflictError, type Membership, type PlacementRecord } from '../model/placements.ts';
import { keys } from './keys.ts';
import { GSI1 } from './table.ts';

/** Placement repository over the single DynamoDB table. */
export class PlacementStore {
  constructor(
    private readonly doc: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /** Reads placements by key, 100 per request; the map is keyed by `year#studentNumber`. */
  async getMany(ids: readonly { schoolYear: string; studentNumber: string }[]): Promise<Map<string, PlacementRecord>> {
    const found = new Map<string, PlacementRecord>();
    for (let i = 0; i < ids.length; i += 100) {
      let request: Record<string, { Keys: Record<string, unknown>[] }> | undefined = {
        [this.tableName]: { Keys: ids.slice(i, i + 100).map((id) => keys.placement(id.schoolYear, id.studentNumber)) },
      };
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 50 * 2 ** attempt)));
        const result = await this.doc.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of result.Responses?.[this.tableName] ?? []) {
          const record = toRecord(item);
          found.set(`${record.schoolYear}#${record.studentNumber}`, record);
        }
        request = result.UnprocessedKeys as typeof request;
      }
    }
    return found;
  }

  /** Reads one placement, or undefined. */
  async get(schoolYear: string, studentNumber: string): Promise<PlacementRecord | undefined> {
    // A key DynamoDB would refuse (over 1,024 bytes, from a hand-made URL) names no placement: not found, never a 500.
    if (Buffer.byteLength(schoolYear) + Buffer.byteLength(studentNumber) > 200) return undefined;
    return (await this.getMany([{ schoolYear, studentNumber }])).get(`${schoolYear}#${studentNumber}`);
  }

  /** Creates a placement and its role memberships in one transaction; fails if it exists. */
  async create(placement: Placement, at: string): Promise<void> {
    const record: PlacementRecord = { ...placement, rev: 1, updatedAt: at };
    await this.transact(placement.studentNumber, [
      {
        Put: {
          TableName: this.tableName,
          Item: this.placementItem(record),
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      ...memberships(placement).map((m) => ({ Put: { TableName: this.tableName, Item: this.membershipItem(m) } })),
    ]);
  }

  /**
   * Replaces a placement with a changed one: keeps the previous version as history, moves the
   * role memberships of people who changed, all in one transaction guarded by the revision.
   */
  async update(previous: PlacementRecord, next: Placement, at: string): Promise<void> {
    const record: PlacementRecord = { ...next, rev: previous.rev + 1, updatedAt: at };
    const before = memberships(previous);
    const after = memberships(next);
    const id = (m: Membership) => `${emailKey(m.email)}#${m.role}`;
    const afterIds = new Set(after.map(id));
    const removed = before.filter((m) => !afterIds.has(id(m)));
    await this.transact(next.studentNumber, [
      {
        Put: {
          TableName: this.tableName,
          Item: this.placementItem(record),
          ConditionExpression: 'rev = :rev',
          ExpressionAttributeValues: { ':rev': previous.rev },
        },
      },
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...keys.history(previous.schoolYear, previous.studentNumber, at, previous.rev),
            entity: 'placement-history',
            ...placementData(previous),
            rev: previous.rev,
            updatedAt: previous.updatedAt,
          },
        },
      },
      ...removed.map((m) => ({
        Delete: { TableName: this.tableName, Key: keys.membership(m.email, m.role, m.schoolYear, m.studentNumber) },
      })),
      ...after.map((m) => ({ Put: { TableName: this.tableName, Item: this.membershipItem(m) } })),
    ]);
  }

  /** Earlier versions of a placement, oldest first. */
  async history(schoolYear: string, studentNumber: string): Promise<PlacementRecord[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :hist)',
      ExpressionAttributeValues: { ':pk': keys.placementPartition(schoolYear, studentNumber), ':hist': keys.historyPrefix() },
    });
    return items.map(toRecord);
  }

  /**
   * Everything of a school year in the year index, a page at a time: placements, requests and
   * student links, sorted by school and student (no Scan); optionally of one school. For the
   * digest planner and the staff overview.
   */
  async *yearItems(schoolYear: string, pageSize?: number, school?: string): AsyncGenerator<Record<string, unknown>[]> {
    yield* this.pages({
      TableName: this.tableName,
      IndexName: GSI1,
      Limit: pageSize,
      KeyConditionExpression: school ? 'GSI1PK = :pk AND begins_with(GSI1SK, :school)' : 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': keys.yearIndex(schoolYear), ...(school ? { ':school': keys.schoolPrefix(school) } : {}) },
    });
  }

  /** A school year's placements, optionally of one school, a page at a time (no Scan). */
  async *listByYear(schoolYear: string, school?: string, pageSize?: number): AsyncGenerator<PlacementRecord[]> {
    const input: QueryCommandInput = {
      TableName: this.tableName,
      IndexName: GSI1,
      Limit: pageSize,
      KeyConditionExpression: school ? 'GSI1PK = :pk AND begins_with(GSI1SK, :school)' : 'GSI1PK = :pk',
      // The year index also holds requests and student links (for the digest planner).
      FilterExpression: 'entity = :placement',
      ExpressionAttributeValues: {
        ':pk': keys.yearIndex(schoolYear),
        ':placement': 'placement',
        ...(school ? { ':school': keys.schoolPrefix(school) } : {}),
      },
    };
    for await (const page of this.pages(input)) yield page.map(toRecord);
  }

  /** The placements a person has a role on, optionally narrowed to one role and school year. */
  async membershipsOf(email: string, role?: PlacementRole, schoolYear?: string): Promise<Membership[]> {
    const items = await this.queryAll({
      TableName: this.tableName,
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.personPartition(email), ':prefix': keys.membershipPrefix(role, schoolYear) },
    });
    return items.map((item) => ({
      email: String(item.email),
      name: String(item.name),
      role: item.role as PlacementRole,
      schoolYear: String(item.schoolYear),
      studentNumber: String(item.studentNumber),
      studentName: String(item.studentName),
      school: String(item.school),
    }));
  }

  private placementItem(record: PlacementRecord): Record<string, unknown> {
    return {
      ...keys.placement(record.schoolYear, record.studentNumber),
      ...keys.placementYearIndex(record.schoolYear, record.school, record.studentNumber),
      entity: 'placement',
      ...placementData(record),
      rev: record.rev,
      updatedAt: record.updatedAt,
    };
  }

  private membershipItem(m: Membership): Record<string, unknown> {
    return { ...keys.membership(m.email, m.role, m.schoolYear, m.studentNumber), entity: 'membership', ...m };
  }

  private async transact(studentNumber: string, items: NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>) {
    try {
      await this.doc.send(new TransactWriteCommand({ TransactItems: items }));
    } catch (error) {
      if (error instanceof TransactionCanceledException) {
        const conditional = error.CancellationReasons?.some((reason) => reason.Code === 'ConditionalCheckFailed');
        if (conditional) throw new PlacementConflictError(studentNumber);
      }
      throw error;
    }
  }

  private async *pages(input: QueryCommandInput): AsyncGenerator<Record<string, unknown>[]> {
    for await (const page of paginateQuery({ client: this.doc }, input)) yield page.Items ?? [];
  }

  private async queryAll(input: QueryCommandInput): Promise<Record<string, unknown>[]> {
    const all: Record<string, unknown>[] = [];
    for await (const page of this.pages(input)) all.push(...page);
    return all;
  }
}

function placementData(p: Placement): Placement {
  return {
    schoolYear: p.schoolYear,
    studentNumber: p.studentNumber,
    student: p.student,
    vak: p.vak,
    school: p.school,
    wpb: p.wpb,
    so: p.so,
    io: p.io,
    sco: p.sco,
  };
}

function memberships(p: Placement): Membership[] {
  return PLACEMENT_ROLES.map((role) => ({
    email: p[role].email,
    name: p[role].name,
    role,
    schoolYear: p.schoolYear,
    studentNumber: p.studentNumber,
    studentName: p.student.name,
    school: p.school,
  }));
}

function toRecord(item: Record<string, unknown>): PlacementRecord {
  // Leniently: a name stored before the character rules must still load (outputs neutralise it).
  return { ...StoredPlacement.parse(item), rev: Number(item.rev ?? 0), updatedAt: String(item.updatedAt ?? '') };
}
