import type { MailMessage } from './mail-message.ts';

/**
 * SES message tags that tie an e-mail to the unit it concerns. SES copies an e-mail's tags into
 * every event it publishes about it (`mail.tags` of a bounce, complaint or reject), which is how
 * a problem reported minutes or hours after the send finds its unit (`ses-events.ts`).
 */
export interface UnitMailTags {
  planId: string;
  /** The period's year, in decimal. */
  year: string;
  unitId: string;
  /** The mail's template: `link`, `reminder`, `receipt`, `rejected` … */
  kind: string;
}

/**
 * What SES accepts as a tag name or value: ASCII letters, digits, `_` and `-`, 1 to 256 of them.
 * Anything else makes SES refuse the whole e-mail (`InvalidParameterValue`).
 */
export const SES_TAG_PATTERN = /^[A-Za-z0-9_-]{1,256}$/;

/** Whether SES accepts `text` as a tag name or value. */
export const isSesTagText = (text: string): boolean => SES_TAG_PATTERN.test(text);

/**
 * The tags of an e-mail about a unit, or undefined for committee mail (digests, export notices,
 * sign-in links) and for a message whose ids SES could not carry: a tag is never rewritten,
 * since a rewritten id would point at another unit or at none. Plan ids are slugs and unit ids
 * are `[A-Za-z0-9_-]` (the units CSV allows nothing else), so in practice every unit mail is
 * tagged.
 */
export function unitMailTags(message: MailMessage): UnitMailTags | undefined {
  if (message.unitId === 'committee') return undefined;
  const tags: UnitMailTags = {
    planId: message.planId,
    year: String(message.year),
    unitId: message.unitId,
    kind: message.template,
  };
  return Object.values(tags).every(isSesTagText) ? tags : undefined;
}
