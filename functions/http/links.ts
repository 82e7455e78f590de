import type { Context } from 'hono';
import { DomainError } from '#shared/errors.ts';
import { checkLink, hashToken, isWellFormedToken, type LinkItem, type LinkPurpose } from '#shared/links.ts';
import type { AppEnv } from './app.tsx';

/** An unknown or tampered link: says nothing more than that. */
export class LinkNotFoundError extends DomainError {
  constructor() {
    super('Deze link is niet geldig. Controleer of u de hele link uit de e-mail heeft gebruikt.', 404);
  }
}

/** An expired or revoked link: says nothing more than that. */
export class LinkGoneError extends DomainError {
  constructor() {
    super('Deze link werkt niet meer: hij is verlopen of vervangen door een nieuwe. Gebruik de link uit de nieuwste e-mail, of vraag de student of de schoolopleider om een nieuwe.', 410);
  }
}

/**
 * Resolves the `:token` of the path to its stored link, or throws a 404/410 domain error.
 * Only the hash is looked up; malformed tokens are not looked up at all.
 */
export async function resolveLink(c: Context<AppEnv>, purpose: LinkPurpose): Promise<LinkItem> {
  const token = c.req.param('token') ?? '';
  if (!isWellFormedToken(token)) throw new LinkNotFoundError();
  const { links, clock } = c.get('deps');
  const verdict = checkLink(await links.get(hashToken(token)), purpose, clock.now());
  if ('status' in verdict) throw verdict.status === 404 ? new LinkNotFoundError() : new LinkGoneError();
  return verdict;
}

/** The school year and student number in a placement partition key (`PLC#<year>#<nr>`). */
export function placementOf(ownerPk: string): { schoolYear: string; studentNumber: string } {
  const [, schoolYear = '', studentNumber = ''] = ownerPk.split('#');
  return { schoolYear, studentNumber };
}
