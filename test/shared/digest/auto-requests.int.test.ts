import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { formCatalog } from '../../../forms/index.ts';
import { shippedCalendar } from '../../../shared/content/calendar-catalog.ts';
import { loadConfig } from '../../../shared/config.ts';
import { parseInstant } from '../../../shared/clock.ts';
import { plannerDeps } from '../../../shared/digest/deps.ts';
import { planRun } from '../../../shared/digest/planner.ts';
import { InProcessQueue } from '../../../shared/digest/queue.ts';
import { Placement } from '../../../shared/roster/placement.ts';
import { PlacementStore } from '../../../shared/store/placements.ts';
import { RequestStore } from '../../../shared/store/requests.ts';
import { TEST_LINK_SECRET } from '../../support/app.ts';
import { freshTable, localClients } from '../../support/aws.ts';
import { inboxOf } from '../../support/inbox.ts';

describe('the weekly planner makes the automatic requests of a period that has begun', () => {
  const clients = localClients();
  let tableName: string;
  const placement = Placement.parse({
    schoolYear: '2025-2026',
    studentNumber: '9900001',
    student: { name: 'Sara Bouzid', email: 'sara.auto@student.example.nl' },
    vak: 'Engels',
    school: 'Montfort College',
    wpb: { name: 'Kees Verbeek', email: 'kees.auto@montfort.example.nl' },
    so: { name: 'Mohammed Yilmaz', email: 'so.auto@montfort.example.nl' },
    io: { name: 'Marieke Hoekstra', email: 'io.auto@hr.example.nl' },
    sco: { name: 'Renée Dijkstra', email: 'sco.auto@montfort.example.nl' },
  });

  beforeAll(async () => {
    tableName = await freshTable(clients);
    await new PlacementStore(clients.doc, tableName).create(placement, '2025-09-01T08:00:00Z');
  });

  function deps(queue: InProcessQueue) {
    const endpoints = inject('endpoints');
    const config = loadConfig({
      TABLE_NAME: tableName,
      PUBLIC_ORIGIN: 'https://werkplekleren.test',
      LINK_SECRET: TEST_LINK_SECRET,
      NOW: '2026-05-04T07:00',
      AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamodb,
      AWS_ENDPOINT_URL_SES: endpoints.ses,
    });
    return plannerDeps(config, clients, queue, { forms: formCatalog, calendar: shippedCalendar });
  }

  it('asks the WPB for the advice in OP4 once, and names it in that very digest', async () => {
    const firstQueue = new InProcessQueue();
    const secondQueue = new InProcessQueue();

    await planRun({ now: parseInstant('2026-05-04T07:00'), kind: 'weekly' }, deps(firstQueue));
    await planRun({ now: parseInstant('2026-05-11T07:00'), kind: 'weekly' }, deps(secondQueue));

    const requests = await new RequestStore(clients.doc, tableName).listForPlacement('2025-2026', '9900001');
    expect(requests.map((r) => [r.requestId, r.origin, r.state])).toEqual([['auto-advies-wpb-op4', 'auto', 'gevraagd']]);
    const asked = (await inboxOf(placement.wpb.email)).filter((m) => m.subject.startsWith('Advies van de werkplekbegeleider'));
    expect(asked).toHaveLength(1);
    const wpbDigest = firstQueue.messages.find((m) => m.to === placement.wpb.email);
    expect(wpbDigest?.text).toContain('https://werkplekleren.test/f/');
    expect(secondQueue.messages.find((m) => m.to === placement.wpb.email)?.text).toContain('https://werkplekleren.test/f/');
  });
});
