import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { logger } from '../log.ts';
import { columnLetter, escapeExcelText } from '../xlsx/workbook.ts';
import { exportTable, type ColumnKind, type ExportCell, type ExportDeps, type ExportPlan, type ExportTable, type RowOptions } from './export-rows.ts';

/**
 * A period's submissions (export-rows.ts: the CSV's plan, columns and rows) as an Excel workbook,
 * written with exceljs's streaming WorkbookWriter a page of rows at a time, each row committed as
 * it is written, so memory stays flat with the number of rows. One sheet, "Inzendingen": a bold,
 * frozen header row with an autofilter, typed cells (dates and the submission time as Excel dates
 * with a Dutch format, numbers as numbers, everything else as text: a text cell is never a formula,
 * so no formula guard shows), text wrapped with its line breaks, column widths from the header and
 * the first page of rows. Imported on first use (exceljs is about a megabyte): see
 * shared/usecases/overview.ts.
 */

/** The sheet's name. */
export const SHEET_NAME = 'Inzendingen';
/** Excel shows at most this many characters in a cell (and calls a file with more damaged). */
export const EXCEL_CELL_MAX = 32_767;
/** What ends a text cut to {@link EXCEL_CELL_MAX}. */
export const CUT_NOTICE = ' … [ingekort; de volledige tekst staat in de CSV]';
const MIN_WIDTH = 8;
const MAX_WIDTH = 60;
/** Dutch Excel shows these as dd-mm-jjjj and dd-mm-jjjj uu:mm. */
const DATE_FORMAT = 'dd-mm-yyyy';
const DATE_TIME_FORMAT = 'dd-mm-yyyy hh:mm';

/**
 * Text as a cell holds it and Excel shows it: line breaks as LF (a cell's line break; a CR would
 * show as a character), a literal `_xHHHH_` escaped (escapeExcelText), the characters XML cannot
 * hold as Excel's `_xHHHH_` escapes: the control characters (exceljs would drop them silently) and
 * the noncharacters U+FFFE and U+FFFF (exceljs would write them as they are, and every XML reader,
 * Excel's and exceljs's own, refuses the whole sheet), and at most {@link EXCEL_CELL_MAX} characters.
 */
function excelText(text: string): string {
  // Most cells hold none of these and go as they are, without three passes of replacing.
  // eslint-disable-next-line no-control-regex
  if (text.length <= EXCEL_CELL_MAX && !/[\r_\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFE\uFFFF]/.test(text)) return text;
  const escaped = escapeExcelText(text.replace(/\r\n?/g, '\n')).replace(
    // eslint-disable-next-line no-control-regex
    /[\x00-\x08\x0B\x0C\x0E-\x1F\x7F\uFFFE\uFFFF]/g,
    (char) => `_x${char.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`,
  );
  if (escaped.length <= EXCEL_CELL_MAX) return escaped;
  let cut = EXCEL_CELL_MAX - CUT_NOTICE.length;
  // Not between the halves of a character outside the BMP (an emoji).
  if (/[\uD800-\uDBFF]/.test(escaped[cut - 1] ?? '')) cut--;
  return escaped.slice(0, cut) + CUT_NOTICE;
}

/** A cell as exceljs writes it: no cell for '', a Date whose UTC fields are the wall-clock time (Excel has no zones). */
function excelValue(cell: ExportCell): ExcelJS.CellValue | undefined {
  if (typeof cell === 'string') return cell === '' ? undefined : excelText(cell);
  if (typeof cell === 'number') return cell;
  // "YYYY-MM-DD" or "YYYY-MM-DD HH:mm", checked where the row is built.
  const text = 'date' in cell ? cell.date : cell.dateTime;
  const part = (from: number, to: number) => Number(text.slice(from, to));
  return new Date(Date.UTC(part(0, 4), part(5, 7) - 1, part(8, 10), part(11, 13) || 0, part(14, 16) || 0));
}

/** How wide a cell's content is, in characters: its longest line, a date as Excel shows it. */
function shownWidth(cell: ExportCell): number {
  if (typeof cell === 'string') return Math.max(0, ...cell.split('\n').map((line) => line.length));
  if (typeof cell === 'number') return String(cell).length;
  return 'date' in cell ? DATE_FORMAT.length : DATE_TIME_FORMAT.length;
}

/** A column's width: its header's or its widest cell's (of the rows given), with a little room, capped. */
function columnWidth(header: string, cells: readonly ExportCell[]): number {
  const widest = Math.max(header.length, ...cells.map(shownWidth));
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, widest + 2));
}

/**
 * The style of every cell of a column of each kind. One object per kind, shared by all cells:
 * exceljs remembers a style object it has seen, where a copy per cell costs it a lookup by its XML
 * (measured: about half the time of a large export).
 */
const COLUMN_STYLES: Readonly<Record<ColumnKind, Partial<ExcelJS.Style>>> = {
  text: { alignment: { vertical: 'top', wrapText: true } },
  number: { alignment: { vertical: 'top' } },
  date: { alignment: { vertical: 'top' }, numFmt: DATE_FORMAT },
  dateTime: { alignment: { vertical: 'top' }, numFmt: DATE_TIME_FORMAT },
};

/** A writable stream as Node's and readable-stream 2's (archiver's) both show whether it is full. */
interface Sink {
  writableNeedDrain?: boolean;
  _writableState?: { needDrain?: boolean };
  on(event: 'drain' | 'close', listener: () => void): unknown;
  removeListener(event: 'drain' | 'close', listener: () => void): unknown;
}

const isFull = (sink: Sink): boolean => sink.writableNeedDrain ?? sink._writableState?.needDrain ?? false;

/** Until a full stream has room again (or is closed, or the export is cancelled). */
async function untilDrained(sink: Sink, signal: AbortSignal): Promise<void> {
  while (isFull(sink) && !signal.aborted) {
    await new Promise<void>((resolve) => {
      const done = () => {
        sink.removeListener('drain', done);
        sink.removeListener('close', done);
        signal.removeEventListener('abort', done);
        resolve();
      };
      sink.on('drain', done);
      sink.on('close', done);
      signal.addEventListener('abort', done);
    });
  }
}

/**
 * The stream exceljs hands a sheet's XML to on its way into the zip. exceljs writes into it without
 * waiting for room, so the writer waits here before each page: what is not yet compressed stays a
 * few pages at most, whether the zip or the reader is the slower. undefined if exceljs changes.
 */
function sheetSink(sheet: ExcelJS.Worksheet): Sink | undefined {
  const pipes = (sheet as unknown as { stream?: { pipes?: unknown[] } }).stream?.pipes;
  const sink = pipes?.[0] as Partial<Sink> | undefined;
  return typeof sink?.on === 'function' && typeof sink.removeListener === 'function' ? (sink as Sink) : undefined;
}

/** Writes the table into `output` as a workbook; resolves once the zip is written. */
async function writeWorkbook(table: ExportTable, output: PassThrough, signal: AbortSignal): Promise<void> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Werkplekleren N2';
  const sheet = workbook.addWorksheet(SHEET_NAME, { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.autoFilter = `A1:${columnLetter(table.headers.length)}1`;
  const sink = sheetSink(sheet);
  const room = async () => {
    if (sink) await untilDrained(sink, signal);
    await untilDrained(output, signal);
    // Gives the zip's compression (zlib, off the main thread) a turn even when nothing is full yet.
    await new Promise((resolve) => setImmediate(resolve));
  };

  // The widths are written before the first row, so they come from the header and the first page.
  const first = await table.pages.next();
  const firstRows = first.done ? [] : first.value;
  const styles = table.headers.map((_, i) => COLUMN_STYLES[table.kinds[i] ?? 'text']);
  sheet.columns = table.headers.map((header, i) => ({ width: columnWidth(header, firstRows.map((row) => row[i] ?? '')), style: styles[i]! }));
  const header = sheet.addRow(table.headers.map(excelText));
  header.font = { bold: true };
  header.commit();

  const writePage = async (rows: ExportCell[][]) => {
    for (const row of rows) {
      const values = row.map(excelValue);
      const added = sheet.addRow(values);
      values.forEach((value, i) => {
        if (value !== undefined) added.getCell(i + 1).style = styles[i]!;
      });
      added.commit();
    }
    await room();
  };
  await writePage(firstRows);
  while (!signal.aborted) {
    const next = await table.pages.next();
    if (next.done) break;
    await writePage(next.value);
  }
  if (signal.aborted) return;
  sheet.commit();
  await workbook.commit();
}

/**
 * The export as a byte stream, started by the first read (a HEAD reads nothing) and paced by the
 * reader: a page of rows is written when the zip and the reader have room for it. A failed read
 * errors the stream, so a broken download is never a complete-looking file.
 */
export function exportXlsx(deps: ExportDeps, plan: ExportPlan, options: RowOptions): ReadableStream<Uint8Array> {
  const table = exportTable(deps, plan, options);
  const output = new PassThrough();
  const abort = new AbortController();
  let chunks: AsyncIterator<Buffer> | undefined;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (!chunks) {
          chunks = output[Symbol.asyncIterator]();
          writeWorkbook(table, output, abort.signal).catch((error: unknown) => {
            // After a cancel the reader is gone: nothing to tell, nobody to tell it to.
            if (abort.signal.aborted) return;
            logger.error('xlsx export failed', { error: String((error as Error).name) });
            output.destroy(error as Error);
          });
        }
        try {
          const next = await chunks.next();
          if (next.done) controller.close();
          else controller.enqueue(next.value);
        } catch (error) {
          controller.error(error);
        }
      },
      async cancel() {
        abort.abort();
        output.destroy();
        await table.pages.return(undefined);
      },
    },
    // Nothing is read before the first read asks for it.
    { highWaterMark: 0 },
  );
}
