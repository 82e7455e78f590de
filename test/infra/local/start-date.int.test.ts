import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { localStackEnv, placementItemsOf } from '../../support/local-stack.ts';
import { runTsx } from '../../support/process.ts';

interface StoredEmail {
  destination: { to: string[] };
  subject: string;
  body: { text: string };
}

/** The demo started on 1 December 2026 (the date of real use): 2025-2026 is over, 2026-2027 runs. */
describe('the demo (npm start) makes sense on the date it is started', () => {
  let dataDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    ({ dataDir, env } = await localStackEnv('werkplekleren-start-date-', '2026-12-01'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('on 2026-12-01 welcomes only the 2026-2027 students, whose links open; none of 2025-2026', async () => {
    const running = runTsx('infra/local/start.ts', [], env);
    onTestFinished(() => running.killAll());
    await running.waitFor('Stoppen: Ctrl-C', 120_000);

    const { emails } = (await (await fetch(`http://127.0.0.1:${env.SES_PORT}/store`)).json()) as { emails: StoredEmail[] };
    const welcomes = emails.filter((e) => e.subject.startsWith('Welkom bij werkplekleren N2'));
    expect(welcomes.map((e) => e.subject)).toEqual(Array(3).fill('Welkom bij werkplekleren N2 2026-2027'));
    expect(emails.filter((e) => e.subject.includes('2025-2026'))).toEqual([]);
    expect(running.output()).toContain('9 plaatsingen; 3 welkomstmails');
    expect(running.output()).toContain('Geen welkomstmail voor 6 studenten van schooljaar 2025-2026: dat schooljaar is voorbij.');
    for (const welcome of welcomes) {
      const link = /http:\/\/localhost:\d+\/s\/[A-Za-z0-9_-]{43}/.exec(welcome.body.text)?.[0];
      expect(link).toBeDefined();
      const page = await fetch(link!);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('schooljaar 2026-2027');
    }

    // The demo roster is stored as of the demo's own clock, so pages never say it changed later.
    const placements = await placementItemsOf(env, '2026-2027');
    expect(new Set(placements.map((item) => item.updatedAt))).toEqual(new Set(['2026-11-30T23:00:00Z']));

    running.child.kill('SIGINT');
    expect(await running.exit).toBe(0);
  });
});
