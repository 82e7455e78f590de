import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { freePort, startLocalStack, type LocalEndpoints } from '../infra/local/stack.ts';
import { TEST_JAVA_OPTIONS } from './support/local-stack.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    endpoints: LocalEndpoints;
  }
}

/**
 * Starts the local stand-ins once for the integration project, on free ports, in memory: DynamoDB
 * Local, s3rver, the SES stand-in, and clamd with the tagger that writes the malware scan tag of
 * every object under `attachments/`. The teardown stops them all (clamd included).
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // DynamoDB Local's JVM inherits this process's environment; a developer's own setting wins.
  process.env.JAVA_TOOL_OPTIONS ??= TEST_JAVA_OPTIONS;
  const dataDir = await mkdtemp(join(tmpdir(), 'werkplekleren-test-'));
  const stack = await startLocalStack({
    ports: { dynamodb: await freePort(), s3: await freePort(), ses: await freePort() },
    dataDir,
    inMemory: true,
  });
  project.provide('endpoints', stack.endpoints);
  return async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  };
}
