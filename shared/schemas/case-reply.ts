import * as z from '../zod';
import { Iso8601 } from './common';
import { TimelineEntry } from './case';

// ---------------------------------------------------------------- canned replies

const ReplyText = z.string().check(z.trim(), z.minLength(1), z.maxLength(5000));
const ReplySubject = z.string().check(z.trim(), z.minLength(1), z.maxLength(200));

export const CannedReplyTexts = z.described(
  z.partial(z.strictObject({ en: ReplyText, 'zh-TW': ReplyText })),
  'The reply in each language (at least one); may hold the variables {customerName}, {caseNumber} and {deadline}',
);
export const CannedReplySubjects = z.described(
  z.partial(z.strictObject({ en: ReplySubject, 'zh-TW': ReplySubject })),
  'E-mail subject in each language; may hold the same variables',
);

export const CreateCannedReplyBody = z.withMeta(
  z.strictObject({
    title: z.described(z.string().check(z.trim(), z.minLength(1), z.maxLength(100)), 'What agents pick it by'),
    texts: CannedReplyTexts,
    subjects: z.optional(CannedReplySubjects),
  }),
  { id: 'CreateCannedReply' },
);
export type CreateCannedReplyBody = z.infer<typeof CreateCannedReplyBody>;

export const UpdateCannedReplyBody = z.withMeta(
  z.partial(
    z.strictObject({
      title: z.string().check(z.trim(), z.minLength(1), z.maxLength(100)),
      texts: CannedReplyTexts,
      subjects: z.nullable(CannedReplySubjects),
    }),
  ),
  { id: 'UpdateCannedReply', description: 'Fields to change; texts and subjects replace the whole set; subjects null removes them' },
);
export type UpdateCannedReplyBody = z.infer<typeof UpdateCannedReplyBody>;

export const CannedReply = z.withMeta(
  z.object({
    cannedReplyId: z.string(),
    title: z.string(),
    texts: z.partial(z.object({ en: z.string(), 'zh-TW': z.string() })),
    subjects: z.optional(z.partial(z.object({ en: z.string(), 'zh-TW': z.string() }))),
    version: z.int(),
    createdAt: Iso8601,
    updatedAt: Iso8601,
  }),
  { id: 'CannedReply' },
);
export type CannedReply = z.infer<typeof CannedReply>;

export const CannedReplyIdParams = z.object({ cannedReplyId: z.string().check(z.maxLength(64)) });

// ---------------------------------------------------------------- replies from a case

export const ReplyChannel = z.enum(['sms', 'email']);
export type ReplyChannel = z.infer<typeof ReplyChannel>;

export const CaseReplyBody = z.withMeta(
  z.strictObject({
    channel: ReplyChannel,
    text: z.described(
      z.optional(ReplyText),
      'What the customer is told; variables ({customerName}, {caseNumber}, {deadline}) are filled in. Optional with cannedReplyId: the canned reply in `locale` is sent',
    ),
    subject: z.described(z.optional(ReplySubject), 'E-mail only; defaults to the canned reply\'s subject, else "Re: <case subject>"'),
    cannedReplyId: z.described(z.optional(z.string().check(z.maxLength(64))), 'The canned reply used (recorded on the timeline)'),
    locale: z.described(z.optional(z.enum(['en', 'zh-TW'])), "The reply's language: the canned text chosen and how {deadline} is written; defaults to the customer's language, else the tenant's"),
  }),
  { id: 'CaseReply' },
);
export type CaseReplyBody = z.infer<typeof CaseReplyBody>;

export const CaseReplyResult = z.withMeta(
  z.object({
    entry: TimelineEntry,
    segments: z.described(z.optional(z.int()), 'SMS: the segments the message was billed as'),
    encoding: z.described(z.optional(z.enum(['GSM-7', 'UCS-2'])), 'SMS: the encoding its text needed'),
  }),
  { id: 'CaseReplyResult' },
);

export const CaseReplyParams = z.object({ caseId: z.string().check(z.maxLength(64)) });
