import * as z from '../zod';
import { setTimer } from '../ports/scheduler';

/**
 * The timers a survey sets (EventBridge Scheduler, shared/ports/scheduler.ts), both aimed at
 * survey-send: `send` when the survey is due, `expire` when its link expires. Survey ids are
 * unique across tenants, so the names need no tenant.
 */
export const SurveyTimerPayload = z.object({
  tenantId: z.string().check(z.minLength(1)),
  surveyId: z.string().check(z.minLength(1)),
  action: z.enum(['send', 'expire']),
});
export type SurveyTimerPayload = z.infer<typeof SurveyTimerPayload>;

export const surveyTimerName = (surveyId: string, action: SurveyTimerPayload['action']) => `survey-${action}-${surveyId}`;

/** A schedule must lie in the future: a time already past is given this far ahead. */
const pastTimeDelayMs = 1_000;

export const timerTime = (at: string, now = Date.now()) => new Date(Math.max(Date.parse(at), now + pastTimeDelayMs));

/** Sets (or moves) the survey's timer of that kind; setting it again is harmless. */
export function setSurveyTimer(tenantId: string, surveyId: string, action: SurveyTimerPayload['action'], at: string): Promise<void> {
  const payload: SurveyTimerPayload = { tenantId, surveyId, action };
  return setTimer({ name: surveyTimerName(surveyId, action), at: timerTime(at), target: 'survey-send', payload: { ...payload } });
}
