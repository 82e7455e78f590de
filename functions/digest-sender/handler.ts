import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { loadConfig } from '#shared/config.ts';
import { senderDeps } from '#shared/digest/sender-deps.ts';
import { logger } from '#shared/log.ts';
import { processSqsBatch, type SenderDeps, type SqsBatchResponse } from '#shared/digest/sender.ts';
import { createDynamoClients, createSesClient } from '#shared/store/clients.ts';

/**
 * The sender function over its dependencies (exported for tests): each SQS record is one digest;
 * records that fail come back in batchItemFailures, so SQS retries only those.
 */
export function createSenderHandler(deps: SenderDeps) {
  return middy<unknown, SqsBatchResponse>()
    .use(injectLambdaContext(logger, { logEvent: false }))
    .handler((event) => processSqsBatch(event, deps));
}

// Built once per process. SES_RATE is this instance's share of the account's send rate.
const config = loadConfig();

/** Lambda entry point for the digest queue. */
export const handler = createSenderHandler(senderDeps(config, { ...createDynamoClients(config), ses: createSesClient(config) }));
