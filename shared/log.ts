import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger of every function and of the local stack: Powertools' JSON lines (`level`,
 * `message`, `timestamp`, `service`, and on Lambda the request id and cold start), one shape
 * everywhere. What may be logged: action names, route patterns, ids, counts, error names. Never a
 * link token, an email address, an email body or an answer (test/shared/log.test.ts).
 */
export const logger = new Logger({ serviceName: 'werkplekleren' });
