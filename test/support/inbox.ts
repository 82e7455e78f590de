import { inject } from 'vitest';

/** An email as the local SES stand-in stores it. */
export interface InboxEmail {
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
  /** The parts mailparser lists as attachments (a raw email's): the `text/calendar` alternative among them. */
  attachments?: { contentType: string; filename?: string; content: string }[];
  at: number;
}

/** Every email the local SES received for an address (case-insensitive), oldest first. */
export async function inboxOf(address: string): Promise<InboxEmail[]> {
  const response = await fetch(`${inject('endpoints').ses}/store`);
  const { emails } = (await response.json()) as { emails: InboxEmail[] };
  return emails.filter((email) => email.destination.to.some((to) => to.toLowerCase() === address.toLowerCase()));
}

/** The first link token of a kind (`f` form, `s` student page) in an email's text. */
export function tokenIn(email: InboxEmail | undefined, kind: 'f' | 's'): string {
  const match = email?.body.text?.match(new RegExp(`/${kind}/([A-Za-z0-9_-]{43})`));
  if (!match?.[1]) throw new Error(`no /${kind}/ link in email: ${email?.subject}`);
  return match[1];
}

/**
 * The text of an email's calendar invitation: its `text/calendar` part, as the local SES stand-in
 * stored it (mailparser lists it among the attachments, base64). Throws when there is none.
 */
export function calendarPartOf(email: InboxEmail | undefined): string {
  const part = email?.attachments?.find((attachment) => attachment.contentType.startsWith('text/calendar'));
  if (!part) throw new Error(`no text/calendar part in email: ${email?.subject}`);
  return Buffer.from(part.content, 'base64').toString('utf8');
}

/** The first appointment link token (`/a/<token>`) in an email's text. */
export function appointmentTokenIn(email: InboxEmail | undefined): string {
  const match = email?.body.text?.match(/\/a\/([A-Za-z0-9_-]{43})/);
  if (!match?.[1]) throw new Error(`no /a/ link in email: ${email?.subject}`);
  return match[1];
}
