import { inject } from 'vitest';

/** An email as the local SES stand-in stores it. */
export interface InboxEmail {
  from: string;
  destination: { to: string[] };
  subject: string;
  body: { text?: string; html?: string };
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
