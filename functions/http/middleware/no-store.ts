import type { MiddlewareHandler } from 'hono';

/** Marks every answer private: set after the route, so error pages and 429s get it too. */
export const noStore: MiddlewareHandler = async (c, next) => {
  await next();
  c.header('Cache-Control', 'no-store');
};
