import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

/**
 * Reads a PDF back with Debian's poppler-utils (`pdftotext`, `pdffonts`, `pdfinfo`), as the issue's
 * "done when" asks: the text a reader selects and copies, in reading order.
 */
const run = promisify(execFile);

/** Runs `fn` on the PDF written to a temporary file, then removes it. */
async function withFile<T>(bytes: Uint8Array, fn: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'werkplekleren-pdf-'));
  try {
    const path = join(dir, 'document.pdf');
    await writeFile(path, bytes);
    return await fn(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The PDF's text: with `layout`, poppler keeps the physical layout (columns on one line); `first`/`last` limit the pages. */
export function pdfText(bytes: Uint8Array, options: { layout?: boolean; first?: number; last?: number } = {}): Promise<string> {
  return withFile(bytes, async (path) => {
    const args = [...(options.layout ? ['-layout'] : []), ...(options.first ? ['-f', String(options.first)] : []), ...(options.last ? ['-l', String(options.last)] : []), '-enc', 'UTF-8', path, '-'];
    return (await run('pdftotext', args, { maxBuffer: 64 * 1024 * 1024 })).stdout;
  });
}

/** The text of each page, first page first (pdftotext separates pages with a form feed). */
export async function pdfPages(bytes: Uint8Array): Promise<string[]> {
  const pages = (await pdfText(bytes)).split('\f');
  return pages.at(-1)?.trim() === '' ? pages.slice(0, -1) : pages;
}

/** Every word pdftotext finds (`-bbox`), with its page and box in points: where each word is drawn. */
export function pdfWordBoxes(bytes: Uint8Array): Promise<{ page: number; word: string; xMin: number; yMin: number; xMax: number; yMax: number }[]> {
  return withFile(bytes, async (path) => {
    const { stdout } = await run('pdftotext', ['-bbox', '-enc', 'UTF-8', path, '-'], { maxBuffer: 64 * 1024 * 1024 });
    let page = 0;
    const words: { page: number; word: string; xMin: number; yMin: number; xMax: number; yMax: number }[] = [];
    for (const line of stdout.split('\n')) {
      if (line.includes('<page ')) page++;
      const match = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*)<\/word>/.exec(line);
      if (match) words.push({ page, word: match[5]!, xMin: Number(match[1]), yMin: Number(match[2]), xMax: Number(match[3]), yMax: Number(match[4]) });
    }
    return words;
  });
}

/** `pdffonts`'s table: one line per font, with its name, type and whether it is embedded. */
export function pdfFonts(bytes: Uint8Array): Promise<string> {
  return withFile(bytes, async (path) => (await run('pdffonts', [path])).stdout);
}

/** `pdfinfo`'s fields (Title, Pages, …). */
export function pdfInfo(bytes: Uint8Array): Promise<Record<string, string>> {
  return withFile(bytes, async (path) => {
    const { stdout } = await run('pdfinfo', ['-enc', 'UTF-8', path]);
    return Object.fromEntries(stdout.split('\n').flatMap((line) => {
      const match = /^([^:]+):\s*(.*)$/.exec(line);
      return match ? [[match[1]!, match[2]!] as const] : [];
    }));
  });
}

/** The lines of pdftotext's output, a page break (form feed) counting as a line break. */
export function lines(text: string): string[] {
  return text.replace(/\f/g, '\n').split('\n');
}

/** Text with every run of white space as one space: for text that pdfmake may wrap anywhere. */
export function flat(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
