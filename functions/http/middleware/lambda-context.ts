import type { MiddlewareHandler } from 'hono';
import { logger } from '#shared/log.ts';

type LambdaContext = Parameters<typeof logger.addContext>[0];

/**
 * Adds the Lambda invocation (request id, function, cold start) to every log line of the request,
 * as `injectLambdaContext` does for the other functions. `streamHandle` passes the invocation's
 * context in `env.context`; the local server has none. One request at a time per Lambda instance,
 * so the logger's one context is this request's.
 */
export const lambdaContext: MiddlewareHandler = async (c, next) => {
  const context = (c.env as { context?: LambdaContext } | undefined)?.context;
  if (context) logger.addContext(context);
  await next();
};
