// Minimal types for the parts of pdfmake and fontkit that shared/pdf/ uses: neither ships its own.

declare module 'pdfmake/js/Printer.js' {
  import type { Font } from 'fontkit';
  import type { Readable } from 'node:stream';

  /** A file system as pdfmake reads its fonts from: the font names of the descriptors are its paths. */
  interface VirtualFileSystem {
    existsSync(path: string): boolean;
    /** A font's bytes, or (pdfkit ≥ 0.20) the font already parsed by fontkit. */
    readFileSync(path: string): Uint8Array | Font;
    writeFileSync(path: string, content: Uint8Array): void;
  }

  /** What pdfmake asks to resolve the URLs of fonts and images (we give it none to fetch). */
  interface UrlResolver {
    resolve(url: string, headers?: Record<string, string>): Promise<void>;
    resolved(): Promise<unknown>;
  }

  /** A font family: the name in the virtual file system of each face. */
  interface FontDescriptor {
    normal: string;
    bold: string;
    italics: string;
    bolditalics: string;
  }

  /** A pdfkit document: a stream of the PDF's bytes once `end()` is called. */
  interface PdfKitDocument extends Readable {
    end(): void;
  }

  interface PdfPrinter {
    /** Lays the document out and renders it; the document definition is pdfmake's (see shared/pdf/document.ts). */
    createPdfKitDocument(docDefinition: object, options?: object): Promise<PdfKitDocument>;
  }

  type PdfPrinterClass = new (fonts: Record<string, FontDescriptor>, virtualfs: VirtualFileSystem, urlResolver: UrlResolver, localAccessPolicy: (path: string) => boolean) => PdfPrinter;

  /** Babel's CommonJS output: the class is the `default` of `module.exports`. */
  const printerModule: { default: PdfPrinterClass };
  export default printerModule;
}

declare module 'fontkit' {
  /** One font, as pdfkit lays it out and subsets it (pdfkit ≥ 0.20 takes it in place of bytes). */
  interface Font {
    layout(text: string, features?: readonly string[] | Record<string, boolean>): unknown;
    hasGlyphForCodePoint(codePoint: number): boolean;
    readonly postscriptName: string;
  }
  /** A TrueType or OpenType collection (.ttc): several fonts in one file. */
  interface FontCollection {
    readonly fonts: readonly Font[];
  }
  /** Parses a font file; `postscriptName` picks one font of a collection. */
  export function create(buffer: Uint8Array, postscriptName?: string): Font | FontCollection;
  export type { Font, FontCollection };
}
