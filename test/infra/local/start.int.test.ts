import { rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { localStackEnv, placementItemsOf } from '../../support/local-stack.ts';
import { runBundled, runTsx, type Running } from '../../support/process.ts';
import { row, rosterCsv } from '../../support/roster.ts';

/** `npm start` and `npm run import`, run as a user would, on free ports and a data folder of their own. */
describe('the local stack (npm start)', () => {
  let dataDir: string;
  let env: Record<string, string>;
  const start = (...args: string[]) => runTsx('infra/local/start.ts', args, env);

  beforeAll(async () => {
    ({ dataDir, env } = await localStackEnv('werkplekleren-start-', '2025-11-10'));
  });

  afterAll(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  async function stop(running: Running): Promise<number | null> {
    running.child.kill('SIGINT');
    return running.exit;
  }

  async function placementsIn2025(): Promise<string[]> {
    return (await placementItemsOf(env, '2025-2026')).map((item) => String(item.student && (item.student as { name: string }).name)).sort();
  }

  it('starts everything, seeds the demo roster, answers on every address and stops cleanly on Ctrl-C', async () => {
    const running = start();
    onTestFinished(() => running.killAll());
    await running.waitFor('Stoppen: Ctrl-C');

    expect(running.output()).toContain(
      'Demorooster (2025-2026 en 2026-2027) geladen: 9 plaatsingen; 9 welkomstmails en 0 automatische aanvragen in de inbox.',
    );
    expect(running.output()).toContain(`http://localhost:${env.PORT}`);
    const inbox = (await (await fetch(`http://127.0.0.1:${env.SES_PORT}/store`)).json()) as { emails: { subject: string }[] };
    expect(inbox.emails.filter((e) => e.subject.startsWith('Welkom bij werkplekleren N2')).length).toBe(9);
    expect(running.output()).toContain(`http://127.0.0.1:${env.SES_PORT}`);
    const home = await fetch(`http://localhost:${env.PORT}/`);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('maandag 10 november 2025');
    expect((await fetch(`http://127.0.0.1:${env.SES_PORT}/`)).status).toBe(200);
    expect(await placementsIn2025()).toContain('Zoë de Vries');
    expect(await placementsIn2025()).toHaveLength(6);

    const file = join(dataDir, 'rooster.csv');
    await writeFile(file, rosterCsv([row(1, { student_naam: "Bram van 't Hek" })]));
    const imported = await runBundled('infra/local/import.ts', [file], env);
    expect(await imported.exit).toBe(0);
    expect(imported.output()).toContain('Geïmporteerd in werkplekleren: 1 nieuw, 0 gewijzigd, 0 ongewijzigd.');
    expect(imported.output()).toContain('Welkomstmails verstuurd: 1;');
    const welcome = (await (await fetch(`http://127.0.0.1:${env.SES_PORT}/store`)).json()) as {
      emails: { destination: { to: string[] }; body: { text: string } }[];
    };
    const bram = welcome.emails.find((e) => e.destination.to.includes('student1@hr.nl'));
    expect(bram?.body.text).toContain(`http://localhost:${env.PORT}/s/`);

    const digest = await runBundled('infra/local/digest.ts', ['--date', '2025-11-10'], env);
    expect(await digest.exit).toBe(0);
    expect(digest.output()).toContain('Verstuurd: 22, al eerder verstuurd: 0');
    const again = await runBundled('infra/local/digest.ts', ['--date', '2025-11-10'], env);
    expect(await again.exit).toBe(0);
    expect(again.output()).toContain('Verstuurd: 0, al eerder verstuurd: 22');

    await writeFile(file, rosterCsv([row(2, { wpb_email: 'kapot' })]));
    const rejected = await runBundled('infra/local/import.ts', [file], env);
    expect(await rejected.exit).toBe(1);
    expect(rejected.output()).toContain('Regel 2, kolom wpb_email: "kapot" is geen geldig e-mailadres.');

    expect(await stop(running)).toBe(0);
  });

  it('keeps the data across a restart and does not seed twice', async () => {
    const running = start();
    onTestFinished(() => running.killAll());
    await running.waitFor('Stoppen: Ctrl-C');

    expect(running.output()).not.toContain('Demorooster');
    expect(await placementsIn2025()).toHaveLength(7);
    expect(await stop(running)).toBe(0);
  });

  it('wipes the data with --fresh and seeds the demo roster again', async () => {
    const running = start('--fresh');
    onTestFinished(() => running.killAll());
    await running.waitFor('Stoppen: Ctrl-C');

    expect(running.output()).toContain('geladen: 9 plaatsingen');
    expect(await placementsIn2025()).toHaveLength(6);

    // Retention: 2025-2026 is kept two school years after it ends, until 1 September 2028.
    // The day before and a dry run only read, so they run side by side (each is a process of its own).
    const early = await runBundled('infra/local/retention.ts', ['--date', '2028-08-31'], env);
    const dry = await runBundled('infra/local/retention.ts', ['--date', '2028-09-01', '--dry-run'], env);
    expect(await early.exit).toBe(0);
    expect(early.output()).toContain('Niets te verwijderen op donderdag 31 augustus 2028 met 2 schooljaren bewaartermijn.');
    expect(await dry.exit).toBe(0);
    expect(dry.output()).toContain('Zou verwijderen: schooljaar 2025-2026 (bewaard tot vrijdag 1 september 2028): 6 plaatsingen');
    expect(await placementsIn2025()).toHaveLength(6);
    const purge = await runBundled('infra/local/retention.ts', ['--date', '2028-09-01'], env);
    expect(await purge.exit).toBe(0);
    expect(purge.output()).toContain('Verwijderd: schooljaar 2025-2026');
    expect(await placementsIn2025()).toEqual([]);
    const refused = await Promise.all(['0', 'twee', '1.5'].map(async (years) => ({ years, bad: await runBundled('infra/local/retention.ts', ['--years', years], env) })));
    for (const { years, bad } of refused) {
      expect(await bad.exit).toBe(2);
      expect(bad.output()).toContain(`--years moet een heel aantal schooljaren zijn van 1 tot 10, niet "${years}".`);
    }

    expect(await stop(running)).toBe(0);
  });

  it('ends with one line naming the variable when a port is taken', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(Number(env.S3_PORT), '127.0.0.1', () => resolve()));
    try {
      const running = start();

      expect(await running.exit).toBe(1);
      expect(running.output().trim()).toBe(`Poort ${env.S3_PORT} is al in gebruik: kies een andere met S3_PORT=<poort>.`);
    } finally {
      blocker.close();
    }
  });

  it('tells the user to start the stack when importing with nothing running', async () => {
    const imported = await runBundled('infra/local/import.ts', ['shared/data/demo-roster.csv'], env);

    expect(await imported.exit).toBe(2);
    expect(imported.output()).toContain('start eerst npm start');
  });
});
