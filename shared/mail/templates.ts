import { html, raw } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';
import type { EmailMessage } from './mailer.ts';
import { toSafeLine } from '../text.ts';

/** A line of a section's list, optionally with its own link (a form to open, say). */
export interface EmailItem {
  text: string;
  link?: { label: string; url: string };
}

/** A titled block of an email (one per role in a digest): paragraphs, a bulleted list, links. */
export interface EmailSection {
  heading: string;
  paragraphs?: string[];
  items?: EmailItem[];
  /** Links shown after the list, one per line. */
  links?: { label: string; url: string }[];
}

/** Parts of an email before rendering: a greeting, paragraphs, an optional button, a footer reason. */
export interface EmailContent {
  to: string;
  subject: string;
  greeting: string;
  paragraphs: string[];
  /** Lines shown as a list (answers, tasks). */
  list?: { label: string; value: string }[];
  /** Titled sections after the paragraphs and the list. */
  sections?: EmailSection[];
  action?: { label: string; url: string };
  /** Why the person gets this email and whom to ask. */
  footer: string;
}

/** Renders content into a Dutch email with plain text and phone-friendly HTML. */
export function renderEmail(content: EmailContent): EmailMessage {
  const textParts = [
    content.greeting,
    '',
    ...content.paragraphs.flatMap((p) => [p, '']),
    ...(content.list?.length ? [...content.list.map((item) => `- ${item.label}${/[?:]$/.test(item.label) ? '' : ':'} ${item.value}`), ''] : []),
    ...(content.sections ?? []).flatMap(sectionText),
    ...(content.action ? [`${content.action.label}: ${content.action.url}`, ''] : []),
    '--',
    content.footer,
  ];
  const body = html`<!doctype html>
<html lang="nl"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${toSafeLine(content.subject)}</title></head>
<body style="margin:0;padding:16px;font-family:Arial,Helvetica,sans-serif;font-size:16px;line-height:1.5;color:#1d1d1b;background:#ffffff">
<div style="max-width:560px;margin:0 auto">
<p>${content.greeting}</p>
${content.paragraphs.map((p) => html`<p>${p}</p>`)}
${content.list?.length
    ? html`<table role="presentation" style="border-collapse:collapse;width:100%">${content.list.map(
        (item) => html`<tr><td style="padding:4px 8px 4px 0;vertical-align:top;font-weight:bold">${item.label}</td><td style="padding:4px 0;vertical-align:top;white-space:pre-wrap">${item.value}</td></tr>`,
      )}</table>`
    : ''}
${(content.sections ?? []).map(sectionHtml)}
${content.action
    ? html`<p style="margin:24px 0"><a href="${content.action.url}" style="display:inline-block;background:#c8102e;color:#ffffff;padding:12px 20px;border-radius:4px;text-decoration:none;font-weight:bold">${content.action.label}</a></p>
<p style="font-size:14px;color:#5c5c5c">Werkt de knop niet? Kopieer dan deze link: ${content.action.url}</p>`
    : ''}
<hr style="border:none;border-top:1px solid #d9d9d9;margin:24px 0">
<p style="font-size:14px;color:#5c5c5c">${content.footer}</p>
</div></body></html>`;
  // The subject is a header: one line whatever a name in it held (see `shared/text.ts`).
  return { to: content.to, subject: toSafeLine(content.subject), text: textParts.join('\n'), html: toString(body) };
}

const LINK_STYLE = 'color:#c8102e;font-weight:bold';

function sectionText(section: EmailSection): string[] {
  return [
    section.heading,
    '-'.repeat(Math.min(section.heading.length, 72)),
    ...(section.paragraphs ?? []).flatMap((p) => [p, '']),
    ...(section.items ?? []).flatMap((item) => [`- ${item.text}`, ...(item.link ? [`  ${item.link.label}: ${item.link.url}`] : [])]),
    ...(section.items?.length ? [''] : []),
    ...(section.links ?? []).flatMap((link) => [`${link.label}: ${link.url}`, '']),
  ];
}

function sectionHtml(section: EmailSection) {
  return html`<h2 style="font-size:18px;line-height:1.3;margin:28px 0 8px">${section.heading}</h2>
${(section.paragraphs ?? []).map((p) => html`<p>${p}</p>`)}
${section.items?.length
    ? html`<ul style="padding-left:20px;margin:8px 0">${section.items.map(
        (item) => html`<li style="margin:6px 0">${item.text}${item.link ? html`<br><a href="${item.link.url}" style="${LINK_STYLE}">${item.link.label}</a>` : ''}</li>`,
      )}</ul>`
    : ''}
${(section.links ?? []).map((link) => html`<p><a href="${link.url}" style="${LINK_STYLE}">${link.label}</a></p>`)}`;
}

function toString(value: HtmlEscapedString | Promise<HtmlEscapedString>): string {
  // hono/html returns a string synchronously when nothing in it is async, as here.
  if (value instanceof Promise) throw new Error('email templates must be synchronous');
  return raw(value).toString();
}
