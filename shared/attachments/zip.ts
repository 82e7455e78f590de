/*
 * Just enough of the zip format to tell a docx or pptx apart from another zip, from byte ranges
 * of an object that is never read whole (store/attachments.ts), and to see what an uploaded
 * workbook would unpack to before any library unpacks it (xlsx/workbook.ts).
 */

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_HEADER = 0x02014b50;
const END_RECORD_LENGTH = 22;
const MAX_COMMENT_LENGTH = 0xffff;
/** A docx or pptx has tens to hundreds of entries; a larger directory is not worth reading. */
const MAX_CENTRAL_DIRECTORY_BYTES = 1024 * 1024;

/** One entry of a zip's central directory: its name and its sizes as the directory declares them. */
export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated (APPNOTE 4.4.5). */
  method: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Where the entry's local header starts in the zip. */
  localHeaderOffset: number;
}

/**
 * The entry names in a zip's central directory (APPNOTE 4.3.12/4.3.16), read by byte ranges from
 * the end of the object; undefined when it is not a well-formed, non-ZIP64 zip.
 */
export async function zipEntryNames(
  read: (start: number, end: number) => Promise<Uint8Array>,
  size: number,
): Promise<string[] | undefined> {
  return (await zipEntries(read, size))?.map((entry) => entry.name);
}

/**
 * The entries of a zip's central directory with their declared sizes, read as {@link zipEntryNames}
 * reads them; undefined when it is not a well-formed, non-ZIP64 zip.
 */
export async function zipEntries(
  read: (start: number, end: number) => Promise<Uint8Array>,
  size: number,
): Promise<ZipEntry[] | undefined> {
  const tailLength = Math.min(size, END_RECORD_LENGTH + MAX_COMMENT_LENGTH);
  const tailStart = size - tailLength;
  const tail = await read(tailStart, size - 1);
  const tailView = new DataView(tail.buffer, tail.byteOffset, tail.byteLength);

  let end = -1;
  for (let at = tail.length - END_RECORD_LENGTH; at >= 0; at--) {
    if (tailView.getUint32(at, true) === END_OF_CENTRAL_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) return undefined;
  const entries = tailView.getUint16(end + 10, true);
  const directorySize = tailView.getUint32(end + 12, true);
  const directoryOffset = tailView.getUint32(end + 16, true);
  // 0xffff / 0xffffffff mean ZIP64, which no docx or pptx under our size limit needs.
  if (entries === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) return undefined;
  if (entries === 0 || directorySize > MAX_CENTRAL_DIRECTORY_BYTES) return undefined;
  if (directoryOffset + directorySize > tailStart + end) return undefined;

  const directory =
    directoryOffset >= tailStart
      ? tail.subarray(directoryOffset - tailStart, directoryOffset - tailStart + directorySize)
      : await read(directoryOffset, directoryOffset + directorySize - 1);
  const view = new DataView(directory.buffer, directory.byteOffset, directory.byteLength);
  const decoder = new TextDecoder('utf-8');
  const entriesFound: ZipEntry[] = [];
  let at = 0;
  for (let index = 0; index < entries; index++) {
    if (at + 46 > directory.length || view.getUint32(at, true) !== CENTRAL_DIRECTORY_HEADER) return undefined;
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    if (at + 46 + nameLength > directory.length) return undefined;
    entriesFound.push({
      name: decoder.decode(directory.subarray(at + 46, at + 46 + nameLength)),
      method: view.getUint16(at + 10, true),
      compressedSize: view.getUint32(at + 20, true),
      uncompressedSize: view.getUint32(at + 24, true),
      localHeaderOffset: view.getUint32(at + 42, true),
    });
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entriesFound;
}
