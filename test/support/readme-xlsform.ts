import { readFileSync } from 'node:fs';
import ExcelJS from 'exceljs';

/**
 * The example form of the README ("Formulieren en schooljaren als werkmap"): its three markdown
 * tables (survey, choices, settings) as a workbook, typed as a coordinator would in Excel (digits
 * as numbers, everything else as text), so tests can show the README's example is true.
 */

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The README section that documents the workbooks. */
export const readmeSection = (() => {
  const start = readme.indexOf('### Formulieren en schooljaren als werkmap');
  if (start === -1) throw new Error('README has no section "Formulieren en schooljaren als werkmap"');
  const end = readme.indexOf('\n### ', start + 1);
  return readme.slice(start, end === -1 ? undefined : end);
})();

/** The markdown table after the line "Sheet `<name>`:" as a header and rows of cell texts. */
export function readmeSheet(name: string): { header: string[]; rows: string[][] } {
  const marker = `Sheet \`${name}\`:`;
  const at = readmeSection.indexOf(marker);
  if (at === -1) throw new Error(`README example has no ${marker}`);
  const lines = readmeSection.slice(at + marker.length).split('\n').map((line) => line.trim());
  const first = lines.findIndex((line) => line.startsWith('|'));
  const table: string[] = [];
  for (const line of lines.slice(first)) {
    if (!line.startsWith('|')) break;
    table.push(line);
  }
  const cells = (line: string): string[] => line.slice(1, line.endsWith('|') ? -1 : undefined).split('|').map((cell) => cell.trim());
  const [header, separator, ...rows] = table;
  if (header === undefined || separator === undefined || !/^\|(\s*:?-+:?\s*\|)+$/.test(separator)) {
    throw new Error(`README example: the table of sheet ${name} has no header`);
  }
  return { header: cells(header), rows: rows.map(cells) };
}

/** The README's example form as .xlsx bytes. */
export async function readmeExampleWorkbook(): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  for (const name of ['survey', 'choices', 'settings']) {
    const { header, rows } = readmeSheet(name);
    const sheet = workbook.addWorksheet(name);
    sheet.addRow(header);
    for (const row of rows) sheet.addRow(row.map((cell) => (cell === '' ? null : /^\d+$/.test(cell) ? Number(cell) : cell)));
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** The lines of the README's example session (the fenced block after the tables). */
export function readmeCheckOutput(): string {
  const match = /\$ npm run forms -- check [^\n]+\n([^\n]+)\n/.exec(readmeSection);
  if (!match) throw new Error('README example has no "npm run forms -- check" session');
  return match[1]!;
}
