import { erasedText } from '../erasure';
import type { Survey } from '../../schemas/survey';

/** A survey's free-text answers that still hold the customer's words (not blank, not erased), by question id. */
export function wordsOf(answers: Survey['answers']): { questionId: string; text: string }[] {
  return Object.entries(answers).flatMap(([questionId, value]) =>
    typeof value === 'string' && value.trim() !== '' && value !== erasedText ? [{ questionId, text: value }] : [],
  );
}

/**
 * When a survey's words are dated in the list: the moment it finished (completed, or expired
 * part-answered). Both are final, so the list item's key never moves and writing it again is harmless.
 */
export const finishedAtOf = (survey: Pick<Survey, 'completedAt' | 'expiredAt'>): string | undefined => survey.completedAt ?? survey.expiredAt;
