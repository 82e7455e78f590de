import { describe, expect, it } from 'vitest';
import { formatProblem, parseRoster, ROSTER_COLUMNS, type RosterParseResult } from '../../../shared/roster/parse.ts';
import { row, rosterCsv } from '../../support/roster.ts';

const knownYears = ['2024-2025', '2025-2026', '2026-2027'];
const parse = (bytes: Uint8Array) => parseRoster(bytes, { knownYears });
const text = (value: string) => new TextEncoder().encode(value);

function problemsOf(result: RosterParseResult): string[] {
  if (result.ok) throw new Error('expected problems, got placements');
  return result.problems.map(formatProblem);
}

function placementsOf(result: RosterParseResult) {
  if (!result.ok) throw new Error(`expected placements, got: ${result.problems.map(formatProblem).join(' | ')}`);
  return result.placements;
}

describe('parseRoster', () => {
  it('reads a semicolon file with BOM into placements, emails as written', () => {
    const result = parse(rosterCsv([row(1, { wpb_email: 'Jan.Jansen@Wolfert.NL' }), row(2)], { bom: true }));

    const placements = placementsOf(result);
    expect(placements).toHaveLength(2);
    expect(placements[0]).toMatchObject({
      schoolYear: '2025-2026',
      studentNumber: '1000001',
      student: { name: 'Student 1', email: 'student1@hr.nl' },
      wpb: { name: 'Mentor 1', email: 'Jan.Jansen@Wolfert.NL' },
      io: { name: 'Ivo Instituut', email: 'io@hr.nl' },
    });
  });

  it('reads a comma file with the columns in another order', () => {
    const columns = [...ROSTER_COLUMNS].reverse();
    const placements = placementsOf(parse(rosterCsv([row(1)], { delimiter: ',', columns })));

    expect(placements[0]?.studentNumber).toBe('1000001');
    expect(placements[0]?.sco.name).toBe('Sanne Coördinator');
  });

  it('keeps diacritics and apostrophes in names, also inside quoted fields with the delimiter', () => {
    const placements = placementsOf(
      parse(
        rosterCsv([
          row(1, { student_naam: 'Zoë Çelik', wpb_naam: "Jan van 't Hek", school: 'Lyceum; locatie Zuid' }),
        ]),
      ),
    );

    expect(placements[0]?.student.name).toBe('Zoë Çelik');
    expect(placements[0]?.wpb.name).toBe("Jan van 't Hek");
    expect(placements[0]?.school).toBe('Lyceum; locatie Zuid');
  });

  it('reads a Windows-1252 file (as Dutch Excel saves it) and says so', () => {
    const csv = new TextDecoder().decode(rosterCsv([row(1, { student_naam: 'Zoë Çelik' })]));
    const latin1 = Uint8Array.from(csv, (char) => char.charCodeAt(0));

    const result = parse(latin1);

    expect(placementsOf(result)[0]?.student.name).toBe('Zoë Çelik');
    expect(result.notes.join(' ')).toContain('Windows-1252');
  });

  it('answers an empty file with one clear problem', () => {
    expect(problemsOf(parse(new Uint8Array()))).toEqual(['Regel 1: Het bestand is leeg.']);
    expect(problemsOf(parse(text('\uFEFF\r\n  \r\n')))).toEqual(['Regel 1: Het bestand is leeg.']);
  });

  it('answers a header without rows with one clear problem', () => {
    expect(problemsOf(parse(rosterCsv([])))).toEqual([
      'Regel 2: Het bestand bevat alleen een kopregel en geen plaatsingen.',
    ]);
  });

  it('answers a file with another delimiter by naming the delimiters it takes', () => {
    const problems = problemsOf(parse(rosterCsv([row(1)], { delimiter: '\t' })));

    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('niet gescheiden door ; of ,');
    expect(problems[0]).toContain('tabs');
  });

  it('lists every missing column by name', () => {
    const columns = ROSTER_COLUMNS.filter((c) => c !== 'wpb_email' && c !== 'sco_naam');

    const problems = problemsOf(parse(rosterCsv([row(1)], { columns })));

    expect(problems).toEqual([
      'Regel 1, kolom wpb_email: kolom "wpb_email" ontbreekt in de kopregel.',
      'Regel 1, kolom sco_naam: kolom "sco_naam" ontbreekt in de kopregel.',
    ]);
  });

  it('lists every bad cell of every row with line and column', () => {
    const problems = problemsOf(
      parse(
        rosterCsv([
          row(1),
          row(2, { wpb_email: 'geen-adres', schooljaar: '2019-2020' }),
          row(3, { io_email: '' }),
        ]),
      ),
    );

    expect(problems).toEqual([
      'Regel 3, kolom schooljaar: onbekend schooljaar "2019-2020"; bekend zijn 2024-2025, 2025-2026 en 2026-2027.',
      'Regel 3, kolom wpb_email: "geen-adres" is geen geldig e-mailadres.',
      'Regel 4, kolom io_email: is leeg.',
    ]);
  });

  it('rejects a formula in a name instead of storing it', () => {
    const problems = problemsOf(parse(rosterCsv([row(1, { student_naam: '=cmd|\' /C calc\'!A0' })])));

    expect(problems).toEqual([
      'Regel 2, kolom student_naam: "=cmd|\' /C calc\'!A0" begint met een formuleteken (= + - @): dat is geen naam.',
    ]);
  });

  it.each([
    ['a carriage return', 'Jan\rBakker', 'Regel 3, kolom wpb_naam: "Jan[U+000D]Bakker" bevat een regeleinde (U+000D) op positie 4; alleen zichtbare tekst op één regel is toegestaan.'],
    ['a line feed', 'Jan\nBakker', 'Regel 3, kolom wpb_naam: "Jan[U+000A]Bakker" bevat een regeleinde (U+000A) op positie 4; alleen zichtbare tekst op één regel is toegestaan.'],
    ['an injected calendar event', 'Jan\r\nEND:VEVENT', 'Regel 3, kolom wpb_naam: "Jan[U+000D][U+000A]END:VEVENT" bevat een regeleinde (U+000D) op positie 4; alleen zichtbare tekst op één regel is toegestaan.'],
    ['a NUL', 'Jan\u0000Bakker', 'Regel 3, kolom wpb_naam: "Jan[U+0000]Bakker" bevat een nulteken (U+0000) op positie 4; alleen zichtbare tekst op één regel is toegestaan.'],
    ['a line separator', 'Jan\u2028Bakker', 'Regel 3, kolom wpb_naam: "Jan[U+2028]Bakker" bevat een regeleinde (U+2028) op positie 4; alleen zichtbare tekst op één regel is toegestaan.'],
    ['a right-to-left override', 'Jan\u202Eexe.fdp', 'Regel 3, kolom wpb_naam: "Jan[U+202E]exe.fdp" bevat een onzichtbaar teken dat de leesrichting verandert (U+202E) op positie 4; alleen zichtbare tekst op één regel is toegestaan.'],
    ['a zero-width space', 'Jan\u200BBakker', 'Regel 3, kolom wpb_naam: "Jan[U+200B]Bakker" bevat een onzichtbaar teken (U+200B) op positie 4; alleen zichtbare tekst op één regel is toegestaan.'],
  ])('refuses a name with %s, naming line, column and position, and imports nothing', (_what, name, message) => {
    const problems = problemsOf(parse(rosterCsv([row(1), row(2, { wpb_naam: name })])));

    expect(problems).toEqual([message]);
  });

  it('counts lines from where a record starts, also after a quoted cell that spans lines', () => {
    // Line 3 holds a name that runs on to line 4 (refused); line 5 the next row, with a bad email.
    const problems = problemsOf(parse(rosterCsv([row(1), row(2, { student_naam: 'Anna\r\nde Wit' }), row(3, { so_email: 'so@' })])));

    expect(problems).toEqual([
      'Regel 3, kolom student_naam: "Anna[U+000D][U+000A]de Wit" bevat een regeleinde (U+000D) op positie 5; alleen zichtbare tekst op één regel is toegestaan.',
      'Regel 5, kolom so_email: "so@" is geen geldig e-mailadres.',
    ]);
  });

  it('refuses control and bidi characters in every name, email, subject and school column', () => {
    const columns = ['student_naam', 'student_email', 'vak', 'school', 'wpb_naam', 'wpb_email', 'so_naam', 'so_email', 'io_naam', 'io_email', 'sco_naam', 'sco_email'] as const;
    const bad = Object.fromEntries(columns.map((column, i) => [column, `x${'\u0007\u0085\u2029\u2066\u00AD\uFEFF'[i % 6]}y${column.endsWith('email') ? '@school.nl' : ''}`]));

    const problems = problemsOf(parse(rosterCsv([row(1, bad)])));

    expect(problems.map((p) => p.split(':')[0])).toEqual(columns.map((column) => `Regel 2, kolom ${column}`));
  });

  it('accepts names in any script, with diacritics, apostrophes and joiners', () => {
    const names = ["Daniëlle van 't Hoff", 'Óscar Çelik', 'Ayşe Yılmaz', 'محمد العلي', 'Ĳsbrand Ðorđević', 'فرزانه\u200Cای'];
    const rows = names.map((name, i) => row(i, { student_naam: name, wpb_naam: name }));

    const placements = placementsOf(parse(rosterCsv(rows)));

    expect(placements.map((p) => p.student.name)).toEqual(names);
    expect(placements.map((p) => p.wpb.name)).toEqual(names);
  });

  it('reports the same student twice with different data, naming both lines', () => {
    const problems = problemsOf(parse(rosterCsv([row(1), row(2), row(1, { wpb_naam: 'Iemand Anders' })])));

    expect(problems).toEqual([
      'Regel 4, kolom studentnummer: student 1000001 staat al op regel 2 voor 2025-2026, met andere gegevens.',
    ]);
  });

  it('imports an identical duplicate row once and notes it', () => {
    const result = parse(rosterCsv([row(1), row(1, { wpb_email: 'MENTOR1@wolfert.nl' })]));

    expect(placementsOf(result)).toHaveLength(1);
    expect(result.notes).toEqual(['Regel 3 is gelijk aan regel 2 en wordt één keer geïmporteerd.']);
  });

  it('reports one student email used for two student numbers', () => {
    const problems = problemsOf(parse(rosterCsv([row(1), row(2, { student_email: 'Student1@hr.nl' })])));

    expect(problems).toEqual(['Regel 3, kolom student_email: dit e-mailadres hoort op regel 2 al bij student 1000001.']);
  });

  it('reports a row with too few fields', () => {
    const csv = new TextDecoder().decode(rosterCsv([row(1)])) + '2025-2026;123;alleen drie\r\n';

    expect(problemsOf(parse(text(csv)))).toEqual([
      'Regel 3: de regel heeft 3 velden, de kopregel 14. Controleer het scheidingsteken en de aanhalingstekens.',
    ]);
  });

  it('reports an unclosed quote as an invalid CSV', () => {
    const csv = new TextDecoder().decode(rosterCsv([row(1)])) + '2025-2026;"123;x\r\n';

    const problems = problemsOf(parse(text(csv)));

    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain('aanhalingsteken wordt niet gesloten');
  });

  it('reads 5,000 rows, a whole region, in one go', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => row(i));

    const placements = placementsOf(parse(rosterCsv(rows)));

    expect(placements).toHaveLength(5000);
    expect(placements[4999]?.studentNumber).toBe('1004999');
  });

  it('reports problems in a 5,000-row file with their own line numbers', () => {
    const rows = Array.from({ length: 5000 }, (_, i) => row(i, i === 4321 ? { so_email: 'so@' } : {}));

    expect(problemsOf(parse(rosterCsv(rows)))).toEqual(['Regel 4323, kolom so_email: "so@" is geen geldig e-mailadres.']);
  });
});
