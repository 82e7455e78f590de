// Minimal types for the parts of pdfmake and pdfkit that shared/pdf/ uses: neither ships its own.

declare module 'pdfmake/js/Printer.js' {
  import type { Readable } from 'node:stream';

  /** A file system as pdfmake reads its fonts from: the font names of the descriptors are its paths. */
  interface VirtualFileSystem {
    existsSync(path: string): boolean;
    readFileSync(path: string): Uint8Array;
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

declare module 'pdfkit' {
  /** The fontkit font under a pdfkit font: what the coverage check asks. */
  interface FontkitFont {
    hasGlyphForCodePoint(codePoint: number): boolean;
  }

  class PDFDocument {
    constructor(options?: { autoFirstPage?: boolean; font?: string | null });
    /** Makes the font current; its fontkit font is then on `_font.font` (pdfkit's internals, checked at run time). */
    font(src: Uint8Array): this;
    end(): void;
  }
  export default PDFDocument;
  export type { FontkitFont };
}
