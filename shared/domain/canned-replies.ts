import type { FieldError } from './errors';
import type { CannedReply, CreateCannedReplyBody, UpdateCannedReplyBody } from '../schemas/case-reply';

/**
 * Canned replies: a tenant's ready texts for answering customers, in English and Traditional
 * Chinese, with variables filled in from the case when a reply is sent. Pure: the handler reads
 * the case, customer and settings and passes them in.
 */

export type ReplyLocale = 'en' | 'zh-TW';

/** The variables a reply may hold, as `{name}`. */
export const replyVariables = ['customerName', 'caseNumber', 'deadline'] as const;
export type ReplyVariable = (typeof replyVariables)[number];

/** `{word}`: what counts as a variable; braces around anything else are text. */
const variablePattern = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

export class InvalidCannedReply extends Error {
  constructor(readonly errors: FieldError[]) {
    super('Invalid canned reply');
  }
}

/** The variables named in `text` that are not known, each once. */
export function unknownVariables(text: string): string[] {
  const names = [...text.matchAll(variablePattern)].map((match) => match[1]!);
  return [...new Set(names.filter((name) => !(replyVariables as readonly string[]).includes(name)))];
}

/** One field error per text or subject naming an unknown variable, at its JSON path. */
export function variableErrors(fields: Readonly<Record<string, string | undefined>>): FieldError[] {
  return Object.entries(fields).flatMap(([path, text]) => {
    const unknown = text === undefined ? [] : unknownVariables(text);
    return unknown.length === 0
      ? []
      : [{ path, message: `Unknown variable ${unknown.map((name) => `{${name}}`).join(', ')}; use ${replyVariables.map((name) => `{${name}}`).join(', ')}` }];
  });
}

const textFields = (texts: CannedReply['texts'] | undefined, subjects: CannedReply['subjects'] | null | undefined) => ({
  '$.texts.en': texts?.en,
  "$.texts['zh-TW']": texts?.['zh-TW'],
  '$.subjects.en': subjects?.en ?? undefined,
  "$.subjects['zh-TW']": subjects?.['zh-TW'] ?? undefined,
});

function check(texts: CannedReply['texts'] | undefined, subjects: CannedReply['subjects'] | null | undefined, textsGiven: boolean): void {
  const errors = variableErrors(textFields(texts, subjects));
  if (textsGiven && !texts?.en && !texts?.['zh-TW']) errors.unshift({ path: '$.texts', message: 'Give the reply in at least one language (en or zh-TW)' });
  if (errors.length > 0) throw new InvalidCannedReply(errors);
}

export function newCannedReply(input: CreateCannedReplyBody, context: { cannedReplyId: string; now: string }): CannedReply {
  check(input.texts, input.subjects, true);
  return {
    cannedReplyId: context.cannedReplyId,
    title: input.title,
    texts: input.texts,
    ...(input.subjects && Object.keys(input.subjects).length > 0 && { subjects: input.subjects }),
    version: 1,
    createdAt: context.now,
    updatedAt: context.now,
  };
}

/** The reply after a PATCH, or the same object when nothing changes. */
export function patchCannedReply(current: CannedReply, patch: UpdateCannedReplyBody, now: string): CannedReply {
  check(patch.texts, patch.subjects, patch.texts !== undefined);
  const next: CannedReply = { ...current };
  if (patch.title !== undefined) next.title = patch.title;
  if (patch.texts !== undefined) next.texts = patch.texts;
  if (patch.subjects === null) delete next.subjects;
  else if (patch.subjects !== undefined) next.subjects = patch.subjects;
  if (JSON.stringify(next) === JSON.stringify(current)) return current;
  return { ...next, version: current.version + 1, updatedAt: now };
}

/** The canned text in `locale`, else in the other language it has. */
export const cannedText = (reply: CannedReply, locale: ReplyLocale): string => reply.texts[locale] ?? reply.texts[locale === 'en' ? 'zh-TW' : 'en']!;
export const cannedSubject = (reply: CannedReply, locale: ReplyLocale): string | undefined =>
  reply.subjects?.[locale] ?? reply.subjects?.[locale === 'en' ? 'zh-TW' : 'en'];

export interface ReplyVariableSources {
  customer: { displayName?: string; givenName?: string; familyName?: string };
  case: { caseId: string; dueAt: string };
  timezone: string;
  locale: ReplyLocale;
}

/** How a customer is named in a reply: the display name, else the name in the language's order, else a word for "customer". */
export function customerNameFor(customer: ReplyVariableSources['customer'], locale: ReplyLocale): string {
  if (customer.displayName) return customer.displayName;
  const { givenName, familyName } = customer;
  if (givenName || familyName) {
    return locale === 'zh-TW' ? `${familyName ?? ''}${givenName ?? ''}` : [givenName, familyName].filter(Boolean).join(' ');
  }
  return locale === 'zh-TW' ? '顧客' : 'customer';
}

/** A deadline as the customer reads it: date and time on the tenant's wall clock, in the reply's language. */
export function deadlineText(dueAt: string, timezone: string, locale: ReplyLocale): string {
  return new Intl.DateTimeFormat(locale, { timeZone: timezone, year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(dueAt));
}

/** The text with every known variable filled in; `path` names the field for an unknown one (InvalidCannedReply). */
export function renderReply(text: string, sources: ReplyVariableSources, path: string): string {
  const errors = variableErrors({ [path]: text });
  if (errors.length > 0) throw new InvalidCannedReply(errors);
  const values: Record<ReplyVariable, string> = {
    customerName: customerNameFor(sources.customer, sources.locale),
    caseNumber: sources.case.caseId,
    deadline: deadlineText(sources.case.dueAt, sources.timezone, sources.locale),
  };
  return text.replace(variablePattern, (_, name: string) => values[name as ReplyVariable]);
}
