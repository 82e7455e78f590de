import { isRunningInLambda } from '@aws-lambda-powertools/commons/utils/env';
import { Logger } from '@aws-lambda-powertools/logger';

/**
 * The one logger of every function and of the local stack: Powertools' JSON lines (`level`,
 * `message`, `timestamp`, `service`, and on Lambda the request id and cold start, which the
 * handlers' `injectLambdaContext` middleware adds), one shape everywhere. What may be logged:
 * action names, route patterns, ids, counts, error names. Never a link token, an email address,
 * an email body or an answer (test/shared/log.test.ts).
 */
export const logger = new Logger({ serviceName: 'werkplekleren' });

// On Lambda the logger writes through a console of its own, so the runtime adds no prefix to its
// JSON lines. Elsewhere (the local stack, tests, benchmarks) it writes through the global console,
// as Powertools does in its dev mode but without indenting: the same one-line JSON, and tests can
// capture it with a spy on `console`.
if (!isRunningInLambda()) Object.assign(logger, { console });

/**
 * Where a function's summary lines go when a test wants to read them: each call gets one JSON
 * line. The SES events and retention functions take one; without it they log through
 * {@link logger}.
 */
export type LogSink = (line: string) => void;

/** Logs `message` with `fields` at info level: to `sink` as one JSON line when given, else through {@link logger}. */
export function logInfo(sink: LogSink | undefined, message: string, fields: Record<string, unknown> = {}): void {
  if (sink) sink(JSON.stringify({ level: 'INFO', message, ...fields }));
  else logger.info(message, fields);
}
