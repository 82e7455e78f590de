import { beforeAll, describe, expect, it } from 'vitest';
import { getPeriod, getSchoolYear } from '../../shared/calendar.ts';
import { fixedClock, parseInstant } from '../../shared/clock.ts';
import { checkLink, hashToken, tokenFor } from '../../shared/links.ts';
import { ensureAutoRequests, reissueRequestLink } from '../../shared/usecases/observation.ts';
import { Placement } from '../../shared/roster/placement.ts';
import { appDeps } from '../support/app.ts';
import { freshBucket, freshTable, localClients } from '../support/aws.ts';
import { inboxOf, tokenIn } from '../support/inbox.ts';

function placement(year: string, nr: string) {
  return Placement.parse({
    schoolYear: year,
    studentNumber: nr,
    student: { name: 'Emre Çelik', email: `emre.${nr}@student.example.nl` },
    vak: 'Wiskunde',
    school: 'Montfort College',
    wpb: { name: 'Anouk Smit', email: `anouk.${nr}@montfort.example.nl` },
    so: { name: 'Mohammed Yilmaz', email: `so.${nr}@montfort.example.nl` },
    io: { name: 'Ivo Jansen', email: `io.${nr}@hr.example.nl` },
    sco: { name: 'Renée Dijkstra', email: `sco.${nr}@montfort.example.nl` },
  });
}

describe('automatic requests and reissued links, on DynamoDB Local and the local inbox', () => {
  const clients = localClients();
  let deps: ReturnType<typeof appDeps>;

  beforeAll(async () => {
    deps = appDeps(clients, { tableName: await freshTable(clients), bucket: await freshBucket(clients) }, fixedClock(parseInstant('2026-05-04T09:00')));
  });

  it('asks the WPB for the advice in OP4 of 2025-2026 once, however often it runs', async () => {
    const p = placement('2025-2026', '8800001');
    const choice = { year: getSchoolYear('2025-2026')!, period: getPeriod('2025-2026', 4)! };

    const first = await ensureAutoRequests(deps, p, choice);
    const second = await ensureAutoRequests(deps, p, choice);

    expect(first.map((r) => [r.formId, r.origin, r.observerRole, r.deadline])).toEqual([['advies-wpb', 'auto', 'wpb', '2026-05-29']]);
    expect(second).toEqual([]);
    const mails = await inboxOf(p.wpb.email);
    expect(mails.map((m) => m.subject)).toEqual(['Advies van de werkplekbegeleider voor Emre Çelik']);
  });

  it('asks for experiment feedback and the advice in OP3 of 2024-2025, as the calendar data names them', async () => {
    const p = placement('2024-2025', '8800002');
    const choice = { year: getSchoolYear('2024-2025')!, period: getPeriod('2024-2025', 3)! };

    const created = await ensureAutoRequests(deps, p, choice);

    expect(created.map((r) => r.formId).sort()).toEqual(['advies-wpb', 'experiment-wpp9']);
  });

  it('reissues a link: the old one answers 410, the new one opens, and the observer gets it by email', async () => {
    const p = placement('2025-2026', '8800003');
    const choice = { year: getSchoolYear('2025-2026')!, period: getPeriod('2025-2026', 4)! };
    const [request] = await ensureAutoRequests(deps, p, choice);
    const oldToken = tokenFor(deps.linkSecret, request!.linkId);

    const reissued = await reissueRequestLink(deps, request!);

    const now = deps.clock.now();
    expect(checkLink(await deps.links.get(hashToken(oldToken)), 'form', now)).toEqual({ status: 410, reason: 'revoked' });
    const newToken = tokenIn((await inboxOf(p.wpb.email)).at(-1), 'f');
    expect(newToken).toBe(tokenFor(deps.linkSecret, reissued.linkId));
    expect(checkLink(await deps.links.get(hashToken(newToken)), 'form', now)).toMatchObject({ purpose: 'form', recipient: p.wpb.email });
  });
});
