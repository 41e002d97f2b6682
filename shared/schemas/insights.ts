import * as z from '../zod';
import { AgentId } from './agent';
import { backlogStatuses } from '../domain/analytics/case-backlog';
import { Case } from './case';
import { Iso8601, PaginationQuery } from './common';
import { LocalText } from './survey-template';
import { CaseStatus, SlaKind } from './vocabulary';

// ---------------------------------------------------------------- case backlog

const BandCounts = z.described(
  z.object({
    day: z.described(z.int(), 'Opened less than 1 day ago'),
    days3: z.described(z.int(), 'Opened 1 to 3 days ago'),
    week: z.described(z.int(), 'Opened 3 to 7 days ago'),
    month: z.described(z.int(), 'Opened 7 to 30 days ago'),
    older: z.described(z.int(), 'Opened 30 days ago or more'),
  }),
  'Cases by how long ago they were opened, counted to the hour of opening',
);

export const CaseBacklog = z.withMeta(
  z.object({
    asOf: z.described(Iso8601, 'The moment the ages were counted at'),
    total: z.described(z.int(), 'Cases open, in progress or awaiting the customer'),
    byStatus: z.array(z.object({ status: z.enum(backlogStatuses), total: z.int(), byAge: BandCounts })),
    byAge: BandCounts,
    oldestOpenedAt: z.described(z.optional(Iso8601), 'The start of the UTC hour the oldest unresolved case was opened in; absent with no backlog'),
  }),
  { id: 'CaseBacklog' },
);
export type CaseBacklog = z.infer<typeof CaseBacklog>;

export const CaseDeadlineList = z.described(
  z.enum(['breached', 'nearly_breached']),
  'breached: unresolved cases that missed a deadline, longest overdue first; nearly_breached: unresolved cases whose next deadline falls within 24 hours (or passed, its breach not yet recorded), soonest first',
);

export const CaseDeadlinesQuery = z.extend(PaginationQuery, { list: z._default(CaseDeadlineList, 'nearly_breached') });

export const CaseWithDeadline = z.withMeta(
  z.object({
    deadline: z.object({
      kind: SlaKind,
      dueAt: Iso8601,
      breached: z.described(z.boolean(), 'The case missed this deadline'),
    }),
    case: Case,
  }),
  { id: 'CaseWithDeadline' },
);

// ---------------------------------------------------------------- survey words

export const SurveyCommentsQuery = z
  .extend(PaginationQuery, {
    from: z.described(Iso8601, 'Surveys finished (completed, or expired part-answered) at or after'),
    to: z.described(Iso8601, 'Surveys finished before'),
  })
  .check(
    z.refine((query) => Date.parse(query.from) <= Date.parse(query.to), { message: 'to must not be before from', path: ['to'] }),
  );

export const SurveyComment = z.withMeta(
  z.object({
    surveyId: z.string(),
    finishedAt: z.described(Iso8601, 'When the survey was completed, or expired part-answered'),
    status: z.described(z.enum(['completed', 'expired']), 'expired: the customer stopped before the last question'),
    templateId: z.optional(z.string()),
    templateVersion: z.optional(z.int()),
    customerId: z.optional(z.string()),
    agentId: z.optional(AgentId),
    queue: z.optional(z.string()),
    channel: z.string(),
    words: z.array(
      z.object({
        questionId: z.string(),
        question: z.described(z.optional(LocalText), 'The question as the survey asked it; absent when its template version is gone'),
        text: z.string(),
      }),
    ),
    scores: z.described(
      z.object({ csat: z.optional(z.nullable(z.number())), nps: z.optional(z.nullable(z.number())), ces: z.optional(z.nullable(z.number())) }),
      'The scores the same survey gave (null: skipped); a score its template does not ask is absent',
    ),
    case: z.described(
      z.optional(z.object({ caseId: z.string(), status: CaseStatus })),
      'The service-recovery case this survey opened',
    ),
  }),
  { id: 'SurveyComment' },
);
export type SurveyComment = z.infer<typeof SurveyComment>;
