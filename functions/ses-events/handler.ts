import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { loadConfig } from '#shared/config.ts';
import { logger, type LogSink } from '#shared/log.ts';
import { handleSesEvent, type SesEventResult } from '#shared/digest/suppression.ts';
import { SuppressionStore } from '#shared/store/suppressions.ts';
import { createDynamoClients } from '#shared/store/clients.ts';

/** The SES events function over its store (exported for tests, which may read its log lines through `log`). */
export function createSesEventsHandler(store: Pick<SuppressionStore, 'suppress'>, log?: LogSink) {
  return middy<unknown, SesEventResult>()
    .use(injectLambdaContext(logger, { logEvent: false }))
    .handler((event) => handleSesEvent(event, store, log));
}

// Built once per process.
const config = loadConfig();

/** Lambda entry point for SES bounce and complaint notifications (configuration set → SNS). */
export const handler = createSesEventsHandler(new SuppressionStore(createDynamoClients(config).doc, config.TABLE_NAME));
