import type { Case, TimelineEntry } from '../schemas/case';
import type { Contact, Referral } from '../schemas/contact';
import type { Survey } from '../schemas/survey';
import { expireSurvey } from './surveys/survey';

/**
 * What an erased customer's contacts and cases keep. Erasure removes what says who the customer
 * is or what they said (free text, phone numbers) and keeps the operational figures: ids, times,
 * channel, queue, agent, outcome, reason code, statuses, deadlines, amounts. Reports stay right;
 * nobody can be recognised from them.
 *
 * Each rule is idempotent: scrubbing a scrubbed record gives it back unchanged, so a redelivered
 * event or a retry after a timeout writes nothing more.
 */

/** Replaces free text that must stay present (a required field, or one whose presence tells a story). */
export const erasedText = '[erased]';

export type ErasedContact = Contact & { personalDataErasedAt?: string };
export type ErasedCase = Case & { personalDataErasedAt?: string };

/** A contact without its notes and phone, marked with when its customer was erased. */
export function scrubContact(contact: ErasedContact, erasedAt: string): ErasedContact {
  const { notes: _notes, phone: _phone, ...kept } = contact;
  return { ...kept, personalDataErasedAt: contact.personalDataErasedAt ?? erasedAt };
}

/** A referral without its note; a lost referral's reason is free text, so it is replaced. */
export function scrubReferral(referral: Referral): Referral {
  const { note: _note, ...kept } = referral;
  return { ...kept, ...(referral.lostReason !== undefined && { lostReason: erasedText }) };
}

/** A case whose subject, description and service-recovery remedy are replaced by the marker. */
export function scrubCase(c: ErasedCase, erasedAt: string): ErasedCase {
  const next: ErasedCase = { ...c, subject: erasedText, personalDataErasedAt: c.personalDataErasedAt ?? erasedAt };
  if (c.description !== undefined) next.description = erasedText;
  if (c.serviceRecovery?.remedy !== undefined) next.serviceRecovery = { ...c.serviceRecovery, remedy: erasedText };
  return next;
}

/**
 * A timeline entry whose note or reply text, and status-change reason, are replaced by the marker.
 * An e-mail reply loses its list of kept attachments (erasure deletes the files and their items,
 * so a listed one could only answer 404) and the file names of the refused ones, which may name the customer.
 */
export function scrubTimelineEntry(entry: TimelineEntry): TimelineEntry {
  const { attachments: _attachments, ...kept } = entry;
  return {
    ...kept,
    ...(entry.text !== undefined && { text: erasedText }),
    ...(entry.reason !== undefined && { reason: erasedText }),
    // A reply's e-mail subject may name the customer as its text does.
    ...(entry.subject !== undefined && { subject: erasedText }),
    ...(entry.refusedAttachments !== undefined && { refusedAttachments: entry.refusedAttachments.map((refused) => ({ ...refused, name: erasedText })) }),
  };
}

/**
 * A survey of an erased customer: its free-text answers (the only string answers; scores are
 * numbers, resolved a boolean) replaced by the marker, and a link still open expired, so the page
 * answers that it can no longer be used. Undefined when there is nothing to change.
 */
export function scrubSurvey(survey: Survey, erasedAt: string): Survey | undefined {
  const freeText = Object.entries(survey.answers).filter(([, value]) => typeof value === 'string' && value !== erasedText);
  const expired = expireSurvey(survey, erasedAt);
  if (freeText.length === 0 && !expired) return undefined;
  const base = expired ?? { ...survey, version: survey.version + 1, updatedAt: erasedAt };
  return { ...base, answers: { ...survey.answers, ...Object.fromEntries(freeText.map(([questionId]) => [questionId, erasedText])) } };
}

/** The top-level fields to set and to remove to turn `before` into `after`; undefined when they are equal. */
export function erasureChanges<T extends object>(
  before: T,
  after: T,
): { set: Record<string, unknown>; remove: string[] } | undefined {
  const was = before as Record<string, unknown>;
  const now = after as Record<string, unknown>;
  const set = Object.fromEntries(
    Object.entries(now).filter(([field, value]) => value !== undefined && JSON.stringify(value) !== JSON.stringify(was[field])),
  );
  const remove = Object.keys(was).filter((field) => was[field] !== undefined && now[field] === undefined);
  return Object.keys(set).length > 0 || remove.length > 0 ? { set, remove } : undefined;
}
