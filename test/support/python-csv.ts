import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Reads CSV bytes with Python's csv module, an independent reader that (like LibreOffice) ends a
 * row at any unquoted CR, LF or CR LF: the rows it finds, each a list of cells. The file is opened
 * as Python's docs say (`newline=''`, so line breaks inside quoted cells survive; `utf-8-sig`
 * drops the BOM).
 */
export function readWithPython(bytes: Uint8Array, delimiter: ';' | ','): string[][] {
  const dir = mkdtempSync(join(tmpdir(), 'csv-python-'));
  try {
    const file = join(dir, 'export.csv');
    writeFileSync(file, bytes);
    const script = [
      'import csv, json, sys',
      "with open(sys.argv[1], newline='', encoding='utf-8-sig') as f:",
      '    json.dump(list(csv.reader(f, delimiter=sys.argv[2])), sys.stdout)',
    ].join('\n');
    return JSON.parse(execFileSync('python3', ['-c', script, file, delimiter], { encoding: 'utf8' })) as string[][];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
