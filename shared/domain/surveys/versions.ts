import type { SurveyTemplate, SurveyTemplateContent, UpdateSurveyTemplateBody } from '../../schemas/survey-template';
import { type TemplateIssue, validateTemplate } from './template';

/** The template content breaks a rule across questions; each issue has its path. */
export class InvalidTemplate extends Error {
  constructor(readonly issues: TemplateIssue[]) {
    super('The survey template is not valid');
  }
}

/** The template can no longer change: it is archived. */
export class ArchivedTemplate extends Error {}

export function newSurveyTemplate(
  content: SurveyTemplateContent,
  context: { templateId: string; now: string; isDefault?: boolean },
): SurveyTemplate {
  const issues = validateTemplate(content);
  if (issues.length > 0) throw new InvalidTemplate(issues);
  return {
    templateId: context.templateId,
    version: 1,
    currentVersion: 1,
    status: 'active',
    ...content,
    isDefault: context.isDefault ?? false,
    createdAt: context.now,
    versionCreatedAt: context.now,
  };
}

/**
 * The next version: the current content with the patch applied, checked as a whole. Undefined
 * when the patch changes nothing, so that resending the same change does not mint a version.
 */
export function nextTemplateVersion(current: SurveyTemplate, patch: UpdateSurveyTemplateBody, now: string): SurveyTemplate | undefined {
  if (current.status === 'archived') throw new ArchivedTemplate('An archived template cannot change');
  const { description, ...rest } = patch;
  const content: SurveyTemplateContent = { ...contentOf(current), ...rest };
  if (description === null) delete content.description;
  else if (description !== undefined) content.description = description;
  if (sameContent(content, contentOf(current))) return undefined;
  const issues = validateTemplate(content);
  if (issues.length > 0) throw new InvalidTemplate(issues);
  const version = current.currentVersion + 1;
  const { description: _previous, ...unchanged } = current;
  return { ...unchanged, ...content, version, currentVersion: version, versionCreatedAt: now };
}

export function contentOf(template: SurveyTemplate): SurveyTemplateContent {
  const { name, description, defaultLanguage, questions, smsIntro, thankYou } = template;
  return { name, ...(description !== undefined && { description }), defaultLanguage, questions, smsIntro, thankYou };
}

function sameContent(a: SurveyTemplateContent, b: SurveyTemplateContent): boolean {
  return canonical(a) === canonical(b);
}

/** JSON with object keys sorted, so that equal content compares equal whatever order its fields came in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)))
      : v,
  );
}
