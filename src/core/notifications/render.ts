/**
 * Events in words, in the reader's language, rendered when they are read (so a change of language applies to old
 * notices too). In-app channels show the item's details — their reader may read the item. Mail and webhooks leave
 * the platform: they carry details only of TLP:CLEAR and TLP:GREEN items; anything else travels as a link.
 */
import { translate, type Locale } from '../messages.js';
import { tlpLabel, type Stage } from '../sharing/model.js';
import { formatJst } from '../time.js';
import type { EventRecord } from './ports.js';
import { notificationMessages } from './messages.js';

export interface Notice {
  title: string;
  body?: string;
  /** Path in the web UI; none for notices to people outside the council. */
  link: string | null;
}

/** May the item's content leave the platform (e-mail, webhooks)? Only CLEAR and GREEN; items without a TLP never. */
export const contentMayLeave = (e: Pick<EventRecord, 'tlp'>): boolean => e.tlp === 'clear' || e.tlp === 'green';

export function noticeLink(e: Pick<EventRecord, 'type' | 'subjectType' | 'subjectId'>): string | null {
  switch (e.subjectType) {
    case 'advisory':
      return `/advisories/${e.subjectId}`;
    case 'report':
      return `/reports/${e.subjectId}`;
    case 'info_request':
      return `/info-requests/${e.subjectId}`;
    case 'consultation':
      if (e.type === 'consultation.answered') return null;
      return e.type === 'consultation.widened' ? `/consultations/questions/${e.subjectId}` : `/consultations/${e.subjectId}`;
    case 'organization':
      return '/my-organization/membership';
    default:
      return null;
  }
}

const has = (key: string): boolean => key in notificationMessages.ja;

function params(e: EventRecord, locale: Locale): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(e.data)) {
    if (typeof v === 'number') out[k] = v;
    else if (typeof v === 'string') {
      if (k === 'stage') out[k] = translate(locale, `notify_stage_${v as Stage}`);
      else if (k === 'decision') out[k] = translate(locale, `notify_decision_${v}`);
      else if (k === 'deadline') out[k] = formatJst(v, locale);
      else out[k] = v;
    }
  }
  return out;
}

/** Bodies that carry a tally: the item's content too (a deadline is not). */
const tallies: ReadonlySet<string> = new Set(['feedback.closed', 'request.closed']);

/** Title and body of a notice. `detail: false` leaves out the item's own words (its title, its tally). */
export function renderNotice(e: EventRecord, locale: Locale, { detail }: { detail: boolean }): Notice {
  const key = `notify_${e.type.replace(/\./g, '_')}`;
  const p = params(e, locale);
  const generic = !detail && has(`${key}_generic`);
  const title = translate(locale, generic ? `${key}_generic` : `${key}_title`, p);
  const bodyKey = `${key}_body`;
  const body = has(bodyKey) && (detail || !tallies.has(e.type)) ? translate(locale, bodyKey, p) : undefined;
  return { title, ...(body ? { body } : {}), link: noticeLink(e) };
}

/** The label of an event type (webhook and preference screens). */
export const eventLabel = (type: string, locale: Locale): string => translate(locale, `notify_${type.replace(/\./g, '_')}`);

export interface MailText {
  subject: string;
  text: string;
}

export interface MailContext {
  /** Where links point: the platform's public address. */
  publicUrl: string;
  /** The council's name in the reader's language. */
  council: string;
}

const absolute = (publicUrl: string, link: string): string => `${publicUrl.replace(/\/+$/, '')}${link}`;

/** The TLP label heads and closes the text (as it heads and closes any document), and opens the subject. */
function labelled(e: Pick<EventRecord, 'tlp'>, subject: string, lines: string[]): MailText {
  const label = e.tlp ? tlpLabel(e.tlp) : null;
  return {
    subject: label ? `[${label}] ${subject}` : subject,
    text: (label ? [label, '', ...lines, '', label] : lines).join('\n'),
  };
}

export function renderMail(e: EventRecord, locale: Locale, ctx: MailContext): MailText {
  const detail = contentMayLeave(e);
  const n = renderNotice(e, locale, { detail });
  const lines = [n.title];
  if (n.body) lines.push('', n.body);
  if (n.link) lines.push('', translate(locale, 'notify_mail_link', { url: absolute(ctx.publicUrl, n.link) }));
  if (!detail && e.tlp) lines.push('', translate(locale, 'notify_mail_link_only', { tlp: tlpLabel(e.tlp) }));
  lines.push('', '--', translate(locale, 'notify_mail_footer', { council: ctx.council }));
  return labelled(e, translate(locale, 'notify_mail_subject', { council: ctx.council, title: n.title }), lines);
}

/** One mail for a day's notices, each under the same rule as a single mail. */
export function renderDigest(events: readonly EventRecord[], locale: Locale, ctx: MailContext): MailText {
  const lines = [translate(locale, 'notify_digest_intro'), ''];
  for (const e of events) {
    const detail = contentMayLeave(e);
    const n = renderNotice(e, locale, { detail });
    lines.push(`■ ${e.tlp ? `[${tlpLabel(e.tlp)}] ` : ''}${n.title}`, `  ${formatJst(e.createdAt, locale)}`);
    if (n.body) lines.push(`  ${n.body}`);
    if (n.link) lines.push(`  ${absolute(ctx.publicUrl, n.link)}`);
    lines.push('');
  }
  lines.push('--', translate(locale, 'notify_mail_footer', { council: ctx.council }));
  return { subject: translate(locale, 'notify_digest_subject', { council: ctx.council, count: events.length }), text: lines.join('\n') };
}
