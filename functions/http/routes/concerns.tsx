import { Hono } from 'hono';
import { openConcernLinkPage, raiseConcernByLink } from '#shared/usecases/concerns.ts';
import type { AppEnv } from '../env.ts';
import { ConcernLinkPageView } from '../views/concern-page.tsx';

/**
 * The WPB's concern about the student's progress, reached from any of their form links
 * (`/f/<token>/zorg`): the page, and the post that raises it (the body read by app.tsx's `/f/*`
 * limit). The link, the WPB, the reason and the one-open-concern rule are checked in
 * shared/usecases/concerns.ts. Mounted beside the form routes under `/f`.
 */
export const concernLinkRoutes = new Hono<AppEnv>();

concernLinkRoutes.get('/:token/zorg', async (c) => {
  const token = c.req.param('token');
  const page = await openConcernLinkPage(c.get('deps'), token);
  return c.html(<ConcernLinkPageView token={token} {...page} raised={c.req.query('gemeld') === '1'} />);
});

concernLinkRoutes.post('/:token/zorg', async (c) => {
  const token = c.req.param('token');
  const body = await c.req.parseBody();
  const result = await raiseConcernByLink(c.get('deps'), { token, reason: body.reden });
  if (result.kind === 'raised') return c.redirect(`/f/${token}/zorg?gemeld=1`, 303);
  return c.html(<ConcernLinkPageView token={token} {...result.page} reason={result.reason} error={result.error} />, 400);
});
