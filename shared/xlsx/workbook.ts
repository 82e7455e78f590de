import { inflateRawSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import { Temporal } from 'temporal-polyfill';
import { zipEntries, type ZipEntry } from '../attachments/zip.ts';

/**
 * The one safe reader and writer of the .xlsx workbooks coordinators upload and download (forms as
 * XLSForm, school years). Reading refuses before exceljs sees the bytes what could hurt a function
 * (too large, not a zip, a zip bomb), then what a workbook may hold but we never read right (hidden
 * sheets, merged cells, formulas), and hands the caller plain rows of typed cells. Every problem
 * names its sheet, row and column, as {@link formatProblem} prints it.
 */

/** Largest workbook accepted, in bytes: a form or a school year is tens of kilobytes. */
export const WORKBOOK_MAX_BYTES = 2 * 1024 * 1024;
/** Largest total a workbook may unpack to. */
const MAX_UNPACKED_BYTES = 20 * 1024 * 1024;
/** Most entries a workbook may have: a plain workbook has about a dozen, one per sheet more. */
const MAX_ENTRIES = 200;
/** The most problems reported at once: enough to fix a workbook, not a page of thousands. Readers built on this one keep to it too. */
export const MAX_PROBLEMS = 200;

/** One thing wrong with a workbook; `row` is the spreadsheet's row number, `column` a header or letter. */
export interface SheetProblem {
  sheet?: string;
  row?: number;
  column?: string;
  message: string;
}

/** "blad survey, rij 5, kolom label: Het label is leeg." (the parts that are known). */
export function formatProblem(problem: SheetProblem): string {
  const where = [
    problem.sheet !== undefined ? `blad ${problem.sheet}` : undefined,
    problem.row !== undefined ? `rij ${problem.row}` : undefined,
    problem.column !== undefined ? `kolom ${problem.column}` : undefined,
  ].filter((part) => part !== undefined);
  return where.length > 0 ? `${where.join(', ')}: ${problem.message}` : problem.message;
}

/** A cell's value as the sheet gives it: rich text and hyperlinks flattened to text, Excel dates as calendar dates. */
export type Cell =
  | { kind: 'empty' }
  | { kind: 'text'; text: string }
  | { kind: 'number'; value: number }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'date'; date: Temporal.PlainDate };

/** One non-empty row below the header. */
export interface SheetRow {
  /** The row number as Excel shows it (the header is row 1). */
  row: number;
  /** The cell under a header (lower case, trimmed); empty for a header the sheet does not have. */
  cell(column: string): Cell;
  /** The cell as trimmed text: '' when empty, numbers as written ("2"), dates as YYYY-MM-DD. */
  text(column: string): string;
}

/** A sheet read as a table: its headers (row 1, lower case, trimmed) and its non-empty rows. */
export interface Sheet {
  name: string;
  columns: string[];
  rows: SheetRow[];
}

/** What a caller expects of one sheet. */
export interface SheetSpec {
  name: string;
  /** Headers that must be there. */
  required: readonly string[];
  /** Headers that may be there; any other header is a problem. */
  optional?: readonly string[];
}

/** What a caller expects of a workbook: its sheets, and sheets that may be there and are skipped (an explanation). */
export interface WorkbookSpec {
  sheets: readonly SheetSpec[];
  ignoredSheets?: readonly string[];
}

/** A read workbook, or every problem found in it. */
export type ReadResult = { ok: true; sheets: Map<string, Sheet> } | { ok: false; problems: SheetProblem[] };

const NOT_XLSX =
  'Dit is geen Excel-werkmap (.xlsx). Sla het bestand in Excel op als "Excel-werkmap (*.xlsx)" en upload het opnieuw.';

/** Reads a workbook against a spec; never throws on bad bytes, only on a programming error. */
export async function readWorkbook(bytes: Uint8Array, spec: WorkbookSpec): Promise<ReadResult> {
  const refused = await checkPackage(bytes);
  if (refused) return { ok: false, problems: [{ message: refused }] };

  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ArrayBuffer);
  } catch {
    return { ok: false, problems: [{ message: NOT_XLSX }] };
  }

  const problems: SheetProblem[] = [];
  const sheets = new Map<string, Sheet>();
  const expected = new Set(spec.sheets.map((sheet) => sheet.name));
  const ignored = new Set(spec.ignoredSheets ?? []);
  const names = spec.sheets.map((sheet) => sheet.name).join(', ');
  for (const worksheet of workbook.worksheets) {
    const name = worksheet.name.trim();
    if (!expected.has(name) && !ignored.has(name)) {
      problems.push({ sheet: worksheet.name, message: `Onbekend blad. Een werkmap heeft de bladen ${names}; verwijder dit blad of geef het een van die namen.` });
      continue;
    }
    if (worksheet.state !== 'visible') {
      problems.push({ sheet: name, message: 'Dit blad is verborgen. Maak het zichtbaar (rechtsklik op de bladtab, Zichtbaar maken) of verwijder het.' });
      continue;
    }
    if (ignored.has(name)) continue;
    const sheetSpec = spec.sheets.find((candidate) => candidate.name === name)!;
    const sheet = readSheet(worksheet, sheetSpec, problems);
    if (sheet) sheets.set(name, sheet);
  }
  for (const sheetSpec of spec.sheets) {
    if (!workbook.worksheets.some((worksheet) => worksheet.name.trim() === sheetSpec.name)) {
      problems.push({ sheet: sheetSpec.name, message: `Dit blad ontbreekt. Een werkmap heeft de bladen ${names}, met precies die namen.` });
    }
  }
  if (problems.length > 0) return { ok: false, problems: problems.slice(0, MAX_PROBLEMS) };
  return { ok: true, sheets };
}

/** Why the bytes are refused unread, or undefined when exceljs may read them. */
async function checkPackage(bytes: Uint8Array): Promise<string | undefined> {
  if (bytes.byteLength > WORKBOOK_MAX_BYTES) {
    return `Het bestand is ${megabytes(bytes.byteLength)} MB; een werkmap mag hoogstens ${megabytes(WORKBOOK_MAX_BYTES)} MB zijn.`;
  }
  // A zip (an .xlsx is one) starts with a local file header, "PK\x03\x04".
  if (bytes.byteLength < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b || bytes[2] !== 0x03 || bytes[3] !== 0x04) return NOT_XLSX;
  // zipEntries reads by ranges; here the whole file is in memory already.
  const entries = await zipEntries(async (start, end) => bytes.subarray(start, end + 1), bytes.byteLength);
  return checkEntries(bytes, entries);
}

/**
 * Unpacks every entry with a hard cap on its output before exceljs does, so a zip whose directory
 * lies about its sizes is caught too: the total may not exceed {@link MAX_UNPACKED_BYTES}.
 */
function checkEntries(bytes: Uint8Array, entries: ZipEntry[] | undefined): string | undefined {
  if (entries === undefined || !entries.some((entry) => entry.name === 'xl/workbook.xml')) return NOT_XLSX;
  if (entries.length > MAX_ENTRIES) return `De werkmap bestaat uit ${entries.length} onderdelen; dat is geen gewone werkmap.`;
  const bomb = 'De werkmap pakt uit tot meer dan 20 MB; dat is geen gewone werkmap (mogelijk een zip-bom).';
  let budget = MAX_UNPACKED_BYTES;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const entry of entries) {
    if (entry.uncompressedSize > budget) return bomb;
    const at = entry.localHeaderOffset;
    if (at + 30 > bytes.byteLength || view.getUint32(at, true) !== 0x04034b50) return NOT_XLSX;
    const start = at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
    const data = bytes.subarray(start, start + entry.compressedSize);
    if (data.byteLength !== entry.compressedSize) return NOT_XLSX;
    let size: number;
    if (entry.method === 0) size = data.byteLength;
    else if (entry.method === 8) {
      try {
        size = inflateRawSync(data, { maxOutputLength: Math.max(budget, 1) }).byteLength;
      } catch (error) {
        return error instanceof RangeError ? bomb : NOT_XLSX;
      }
    } else return NOT_XLSX;
    budget -= size;
    if (budget < 0) return bomb;
  }
  return undefined;
}

const megabytes = (size: number): string => (size / (1024 * 1024)).toLocaleString('nl-NL', { maximumFractionDigits: 1 });

/** Column letters of a 1-based index: 1 A, 27 AA. */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index; n > 0; n = Math.floor((n - 1) / 26)) letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

function readSheet(worksheet: ExcelJS.Worksheet, spec: SheetSpec, problems: SheetProblem[]): Sheet | undefined {
  const name = spec.name;
  const start = problems.length;
  const headers = new Map<number, string>();
  const header = worksheet.getRow(1);
  header.eachCell({ includeEmpty: false }, (cell, column) => {
    const text = cellText(readCell(cell)).toLowerCase();
    if (text !== '') headers.set(column, text);
  });
  const headerName = (column: number): string => headers.get(column) ?? columnLetter(column);

  for (const range of (worksheet.model as { merges?: string[] }).merges ?? []) {
    const topLeft = worksheet.getCell(range.split(':')[0]!);
    problems.push({
      sheet: name,
      row: Number(topLeft.row),
      column: headerName(Number(topLeft.col)),
      message: `Samengevoegde cellen (${range}). Maak het samenvoegen ongedaan; elke waarde hoort in een eigen cel.`,
    });
  }

  const allowed = new Set([...spec.required, ...(spec.optional ?? [])]);
  const seen = new Set<string>();
  for (const [column, text] of headers) {
    if (!allowed.has(text)) {
      problems.push({ sheet: name, row: 1, column: columnLetter(column), message: `Onbekende kolom "${text}". Dit blad kent de kolommen ${[...allowed].join(', ')}.` });
    } else if (seen.has(text)) {
      problems.push({ sheet: name, row: 1, column: columnLetter(column), message: `De kolom "${text}" staat er twee keer.` });
    }
    seen.add(text);
  }
  for (const required of spec.required) {
    if (!seen.has(required)) problems.push({ sheet: name, row: 1, message: `De kolom "${required}" ontbreekt in de eerste rij.` });
  }

  const columnOf = new Map([...headers].map(([column, text]) => [text, column]));
  const rows: SheetRow[] = [];
  worksheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    if (rowNumber === 1) return;
    const cells = new Map<number, Cell>();
    row.eachCell({ includeEmpty: false }, (cell, column) => {
      if (cell.type === ExcelJS.ValueType.Merge) return;
      if (cell.type === ExcelJS.ValueType.Formula || cell.formula) {
        problems.push({ sheet: name, row: rowNumber, column: headerName(column), message: 'Deze cel bevat een formule. Typ de waarde zelf in (kopieer en plak als waarde).' });
        return;
      }
      const value = readCell(cell);
      if (value.kind === 'empty') return;
      if (!headers.has(column)) {
        problems.push({ sheet: name, row: rowNumber, column: columnLetter(column), message: 'Deze cel staat in een kolom zonder kop in de eerste rij.' });
        return;
      }
      cells.set(column, value);
    });
    if (cells.size === 0) return;
    const cellAt = (column: string): Cell => {
      const index = columnOf.get(column);
      return (index === undefined ? undefined : cells.get(index)) ?? { kind: 'empty' };
    };
    rows.push({ row: rowNumber, cell: cellAt, text: (column) => cellText(cellAt(column)) });
  });
  if (problems.length > start) return undefined;
  return { name, columns: [...headers.values()], rows };
}

type ExcelValue = ExcelJS.CellValue;

function readCell(cell: ExcelJS.Cell): Cell {
  return fromValue(cell.value);
}

function fromValue(value: ExcelValue): Cell {
  if (value === null || value === undefined) return { kind: 'empty' };
  if (typeof value === 'string') return value.trim() === '' ? { kind: 'empty' } : { kind: 'text', text: value };
  if (typeof value === 'number') return { kind: 'number', value };
  if (typeof value === 'boolean') return { kind: 'boolean', value };
  if (value instanceof Date) {
    // exceljs gives an Excel date as the UTC midnight of that calendar day.
    if (Number.isNaN(value.getTime())) return { kind: 'empty' };
    return { kind: 'date', date: new Temporal.PlainDate(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate()) };
  }
  if (typeof value === 'object') {
    if ('richText' in value) return fromValue(value.richText.map((part) => part.text).join(''));
    if ('hyperlink' in value && 'text' in value) return fromValue(typeof value.text === 'string' ? value.text : '');
    if ('error' in value) return { kind: 'text', text: String(value.error) };
  }
  return { kind: 'text', text: String(value as unknown) };
}

function cellText(cell: Cell): string {
  switch (cell.kind) {
    case 'empty':
      return '';
    case 'text':
      return cell.text.trim();
    case 'number':
      return String(cell.value);
    case 'boolean':
      return cell.value ? 'ja' : 'nee';
    case 'date':
      return cell.date.toString();
  }
}

/** A value to write: text, a number, yes/no, a calendar date (written as an Excel date), or nothing. */
export type CellInput = string | number | boolean | Temporal.PlainDate | null | undefined;

/** One sheet to write: its columns (header and width in characters) and its rows. */
export interface SheetContent {
  name: string;
  columns: readonly { header: string; width?: number }[];
  rows: readonly (readonly CellInput[])[];
}

/**
 * Writes a workbook: a bold, frozen header row, wrapped text, dates as Excel dates shown as
 * dd-mm-jjjj. Text is always a text cell (exceljs never turns a string into a formula), and reads
 * back exactly as written: see {@link escapeExcelText}.
 */
export async function writeWorkbook(sheets: readonly SheetContent[]): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Werkplekleren N2';
  workbook.created = new Date(0);
  workbook.modified = new Date(0);
  for (const content of sheets) {
    const worksheet = workbook.addWorksheet(content.name, { views: [{ state: 'frozen', ySplit: 1 }] });
    worksheet.columns = content.columns.map((column) => ({ header: escapeExcelText(column.header), width: column.width ?? 16 }));
    worksheet.getRow(1).font = { bold: true };
    for (const row of content.rows) {
      const added = worksheet.addRow(row.map(toExcel));
      added.eachCell((cell, column) => {
        const value = row[column - 1];
        if (value instanceof Temporal.PlainDate) cell.numFmt = 'dd-mm-yyyy';
        else cell.alignment = { wrapText: true, vertical: 'top' };
      });
    }
  }
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

function toExcel(value: CellInput): ExcelValue {
  if (value === undefined || value === null) return null;
  if (value instanceof Temporal.PlainDate) return new Date(Date.UTC(value.year, value.month - 1, value.day));
  if (typeof value === 'string') return escapeExcelText(value);
  return value;
}

/**
 * Text as a cell must hold it to read back unchanged. In the file format `_xHHHH_` (four hex digits)
 * stands for the character U+HHHH, and readers decode it: exceljs turns the text `_x0041_` into "A"
 * and `_x0000_` into a NUL, Excel does the same. A literal `_xHHHH_` is therefore written with its
 * underscore escaped, `_x005F_xHHHH_` (U+005F is "_"), which Excel and exceljs read back as
 * `_xHHHH_`. Every underscore that starts such a sequence is escaped, also where two share an
 * underscore (`_x0041_x0042_`), and lower-case hex too, which Excel decodes and exceljs does not.
 * exceljs writes the string as given (it does not escape), so this is the writer's job.
 */
export function escapeExcelText(text: string): string {
  return text.replace(/_(?=x[0-9A-Fa-f]{4}_)/g, '_x005F_');
}
