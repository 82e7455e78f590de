import ExcelJS from 'exceljs';

/**
 * Edits a workbook the way a coordinator does in Excel: opened with exceljs (a reader independent
 * of ours), changed, saved again.
 */
export async function editWorkbook(bytes: Uint8Array, edit: (workbook: ExcelJS.Workbook) => void): Promise<Uint8Array> {
  const workbook = await openWorkbook(bytes);
  edit(workbook);
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

/** Opens a workbook with exceljs. */
export async function openWorkbook(bytes: Uint8Array): Promise<ExcelJS.Workbook> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  return workbook;
}

/** The sheet with this name; throws when the workbook has none. */
export function sheet(workbook: ExcelJS.Workbook, name: string): ExcelJS.Worksheet {
  const found = workbook.getWorksheet(name);
  if (!found) throw new Error(`no sheet ${name}`);
  return found;
}

/** The headers of row 1, in order. */
export function headers(worksheet: ExcelJS.Worksheet): string[] {
  const found: string[] = [];
  worksheet.getRow(1).eachCell((cell) => found.push(String(cell.value)));
  return found;
}

/** The cell under a header (row 1) in a row. */
export function cellAt(worksheet: ExcelJS.Worksheet, row: number, header: string): ExcelJS.Cell {
  const column = headers(worksheet).indexOf(header);
  if (column < 0) throw new Error(`no column ${header} on ${worksheet.name}`);
  return worksheet.getRow(row).getCell(column + 1);
}

/** The number of the first row whose cell under `header` holds `value`; throws when there is none. */
export function rowWhere(worksheet: ExcelJS.Worksheet, header: string, value: string): number {
  for (let row = 2; row <= worksheet.rowCount; row++) {
    if (cellAt(worksheet, row, header).value === value) return row;
  }
  throw new Error(`no row with ${header} ${value} on ${worksheet.name}`);
}

/** The values of a row under each header, in order; null for an empty cell. */
export function rowValues(worksheet: ExcelJS.Worksheet, row: number): ExcelJS.CellValue[] {
  return headers(worksheet).map((_, index) => worksheet.getRow(row).getCell(index + 1).value);
}
