import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { Temporal } from 'temporal-polyfill';
import { beforeAll, describe, expect, it } from 'vitest';
import { schoolYears, whereIs, type SchoolYear } from '../../../shared/calendar.ts';
import { shippedCalendar } from '../../../shared/content/calendar-catalog.ts';
import { amsterdamDate } from '../../../shared/clock.ts';
import { NotificationLedger } from '../../../shared/store/ledger.ts';
import { planRun, type ComposedDigest, type DigestContent, type DigestRun, type PlannerDeps } from '../../../shared/digest/planner.ts';
import { InProcessQueue } from '../../../shared/digest/queue.ts';
import { RateLimiter, sendAll } from '../../../shared/digest/sender.ts';
import { SuppressionStore } from '../../../shared/store/suppressions.ts';
import { SesMailer } from '../../../shared/mail/mailer.ts';
import { PLACEMENT_ROLES, type Placement } from '../../../shared/roster/placement.ts';
import type { AwsClients } from '../../../shared/store/clients.ts';
import { keys } from '../../../shared/store/keys.ts';
import { PlacementStore } from '../../../shared/store/placements.ts';
import { freshTable, localClients } from '../../support/aws.ts';
import { inboxOf } from '../../support/inbox.ts';

/** Monday 10 November 2025, 07:00 in Amsterdam: period 1 of 2025-2026. */
const MONDAY = Temporal.Instant.from('2025-11-10T06:00:00Z');
const PAGE_SIZE = 10;
/** Addresses of this file only: the local inbox is shared by every test file. */
const DOMAIN = `planner-${randomUUID().slice(0, 8)}.test`;

function placement(n: number, overrides: Partial<Placement> = {}): Placement {
  return {
    schoolYear: '2025-2026',
    studentNumber: String(1_000_000 + n),
    student: { name: `Student ${n}`, email: `student${n}@${DOMAIN}` },
    vak: 'Nederlands',
    school: n % 2 === 0 ? 'Wolfert van Borselen' : 'Lyceum Kralingen',
    wpb: { name: `Mentor ${n}`, email: `mentor${n}@${DOMAIN}` },
    so: { name: 'Saskia Opleider', email: `so@${DOMAIN}` },
    io: { name: 'Ivo Instituut', email: `io@${DOMAIN}` },
    sco: { name: 'Sanne Coördinator', email: `sco@${DOMAIN}` },
    ...overrides,
  };
}

/** A table with `count` placements, written the way the roster import writes them. */
async function seededTable(clients: AwsClients, count: number): Promise<string> {
  const table = await freshTable(clients);
  const store = new PlacementStore(clients.doc, table);
  for (let i = 0; i < count; i += 20) {
    await Promise.all(
      Array.from({ length: Math.min(20, count - i) }, (_, j) => store.create(placement(i + j + 1), '2025-09-01T00:00:00Z')),
    );
  }
  return table;
}

/** Clients whose DynamoDB requests are counted, as the wire sees them. */
function countedClients(): { clients: AwsClients; requests: () => number } {
  const clients = localClients();
  let requests = 0;
  clients.doc.middlewareStack.add(
    (next) => async (args) => {
      requests++;
      return next(args);
    },
    { step: 'initialize', name: 'countRequests' },
  );
  return { clients, requests: () => requests };
}

/** A plain content side: one message per address on the placements, with its roles. */
class PlainContent implements DigestContent {
  readonly runs: DigestRun[] = [];
  period(now: Temporal.Instant) {
    const where = whereIs(now, schoolYears);
    if (where.kind === 'period') return { schoolYear: where.year, period: where.period, between: false };
    return where.next ? { schoolYear: where.next.year, period: where.next.period, between: true } : null;
  }
  runKey(kind: string, year: SchoolYear, period: { number: number }, now: Temporal.Instant): string {
    const day = amsterdamDate(now);
    return `${kind}#${year.id}#op${period.number}#${day.yearOfWeek}-W${day.weekOfYear}`;
  }
  deadlineReminderDue() {
    return null;
  }
  compose(items: readonly Record<string, unknown>[], run: DigestRun): ComposedDigest[] {
    this.runs.push(run);
    const people = new Map<string, ComposedDigest>();
    for (const item of items) {
      if (item.entity !== 'placement') continue;
      for (const role of PLACEMENT_ROLES) {
        const person = item[role] as { name: string; email: string };
        const key = person.email.toLowerCase();
        const entry = people.get(key) ?? { to: person.email, name: person.name, roles: [], subject: `Overzicht ${run.runKey}`, text: 'Uw taken.', html: '<p>Uw taken.</p>' };
        if (!entry.roles.includes(role)) entry.roles.push(role);
        people.set(key, entry);
      }
    }
    return [...people.values()];
  }
}

function plannerDeps(clients: AwsClients, table: string, queue = new InProcessQueue(), content = new PlainContent()) {
  const deps: PlannerDeps = {
    placements: new PlacementStore(clients.doc, table),
    suppressions: new SuppressionStore(clients.doc, table),
    queue,
    content,
    calendar: shippedCalendar,
    pageSize: PAGE_SIZE,
  };
  return { deps, queue, content };
}

let small: string;
let large: string;
let clients: AwsClients;

beforeAll(async () => {
  clients = localClients();
  [small, large] = await Promise.all([seededTable(clients, 20), seededTable(clients, 200)]);
}, 120_000);

describe('planning a digest run', () => {
  it('reads the school year a page at a time: DynamoDB requests grow with pages, not with people', async () => {
    const measured = [];
    for (const [table, placements] of [[small, 20], [large, 200]] as const) {
      const counted = countedClients();
      const { deps, queue } = plannerDeps(counted.clients, table);

      const result = await planRun({ now: MONDAY, kind: 'weekly' }, deps);

      // Every request the planner made, as counted on the wire, and no other.
      expect(result.dynamoRequests).toBe(counted.requests());
      // One Query per page of the year index (the last page may be empty), plus one for the suppression list.
      expect(result.yearPages).toBeGreaterThanOrEqual(Math.ceil(placements / PAGE_SIZE));
      expect(result.yearPages).toBeLessThanOrEqual(Math.floor(placements / PAGE_SIZE) + 1);
      expect(result.dynamoRequests).toBe(result.yearPages + 1);
      expect(result.enqueued).toBe(2 * placements + 3);
      expect(queue.messages).toHaveLength(result.enqueued);
      measured.push(result);
    }
    const [few, many] = measured as [(typeof measured)[0], (typeof measured)[0]];
    // Ten times the placements: ten times the pages, and far fewer requests than people.
    expect(many.yearPages - few.yearPages).toBe(18);
    expect(many.dynamoRequests).toBeLessThan(many.recipients / 10);
    console.log(
      `planner: 20 placements → ${few.recipients} people, ${few.yearPages} pages, ${few.dynamoRequests} requests; ` +
        `200 placements → ${many.recipients} people, ${many.yearPages} pages, ${many.dynamoRequests} requests (page size ${PAGE_SIZE})`,
    );
  });

  it('leaves out an address that bounced and tells the content side it is undeliverable', async () => {
    const table = await seededTable(clients, 4);
    await new SuppressionStore(clients.doc, table).suppress(`Student3@${DOMAIN}`, 'bounce', 'Permanent/General', '2025-11-01T10:00:00Z');
    const { deps, queue, content } = plannerDeps(clients, table);

    const result = await planRun({ now: MONDAY, kind: 'weekly' }, deps);

    expect(result.undeliverable).toEqual([`student3@${DOMAIN}`]);
    expect(queue.messages.map((m) => m.to)).not.toContain(`student3@${DOMAIN}`);
    expect(result).toMatchObject({ recipients: 11, enqueued: 10 });
    expect([...content.runs[0]!.undeliverable.keys()]).toEqual([`student3@${DOMAIN}`]);
  });

  it('leaves out a roster person without an email address and sends everyone else theirs', async () => {
    const table = await freshTable(clients);
    const item = { ...placement(1), wpb: { name: 'Mentor Zonder Adres', email: '' } };
    await clients.doc.send(
      new PutCommand({
        TableName: table,
        Item: { ...keys.placement('2025-2026', item.studentNumber), GSI1PK: keys.yearIndex('2025-2026'), GSI1SK: keys.yearIndexSort(item.school, item.studentNumber), entity: 'placement', ...item },
      }),
    );
    const { deps, queue } = plannerDeps(clients, table);

    const result = await planRun({ now: MONDAY, kind: 'weekly' }, deps);

    expect(result.invalid).toEqual([expect.objectContaining({ to: '' })]);
    expect(queue.messages.map((m) => m.to).sort()).toEqual([`io@${DOMAIN}`, `sco@${DOMAIN}`, `so@${DOMAIN}`, `student1@${DOMAIN}`]);
  });

  it('plans nothing for a date outside every school year, without throwing', async () => {
    const { deps, queue } = plannerDeps(clients, small);

    const result = await planRun({ now: Temporal.Instant.from('2031-08-04T05:00:00Z'), kind: 'weekly' }, deps);

    expect(result).toMatchObject({ skipped: 'geen schooljaar', enqueued: 0, dynamoRequests: 0 });
    expect(queue.messages).toHaveLength(0);
  });

  it('plans nothing in a school year without calendar data, without throwing', async () => {
    const base = schoolYears.find((year) => year.id === '2025-2026')!;
    const bare: SchoolYear = { ...base, id: '2028-2029', start: '2028-08-01', end: '2029-07-31', periods: [] };
    const { deps, queue } = plannerDeps(clients, small);

    const result = await planRun({ now: Temporal.Instant.from('2028-11-13T06:00:00Z'), kind: 'weekly' }, { ...deps, calendar: { years: [...schoolYears, bare] } });

    expect(result).toMatchObject({ skipped: 'geen schooljaar', enqueued: 0 });
    expect(queue.messages).toHaveLength(0);
  });

  it('plans no deadline reminder on a day none is due', async () => {
    const { deps, queue } = plannerDeps(clients, small);
    const result = await planRun({ now: MONDAY, kind: 'deadline' }, deps);
    expect(result).toMatchObject({ skipped: 'geen deadline-herinnering vandaag', enqueued: 0 });
    expect(queue.messages).toHaveLength(0);
  });

  it('enqueues the same messages when the same date runs twice, and the second run sends nothing new', async () => {
    const table = await seededTable(clients, 6);
    const ledger = new NotificationLedger(clients.doc, table);
    const sender = { ledger, mailer: new SesMailer(clients.ses, 'werkplekleren@example.org'), limiter: new RateLimiter(500), clock: { now: () => Temporal.Now.instant() } };
    const first = plannerDeps(clients, table);
    const second = plannerDeps(clients, table);

    const plan1 = await planRun({ now: MONDAY, kind: 'weekly' }, first.deps);
    const enqueued1 = [...first.queue.messages];
    const sent1 = await first.queue.drain((messages) => sendAll(messages, sender));
    const plan2 = await planRun({ now: MONDAY.add({ hours: 3 }), kind: 'weekly' }, second.deps);
    const enqueued2 = [...second.queue.messages];
    const sent2 = await second.queue.drain((messages) => sendAll(messages, sender));

    expect(plan2.runKey).toBe(plan1.runKey);
    expect(enqueued2).toEqual(enqueued1);
    expect(enqueued1).toHaveLength(15);
    expect(sent1).toMatchObject({ sent: 15, alreadySent: 0 });
    expect(sent2).toMatchObject({ sent: 0, alreadySent: 15 });
    const addresses = (await ledger.listRun(plan1.runKey!)).map((entry) => entry.email);
    expect(addresses).toHaveLength(15);
    const counts = await Promise.all(addresses.map(async (address) => (await inboxOf(address)).length));
    expect(counts).toEqual(addresses.map(() => 1));
  });
});
