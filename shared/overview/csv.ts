import { stringify } from 'csv-stringify/sync';
import { logger } from '../log.ts';
import { exportTable, type ExportCell, type ExportDeps, type ExportPlan, type RowOptions } from './export-rows.ts';

/**
 * A period's submissions (export-rows.ts: the plan, the columns and a row per submitted request)
 * as CSV for Dutch Excel. UTF-8 with BOM, `;` by default, CRLF between records, quoting by
 * csv-stringify (RFC 4180: a cell with the delimiter, a quote, CR or LF is quoted), no `sep=` line,
 * a formula guard on text cells, dates as YYYY-MM-DD and the submission as "YYYY-MM-DD HH:mm" in
 * Amsterdam (spreadsheets read both as dates).
 */

/** Characters a spreadsheet reads as the start of a formula. */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Neutralises a text cell a spreadsheet would run as a formula (= + - @ tab CR at the start) by a
 * leading apostrophe, which Excel shows as text and hides. Numbers are written as numbers and
 * never pass through here.
 *
 * Only the start of a cell is guarded, not the start of each line in it: a cell with a line break
 * is always quoted, and a spreadsheet reads a quoted cell as one value, which is a formula only
 * when the cell itself starts with one of these characters. A second line "@SUM(1,2)" stays text,
 * as typed; guarding it too would change what the observer wrote.
 */
export function guardFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Options of {@link exportCsv}. */
export interface ExportOptions extends RowOptions {
  delimiter: ';' | ',';
}

/** The rows of an export, as CSV text chunks: the header (with BOM), then one chunk per page. */
export async function* exportChunks(deps: ExportDeps, plan: ExportPlan, options: ExportOptions): AsyncGenerator<string> {
  const { headers, pages } = exportTable(deps, plan, options);
  // `record_delimiter: 'windows'` alone quotes only cells holding CR LF; answers hold plain LF and
  // the links are joined by LF, so every cell with a CR or LF is quoted too, or a reader splits it.
  const format = { delimiter: options.delimiter, record_delimiter: 'windows' as const, quoted_match: /[\r\n]/ };
  yield stringify([headers], { ...format, bom: true });
  for await (const rows of pages) yield stringify(rows.map((row) => row.map(csvCell)), format);
}

/** A cell as CSV: text guarded, a number as a number, a date as written (sortable). */
function csvCell(cell: ExportCell): string | number {
  if (typeof cell === 'string') return guardFormula(cell);
  if (typeof cell === 'number') return cell;
  return 'date' in cell ? cell.date : cell.dateTime;
}

/**
 * The export as a byte stream that reads the next page only when the reader wants more: memory
 * stays at about one page whatever the size of the period.
 */
export function exportCsv(deps: ExportDeps, plan: ExportPlan, options: ExportOptions): ReadableStream<Uint8Array> {
  const chunks = exportChunks(deps, plan, options);
  const encoder = new TextEncoder();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(encoder.encode(next.value));
      } catch (error) {
        logger.error('csv export failed', { error: String((error as Error).name) });
        controller.error(error);
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
}
