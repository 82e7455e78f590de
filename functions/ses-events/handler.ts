import middy from '@middy/core';
import { loadConfig } from '#shared/config.ts';
import { handleSesEvent, SuppressionStore, type SesEventResult } from '#shared/digest/suppression.ts';
import { createDynamoClients } from '#shared/store/clients.ts';

/** The SES events function over its store (exported for tests). */
export function createSesEventsHandler(store: Pick<SuppressionStore, 'suppress'>, log: (line: string) => void = console.log) {
  return middy<unknown, SesEventResult>().handler((event) => handleSesEvent(event, store, log));
}

// Built once per process.
const config = loadConfig();

/** Lambda entry point for SES bounce and complaint notifications (configuration set → SNS). */
export const handler = createSesEventsHandler(new SuppressionStore(createDynamoClients(config).doc, config.TABLE_NAME));
