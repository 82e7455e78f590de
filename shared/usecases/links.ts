import { formatDutchDate } from '#shared/calendar.ts';
import type { Clock } from '#shared/clock.ts';
import { DomainError } from '#shared/errors.ts';
import type { FormCatalog } from '#shared/forms/catalog.ts';
import { checkLink, hashToken, isWellFormedToken, type LinkItem, type LinkPurpose } from '#shared/links.ts';
import type { RequestRecord } from '#shared/model/requests.ts';

/** An unknown or tampered link: says nothing more than that. */
export class LinkNotFoundError extends DomainError {
  constructor() {
    super('Deze link is niet geldig. Controleer of de hele link uit de e-mail is overgenomen.', 404);
  }
}

/** Whose link stopped working: that decides what the page tells them to do. */
export type LinkHolder = 'student' | 'wpb' | 'so' | 'io' | 'staff';

/** What a holder whose link no longer works can do, in Dutch (students are addressed with "je", others with "u"). */
const GONE_TEXT: Record<LinkHolder, string> = {
  student:
    'Deze link naar Mijn werkplekleren werkt niet meer: hij is verlopen (het schooljaar is voorbij) of vervangen door een nieuwe. Gebruik de link uit je nieuwste e-mail, of vraag je instituutsopleider om een nieuwe link.',
  wpb: 'Deze link werkt niet meer: hij is verlopen, ingetrokken of vervangen door een nieuwe. Gebruik de link uit de nieuwste e-mail, of vraag de student of de schoolopleider om een nieuwe.',
  so: 'Deze link werkt niet meer: hij is verlopen, ingetrokken of vervangen door een nieuwe. Gebruik de link uit de nieuwste e-mail, of vraag de student of de instituutsopleider om een nieuwe.',
  io: 'Deze link werkt niet meer: hij is verlopen, ingetrokken of vervangen door een nieuwe. Gebruik de link uit de nieuwste e-mail, of vraag de student of de schoolopleider om een nieuwe.',
  staff: 'Deze inloglink werkt niet meer: hij is al gebruikt of verlopen. Vraag een nieuwe inloglink aan.',
};

/**
 * An expired or revoked link (410): says what to do for the role whose link it is. `next` is a
 * link the error page shows under the message (staff: where to ask for a new sign-in link).
 */
export class LinkGoneError extends DomainError {
  readonly next: { href: string; label: string } | undefined;
  /** The error page's heading. */
  readonly heading: string;
  constructor(holder: LinkHolder = 'wpb', message: string = GONE_TEXT[holder], heading = 'Deze link werkt niet meer') {
    super(message, 410);
    this.heading = heading;
    this.next = holder === 'staff' ? { href: '/inloggen', label: 'Een nieuwe inloglink aanvragen' } : undefined;
  }
}

/** An observer's link of a request the student withdrew (410): says so, not "expired or replaced". */
export class RequestWithdrawnError extends LinkGoneError {
  constructor(
    request: Pick<RequestRecord, 'formId' | 'student' | 'lessonDate' | 'observerRole'>,
    forms: Pick<FormCatalog, 'reference'>,
  ) {
    const lesson = request.lessonDate ? ` voor de les van ${formatDutchDate(request.lessonDate)}` : '';
    super(
      request.observerRole,
      `${request.student.name} heeft de aanvraag ingetrokken: u hoeft ${forms.reference(request.formId)}${lesson} niet meer in te vullen. Was dit niet de bedoeling? Neem dan contact op met de student.`,
      'Deze aanvraag is ingetrokken',
    );
  }
}

/** What {@link openLink} needs. */
export interface OpenLinkDeps {
  links: { get(tokenHash: string): Promise<LinkItem | undefined> };
  clock: Clock;
  /** Read only when a form link no longer opens, to say why. */
  requests: { getByKeys(keys: { PK: string; SK: string }): Promise<RequestRecord | undefined> };
  forms: Pick<FormCatalog, 'reference'>;
}

/**
 * Resolves a link's token (the `:token` of the path) to its stored link, or throws a 404/410
 * domain error. Only the hash is looked up; malformed tokens are not looked up at all. A form link
 * that no longer opens is explained by its request: withdrawn by the student, or expired/replaced
 * (with what its observer's role can do about it).
 */
export async function openLink(deps: OpenLinkDeps, token: string, kind: LinkPurpose): Promise<LinkItem> {
  if (!isWellFormedToken(token)) throw new LinkNotFoundError();
  const link = await deps.links.get(hashToken(token));
  const verdict = checkLink(link, kind, deps.clock.now());
  if (!('status' in verdict)) return verdict;
  if (verdict.status === 404 || !link) throw new LinkNotFoundError();
  if (kind === 'student') throw new LinkGoneError('student');
  const request = await deps.requests.getByKeys({ PK: link.ownerPk, SK: link.ownerSk });
  if (request?.state === 'ingetrokken') throw new RequestWithdrawnError(request, deps.forms);
  throw new LinkGoneError(request?.observerRole ?? 'wpb');
}
